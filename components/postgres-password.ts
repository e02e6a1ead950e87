/**
 * Keeping a Docker Postgres user's password the one paved holds. The official image applies
 * POSTGRES_PASSWORD only when it creates the data directory, so a rotated password would reach
 * the API while the server kept the old one. A one-shot container in the server's network
 * namespace sets it on every deploy that changes it: initdb's `host all all 127.0.0.1/32 trust`
 * rule, which the image keeps ahead of its `host all all all scram-sha-256`, lets it connect
 * without the old password. Pure, so the component and the test against real Postgres share it.
 */

/**
 * The script: waits for the server (two minutes at most), then sets PGUSER's password to
 * NEW_PASSWORD, passed as a psql variable so it is quoted by psql and never part of a command
 * line. Environment: PGHOST, PGPORT, PGUSER, PGDATABASE (libpq's), NEW_PASSWORD.
 */
export const PASSWORD_SYNC_SCRIPT = `
tries=0
until pg_isready -q; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then echo "paved: postgres did not answer on $PGHOST:$PGPORT" >&2; exit 1; fi
  sleep 1
done
psql -X -q --no-password -v ON_ERROR_STOP=1 -v pw="$NEW_PASSWORD" <<'SQL'
ALTER ROLE CURRENT_USER PASSWORD :'pw';
SQL
echo "paved: $PGUSER's password set"
`;

/**
 * Point-in-time recovery for a Docker Postgres, as text the containers run: the server's WAL
 * archiving settings, the wrapper that readies the archive volume, and the base-backup loop.
 * Pure, so the component and the test that runs them against real Postgres share each byte.
 */

/** Where the WAL archive volume is mounted, in the Postgres container and the base-backup container. */
export const WAL_ARCHIVE_PATH = "/var/lib/postgresql/wal-archive";
/** Where the base-backup volume is mounted in the base-backup container. */
export const BASE_BACKUP_PATH = "/var/lib/postgresql/base-backups";
/** A base backup a day: recovery replays at most a day of WAL on top of the newest one. */
export const BASE_BACKUP_INTERVAL_SECONDS = 86_400;

/**
 * Copies a finished WAL segment into `dir` without ever overwriting one: through a temporary
 * name, so a crash mid-copy leaves no truncated segment under the real name; and a segment
 * already there with the same bytes (archived just before a crash) counts as archived.
 */
export function archiveCommand(dir: string = WAL_ARCHIVE_PATH): string {
  return `{ test ! -f ${dir}/%f && cp %p ${dir}/%f.tmp && mv ${dir}/%f.tmp ${dir}/%f; } || cmp -s %p ${dir}/%f`;
}

/** The server's arguments: WAL archiving on, a segment archived at least every `archiveTimeoutSeconds` (the RPO). */
export function postgresArgs(archiveTimeoutSeconds: number, dir: string = WAL_ARCHIVE_PATH): string[] {
  return [
    "postgres",
    "-c", "wal_level=replica",
    "-c", "archive_mode=on",
    "-c", `archive_timeout=${archiveTimeoutSeconds}`,
    "-c", `archive_command=${archiveCommand(dir)}`,
  ];
}

/**
 * The Postgres container's entrypoint: the official image starts as root but its entrypoint
 * chowns only $PGDATA, and a fresh named volume at a path the image lacks is root-owned; so
 * chown the archive's mount point, then hand over to the image's own entrypoint unchanged.
 * The Docker command (`postgresArgs`) follows as "$@".
 */
export function postgresEntrypoint(dir: string = WAL_ARCHIVE_PATH): string[] {
  return ["sh", "-c", `chown postgres:postgres ${dir} && chmod 700 ${dir} && exec docker-entrypoint.sh "$@"`, "sh"];
}

/**
 * The base-backup container's POSIX shell script. Environment: PGHOST, PGPORT, PGUSER,
 * PGPASSWORD (the libpq variables), BASE_DIR, WAL_DIR, KEEP_DAYS, INTERVAL_SECONDS; ONCE=1
 * takes one backup and prunes, then exits with its status.
 *
 * Each backup is a directory named for its UTC time, holding pg_basebackup's compressed tar
 * (with the WAL it needs), `start-wal` (the first segment it replays, from its backup_label)
 * and `taken-at` (epoch seconds); it appears under that name only once complete.
 *
 * Pruning keeps every backup younger than KEEP_DAYS and the newest older one, which is where
 * a recovery to the window's first moment starts; then removes only the WAL segments that
 * precede the oldest kept backup's `start-wal` (pg_archivecleanup), which no kept backup can
 * replay. A failure exits non-zero after a pause, so Docker's restart policy retries (and
 * re-joins the server's network namespace if the server restarted).
 */
export const BASE_BACKUP_SCRIPT = `
now() { date -u +%s; }

newest_taken_at() {
  latest=0
  for d in "$BASE_DIR"/*/; do
    [ -f "$d/taken-at" ] && latest=$(cat "$d/taken-at")
  done
  echo "$latest"
}

take() {
  name=$(date -u +%Y-%m-%dT%H%M%SZ)
  rm -rf "$BASE_DIR"/.partial-*
  tmp="$BASE_DIR/.partial-$name"
  pg_basebackup --pgdata="$tmp" --format=tar --gzip --wal-method=fetch --checkpoint=fast --no-password || return 1
  tar -xzOf "$tmp/base.tar.gz" backup_label | sed -n 's/^START WAL LOCATION: .*(file \\([0-9A-F]\\{24\\}\\))$/\\1/p' > "$tmp/start-wal" || return 1
  [ -s "$tmp/start-wal" ] || { echo "pitr: no START WAL LOCATION in $tmp/base.tar.gz" >&2; return 1; }
  now > "$tmp/taken-at" || return 1
  mv "$tmp" "$BASE_DIR/$name" || return 1
  echo "pitr: base backup $name taken"
}

prune() {
  cutoff=$(( $(now) - KEEP_DAYS * 86400 ))
  anchor=
  for d in "$BASE_DIR"/*/; do
    [ -f "$d/taken-at" ] && [ "$(cat "$d/taken-at")" -le "$cutoff" ] && anchor=$d
  done
  if [ -n "$anchor" ]; then
    for d in "$BASE_DIR"/*/; do
      [ "$d" = "$anchor" ] && break
      [ -f "$d/taken-at" ] && { rm -rf "$d" || return 1; echo "pitr: removed base backup $d"; }
    done
  fi
  for d in "$BASE_DIR"/*/; do
    [ -s "$d/start-wal" ] || continue
    pg_archivecleanup "$WAL_DIR" "$(cat "$d/start-wal")" || return 1
    return 0
  done
}

if [ "\${ONCE:-0}" = 1 ]; then
  take && prune
  exit
fi
while :; do
  due_in=$(( $(newest_taken_at) + INTERVAL_SECONDS - $(now) ))
  [ "$due_in" -gt 0 ] && sleep "$due_in"
  if ! { take && prune; }; then
    echo "pitr: base backup failed; retrying after a restart" >&2
    sleep 300
    exit 1
  fi
done
`.trimStart();

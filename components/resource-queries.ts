/**
 * The PromQL of paved's resource alerts, over the metrics every Fly.io machine publishes to its
 * organization's managed Prometheus (`fly_instance_*`, labelled `app`, `instance`, `region`).
 */

/** One series per machine: the labels an alert names it by. */
const BY = "by (app, instance, region)";

/** Percentage of a machine's memory in use: what `/proc/meminfo` counts as not available. */
export function memoryQuery(app: string): string {
  const sel = `{app="${app}"}`;
  return `100 * (1 - max ${BY} (fly_instance_memory_mem_available${sel}) / max ${BY} (fly_instance_memory_mem_total${sel}))`;
}

/**
 * Percentage of a machine's CPU time not idle over the last 5 minutes, across its vCPUs.
 * `fly_instance_cpu` counts centiseconds per `cpu_id` and `mode`; the ratio needs no unit.
 */
export function cpuQuery(app: string): string {
  const rate = (sel: string) => `sum ${BY} (rate(fly_instance_cpu{${sel}}[5m]))`;
  return `100 * (1 - ${rate(`app="${app}", mode="idle"`)} / ${rate(`app="${app}"`)})`;
}

/** Client connections only: Postgres's own background workers and the replication senders hold no app slot. */
const CLIENTS = "FROM pg_stat_activity WHERE backend_type = 'client backend'";

/** The SQL of the database-connections alert: a count of client connections, or their share of `max_connections` in percent. */
export function connectionsQuery(measure: "count" | "percent"): string {
  return measure === "count"
    ? `SELECT count(*) AS connections ${CLIENTS}`
    : `SELECT 100.0 * count(*) / current_setting('max_connections')::int AS percent ${CLIENTS}`;
}

/**
 * Host (with port), database, user and password of a `postgresql://` connection string, for a Grafana data source.
 * It runs inside an `apply`, where a throw hangs the deployment: a string that is no URL yields empty parts.
 */
export function postgresParts(uri: string | undefined): { url: string; database: string; user: string; password: string } {
  if (!uri || !URL.canParse(uri)) return { url: "", database: "", user: "", password: "" };
  const u = new URL(uri);
  return { url: `${u.hostname}:${u.port || "5432"}`, database: decodeURIComponent(u.pathname.slice(1)), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/**
 * The Authorization header Fly.io's Prometheus takes: a macaroon token (`fly tokens create`)
 * under its own `FlyV1` scheme, anything else (`fly auth token`) as a bearer token.
 */
export function flyAuthorization(token: string): string {
  const t = token.trim();
  if (/^(FlyV1|Bearer) /.test(t)) return t;
  return /^fm\d_/.test(t) ? `FlyV1 ${t}` : `Bearer ${t}`;
}

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

/**
 * The Authorization header Fly.io's Prometheus takes: a macaroon token (`fly tokens create`)
 * under its own `FlyV1` scheme, anything else (`fly auth token`) as a bearer token.
 */
export function flyAuthorization(token: string): string {
  const t = token.trim();
  if (/^(FlyV1|Bearer) /.test(t)) return t;
  return /^fm\d_/.test(t) ? `FlyV1 ${t}` : `Bearer ${t}`;
}

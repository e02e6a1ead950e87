/**
 * `paved:monitors.table`: the stack's monitoring table, row by row as its team writes it. Each row
 * names what it watches, its threshold, window and tier, and the team's own words for it. The rows
 * set the thresholds of the Sentry and Grafana alerts and add API checks beside the health checks;
 * the plan reports each row as planned (by which resources) or not, and why. A stack with no table
 * follows the deployment checklist.
 */
import { z } from "zod";
import {
  type AlertKind, type AlertRule, type DbConnectionsAlert, type ErrorCountAlert, type ErrorRateAlert, type LatencyAlert,
  type ResourceAlert, type RowReport, type Tier, TIERS, type UptimeCheck,
} from "../../components/alerting";
import type { Kind } from "../../components/environment-config";
import { SENTRY_WINDOWS } from "../../components/error-tracking";
import { expected, int, text, urlPath } from "../fields";
import { quote } from "../redact";

export const TABLE_KINDS = [
  "uptime", "latency", "error-rate", "error-count", "new-issues", "db-connections", "memory", "cpu", "disk", "db-cpu",
  "deploys", "logs", "metrics", "vulnerabilities",
] as const satisfies readonly AlertKind[];

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
const STATUS = "an HTTP status such as 200";
const check = z.strictObject({
  service: z.enum(["api", "web"], expected("api or web: whose public URL the path is on")),
  method: z.enum(METHODS, expected(`one of ${METHODS.join(", ")}`)).optional(),
  path: urlPath,
  body: text("the request body (plain config, never a credential), such as {\"email\":\"probe@example.com\",\"password\":\"wrong\"}").optional(),
  status: z.number(expected(STATUS)).int(expected(STATUS)).min(100, expected(STATUS)).max(599, expected(STATUS)).optional(),
  contains: text("text the answer's body must hold, such as invalid credentials").optional(),
}, expected("an object with service, path, and optionally method, body, status and contains"));

const row = z.strictObject({
  what: z.enum(TABLE_KINDS, expected(`one of ${TABLE_KINDS.join(", ")}`)),
  row: text("the row as the team's guide writes it, such as \"p99 latency > 500 ms\""),
  threshold: z.union([z.number(), z.string()], expected("a threshold such as \"500 ms\", \"1 %\", \"10/min\" or 20")).optional(),
  percentile: z.enum(["p95", "p99"], expected("p95 or p99")).optional(),
  window: int("minutes", 1, 1440).optional(),
  tier: z.enum(TIERS, expected(`one of ${TIERS.join(", ")}`)).optional(),
  check: check.optional(),
}, expected("an object with what and row, and optionally threshold, percentile, window, tier and check"));

export const table = z.array(row, expected("a list of rows, each { what, row, threshold, window, tier }")).min(1, expected("at least one row"));
type TableRow = z.infer<typeof row>;

/** The alerts whose figures a row sets: one row each. */
interface Thresholds {
  errorRate: ErrorRateAlert; latency: LatencyAlert; errorCount?: ErrorCountAlert;
  memory: ResourceAlert; cpu: ResourceAlert; dbConnections?: DbConnectionsAlert;
}

/** The resolved table: its rows, the thresholds they set over the checklist's, and whether they came from the stack file. */
export interface AlertTable extends Thresholds {
  rows: Array<{ kind: AlertKind; row: string; check?: UptimeCheck }>;
  stated: boolean;
}

/**
 * The deployment checklist's figures: p99 > 500 ms, error rate > 1 %, DB pool > 80 %, memory > 80 %,
 * CPU > 70 % sustained. Machines are read within hours rather than paged: a full machine is a warning,
 * its outage is what uptime checks page for.
 */
const CHECKLIST: Thresholds & { dbConnections: DbConnectionsAlert } = {
  errorRate: { percent: 1, windowMinutes: 5, tier: "P1" },
  latency: { percentile: "p99", ms: 500, windowMinutes: 5, tier: "P2" },
  dbConnections: { percent: 80, forMinutes: 5, tier: "P2" },
  memory: { percent: 80, forMinutes: 5, tier: "P2" },
  cpu: { percent: 70, forMinutes: 10, tier: "P2" },
};
const CHECKLIST_ROWS: AlertTable["rows"] = [
  { kind: "uptime", row: "health checks on every public endpoint, alert after about 5 min failing" },
  { kind: "latency", row: "p99 latency > 500 ms" },
  { kind: "error-rate", row: "error rate > 1 %" },
  { kind: "db-connections", row: "DB pool > 80 %" },
  { kind: "memory", row: "memory > 80 %" },
  { kind: "cpu", row: "CPU > 70 % sustained" },
];
/**
 * The checklist's connections alert, where the table states none: in production, or where the grafana
 * section asks for it. Elsewhere Grafana's query every minute would keep a scale-to-zero compute awake.
 */
export const checklistDbConnections = (kind: Kind, asked: boolean) => (kind === "production" || asked ? CHECKLIST.dbConnections : undefined);

/** The unit each kind's threshold is written in. */
const UNITS: Partial<Record<AlertKind, { pattern: RegExp; what: string }>> = {
  latency: { pattern: /^(\d+(?:\.\d+)?)\s*(ms|s)$/, what: "a duration such as \"500 ms\" or \"7 s\"" },
  "error-rate": { pattern: /^(\d+(?:\.\d+)?)\s*(%)$/, what: "a percentage such as \"1 %\"" },
  "error-count": { pattern: /^(\d+)\s*(\/min)?$/, what: "errors a minute, such as \"10/min\"" },
  "db-connections": { pattern: /^(\d+(?:\.\d+)?)\s*(%)?$/, what: "a number of connections such as 20, or a share of max_connections such as \"80 %\"" },
  memory: { pattern: /^(\d+(?:\.\d+)?)\s*(%)$/, what: "a percentage such as \"80 %\"" },
  cpu: { pattern: /^(\d+(?:\.\d+)?)\s*(%)$/, what: "a percentage such as \"70 %\"" },
  disk: { pattern: /^(\d+(?:\.\d+)?)\s*(%)$/, what: "a percentage such as \"80 %\"" },
  "db-cpu": { pattern: /^(\d+(?:\.\d+)?)\s*(%)$/, what: "a percentage such as \"85 %\"" },
};
/** The kinds one alert serves, so only one row may set its figures. */
const ONE_ROW: readonly AlertKind[] = ["latency", "error-rate", "error-count", "db-connections", "memory", "cpu"];

export function resolveTable(rows: TableRow[] | undefined, problems: string[]): AlertTable {
  if (!rows) return { ...CHECKLIST, dbConnections: undefined, rows: CHECKLIST_ROWS, stated: false };
  const t: AlertTable = { ...CHECKLIST, dbConnections: undefined, rows: [], stated: true };
  const seen = new Map<AlertKind, number>();
  const checks = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = `paved:monitors.table[${i}]`;
    const problem = (field: string, got: unknown, what: string) => problems.push(`${key}.${field}: got ${quote(`${key}.${field}`, got)}; expected ${what}`);
    if (ONE_ROW.includes(r.what) && seen.has(r.what)) problem("what", r.what, `one row of ${r.what} (paved:monitors.table[${seen.get(r.what)}] states it already: one alert serves it)`);
    seen.set(r.what, i);
    if (r.check && r.what !== "uptime") problem("check", "set", "no check on a row of " + r.what + " (API checks are uptime rows)");
    // One check per request: two rows probing the same one would be the same check twice.
    const request = r.check && `${r.check.service} ${r.check.method ?? "GET"} ${r.check.path}`;
    if (request && checks.has(request)) problem("check", request, `one row per request (paved:monitors.table[${checks.get(request)}] checks ${request} already)`);
    if (request) checks.set(request, i);
    if (r.percentile && r.what !== "latency") problem("percentile", r.percentile, "no percentile on a row of " + r.what);
    const unit = UNITS[r.what];
    if (r.threshold !== undefined && !unit) problem("threshold", r.threshold, `no threshold on a row of ${r.what} (${r.what === "uptime" ? "paved:monitors.uptime sets when a check alerts" : "it has none"})`);
    const parsed = unit && r.threshold !== undefined ? unit.pattern.exec(String(r.threshold).trim()) : undefined;
    if (unit && r.threshold !== undefined && !parsed) problem("threshold", r.threshold, unit.what);
    const amount = parsed ? Number(parsed[1]) * (parsed[2] === "s" ? 1000 : 1) : undefined;
    if (parsed?.[2] === "%" && !(amount! > 0 && amount! <= 100)) problem("threshold", r.threshold, "a percentage above 0 and at most 100");
    const sentryWindow = r.what === "latency" || r.what === "error-rate";
    if (r.window !== undefined && sentryWindow && !(SENTRY_WINDOWS as readonly number[]).includes(r.window)) {
      problem("window", r.window, `minutes: one of ${SENTRY_WINDOWS.join(", ")} (Sentry's windows)`);
    }
    if (r.window !== undefined && r.what === "error-count" && r.window !== 1) problem("window", r.window, "1 (errors are counted a minute at a time)");
    if (r.tier && r.what === "uptime" && !r.check) problem("tier", r.tier, "no tier on the health checks' row (paved:monitors.tiers sets the api and web checks' tiers)");
    t.rows.push({ kind: r.what, row: r.row, check: r.check && { ...r.check, method: r.check.method ?? "GET", status: r.check.status ?? 200, tier: r.tier } });
    applyRow(t, r, amount);
  });
  return t;
}

/** A row's figures over the checklist's: what the row leaves out, the checklist says. */
function applyRow(t: AlertTable, r: TableRow, amount: number | undefined): void {
  const over = <T extends { tier: Tier }>(base: T, fields: Partial<T>) => ({ ...base, ...definedOf(fields) }) as T;
  switch (r.what) {
    case "error-rate": t.errorRate = over(t.errorRate, { percent: amount, windowMinutes: r.window, tier: r.tier }); break;
    case "latency": t.latency = over(t.latency, { percentile: r.percentile, ms: amount, windowMinutes: r.window, tier: r.tier }); break;
    case "error-count": t.errorCount = { perMinute: amount ?? 10, tier: r.tier ?? "P2" }; break;
    case "memory": t.memory = over(t.memory, { percent: amount, forMinutes: r.window, tier: r.tier }); break;
    case "cpu": t.cpu = over(t.cpu, { percent: amount, forMinutes: r.window, tier: r.tier }); break;
    case "db-connections": {
      const share = /%/.test(String(r.threshold ?? "%"));
      const threshold = amount === undefined ? { percent: CHECKLIST.dbConnections.percent! } : share ? { percent: amount } : { max: amount };
      t.dbConnections = { ...threshold, forMinutes: r.window ?? 5, tier: r.tier ?? "P2" } as DbConnectionsAlert;
      break;
    }
    default:
  }
}

const definedOf = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Staging keeps the table's alerts but never pages at P1; previews alert at P3. */
export function tierFor(kind: "production" | "staging" | "preview", tier: Tier): Tier {
  if (kind === "preview") return "P3";
  return kind === "staging" && tier === "P1" ? "P2" : tier;
}

/** What the stack runs on and turns on, to say why a row is not planned. */
export interface Hosts {
  api?: "fly" | "render" | "docker" | "railway"; database?: "neon" | "render" | "docker";
  /** Public URLs the stack serves (the uptime checks' targets), and why there are none. */
  publicHosts: number; noPublicHost?: string;
  sentry: boolean; grafana: boolean; kind: Kind;
  /** paved:monitors.grafana sets memory, cpu or dbConnections to false. */
  turnedOff: Partial<Record<"memory" | "cpu" | "dbConnections", boolean>>;
  /** paved:monitors.deploys is set. */
  deploys: boolean;
  /** What keeps the stack's logs (paved:logs), if anything. */
  logs?: string;
}

const DOCKER_WHY = "the Docker Engine API reports container stats but has no alert rules, and paved runs no metrics stack on the server";
/** Why no API can alert on the API host's memory or CPU (Fly.io can, through Grafana). */
const HOST_WHY: Record<string, string> = {
  render: "Render's public API reads service metrics (/metrics/cpu, /metrics/memory) but has no alert rules; its notification settings only pick which deploy and service events notify",
  docker: DOCKER_WHY,
  railway: "Railway's public API lists observability-dashboard monitors but has no mutation that creates one",
};
/** Why no API can alert on the database's connections, CPU or disk. */
const DB_WHY: Record<string, string> = {
  neon: "Neon's API has no alert rules (it reports consumption history only)",
  render: "Render's public API reads Postgres metrics (/metrics/active-connections, /metrics/cpu, /metrics/disk-usage) but has no alert rules",
  docker: DOCKER_WHY,
};

type Status = { off: string } | { never: string };

/** Why a row's kind has no planned alert: `off` where this stack file could turn it on, `never` where paved cannot plan it on these hosts. */
function status(kind: AlertKind, h: Hosts): Status {
  const db = h.database ? DB_WHY[h.database] : "the stack has no database";
  switch (kind) {
    // A Docker API whose port is published would be probed: the stack file turns it on.
    case "uptime": return h.noPublicHost ? { off: h.noPublicHost } : { never: "the stack serves no public host (paved:domain, paved:web or paved:api.hostname unset)" };
    case "latency": case "error-rate": case "error-count": case "new-issues":
      if (kind === "latency" && !h.api) return { never: "the stack runs no API whose requests Sentry can time" };
      return h.sentry ? { off: `paved:monitors.sentry plans no ${kind} alert in a ${h.kind} stack` } : { off: "paved:monitors.sentry is not set" };
    case "memory": case "cpu":
      if (!h.api) return { never: "the stack has no API" };
      if (h.api !== "fly") return { never: HOST_WHY[h.api] };
      return h.turnedOff[kind] ? { off: `paved:monitors.grafana.${kind} is false` }
        : { off: "paved:monitors.grafana is not set (Fly.io publishes machine metrics to its managed Prometheus, with no alert rules of its own: Grafana alerts on them)" };
    case "disk":
      // Fly.io does report volume use, but paved's machines mount none: the data is the database's.
      return { never: h.api === "fly" ? `the API's Fly.io machines mount no volume; ${h.database ? `for the database, ${db}` : "the stack has no database"}` : db };
    case "db-connections":
      if (h.database !== "neon") return { never: db };
      if (h.turnedOff.dbConnections) return { off: "paved:monitors.grafana.dbConnections is false" };
      if (!h.grafana) return { off: `${db}; set paved:monitors.grafana to alert on them through Grafana` };
      return { off: `outside production paved:monitors.grafana.dbConnections turns Grafana's alert on (its query every minute keeps a scale-to-zero compute awake)` };
    case "db-cpu": return { never: db };
    case "logs": return { off: "paved:logs is not set (sink: axiom ships the web's and the API's logs to an Axiom dataset with a retention; host leaves them with each platform)" };
    case "metrics": return { never: "paved plans alert rules, not a metrics store or dashboards (Prometheus, Grafana dashboards)" };
    case "deploys":
      if (h.kind === "preview") return { never: "a pull-request stack reports its deploys on the pull request (a GitHub deployment)" };
      return { off: "paved:monitors.deploys is not set (the deploy job posts each deploy's outcome to the tier's Slack webhooks when it is)" };
    default: return { never: "Dependabot alerts come from the repository's security settings (paved:github), not from an alert paved routes" };
  }
}

/** Each row of the table: the alerts that cover it, or why none does. */
export function reportRows(t: AlertTable, rules: AlertRule[], hosts: Hosts): RowReport[] {
  return t.rows.map((r) => {
    const covering = rules.filter((rule) => rule.kind === r.kind && (r.kind !== "uptime" || (r.check ? rule.check === r.check : !rule.check)));
    // The web's checks cover the health checks' row, but the API that publishes no port goes unprobed: the row says so.
    const partly = r.kind === "uptime" && !r.check && hosts.noPublicHost ? { partly: hosts.noPublicHost } : {};
    if (covering.length) return { row: r.row, kind: r.kind, planned: [...new Set(covering.map((rule) => rule.resource))], ...partly };
    if (r.kind === "logs" && hosts.logs) return { row: r.row, kind: r.kind, planned: [hosts.logs] };
    return { row: r.row, kind: r.kind, ...status(r.kind, hosts) };
  });
}

/**
 * The five seed guides' monitoring tables: each row, the alert kind that covers it, and the
 * thresholds a stack following the guide gets by default. A row no planned alert covers is
 * printed by the plan with the reason.
 */
import type {
  AlertKind, AlertRule, DbConnectionsAlert, ErrorCountAlert, ErrorRateAlert, LatencyAlert, ResourceAlert, Tier, UncoveredRow,
} from "../../components/alerting";

export const GUIDES = ["planningos", "plannior", "flightpro", "lifeos", "projectflo"] as const;
export type Guide = (typeof GUIDES)[number];

interface GuideSpec {
  rows: Array<{ row: string; kind: AlertKind }>;
  errorRate: ErrorRateAlert;
  latency: LatencyAlert;
  errorCount?: ErrorCountAlert;
  /** Memory used and CPU busy on the API's machines, where the host can alert on them (paved:monitors.grafana). */
  memory: ResourceAlert;
  cpu: ResourceAlert;
  /** Client connections to the database, where Grafana can query it (paved:monitors.grafana.dbConnections). */
  dbConnections?: DbConnectionsAlert;
}

/**
 * The checklist's machine thresholds (memory > 80 %, CPU > 70 % sustained), read within hours
 * rather than paged: a full machine is a warning, its outage is what uptime checks page for.
 */
const RESOURCES = { memory: { percent: 80, forMinutes: 5, tier: "P2" }, cpu: { percent: 70, forMinutes: 10, tier: "P2" } } as const;
/** The deployment checklist's figures (p99 > 500 ms, error rate > 1 %) where a guide names none. */
const CHECKLIST = {
  errorRate: { percent: 1, windowMinutes: 5, tier: "P1" }, latency: { percentile: "p99", ms: 500, windowMinutes: 5, tier: "P2" }, ...RESOURCES,
} as const;

export const GUIDE_SPECS: Record<Guide, GuideSpec> = {
  planningos: {
    ...CHECKLIST,
    // The pool is the server's max_connections: the app reaches Neon without a pooler of its own.
    dbConnections: { percent: 80, forMinutes: 5, tier: "P2" },
    rows: [
      { row: "/health every 30-60 s; alert on failure", kind: "uptime" },
      { row: "p99 latency > 500 ms", kind: "latency" },
      { row: "error rate > 1 %", kind: "error-rate" },
      { row: "DB connections > 80 % of the pool", kind: "db-connections" },
      { row: "memory > 80 %", kind: "memory" },
      { row: "CPU > 70 % sustained", kind: "cpu" },
      { row: "logs to Axiom", kind: "logs" },
    ],
  },
  plannior: {
    ...RESOURCES,
    dbConnections: { max: 20, forMinutes: 5, tier: "P1" },
    errorRate: { percent: 5, windowMinutes: 5, tier: "P2" },
    latency: { percentile: "p95", ms: 7000, windowMinutes: 10, tier: "P2" },
    rows: [
      { row: "health every 60 s, timeout 10 s, alert after 5 min failing", kind: "uptime" },
      { row: "p95 > 7 s for 10 min -> Slack", kind: "latency" },
      { row: "error rate > 5 % for 5 min -> Slack", kind: "error-rate" },
      { row: "DB connections > 20 -> P1", kind: "db-connections" },
      { row: "memory > 80 %", kind: "memory" },
      { row: "disk > 80 %", kind: "disk" },
    ],
  },
  flightpro: {
    ...RESOURCES,
    errorRate: { percent: 2, windowMinutes: 5, tier: "P1" },
    latency: { percentile: "p95", ms: 1000, windowMinutes: 10, tier: "P2" },
    rows: [
      { row: "error rate > 2 % for 5 min (rollback above 5 %)", kind: "error-rate" },
      { row: "p95 > 1 s for 10 min", kind: "latency" },
      { row: "DB CPU > 85 % for 30 min", kind: "db-cpu" },
      { row: "disk > 80 %", kind: "disk" },
      { row: "deploy status (Info) -> Slack #deploys", kind: "deploys" },
    ],
  },
  lifeos: {
    ...CHECKLIST,
    errorRate: { ...CHECKLIST.errorRate, tier: "P2" },
    errorCount: { perMinute: 10, tier: "P2" },
    rows: [
      { row: "errors > 10/min -> email and Slack", kind: "error-count" },
      { row: "downtime > 5 min -> email and Slack", kind: "uptime" },
    ],
  },
  projectflo: {
    ...CHECKLIST,
    rows: [
      { row: "/health pinged every minute; P1 phone on outage", kind: "uptime" },
      { row: "P1 phone on login/payment failure (error rate)", kind: "error-rate" },
      { row: "P3 Slack: a new dependency vulnerability", kind: "vulnerabilities" },
    ],
  },
};

/** What the stack runs on, to say why paved plans no alert of a kind for it. */
export interface Hosts {
  api?: "fly" | "render" | "docker" | "railway"; database?: "neon" | "render" | "docker"; publicHosts: number; sentry: boolean;
  /** paved:monitors.grafana plans memory and CPU alerts (an API on Fly.io). */
  grafana?: boolean;
  /** paved:monitors.grafana is set with dbConnections false. */
  dbConnectionsOff?: boolean;
  /** A production stack: the only kind the guide's connections alert is on by default. */
  production?: boolean;
}

const DOCKER_WHY = "the Docker Engine API reports container stats but has no alert rules, and paved runs no metrics stack on the server";
/** Why no API can alert on the API host's memory or CPU (Fly.io can, through Grafana). */
const HOST_WHY: Record<string, string> = {
  fly: "Fly.io publishes machine metrics to its managed Prometheus but has no alert rules of its own; set paved:monitors.grafana to alert on them through Grafana",
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

function why(kind: AlertKind, hosts: Hosts): string {
  switch (kind) {
    case "uptime": return hosts.publicHosts ? "no uptime check is configured" : "the stack serves no public host (paved:domain, paved:web or paved:api.hostname unset)";
    case "error-rate": case "error-count": case "latency": case "new-issues":
      return hosts.sentry ? `paved:monitors.sentry plans no ${kind} alert` : "paved:monitors.sentry is not set";
    case "memory": case "cpu":
      if (!hosts.api) return "the stack has no API";
      return hosts.api === "fly" && hosts.grafana ? `paved:monitors.grafana.${kind} is false` : HOST_WHY[hosts.api];
    case "disk": {
      const db = hosts.database ? DB_WHY[hosts.database] : "the stack has no database";
      if (hosts.api !== "fly") return db;
      // Fly.io does report volume use, but paved's machines mount none: the data is the database's.
      return hosts.database ? `the API's Fly.io machines mount no volume; for the database, ${db}` : "the API's Fly.io machines mount no volume, and the stack has no database";
    }
    case "db-connections":
      if (hosts.dbConnectionsOff) return "paved:monitors.grafana.dbConnections is false";
      if (hosts.database === "neon") {
        return hosts.production ? `${DB_WHY.neon}; set paved:monitors.grafana.dbConnections to alert on them through Grafana`
          : `${DB_WHY.neon}; outside production paved:monitors.grafana.dbConnections turns Grafana's alert on (its query every minute keeps a scale-to-zero compute awake)`;
      }
      return hosts.database ? DB_WHY[hosts.database] : "the stack has no database";
    case "db-cpu": return hosts.database ? DB_WHY[hosts.database] : "the stack has no database";
    case "logs": return "paved plans no log drain";
    case "deploys": return "paved:monitors.deploys is not set (the deploy job posts each deploy's outcome to the tier's Slack webhooks when it is)";
    default: return "Dependabot alerts come from the repository's security settings (paved:github), not from an alert paved routes";
  }
}

/** The guide's rows that none of the planned alerts covers. */
export function uncoveredRows(guide: Guide, rules: AlertRule[], hosts: Hosts): UncoveredRow[] {
  const covered = new Set(rules.map((r) => r.kind));
  return GUIDE_SPECS[guide].rows.filter((r) => !covered.has(r.kind)).map((r) => ({ row: r.row, why: why(r.kind, hosts) }));
}

/** Staging keeps the guide's alerts but never pages at P1; previews alert at P3. */
export function tierFor(kind: "production" | "staging" | "preview", tier: Tier): Tier {
  if (kind === "preview") return "P3";
  return kind === "staging" && tier === "P1" ? "P2" : tier;
}

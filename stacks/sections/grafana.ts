/**
 * `paved:monitors.grafana`: memory and CPU alerts on the API's Fly.io machines, which Grafana
 * evaluates over Fly.io's managed Prometheus, and a client-connections alert on a Neon database,
 * which Grafana queries itself. Thresholds come from the stack's monitoring table, as Sentry's do.
 */
import { z } from "zod";
import { type DbConnectionsAlert, type Tier, TIERS } from "../../components/alerting";
import type { DatabaseConfig, Kind, MonitorsConfig } from "../../components/environment-config";
import { envName, expected, int, text } from "../fields";
import { quote } from "../redact";
import type { MonitorsContext } from "./alert-rules";
import { type AlertTable, checklistDbConnections, tierFor } from "./alert-table";

const tier = z.enum(TIERS, expected(`one of ${TIERS.join(", ")}`));
const PERCENT = "a percentage above 0 and at most 100";
const resource = z.union([z.literal(false), z.strictObject({
  percent: z.number(expected(PERCENT)).gt(0, expected(PERCENT)).max(100, expected(PERCENT)).optional(),
  forMinutes: int("minutes", 1, 1440).optional(),
  tier: tier.optional(),
}, expected("false or { percent, forMinutes, tier }"))], expected("false or { percent, forMinutes, tier }"));
const CONNECTIONS = "false or { max, percent, forMinutes, tier }";
const dbConnections = z.union([z.literal(false), z.strictObject({
  max: int("connections", 1, 100000).optional(),
  percent: z.number(expected(PERCENT)).gt(0, expected(PERCENT)).max(100, expected(PERCENT)).optional(),
  forMinutes: int("minutes", 1, 1440).optional(),
  tier: tier.optional(),
}, expected(CONNECTIONS))], expected(CONNECTIONS));

export const grafana = z.strictObject({
  metricsTokenSecret: envName.optional(),
  folder: text("a Grafana folder title").optional(),
  memory: resource.optional(),
  cpu: resource.optional(),
  dbConnections: dbConnections.optional(),
}, expected("an object with metricsTokenSecret (and optionally folder, memory, cpu, dbConnections)"));

type GrafanaSection = z.infer<typeof grafana>;
const FLY_WHY = "the memory and cpu alerts query Fly.io's managed Prometheus";

export function resolveGrafana(
  g: GrafanaSection, t: AlertTable, kind: Exclude<Kind, "local">, ctx: MonitorsContext, problems: string[],
): MonitorsConfig["grafana"] {
  const fly = ctx.api?.host === "fly" ? ctx.api.fly : undefined;
  const tiered = <T extends { tier: Tier }>(base: T, over?: Partial<T> | false): T | undefined =>
    over === false ? undefined : { ...base, ...over, tier: over?.tier ?? tierFor(kind, base.tier) };
  const db = resolveDbConnections(g, t, kind, ctx.database, problems);
  const memory = fly ? tiered(t.memory, g.memory) : undefined, cpu = fly ? tiered(t.cpu, g.cpu) : undefined;
  if (!fly && !db) {
    const got = ctx.api ? `set with paved:api.host ${quote("paved:api.host", ctx.api.host)}` : "set without paved:api";
    problems.push(`paved:monitors.grafana: ${got}; expected ${ctx.api ? "paved:api.host fly" : "an API on Fly.io"} (${FLY_WHY}), dbConnections on a Neon database, or no grafana section`);
  }
  if (!fly && db) {
    for (const key of ["memory", "cpu"] as const) {
      if (g[key]) problems.push(`paved:monitors.grafana.${key}: set ${ctx.api ? `with paved:api.host ${quote("paved:api.host", ctx.api.host)}` : "without paved:api"}; expected an API on Fly.io (${FLY_WHY}), or no ${key} key`);
    }
  }
  if (fly && g.memory === false && g.cpu === false && !db) {
    problems.push("paved:monitors.grafana: memory and cpu are both false; expected at least one alert, or no grafana section");
  }
  if (memory || cpu) {
    if (g.metricsTokenSecret === undefined) {
      problems.push("paved:monitors.grafana.metricsTokenSecret: missing; expected an environment variable name in UPPER_SNAKE_CASE (a Fly.io token that reads the organization's metrics, for the memory and cpu alerts)");
    } else if (!(g.metricsTokenSecret in ctx.secrets.provided)) {
      problems.push(`paved:monitors.grafana.metricsTokenSecret: got ${quote("paved:monitors.grafana.metricsTokenSecret", g.metricsTokenSecret)}; expected a secret named in paved:secrets.fromConfig (a Fly.io token that reads the organization's metrics)`);
    }
  }
  if (!fly && !db) return undefined;
  return {
    ...(memory || cpu ? { flyOrg: fly!.org, flyApp: fly!.appName, metricsTokenSecret: g.metricsTokenSecret } : {}),
    folder: g.folder, memory, cpu, dbConnections: db,
  };
}

/**
 * The connections alert: the table's row (any kind of stack: the team asked) or the checklist's
 * (production only) on a Neon database, or the section's own. Grafana connects from the internet,
 * so a database on a private network cannot have one.
 */
function resolveDbConnections(
  g: GrafanaSection, t: AlertTable, kind: Exclude<Kind, "local">, database: DatabaseConfig | undefined, problems: string[],
): DbConnectionsAlert | undefined {
  const over = g.dbConnections;
  // Grafana's query every minute keeps a scale-to-zero Neon compute awake: the checklist's default applies to production
  // only, where the compute runs anyway; another kind gets the alert when its stack file asks.
  const base = t.dbConnections ?? checklistDbConnections(kind, over !== undefined);
  if (over === false || (over === undefined && (!base || database?.provider !== "neon"))) return undefined;
  const key = "paved:monitors.grafana.dbConnections";
  const unreachable = !database ? "set without paved:database; expected a Neon database for Grafana to query, or dbConnections false"
    : database.provider === "docker" ? 'set with paved:database.provider "docker"; expected a database Grafana can reach (a Neon database): a Docker Postgres is on the server\'s private network only, or dbConnections false'
      : database.provider === "render" ? `set with paved:database.provider "render"${database.render?.allowCidrs.length ? "" : " and no render.allowCidrs"}; expected a database Grafana can reach (a Neon database): paved holds only the Render Postgres's internal connection string, on Render's private network, or dbConnections false`
        : undefined;
  if (unreachable) {
    problems.push(`${key}: ${unreachable}`);
    return undefined;
  }
  if (over?.max !== undefined && over.percent !== undefined) {
    problems.push(`${key}: got max ${over.max} and percent ${over.percent}; expected exactly one of max or percent`);
    return undefined;
  }
  // A threshold given replaces the table's, whichever of the two the table names.
  const threshold = over?.max !== undefined ? { max: over.max } : over?.percent !== undefined ? { percent: over.percent }
    : base!.max !== undefined ? { max: base!.max } : { percent: base!.percent! };
  return { ...threshold, forMinutes: over?.forMinutes ?? base!.forMinutes, tier: over?.tier ?? tierFor(kind, base!.tier) };
}

/** Grafana pages through its own Events API v2 key on a PagerDuty service paved manages (alerts.pagerduty). */
export function checkGrafana(config: MonitorsConfig, problems: string[]): void {
  const g = config.grafana!;
  const tiers = new Set([g.memory, g.cpu, g.dbConnections].filter((a) => a).map((a) => a!.tier));
  const paging = [...tiers].filter((t) => config.routes[t].includes("pagerduty")).sort();
  if (paging.length && !config.alerts.pagerduty) {
    problems.push(`paved:monitors.alerts.pagerduty: missing; expected it for Grafana's ${paging.join(" and ")} alerts (Grafana pages through an Events API v2 key of a service paved manages; alerts.pagerdutyIntegrationId reaches Cloudflare health checks only)`);
  }
}

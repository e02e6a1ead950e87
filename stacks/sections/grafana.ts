/**
 * `paved:monitors.grafana`: memory and CPU alerts on the API's Fly.io machines, which Grafana
 * evaluates over Fly.io's managed Prometheus. Thresholds come from the guide, as Sentry's do.
 */
import { z } from "zod";
import { type Tier, TIERS } from "../../components/alerting";
import type { Kind, MonitorsConfig } from "../../components/environment-config";
import { envName, expected, int, text } from "../fields";
import type { MonitorsContext } from "./alert-rules";
import { GUIDE_SPECS, type Guide, tierFor } from "./guides";

const tier = z.enum(TIERS, expected(`one of ${TIERS.join(", ")}`));
const PERCENT = "a percentage above 0 and at most 100";
const resource = z.union([z.literal(false), z.strictObject({
  percent: z.number(expected(PERCENT)).gt(0, expected(PERCENT)).max(100, expected(PERCENT)).optional(),
  forMinutes: int("minutes", 1, 1440).optional(),
  tier: tier.optional(),
}, expected("false or { percent, forMinutes, tier }"))], expected("false or { percent, forMinutes, tier }"));

export const grafana = z.strictObject({
  metricsTokenSecret: envName,
  folder: text("a Grafana folder title").optional(),
  memory: resource.optional(),
  cpu: resource.optional(),
}, expected("an object with metricsTokenSecret (and optionally folder, memory, cpu)"));

type GrafanaSection = z.infer<typeof grafana>;

export function resolveGrafana(
  g: GrafanaSection, guide: Guide, kind: Exclude<Kind, "local">, ctx: MonitorsContext, problems: string[],
): MonitorsConfig["grafana"] {
  const fly = ctx.api?.host === "fly" ? ctx.api.fly : undefined;
  if (!ctx.api) {
    problems.push("paved:monitors.grafana: set without paved:api; expected an API on Fly.io (the alerts query Fly.io's managed Prometheus), or no grafana section");
  } else if (!fly) {
    problems.push(`paved:monitors.grafana: set with paved:api.host "${ctx.api.host}"; expected paved:api.host fly (the alerts query Fly.io's managed Prometheus), or no grafana section`);
  }
  if (!(g.metricsTokenSecret in ctx.secrets.provided)) {
    problems.push(`paved:monitors.grafana.metricsTokenSecret: got "${g.metricsTokenSecret}"; expected a secret named in paved:secrets.fromConfig (a Fly.io token that reads the organization's metrics)`);
  }
  if (g.memory === false && g.cpu === false) {
    problems.push("paved:monitors.grafana: memory and cpu are both false; expected at least one alert, or no grafana section");
  }
  if (!fly) return undefined;
  const spec = GUIDE_SPECS[guide];
  const tiered = <T extends { tier: Tier }>(base: T, over?: Partial<T> | false): T | undefined =>
    over === false ? undefined : { ...base, ...over, tier: over?.tier ?? tierFor(kind, base.tier) };
  return {
    flyOrg: fly.org, flyApp: fly.appName, metricsTokenSecret: g.metricsTokenSecret, folder: g.folder,
    memory: tiered(spec.memory, g.memory), cpu: tiered(spec.cpu, g.cpu),
  };
}

/** Grafana pages through its own Events API v2 key on a PagerDuty service paved manages (alerts.pagerduty). */
export function checkGrafana(config: MonitorsConfig, problems: string[]): void {
  const g = config.grafana!;
  const tiers = new Set([g.memory, g.cpu].filter((a) => a).map((a) => a!.tier));
  const paging = [...tiers].filter((t) => config.routes[t].includes("pagerduty")).sort();
  if (paging.length && !config.alerts.pagerduty) {
    problems.push(`paved:monitors.alerts.pagerduty: missing; expected it for Grafana's ${paging.join(" and ")} alerts (Grafana pages through an Events API v2 key of a service paved manages; alerts.pagerdutyIntegrationId reaches Cloudflare health checks only)`);
  }
}

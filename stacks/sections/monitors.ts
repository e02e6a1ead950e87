/**
 * `paved:monitors`: where health-check alerts go. Destinations are configured once under
 * `alerts`; `routes` says which tier reaches which destination; `tiers` which tier each
 * endpoint is. The kind picks defaults for both.
 */
import { z } from "zod";
import { type Destination, DESTINATIONS, type Tier, TIERS } from "../../components/monitors";
import type { Kind, MonitorsConfig, SecretsConfig } from "../../components/environment-config";
import type { CdnSection } from "./cdn";
import { envName, expected, int } from "../fields";

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const destination = z.enum(DESTINATIONS, expected(`one of ${DESTINATIONS.join(", ")}`));
const route = z.array(destination, expected(`a list of destinations (${DESTINATIONS.join(", ")})`));
const tier = z.enum(TIERS, expected(`one of ${TIERS.join(", ")}`));

export const monitors = z.strictObject({
  alerts: z.strictObject({
    email: z.array(z.string(expected("an email address")).regex(EMAIL, expected("an email address")), expected("a list of email addresses")).optional(),
    pagerdutyIntegrationId: z.string(expected("the 32-character hex id of a PagerDuty service connected to the Cloudflare account"))
      .regex(/^[0-9a-f]{32}$/, expected("the 32-character hex id of a PagerDuty service connected to the Cloudflare account")).optional(),
    slackWebhookSecret: envName.optional(),
  }, expected("an object with email, pagerdutyIntegrationId and/or slackWebhookSecret")),
  routes: z.strictObject({ P1: route.optional(), P2: route.optional(), P3: route.optional() },
    expected("an object of P1, P2, P3 -> destinations")).optional(),
  tiers: z.strictObject({ api: tier.optional(), web: tier.optional() }, expected("an object with api and web tiers")).optional(),
  consecutiveFails: int("failed probes (one a minute)", 1, 10).optional(),
}, expected("a map of monitor settings (alerts, routes, tiers)"));


/** P1 pages and emails, P2 emails, P3 goes to Slack; a default route drops destinations not configured. */
export const DEFAULT_ROUTES: Record<Tier, Destination[]> = { P1: ["pagerduty", "email"], P2: ["email"], P3: ["slack"] };

/** Per environment kind: the tier of each endpoint (the web takes the API's tier when there is no API). */
export const MONITOR_KIND_DEFAULTS: Record<Exclude<Kind, "local">, { tiers: { api: Tier; web: Tier } }> = {
  production: { tiers: { api: "P1", web: "P2" } },
  staging: { tiers: { api: "P2", web: "P3" } },
  preview: { tiers: { api: "P3", web: "P3" } },
};

/** What this section reads of the stack file. */
export interface MonitorsFile {
  monitors?: z.infer<typeof monitors>;
  cdn?: CdnSection;
}

export function resolveMonitors(
  file: MonitorsFile, kind: Kind, secrets: SecretsConfig, problems: string[], given: (key: "cdn" | "monitors") => boolean,
): MonitorsConfig | undefined {
  const m = file.monitors;
  if (!m) {
    if (kind === "production" && given("cdn") && !given("monitors")) {
      problems.push("paved:monitors: missing; expected alert routes for production stacks (alerts.email, alerts.pagerdutyIntegrationId or alerts.slackWebhookSecret)");
    }
    return undefined;
  }
  if (kind === "local") {
    problems.push("paved:monitors: not available for local stacks (no public endpoints); expected no monitors section");
    return undefined;
  }
  if (!given("cdn")) problems.push("paved:monitors: set without paved:cdn; expected a cdn section (health checks live in its zone, alerts in its account)");
  const slack = m.alerts.slackWebhookSecret;
  if (slack && !(slack in secrets.provided)) {
    problems.push(`paved:monitors.alerts.slackWebhookSecret: got "${slack}"; expected a secret named in paved:secrets.fromConfig`);
  }
  const configured: Record<Destination, boolean> = { email: !!m.alerts.email?.length, pagerduty: !!m.alerts.pagerdutyIntegrationId, slack: !!slack };
  const routes = {} as Record<Tier, Destination[]>;
  for (const t of TIERS) {
    const given = m.routes?.[t];
    given?.forEach((d, i) => {
      if (!configured[d]) problems.push(`paved:monitors.routes.${t}[${i}]: got "${d}"; expected a destination configured in paved:monitors.alerts`);
    });
    routes[t] = given ?? DEFAULT_ROUTES[t].filter((d) => configured[d]);
  }
  if (kind === "production" && routes.P1.length === 0) {
    problems.push("paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)");
  }
  return {
    zoneId: file.cdn?.zoneId ?? "", accountId: file.cdn?.accountId ?? "",
    alerts: { emails: m.alerts.email ?? [], pagerdutyIntegrationId: m.alerts.pagerdutyIntegrationId, slackWebhookSecret: slack },
    routes,
    tiers: { ...MONITOR_KIND_DEFAULTS[kind].tiers, ...m.tiers },
    consecutiveFails: m.consecutiveFails ?? 5,
  };
}

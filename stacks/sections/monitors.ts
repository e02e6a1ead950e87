/**
 * `paved:monitors`: what watches the environment and whom it tells. Destinations are
 * configured once under `alerts`; `routes` says which tier reaches which destination; `table`
 * is the team's monitoring table, whose rows give uptime checks, Sentry and Grafana their
 * thresholds and tiers (the checklist's without one).
 */
import { z } from "zod";
import { ALERT_SENDER, type Destination, isSlack, PAGED_TIERS, type PagedTier, slackName, type Tier, TIERS } from "../../components/alerting";
import type { Kind, MonitorsConfig, SecretsConfig } from "../../components/environment-config";
import { SENTRY_WINDOWS } from "../../components/error-tracking";
import { DOWN_MINUTES, FAILED_RUNS_MAX } from "../../components/uptime";
import type { CdnSection } from "./cdn";
import { envName, expected, int, text } from "../fields";
import { quote } from "../redact";
import { alertRules, type MonitorsContext, unservedApi } from "./alert-rules";
import { checkGrafana, grafana, resolveGrafana } from "./grafana";
import { type AlertTable, reportRows, resolveTable, table, tierFor } from "./alert-table";

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const DESTINATION = /^(pagerduty|email|slack|slack:[a-z0-9-]+)$/;
const destination = z.string(expected("pagerduty, email, slack or slack:<name>")).regex(DESTINATION, expected("pagerduty, email, slack or slack:<name>"));
const route = z.array(destination, expected("a list of destinations (pagerduty, email, slack, slack:<name>)"));
const tier = z.enum(TIERS, expected(`one of ${TIERS.join(", ")}`));
const pdId = z.string(expected("a 7-character PagerDuty id such as PABC123")).regex(/^[A-Z0-9]{7}$/, expected("a 7-character PagerDuty id such as PABC123"));
const window = z.union(SENTRY_WINDOWS.map((m) => z.literal(m)), expected(`minutes: one of ${SENTRY_WINDOWS.join(", ")}`));
const TEAM_ID = "the numeric id of the Sentry team";
const sentryId = z.number(expected("a Sentry integration id (a whole number)")).int(expected("a Sentry integration id (a whole number)")).positive(expected("a Sentry integration id (a whole number)"));

export const monitors = z.strictObject({
  // Refused with its own message: the table replaced the five named presets.
  guide: z.unknown().optional(),
  table: table.optional(),
  uptime: z.strictObject({
    provider: z.enum(["checkly", "cloudflare"], expected("checkly or cloudflare")).optional(),
    locations: z.array(text("a Checkly location such as eu-central-1"), expected("a list of Checkly locations")).optional(),
    downMinutes: z.union(DOWN_MINUTES.map((m) => z.literal(m)), expected(`minutes: one of ${DOWN_MINUTES.join(", ")}`)).optional(),
    failedRuns: int("failed runs in a row (one a minute)", 1, FAILED_RUNS_MAX).optional(),
    retry: z.boolean(expected("true or false")).optional(),
  }, expected("an object with provider, locations, downMinutes or failedRuns, and retry")).optional(),
  alerts: z.strictObject({
    email: z.array(z.string(expected("an email address")).regex(EMAIL, expected("an email address")), expected("a list of email addresses")).optional(),
    pagerdutyIntegrationId: z.string(expected("the 32-character hex id of a PagerDuty service connected to the Cloudflare account"))
      .regex(/^[0-9a-f]{32}$/, expected("the 32-character hex id of a PagerDuty service connected to the Cloudflare account")).optional(),
    slackWebhookSecret: envName.optional(),
    slack: z.record(z.string().regex(/^[a-z0-9-]+$/, expected("a destination name in lowercase-kebab-case")), z.strictObject({
      channel: z.string(expected("a Slack channel such as #alerts")).regex(/^#[a-z0-9_-]+$/, expected("a Slack channel such as #alerts")),
      webhookSecret: envName,
    }, expected("an object with channel and webhookSecret")), expected("a map of destination name to { channel, webhookSecret }")).optional(),
    pagerduty: z.strictObject({
      services: z.strictObject({ P1: pdId.optional(), P2: pdId.optional() }, expected("an object of P1, P2 -> existing service id")).optional(),
      escalateTo: z.strictObject({ users: z.array(pdId).optional(), schedules: z.array(pdId).optional() },
        expected("an object with users and/or schedules (PagerDuty ids)")).optional(),
    }, expected("an object with services and/or escalateTo")).optional(),
  }, expected("an object with email, pagerduty, slack, slackWebhookSecret and/or pagerdutyIntegrationId")),
  sentry: z.strictObject({
    organization: text("a Sentry organization slug"),
    team: text("a Sentry team slug"),
    // YAML reads an unquoted id as a number: either spelling is the same id.
    teamId: z.union([z.number().int(expected(TEAM_ID)).positive(expected(TEAM_ID)), z.string().regex(/^\d+$/, expected(TEAM_ID))], expected(TEAM_ID))
      .transform(String).optional(),
    projects: z.strictObject({ api: text("a Sentry project slug").optional(), web: text("a Sentry project slug").optional() },
      expected("an object of api, web -> existing project slug")).optional(),
    platform: text("a Sentry platform such as rust or node").optional(),
    integrations: z.strictObject({
      pagerduty: z.strictObject({ id: sentryId, services: z.strictObject({ P1: text("Sentry's id of the PagerDuty service").optional(), P2: text("Sentry's id of the PagerDuty service").optional() }) }).optional(),
      slack: sentryId.optional(),
    }, expected("an object with pagerduty and/or slack")).optional(),
    errorRate: z.strictObject({ percent: z.number(expected("a percentage above 0 and at most 100")).gt(0, expected("a percentage above 0 and at most 100")).max(100, expected("a percentage above 0 and at most 100")).optional(), windowMinutes: window.optional(), tier: tier.optional() }).optional(),
    errorCount: z.strictObject({ perMinute: int("errors a minute", 1, 100000), tier: tier.optional() }).optional(),
    latency: z.strictObject({ percentile: z.enum(["p95", "p99"], expected("p95 or p99")).optional(), ms: int("milliseconds", 1, 60000).optional(), windowMinutes: window.optional(), tier: tier.optional() }).optional(),
    newIssues: z.union([z.literal(false), z.strictObject({ tier: tier.optional() })], expected("false or { tier }")).optional(),
  }, expected("a map of Sentry settings (organization, team, ...)")).optional(),
  grafana: grafana.optional(),
  routes: z.strictObject({ P1: route.optional(), P2: route.optional(), P3: route.optional() },
    expected("an object of P1, P2, P3 -> destinations")).optional(),
  tiers: z.strictObject({ api: tier.optional(), web: tier.optional() }, expected("an object with api and web tiers")).optional(),
  consecutiveFails: int("failed probes (one a minute)", 1, 10).optional(),
  deploys: z.union([z.literal(true), z.strictObject({
    tier: tier.optional(),
    failedTier: z.enum(PAGED_TIERS, expected("P1 or P2: the paged tier a failed deploy opens an incident on")).optional(),
  }, expected("true or { tier, failedTier }"))], expected("true or { tier, failedTier }")).optional(),
}, expected("a map of monitor settings (alerts, routes, tiers, table, uptime, sentry, grafana, deploys)"));

type MonitorsSection = z.infer<typeof monitors>;

/** Per environment kind: the tier of each endpoint (the web takes the API's tier when there is no API). */
export const MONITOR_KIND_DEFAULTS: Record<Exclude<Kind, "local">, { tiers: { api: Tier; web: Tier } }> = {
  production: { tiers: { api: "P1", web: "P2" } },
  staging: { tiers: { api: "P2", web: "P3" } },
  preview: { tiers: { api: "P3", web: "P3" } },
};
/** Two continents by default, so one region's outage is not the product's. */
export const DEFAULT_LOCATIONS = ["eu-central-1", "us-east-1"];
/** The channel `alerts.slackWebhookSecret` posts to, as Checkly and Sentry name it. */
export const DEFAULT_SLACK_CHANNEL = "#alerts";

/** What this section reads of the stack file. */
export interface MonitorsFile {
  monitors?: MonitorsSection;
  cdn?: CdnSection;
}

export function resolveMonitors(
  file: MonitorsFile, ctx: MonitorsContext, problems: string[], given: (key: "cdn" | "monitors") => boolean,
): MonitorsConfig | undefined {
  const { kind } = ctx;
  const m = file.monitors;
  if (!m) {
    if (kind === "production" && given("cdn") && !given("monitors")) {
      problems.push("paved:monitors: missing; expected alert routes for production stacks (alerts.email, alerts.pagerduty or alerts.slack)");
    }
    return undefined;
  }
  if (kind === "local") {
    problems.push("paved:monitors: not available for local stacks (no public endpoints); expected no monitors section");
    return undefined;
  }
  if (m.guide !== undefined) {
    problems.push(`paved:monitors.guide: got ${quote("paved:monitors.guide", m.guide)}; expected no guide key: state the stack's monitoring table as paved:monitors.table rows ({ what, row, threshold, window, tier }), or leave it out for the checklist's`);
  }
  const provider = m.uptime?.provider ?? "checkly";
  if (provider === "cloudflare" && !given("cdn")) {
    problems.push('paved:monitors.uptime.provider: got "cloudflare" without paved:cdn; expected a cdn section (health checks live in its zone, alerts in its account) or provider checkly');
  }
  const slack = resolveSlack(m, ctx.secrets, problems);
  const configured = configuredDestinations(m, provider, slack, problems);
  const alertTable = resolveTable(m.table, problems);
  const sentry = m.sentry && resolveSentry(m.sentry, alertTable, kind, ctx);
  const resources = m.grafana && resolveGrafana(m.grafana, alertTable, kind, ctx, problems);
  const tiers = { ...MONITOR_KIND_DEFAULTS[kind].tiers, ...m.tiers };
  const routes = resolveRoutes(m, configured, problems);
  const uptime = resolveUptime(m, provider, alertTable, problems);
  const consecutiveFails = m.consecutiveFails ?? 5;
  const config: MonitorsConfig = {
    uptime, zoneId: file.cdn?.zoneId ?? "", accountId: file.cdn?.accountId ?? "",
    alerts: {
      emails: m.alerts.email ?? [], pagerdutyIntegrationId: m.alerts.pagerdutyIntegrationId, slackWebhookSecret: m.alerts.slackWebhookSecret, slack,
      pagerduty: m.alerts.pagerduty && { services: m.alerts.pagerduty.services ?? {},
        escalateTo: { users: m.alerts.pagerduty.escalateTo?.users ?? [], schedules: m.alerts.pagerduty.escalateTo?.schedules ?? [] } },
    },
    sentry, grafana: resources, routes, tiers, consecutiveFails, rules: [], report: [], tableStated: alertTable.stated,
    deploys: m.deploys && resolveDeploys(m.deploys === true ? {} : m.deploys, routes, slack, ctx, problems),
  };
  // A check's tier follows the kind as every other alert's: staging never pages at P1, previews alert at P3.
  for (const r of alertTable.rows) if (r.check?.tier) r.check.tier = tierFor(kind, r.check.tier);
  config.rules = alertRules(config, ctx, alertTable.rows.flatMap((r) => r.check ?? []));
  checkRouting(config, configured, kind, problems);
  if (sentry) checkSentry(config, problems);
  if (resources) checkGrafana(config, problems);
  const g = m.grafana;
  config.report = reportRows(alertTable, config.rules, {
    api: ctx.api?.host, database: ctx.database?.provider, sentry: !!sentry, grafana: !!resources, kind, deploys: !!config.deploys,
    turnedOff: { memory: g?.memory === false, cpu: g?.cpu === false, dbConnections: g?.dbConnections === false },
    publicHosts: config.rules.filter((r) => r.kind === "uptime").length, noPublicHost: unservedApi(ctx.api),
    logs: ctx.logs && (ctx.logs.sink === "axiom" ? `paved:axiom:Dataset ${ctx.stack}-logs-dataset` : "each host's own logs (paved:logs.sink host)"),
  });
  return config;
}

/** When a check alerts: after minutes failing (Checkly's time-based escalation) or after failed runs in a row (its run-based one). */
function resolveUptime(m: MonitorsSection, provider: "checkly" | "cloudflare", t: AlertTable, problems: string[]): MonitorsConfig["uptime"] {
  const u = m.uptime;
  const uptime = { provider, locations: u?.locations ?? DEFAULT_LOCATIONS, downMinutes: u?.downMinutes ?? 5, failedRuns: u?.failedRuns, retry: u?.retry ?? provider === "checkly" };
  if (provider === "checkly" && new Set(uptime.locations).size < 2) {
    problems.push(`paved:monitors.uptime.locations: got ${quote("paved:monitors.uptime.locations", uptime.locations)}; expected at least two Checkly locations, so one region's outage is not the product's`);
  }
  if (u?.downMinutes !== undefined && u.failedRuns !== undefined) {
    problems.push(`paved:monitors.uptime.failedRuns: got ${u.failedRuns} with downMinutes ${u.downMinutes}; expected one of failedRuns (alert after that many failed runs in a row) or downMinutes (after that long failing)`);
  }
  if (provider === "cloudflare") {
    for (const key of ["failedRuns", "retry"] as const) {
      if (u?.[key] !== undefined) problems.push(`paved:monitors.uptime.${key}: set with uptime.provider cloudflare; expected paved:monitors.consecutiveFails (Cloudflare health checks count failed probes) or provider checkly`);
    }
    t.rows.forEach((r, i) => {
      if (r.check) problems.push(`paved:monitors.table[${i}].check: set with uptime.provider cloudflare; expected uptime.provider checkly (a request with a method, body and expected answer is a Checkly API check)`);
    });
  }
  return uptime;
}

/**
 * Deploy status: the deploy job posts how it ended to the Slack webhooks of its tier (default P3,
 * an "Info" row), which paved stores as a secret of the stack's GitHub environment.
 */
function resolveDeploys(
  d: { tier?: Tier; failedTier?: PagedTier }, routes: Record<Tier, Destination[]>, slack: MonitorsConfig["alerts"]["slack"], ctx: MonitorsContext, problems: string[],
): MonitorsConfig["deploys"] {
  const tier = d.tier ?? "P3";
  if (ctx.kind === "preview") {
    problems.push("paved:monitors.deploys: set in a preview stack; expected it in the staging or production stack file (pull-request stacks deploy from the pull-request workflow)");
    return undefined;
  }
  if (!ctx.github) {
    problems.push("paved:monitors.deploys: set without paved:github; expected a github section (the deploy job reads the webhooks from the stack's GitHub environment)");
    return undefined;
  }
  const other = routes[tier].filter((dest) => !isSlack(dest));
  if (other.length) {
    problems.push(`paved:monitors.deploys: tier ${tier} routes to ${other.join(", ")}; expected only Slack destinations in paved:monitors.routes.${tier} (the deploy job posts to Slack incoming webhooks), or another tier`);
  }
  if (d.failedTier && !routes[d.failedTier].includes("pagerduty")) {
    problems.push(`paved:monitors.deploys.failedTier: got ${d.failedTier}, which routes to ${routes[d.failedTier].join(", ") || "nothing"}; expected a tier routed to pagerduty in paved:monitors.routes (the deploy job opens a PagerDuty incident)`);
  }
  return {
    tier, failedTier: d.failedTier,
    webhookSecrets: routes[tier].filter(isSlack).flatMap((dest) => slack[slackName(dest)]?.webhookSecret ?? []),
  };
}

function resolveSlack(m: MonitorsSection, secrets: SecretsConfig, problems: string[]): MonitorsConfig["alerts"]["slack"] {
  const slack: MonitorsConfig["alerts"]["slack"] = { ...m.alerts.slack };
  if (m.alerts.slackWebhookSecret) slack.default = { channel: DEFAULT_SLACK_CHANNEL, webhookSecret: m.alerts.slackWebhookSecret };
  for (const [name, s] of Object.entries(slack)) {
    if (secrets.declared?.includes(s.webhookSecret)) continue;
    const key = name === "default" && m.alerts.slackWebhookSecret ? "slackWebhookSecret" : `slack.${name}.webhookSecret`;
    problems.push(`paved:monitors.alerts.${key}: got ${quote(`paved:monitors.alerts.${key}`, s.webhookSecret)}; expected a secret named in paved:secrets.fromConfig`);
  }
  return slack;
}

/** Each destination the stack configures, as routes name it. */
function configuredDestinations(m: MonitorsSection, provider: string, slack: Record<string, unknown>, problems: string[]): Set<Destination> {
  const set = new Set<Destination>();
  if (m.alerts.email?.length) set.add("email");
  if (provider === "cloudflare" ? m.alerts.pagerdutyIntegrationId : m.alerts.pagerduty) set.add("pagerduty");
  if (provider !== "cloudflare" && m.alerts.pagerdutyIntegrationId) {
    problems.push("paved:monitors.alerts.pagerdutyIntegrationId: set with Checkly uptime; expected alerts.pagerduty (the id connects PagerDuty to Cloudflare health checks only)");
  }
  for (const name of Object.keys(slack)) set.add(name === "default" ? "slack" : `slack:${name}`);
  if (provider === "cloudflare" && m.alerts.slack) {
    problems.push("paved:monitors.alerts.slack: set with Cloudflare uptime; expected alerts.slackWebhookSecret (Cloudflare health checks post to one Slack webhook) or uptime.provider checkly");
  }
  return set;
}

/** P1 pages and emails; P2 emails (or pages at low urgency); P3 goes to every Slack destination (or email). */
function resolveRoutes(m: MonitorsSection, configured: Set<Destination>, problems: string[]): Record<Tier, Destination[]> {
  const slacks = [...configured].filter(isSlack);
  const pick = (...options: Destination[][]) => options.map((o) => o.filter((d) => configured.has(d))).find((o) => o.length) ?? [];
  const defaults: Record<Tier, Destination[]> = {
    P1: pick(["pagerduty", "email"]), P2: pick(["email"], ["pagerduty"]), P3: pick(slacks, ["email"]),
  };
  const routes = {} as Record<Tier, Destination[]>;
  for (const t of TIERS) {
    const list = m.routes?.[t] as Destination[] | undefined;
    list?.forEach((d, i) => {
      if (!configured.has(d)) problems.push(`paved:monitors.routes.${t}[${i}]: got ${quote(`paved:monitors.routes.${t}[${i}]`, d)}; expected a destination configured in paved:monitors.alerts`);
      else if (d === "pagerduty" && t === "P3") problems.push(`paved:monitors.routes.P3[${i}]: got "pagerduty"; expected Slack or email (P3 never pages)`);
    });
    routes[t] = list ?? defaults[t];
  }
  return routes;
}

/** Every tier that fires has a destination, and every destination is used. */
function checkRouting(config: MonitorsConfig, configured: Set<Destination>, kind: Kind, problems: string[]): void {
  const firing = new Set(config.rules.map((r) => r.tier));
  if (kind === "production" && config.routes.P1.length === 0) {
    problems.push("paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)");
    firing.delete("P1");
  }
  for (const t of TIERS) {
    if (firing.has(t) && config.routes[t].length === 0) {
      const what = config.rules.filter((r) => r.tier === t).map((r) => `${r.service} ${r.kind}`).join(", ");
      problems.push(`paved:monitors.routes.${t}: got no destination; expected one for the ${t} alerts (${what})`);
    }
  }
  // A destination looks unused when a broken section hides the alerts that use it: judge it on valid config only.
  if (problems.length) return;
  const used = new Set(TIERS.filter((t) => firing.has(t)).flatMap((t) => config.routes[t]));
  for (const d of configured) {
    if (used.has(d)) continue;
    const key = d === "email" ? "email" : d === "pagerduty" ? (config.uptime.provider === "cloudflare" ? "pagerdutyIntegrationId" : "pagerduty")
      : d === "slack" ? "slackWebhookSecret" : `slack.${d.slice("slack:".length)}`;
    problems.push(`paved:monitors.alerts.${key}: no alert is routed to ${d}; expected it in the route of a tier that fires (${[...firing].sort().join(", ") || "none"}) or removed`);
  }
}

function resolveSentry(
  s: NonNullable<MonitorsSection["sentry"]>, t: AlertTable, kind: Exclude<Kind, "local">, ctx: MonitorsContext,
): MonitorsConfig["sentry"] {
  const tiered = <T extends { tier: Tier }>(base: T, over?: Partial<T>): T => {
    const merged = { ...base, ...over };
    return { ...merged, tier: over?.tier ?? tierFor(kind, base.tier) };
  };
  const count = s.errorCount ?? t.errorCount;
  return {
    organization: s.organization, team: s.team, teamId: s.teamId, platform: s.platform ?? "other",
    projects: Object.fromEntries((["api", "web"] as const).filter((role) => ctx[role]).map((role) => [role, s.projects?.[role]
      ? { slug: s.projects[role], existing: true } : { slug: `${ctx.product}-${role}-${ctx.stack}`, existing: false }])),
    pagerduty: s.integrations?.pagerduty && { integrationId: s.integrations.pagerduty.id, services: s.integrations.pagerduty.services },
    slackIntegrationId: s.integrations?.slack,
    errorRate: tiered(t.errorRate, s.errorRate), latency: tiered(t.latency, s.latency),
    errorCount: count && tiered(t.errorCount ?? { perMinute: count.perMinute, tier: "P2" }, s.errorCount),
    newIssues: s.newIssues === false || (kind !== "production" && !s.newIssues) ? undefined : { tier: s.newIssues?.tier ?? "P3" },
  };
}

/** Sentry reaches each destination through its own integrations: each one a Sentry alert's tier routes to must be configured. */
function checkSentry(config: MonitorsConfig, problems: string[]): void {
  const s = config.sentry!;
  // One line per missing key, naming every tier that reaches a destination through it.
  const missing = new Map<string, { what: string; routes: Map<Tier, Destination[]> }>();
  const need = (key: string, what: string, t: Tier, d: Destination) => {
    const entry = missing.get(key) ?? { what, routes: new Map<Tier, Destination[]>() };
    entry.routes.set(t, [...(entry.routes.get(t) ?? []), d]);
    missing.set(key, entry);
  };
  // The tiers of the Sentry alerts planned: a latency setting without an API plans none.
  const tiers = new Set(config.rules.filter((r) => ALERT_SENDER[r.kind] === "sentry").map((r) => r.tier));
  for (const t of TIERS) {
    if (!tiers.has(t)) continue;
    for (const d of new Set(config.routes[t])) {
      if (d === "pagerduty" && !s.pagerduty?.services[t as (typeof PAGED_TIERS)[number]]) {
        need(`integrations.pagerduty.services.${t}`, `the id Sentry's PagerDuty integration gives the ${t} service`, t, d);
      } else if (d === "email" && !s.teamId) {
        need("teamId", "the numeric id of the Sentry team to email", t, d);
      } else if (isSlack(d) && s.slackIntegrationId === undefined) {
        need("integrations.slack", "the id of Sentry's Slack integration", t, d);
      }
    }
  }
  for (const [key, { what, routes }] of missing) problems.push(`paved:monitors.sentry.${key}: missing; expected ${what} (${reaching(routes)})`);
}

/** `Sentry's P2 alerts go to slack:alerts, P3 alerts to slack:deploys`: tiers reaching the same destinations are named together. */
function reaching(routes: Map<Tier, Destination[]>): string {
  const tiersByTarget = new Map<string, Tier[]>();
  for (const [t, ds] of routes) {
    const target = ds.join(" and ");
    tiersByTarget.set(target, [...(tiersByTarget.get(target) ?? []), t]);
  }
  return [...tiersByTarget].map(([target, tiers], i) => {
    const verb = target === "pagerduty" ? "page" : `${i === 0 ? "go " : ""}to ${target}`;
    return `${i === 0 ? "Sentry's " : ""}${and(tiers)} alerts ${verb}`;
  }).join(", ");
}

const and = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`);

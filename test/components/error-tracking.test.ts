import { describe, expect, it } from "vitest";
import type { ErrorTrackingArgs } from "../../components/error-tracking";
import { capture, resolve } from "../harness";

const ARGS: ErrorTrackingArgs = {
  organization: "flightpro", team: "flightpro", environment: "production",
  services: [{ role: "api", platform: "node", slug: "flightpro-api-production" }, { role: "web", platform: "javascript-nextjs", slug: "flightpro-web-production" }],
  errorRate: { percent: 2, windowMinutes: 5, tier: "P1" },
  latency: { percentile: "p95", ms: 1000, windowMinutes: 10, tier: "P2" },
  routes: { P1: ["pagerduty", "email"], P2: ["pagerduty", "slack:alerts"], P3: ["slack:deploys"] },
  actions: {
    pagerduty: { integrationId: 104311, services: { P1: "88312", P2: "88313" } },
    slackIntegrationId: 104312,
    slackChannels: { alerts: "#alerts", deploys: "#deploys" },
    emailTeamId: "4508123",
  },
};
/** The public DSN Sentry would give each key: named after it, so a mix-up shows. */
const dsnOf = (name: string) => `https://${name}@o1.ingest.sentry.io/1`;
const OUTPUTS = (type: string, name: string) => (type === "sentry:index/sentryKey:SentryKey" ? { dsnPublic: dsnOf(name) } : {});

const build = (args: ErrorTrackingArgs = ARGS) => capture(async () => {
  const { ErrorTracking } = await import("../../components/error-tracking");
  return new ErrorTracking("production-errors", args);
}, { preview: false, outputs: OUTPUTS });

const PROJECT = "sentry:index/sentryProject:SentryProject";
const KEY = "sentry:index/sentryKey:SentryKey";
const METRIC = "sentry:index/sentryMetricAlert:SentryMetricAlert";
const ISSUE = "sentry:index/sentryIssueAlert:SentryIssueAlert";

const P1_ACTIONS = [
  { type: "pagerduty", targetType: "specific", integrationId: 104311, targetIdentifier: "88312" },
  { type: "email", targetType: "team", targetIdentifier: "4508123" },
];
const P2_ACTIONS = [
  { type: "pagerduty", targetType: "specific", integrationId: 104311, targetIdentifier: "88313" },
  { type: "slack", targetType: "specific", integrationId: 104312, targetIdentifier: "#alerts" },
];

describe("ErrorTracking", () => {
  it("creates a project and a key per service, all under the component and named after it", async () => {
    const run = await build();
    const component = run.one("paved:monitors:ErrorTracking");
    for (const child of run.resources.filter((r) => r !== component)) {
      expect(child.parent, child.name).toBe(component.urn);
      expect(child.name.startsWith("production-errors-"), child.name).toBe(true);
    }
    expect(run.all(PROJECT).map((p) => [p.name, p.inputs])).toEqual([
      ["production-errors-api", { organization: "flightpro", teams: ["flightpro"], name: "flightpro-api-production", slug: "flightpro-api-production", platform: "node" }],
      ["production-errors-web", { organization: "flightpro", teams: ["flightpro"], name: "flightpro-web-production", slug: "flightpro-web-production", platform: "javascript-nextjs" }],
    ]);
    for (const role of ["api", "web"]) {
      const key = run.one(KEY, `production-errors-${role}-key`);
      expect(key.inputs).toEqual({ organization: "flightpro", project: `flightpro-${role}-production`, name: "paved production" });
      expect(key.propertyDependencies.project).toEqual([run.one(PROJECT, `production-errors-${role}`).urn]);
      // The SDK adds the secret DSN and key; paved adds the public DSN, which can still send events.
      expect([...key.additionalSecretOutputs].sort()).toEqual(["dsnCsp", "dsnPublic", "dsnSecret", "secret"]);
    }
  });

  it("protects and keeps the projects it creates when asked (production: a project holds the error history), and only then", async () => {
    const open = await build();
    for (const p of open.all(PROJECT)) expect(p).toMatchObject({ protect: false, retainOnDelete: false });
    const kept = await build({ ...ARGS, protect: true });
    expect(kept.all(PROJECT).map((p) => [p.name, p.protect, p.retainOnDelete])).toEqual([
      ["production-errors-api", true, true], ["production-errors-web", true, true],
    ]);
    for (const r of kept.resources.filter((r) => r.type !== PROJECT && r.custom)) expect(r.protect, r.name).toBe(false);
  });

  it("hands out each service's own public DSN, as a secret", async () => {
    const run = await build();
    expect(Object.keys(run.value.dsn)).toEqual(["api", "web"]);
    expect(await resolve(run.value.dsn.api)).toEqual({ known: true, secret: true, value: dsnOf("production-errors-api-key") });
    expect(await resolve(run.value.dsn.web)).toEqual({ known: true, secret: true, value: dsnOf("production-errors-web-key") });
  });

  it("adds a key and alerts to an existing project without creating one", async () => {
    const run = await build({ ...ARGS, services: [{ role: "api", platform: "node", slug: "legacy-api", existing: true }] });
    expect(run.all(PROJECT)).toEqual([]);
    const key = run.one(KEY);
    expect(key.inputs.project).toBe("legacy-api");
    expect(key.propertyDependencies.project).toEqual([]);
    expect(run.all(METRIC).map((a) => [a.name, a.inputs.project])).toEqual([
      ["production-errors-api-error-rate", "legacy-api"], ["production-errors-api-latency", "legacy-api"],
    ]);
  });

  it("alerts on the error rate as a ratio over its window, at its tier's destinations", async () => {
    const run = await build();
    const api = run.one(METRIC, "production-errors-api-error-rate");
    expect(api.inputs).toEqual({
      organization: "flightpro", project: "flightpro-api-production", environment: "production",
      name: "P1 · api error rate > 2 % for 5 min",
      dataset: "transactions", query: "", aggregate: "failure_rate()", timeWindow: 5, thresholdType: 0,
      triggers: [{ label: "critical", thresholdType: 0, alertThreshold: 0.02, actions: P1_ACTIONS }],
    });
    expect(api.propertyDependencies.project).toEqual([run.one(PROJECT, "production-errors-api").urn]);
    expect(run.one(METRIC, "production-errors-web-error-rate").inputs).toMatchObject({
      project: "flightpro-web-production", name: "P1 · web error rate > 2 % for 5 min", triggers: [{ alertThreshold: 0.02, actions: P1_ACTIONS }],
    });
  });

  it("alerts on latency for the API only, paging the P2 service and posting to Slack through the integration", async () => {
    const run = await build();
    expect(run.all(METRIC).map((a) => a.name).sort()).toEqual([
      "production-errors-api-error-rate", "production-errors-api-latency", "production-errors-web-error-rate",
    ]);
    expect(run.one(METRIC, "production-errors-api-latency").inputs).toMatchObject({
      name: "P2 · api p95 > 1000 ms for 10 min", dataset: "transactions", query: "", aggregate: "p95(transaction.duration)", timeWindow: 10,
      triggers: [{ label: "critical", thresholdType: 0, alertThreshold: 1000, actions: P2_ACTIONS }],
    });
  });

  it("without an API service plans no latency alert, so the latency tier needs no route", async () => {
    const run = await build({ ...ARGS, services: [ARGS.services[1]], routes: { ...ARGS.routes, P2: [] } });
    expect(run.all(METRIC).map((a) => a.name)).toEqual(["production-errors-web-error-rate"]);
  });

  it("counts errors a minute when asked, at the count's tier", async () => {
    const run = await build({ ...ARGS, errorRate: undefined, latency: undefined, errorCount: { perMinute: 10, tier: "P3" } });
    expect(run.all(METRIC).map((a) => [a.name, a.inputs.name])).toEqual([
      ["production-errors-api-error-count", "P3 · api errors > 10/min"], ["production-errors-web-error-count", "P3 · web errors > 10/min"],
    ]);
    expect(run.one(METRIC, "production-errors-api-error-count").inputs).toMatchObject({
      dataset: "events", query: "event.type:error", aggregate: "count()", timeWindow: 1,
      triggers: [{ alertThreshold: 10, actions: [{ type: "slack", targetType: "specific", integrationId: 104312, targetIdentifier: "#deploys" }] }],
    });
  });

  it("plans no issue alert unless asked; asked, one per service on its first-seen issues", async () => {
    expect((await build()).all(ISSUE)).toEqual([]);
    const run = await build({ ...ARGS, newIssues: { tier: "P3" } });
    expect(run.all(ISSUE).map((a) => a.name)).toEqual(["production-errors-api-new-issues", "production-errors-web-new-issues"]);
    expect(run.one(ISSUE, "production-errors-web-new-issues").inputs).toEqual({
      organization: "flightpro", project: "flightpro-web-production", environment: "production",
      name: "P3 · web new issue", actionMatch: "any", filterMatch: "all", frequency: 30,
      conditions: [{ id: "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition" }],
      actions: [{ id: "sentry.integrations.slack.notify_action.SlackNotifyServiceAction", workspace: "104312", channel: "#deploys" }],
    });
  });

  it("routes an issue alert to each of its tier's destinations", async () => {
    const run = await build({ ...ARGS, newIssues: { tier: "P1" } });
    expect(run.one(ISSUE, "production-errors-api-new-issues").inputs.actions).toEqual([
      { id: "sentry.integrations.pagerduty.notify_action.PagerDutyNotifyServiceAction", account: "104311", service: "88312" },
      { id: "sentry.mail.actions.NotifyEmailAction", targetType: "Team", targetIdentifier: "4508123" },
    ]);
    const p2 = await build({ ...ARGS, newIssues: { tier: "P2" } });
    expect(p2.one(ISSUE, "production-errors-api-new-issues").inputs.actions).toEqual([
      { id: "sentry.integrations.pagerduty.notify_action.PagerDutyNotifyServiceAction", account: "104311", service: "88313" },
      { id: "sentry.integrations.slack.notify_action.SlackNotifyServiceAction", workspace: "104312", channel: "#alerts" },
    ]);
  });

  const where = 'ErrorTracking "production-errors"';
  it.each<[string, Partial<ErrorTrackingArgs>, string[]]>([
    ["a window Sentry does not offer", { errorRate: { percent: 2, windowMinutes: 7, tier: "P1" } }, [
      `${where}: errorRate.windowMinutes is 7; expected one of 1, 5, 10, 15, 30, 60, 120, 240, 1440`,
    ]],
    ["a tier that fires with no destination", { routes: { ...ARGS.routes, P2: [] } }, [
      `${where}: routes.P2 is empty; expected a destination for Sentry's P2 alerts`,
    ]],
    ["paging a tier Sentry has no service id for", { actions: { ...ARGS.actions, pagerduty: { integrationId: 104311, services: { P1: "88312" } } } }, [
      `${where}: routes.P2 has pagerduty; expected actions to configure pagerduty for P2`,
    ]],
    ["email with no team", { actions: { ...ARGS.actions, emailTeamId: undefined } }, [
      `${where}: routes.P1 has email; expected actions to configure email`,
    ]],
    ["Slack with no Slack integration", { actions: { ...ARGS.actions, slackIntegrationId: undefined } }, [
      `${where}: routes.P2 has slack:alerts; expected actions to configure slack:alerts`,
    ]],
    ["a Slack destination with no channel", { actions: { ...ARGS.actions, slackChannels: {} }, newIssues: { tier: "P3" } }, [
      `${where}: routes.P2 has slack:alerts; expected actions to configure slack:alerts`,
      `${where}: routes.P3 has slack:deploys; expected actions to configure slack:deploys`,
    ]],
  ])("rejects %s before creating anything", async (_label, patch, problems) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toMatchObject({ name: "PavedInputError", problems });
  });
});

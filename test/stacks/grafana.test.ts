/** `paved:monitors.grafana`: its config, its errors, and what it plans beside the rest of the stack. */
import { resolve as resolvePath } from "node:path";
import { describe, expect, it } from "vitest";
import { planStack } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { Secret, UNKNOWN } from "../harness";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const DIGEST = `ghcr.io/planningos/api@sha256:${"0".repeat(64)}`;
const TOKEN = { "paved:FLY_METRICS_TOKEN": "FlyV1 fm2_metrics" };
const BASE = withValue({
  ...PRODUCTION,
  api: { host: "fly", port: 3001, image: { digest: DIGEST }, fly: { org: "planningos" } },
  monitors: {
    alerts: { email: ["oncall@planningos.com"], pagerduty: { escalateTo: { users: ["PXPGF42"] } } },
    grafana: { metricsTokenSecret: "FLY_METRICS_TOKEN" },
  },
}, "secrets.fromConfig", ["FLY_METRICS_TOKEN"]);
/** `base` as the stack file of another kind, in the stack of that name, with no pager (only production pages). */
const asKind = (base: Record<string, unknown>, kind: "staging" | "preview") =>
  withValue(withValue(base, "kind", kind), "monitors.alerts.pagerduty", undefined);
/** `base` paging through Cloudflare's PagerDuty connection only. */
const onCloudflare = (base: Record<string, unknown>) => withValue(withValue(withValue(base, "monitors.uptime", { provider: "cloudflare" }),
  "monitors.alerts.pagerdutyIntegrationId", "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7"), "monitors.alerts.pagerduty", undefined);
const at = (path: string, value: unknown, base = BASE, stack = "production") => source(withValue(base, path, value), { stack, secret: TOKEN });
const config = (src: ConfigSource) => loadEnvironmentConfig(src).monitors!;
/** The rows of a table as the plan reports them: planned, off (and why) or never (and why). */
const statusOf = (m: ReturnType<typeof config>) => Object.fromEntries(m.report.map((r) => [r.row, r.planned ? "planned" : r.off ? `off: ${r.off}` : `never: ${r.never}`]));
/** Plannior's table rows for connections, memory and disk. */
const PLANNIOR_ROWS = [
  { what: "db-connections", row: "DB connections > 20 -> P1", threshold: 20, window: 5, tier: "P1" },
  { what: "memory", row: "memory > 80 %", threshold: "80 %" },
  { what: "disk", row: "disk > 80 %", threshold: "80 %" },
];
const RULES = "grafana:RuleGroup production-grafana-rules";

describe("paved:monitors.grafana config", () => {
  it("takes the checklist's memory and CPU thresholds without a table, and the Fly.io app of the stack", () => {
    const m = config(source(BASE, { secret: TOKEN }));
    expect(m.grafana).toEqual({
      flyOrg: "planningos", flyApp: "planningos-api-production", metricsTokenSecret: "FLY_METRICS_TOKEN", folder: undefined,
      memory: { percent: 80, forMinutes: 5, tier: "P2" }, cpu: { percent: 70, forMinutes: 10, tier: "P2" },
    });
    expect(m.rules.filter((r) => r.kind === "memory" || r.kind === "cpu")).toEqual([
      { kind: "memory", service: "api", watches: "Fly.io app planningos-api-production, each machine (Grafana over Fly.io Prometheus)",
        threshold: "memory used > 80 %", window: "5 min (evaluated every 60 s)", tier: "P2", resource: RULES },
      { kind: "cpu", service: "api", watches: "Fly.io app planningos-api-production, each machine (Grafana over Fly.io Prometheus)",
        threshold: "CPU busy > 70 % (5-min rate)", window: "10 min (evaluated every 60 s)", tier: "P2", resource: RULES },
    ]);
    expect(m.report.find((r) => r.row === "memory > 80 %")).toEqual({ row: "memory > 80 %", kind: "memory", planned: [RULES] });
  });

  it("overrides a threshold, a window or a tier, and turns one alert off", () => {
    const m = config(at("monitors.grafana", { metricsTokenSecret: "FLY_METRICS_TOKEN", folder: "Ops", memory: { percent: 90, tier: "P1" }, cpu: false }));
    expect(m.grafana).toMatchObject({ folder: "Ops", memory: { percent: 90, forMinutes: 5, tier: "P1" }, cpu: undefined });
    expect(m.report).toContainEqual({ row: "CPU > 70 % sustained", kind: "cpu", off: "paved:monitors.grafana.cpu is false" });
  });

  it("follows the table (memory > 90 % for 15 min at P1) and the kind: staging never pages at P1, previews alert at P3", () => {
    expect(config(at("monitors.table", [{ what: "memory", row: "memory > 90 %", threshold: "90 %", window: 15, tier: "P1" }])).grafana?.memory)
      .toEqual({ percent: 90, forMinutes: 15, tier: "P1" });
    const staging = asKind(BASE, "staging");
    expect(config(at("monitors.grafana.memory", { tier: "P1" }, staging, "staging")).grafana?.memory?.tier).toBe("P1");
    expect(config(at("monitors.grafana.cpu", {}, staging, "staging")).grafana?.cpu?.tier).toBe("P2");
    const preview = withValue(asKind(BASE, "preview"), "branch", "feature/x");
    expect(config(source(preview, { stack: "pr-7", secret: TOKEN })).grafana).toMatchObject({ memory: { tier: "P3" }, cpu: { tier: "P3" } });
  });

  const cases: Array<[string, ConfigSource, string[]]> = [
    ["an API on Render, and no database", at("api", { host: "render", image: { digest: DIGEST }, render: { ownerId: "tea-abc123" } }), [
      'paved:monitors.grafana: set with paved:api.host "render"; expected paved:api.host fly (the memory and cpu alerts query Fly.io\'s managed Prometheus), dbConnections on a Neon database, or no grafana section',
    ]],
    ["no API, and no database", at("api", undefined), [
      "paved:monitors.grafana: set without paved:api; expected an API on Fly.io (the memory and cpu alerts query Fly.io's managed Prometheus), dbConnections on a Neon database, or no grafana section",
    ]],
    ["a token that is no declared secret", at("monitors.grafana.metricsTokenSecret", "FLY_TOKEN"), [
      'paved:monitors.grafana.metricsTokenSecret: got a string (not shown: this field names a secret); expected a secret named in paved:secrets.fromConfig (a Fly.io token that reads the organization\'s metrics)',
    ]],
    ["a token name that is no secret name", at("monitors.grafana.metricsTokenSecret", "fly-token"), [
      'paved:monitors.grafana.metricsTokenSecret: got a string (not shown: this field names a secret); expected an environment variable name in UPPER_SNAKE_CASE',
    ]],
    ["no token at all", at("monitors.grafana", {}), [
      "paved:monitors.grafana.metricsTokenSecret: missing; expected an environment variable name in UPPER_SNAKE_CASE (a Fly.io token that reads the organization's metrics, for the memory and cpu alerts)",
    ]],
    ["both alerts off", at("monitors.grafana", { metricsTokenSecret: "FLY_METRICS_TOKEN", memory: false, cpu: false }), [
      "paved:monitors.grafana: memory and cpu are both false; expected at least one alert, or no grafana section",
    ]],
    ["a percentage over 100", at("monitors.grafana.memory", { percent: 180 }), [
      "paved:monitors.grafana.memory.percent: got 180; expected a percentage above 0 and at most 100",
    ]],
    ["a window of no minutes", at("monitors.grafana.cpu", { forMinutes: 0 }), [
      "paved:monitors.grafana.cpu.forMinutes: got 0; expected minutes: a whole number from 1 to 1440",
    ]],
    ["a tier that is none", at("monitors.grafana.cpu", { tier: "P4" }), ['paved:monitors.grafana.cpu.tier: got "P4"; expected one of P1, P2, P3']],
    ["true for an alert", at("monitors.grafana.cpu", true), ["paved:monitors.grafana.cpu: got true; expected false or { percent, forMinutes, tier }"]],
    ["an unknown key", at("monitors.grafana.disk", { percent: 80 }), [
      "paved:monitors.grafana.disk: unknown key; expected one of metricsTokenSecret, folder, memory, cpu, dbConnections",
    ]],
    ["paging with Cloudflare's PagerDuty connection", source(withValue(onCloudflare(BASE), "monitors.grafana.memory", { tier: "P1" }), { secret: TOKEN }), [
      "paved:monitors.alerts.pagerduty: missing; expected it for Grafana's P1 alerts (Grafana pages through an Events API v2 key of a service paved manages; alerts.pagerdutyIntegrationId reaches Cloudflare health checks only)",
    ]],
    ["a tier that fires with no destination", at("monitors.routes", { P2: [] }), [
      "paved:monitors.routes.P2: got no destination; expected one for the P2 alerts (web uptime, api memory, api cpu)",
    ]],
    ["a Grafana credential in plain text", source(BASE, { secret: TOKEN, plain: { "grafana:auth": "glsa_plaintext" } }), [
      "grafana:auth: stored in plain text; expected a secret (pulumi config set --secret grafana:auth)",
    ]],
  ];
  it.each(cases)("rejects %s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });
});

describe("paved:monitors.grafana.dbConnections config", () => {
  const NEON = withValue(BASE, "database", { provider: "neon", neon: { region: "aws-eu-central-1" } });
  const onNeon = (path: string, value: unknown, base = NEON) => at(path, value, base);
  const RENDER_API = { host: "render", image: { digest: DIGEST }, render: { ownerId: "tea-abc123" } };

  it("takes the table's threshold on a Neon database, or the checklist's 80 % of the pool in production", () => {
    const checklist = config(source(NEON, { secret: TOKEN }));
    expect(checklist.grafana?.dbConnections).toEqual({ percent: 80, forMinutes: 5, tier: "P2" });
    expect(checklist.rules.find((r) => r.kind === "db-connections")).toEqual({
      kind: "db-connections", service: "database",
      watches: "Neon database app of planningos-production, client backends in pg_stat_activity (Grafana over PostgreSQL)",
      threshold: "client connections > 80 % of max_connections", window: "5 min (evaluated every 60 s)", tier: "P2", resource: RULES,
    });
    expect(statusOf(checklist)["DB pool > 80 %"]).toBe("planned");
    const plannior = config(onNeon("monitors.table", PLANNIOR_ROWS));
    expect(plannior.grafana?.dbConnections).toEqual({ max: 20, forMinutes: 5, tier: "P1" });
    expect(plannior.rules.find((r) => r.kind === "db-connections")?.threshold).toBe("client connections > 20");
    expect(statusOf(plannior)["DB connections > 20 -> P1"]).toBe("planned");
    // Outside production the checklist's alert is off unless asked (a query a minute keeps a scale-to-zero compute awake);
    // a row of the table asks, and staging never pages at P1.
    const stagingOf = (table?: object[], dbConnections?: object) => config(at("monitors.table", table,
      withValue(asKind(NEON, "staging"), "monitors.grafana.dbConnections", dbConnections), "staging")).grafana?.dbConnections;
    expect(stagingOf()).toBeUndefined();
    expect(stagingOf(undefined, {})).toEqual({ percent: 80, forMinutes: 5, tier: "P2" });
    expect(stagingOf(PLANNIOR_ROWS)).toEqual({ max: 20, forMinutes: 5, tier: "P2" });
  });

  it("plans none where the database is not Neon, unless asked", () => {
    expect(config(at("monitors.table", PLANNIOR_ROWS)).grafana?.dbConnections).toBeUndefined(); // no database
    expect(config(onNeon("monitors.grafana.dbConnections", { max: 40, tier: "P1" })).grafana?.dbConnections).toEqual({ max: 40, forMinutes: 5, tier: "P1" });
  });

  it("replaces the table's threshold with the one given, and turns the alert off", () => {
    expect(config(onNeon("monitors.grafana.dbConnections", { max: 50, forMinutes: 10 })).grafana?.dbConnections).toEqual({ max: 50, forMinutes: 10, tier: "P2" });
    const off = config(onNeon("monitors.grafana.dbConnections", false));
    expect(off.grafana?.dbConnections).toBeUndefined();
    expect(off.report).toContainEqual({ row: "DB pool > 80 %", kind: "db-connections", off: "paved:monitors.grafana.dbConnections is false" });
  });

  it("plans only the connections alert, with no Fly.io token, for an API not on Fly.io (Plannior on Render)", () => {
    const m = config(source(withValue(withValue(withValue(NEON, "api", RENDER_API), "monitors.table", PLANNIOR_ROWS), "monitors.grafana", {}), { secret: TOKEN }));
    expect(m.grafana).toEqual({ folder: undefined, memory: undefined, cpu: undefined, dbConnections: { max: 20, forMinutes: 5, tier: "P1" } });
    expect(m.rules.filter((r) => ["memory", "cpu", "db-connections"].includes(r.kind)).map((r) => r.kind)).toEqual(["db-connections"]);
  });

  const key = "paved:monitors.grafana.dbConnections";
  const cases: Array<[string, ConfigSource, string[]]> = [
    // The guide's threshold alone stays silent off Neon: the section asks for it here.
    ["a Docker Postgres", onNeon("database", { provider: "docker" }, withValue(NEON, "monitors.grafana.dbConnections", {})), [
      `${key}: set with paved:database.provider "docker"; expected a database Grafana can reach (a Neon database): a Docker Postgres is on the server's private network only, or dbConnections false`,
    ]],
    ["a Render Postgres with no allow list", onNeon("database", { provider: "render", render: { ownerId: "tea-abc123", plan: "pro_4gb" } }, withValue(NEON, "monitors.grafana.dbConnections", { percent: 80 })), [
      `${key}: set with paved:database.provider "render" and no render.allowCidrs; expected a database Grafana can reach (a Neon database): paved holds only the Render Postgres's internal connection string, on Render's private network, or dbConnections false`,
    ]],
    ["no database", at("monitors.grafana.dbConnections", { max: 20 }), [`${key}: set without paved:database; expected a Neon database for Grafana to query, or dbConnections false`]],
    ["both max and percent", onNeon("monitors.grafana.dbConnections", { max: 20, percent: 80 }), [`${key}: got max 20 and percent 80; expected exactly one of max or percent`]],
    ["a max of no connections", onNeon("monitors.grafana.dbConnections", { max: 0 }), [`${key}.max: got 0; expected connections: a whole number from 1 to 100000`]],
    ["a percentage over 100", onNeon("monitors.grafana.dbConnections", { percent: 120 }), [`${key}.percent: got 120; expected a percentage above 0 and at most 100`]],
    ["true", onNeon("monitors.grafana.dbConnections", true), [`${key}: got true; expected false or { max, percent, forMinutes, tier }`]],
    ["memory asked of an API on Render", source(withValue(withValue(NEON, "api", RENDER_API), "monitors.grafana", { memory: { percent: 90 } }), { secret: TOKEN }), [
      'paved:monitors.grafana.memory: set with paved:api.host "render"; expected an API on Fly.io (the memory and cpu alerts query Fly.io\'s managed Prometheus), or no memory key',
    ]],
    ["P1 paging with Cloudflare's PagerDuty connection", source(withValue(withValue(onCloudflare(NEON),
      "monitors.grafana.dbConnections", { tier: "P1" }), "monitors.grafana.memory", false), { secret: TOKEN }), [
      "paved:monitors.alerts.pagerduty: missing; expected it for Grafana's P1 alerts (Grafana pages through an Events API v2 key of a service paved manages; alerts.pagerdutyIntegrationId reaches Cloudflare health checks only)",
    ]],
  ];
  it.each(cases)("rejects %s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });
});

describe("the rows not planned say why", () => {
  it("on Fly.io without paved:monitors.grafana, and with no database", () => {
    expect(statusOf(config(at("monitors.grafana", undefined)))).toEqual({
      "health checks on every public endpoint, alert after about 5 min failing": "planned",
      "memory > 80 %": "off: paved:monitors.grafana is not set (Fly.io publishes machine metrics to its managed Prometheus, with no alert rules of its own: Grafana alerts on them)",
      "CPU > 70 % sustained": "off: paved:monitors.grafana is not set (Fly.io publishes machine metrics to its managed Prometheus, with no alert rules of its own: Grafana alerts on them)",
      "p99 latency > 500 ms": "off: paved:monitors.sentry is not set",
      "error rate > 1 %": "off: paved:monitors.sentry is not set",
      "DB pool > 80 %": "never: the stack has no database",
    });
  });

  it("on Render, Railway and Docker, and for each database", () => {
    const base = withValue(BASE, "monitors.grafana", undefined);
    const render = statusOf(config(source(withValue(withValue(base, "api", { host: "render", image: { digest: DIGEST }, render: { ownerId: "tea-abc123" } }),
      "database", { provider: "neon", neon: { region: "aws-eu-central-1" } }), { secret: TOKEN })));
    expect(render["memory > 80 %"]).toBe("never: Render's public API reads service metrics (/metrics/cpu, /metrics/memory) but has no alert rules; its notification settings only pick which deploy and service events notify");
    expect(render["DB pool > 80 %"]).toBe("off: Neon's API has no alert rules (it reports consumption history only); set paved:monitors.grafana to alert on them through Grafana");
    const railway = statusOf(config(source(withValue(base, "api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos" } }), { secret: TOKEN })));
    expect(railway["CPU > 70 % sustained"]).toBe("never: Railway's public API lists observability-dashboard monitors but has no mutation that creates one");
    const plannior = statusOf(config(source(withValue(withValue(base, "monitors.table", PLANNIOR_ROWS), "database", { provider: "neon", neon: { region: "aws-eu-central-1" } }), { secret: TOKEN })));
    expect(plannior["disk > 80 %"]).toBe("never: the API's Fly.io machines mount no volume; for the database, Neon's API has no alert rules (it reports consumption history only)");
  });
});

describe("what paved:monitors.grafana plans in the production stack", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stack file's monitors section, edited in place
  type Section = Record<string, any>;
  /** The production stack file with its monitors section edited, and any further secret (opaque, as a `secure:` value plans). */
  const plan = async (edit: (monitors: Section) => Section, secret?: string) => {
    const { source: src } = readStackFile("production", resolvePath(__dirname, "../.."));
    const values: Record<string, string> = { ...src.values, "paved:monitors": JSON.stringify(edit(JSON.parse(src.values["paved:monitors"]))) };
    const secretKeys = new Set(src.secretKeys), opaqueKeys = new Set(src.opaqueKeys);
    if (secret) {
      const secrets = JSON.parse(values["paved:secrets"]);
      values["paved:secrets"] = JSON.stringify({ ...secrets, fromConfig: [...secrets.fromConfig, secret] });
      values[`paved:${secret}`] = "[secret]";
      for (const keys of [secretKeys, opaqueKeys]) keys.add(`paved:${secret}`);
    }
    return planStack({ ...src, values, secretKeys, opaqueKeys });
  };

  it("pages P1 memory through Grafana's own PagerDuty key on the P1 service, kept secret", async () => {
    const { resources, config: c } = await plan((m) => ({ ...m, grafana: { ...m.grafana, memory: { tier: "P1" } } }));
    const integration = resources.find((r) => r.name === "production-paging-p1-grafana")!;
    expect(integration.inputs).toMatchObject({ name: "paved resource alerts (Grafana)", type: "events_api_v2_inbound_integration" });
    expect(integration.additionalSecretOutputs).toEqual(["integrationKey"]);
    const p1 = resources.find((r) => r.name === "production-grafana-p1")!;
    expect(p1.propertyDependencies.pagerduties).toEqual([integration.urn]);
    const [pager] = p1.inputs.pagerduties as Array<{ integrationKey: unknown }>;
    expect(pager.integrationKey === UNKNOWN || pager.integrationKey instanceof Secret).toBe(true);
    expect(p1.inputs.emails).toEqual([{ addresses: ["oncall@planningos.com"], singleEmail: true }]);
    // P2's CPU alert keeps to email, and P2 gets no Grafana key: it is not paged.
    expect(resources.find((r) => r.name === "production-grafana-p2")!.inputs.pagerduties).toBeUndefined();
    expect(resources.filter((r) => r.name.startsWith("production-paging-") && r.name.endsWith("-grafana")).map((r) => r.name)).toEqual(["production-paging-p1-grafana"]);
    const rules = (resources.find((r) => r.name === "production-grafana-rules")!.inputs.rules as Array<{ name: string; notificationSettings: { contactPoint: string } }>);
    expect(rules.map((r) => [r.name, r.notificationSettings.contactPoint])).toEqual([
      ["P1 · api memory > 80 % for 5 min", "planningos production P1"], ["P2 · api cpu > 70 % for 10 min", "planningos production P2"],
      ["P2 · database connections > 80 % of max_connections for 5 min", "planningos production P2"],
    ]);
    expect(c.monitors!.rules.find((r) => r.kind === "memory")!.tier).toBe("P1");
  });

  it("posts to Slack through the named destination's webhook, kept secret", async () => {
    const { resources } = await plan((m) => ({
      ...m, alerts: { ...m.alerts, slack: { ops: { channel: "#ops", webhookSecret: "SLACK_OPS_WEBHOOK" } } }, routes: { P2: ["slack:ops"] },
      sentry: { ...m.sentry, integrations: { ...m.sentry.integrations, slack: 104999 } },
    }), "SLACK_OPS_WEBHOOK");
    const p2 = resources.find((r) => r.name === "production-grafana-p2")!;
    expect(p2.inputs.slacks).toEqual([{ url: new Secret("[secret]"), recipient: "#ops" }]);
    expect(p2.inputs.emails).toBeUndefined();
  });
});

import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { ResourceAlertsArgs } from "../../components/resource-alerts";
import { connectionsQuery, cpuQuery, flyAuthorization, memoryQuery, postgresParts } from "../../components/resource-queries";
import { capture, resolve, Secret, UNKNOWN } from "../harness";

const ARGS: ResourceAlertsArgs = {
  flyOrg: "planningos", flyApp: "planningos-api-production", metricsToken: "FlyV1 fm2_metrics", label: "planningos production",
  memory: { percent: 80, forMinutes: 5, tier: "P1" },
  cpu: { percent: 70, forMinutes: 10, tier: "P2" },
  routes: { P1: ["pagerduty", "email"], P2: ["slack:alerts"], P3: ["slack:deploys"] },
  channels: {
    emails: ["oncall@planningos.com"], pagerduty: { P1: "pd-grafana-p1" },
    slack: { alerts: { channel: "#alerts", webhookUrl: "https://hooks.slack.com/a" }, deploys: { channel: "#deploys", webhookUrl: "https://hooks.slack.com/d" } },
  },
};
const build = (args: ResourceAlertsArgs = ARGS) => capture(async () => {
  const { ResourceAlerts } = await import("../../components/resource-alerts");
  return new ResourceAlerts("production-grafana", args);
});
const SOURCE = "grafana:oss/dataSource:DataSource", FOLDER = "grafana:oss/folder:Folder";
const GROUP = "grafana:alerting/ruleGroup:RuleGroup", CONTACT = "grafana:alerting/contactPoint:ContactPoint";

interface Rule {
  name: string; for: string; condition: string; noDataState: string; execErrState: string; isPaused: boolean;
  labels: Record<string, string>; notificationSettings: { contactPoint: string };
  datas: Array<{ refId: string; datasourceUid: unknown; relativeTimeRange: { from: number; to: number }; model: string }>;
}
const rulesOf = (group: { inputs: Record<string, unknown> }) => group.inputs.rules as Rule[];

describe("ResourceAlerts", () => {
  it("reads Fly.io's Prometheus for the organization, with the token only in the secure settings", async () => {
    const run = await build();
    const source = run.one(SOURCE, "production-grafana-prometheus");
    expect(source.parent).toBe(run.one("paved:monitors:ResourceAlerts").urn);
    expect(source.inputs).toMatchObject({
      type: "prometheus", name: "planningos production Fly.io Prometheus", url: "https://api.fly.io/prometheus/planningos/",
      accessMode: "proxy", isDefault: false,
    });
    expect(JSON.parse(source.inputs.jsonDataEncoded as string)).toEqual({ httpMethod: "POST", timeInterval: "15s", httpHeaderName1: "Authorization" });
    expect(source.inputs.secureJsonDataEncoded).toEqual(new Secret(JSON.stringify({ httpHeaderValue1: "FlyV1 fm2_metrics" })));
    expect(source.additionalSecretOutputs).toContain("secureJsonDataEncoded");
    expect(run.one(FOLDER).inputs).toMatchObject({ title: "planningos production" });
  });

  it("alerts per machine on memory and CPU, each held for its window before it fires", async () => {
    const run = await build();
    const group = run.one(GROUP, "production-grafana-rules");
    expect(group.inputs).toMatchObject({ name: "planningos production resources", intervalSeconds: 60, folderUid: UNKNOWN });
    expect(group.propertyDependencies.folderUid).toEqual([run.one(FOLDER).urn]);
    const [memory, cpu] = rulesOf(group);
    expect(memory).toMatchObject({
      name: "P1 · api memory > 80 % for 5 min", for: "5m", condition: "B", noDataState: "OK", execErrState: "Error", isPaused: false,
      labels: { tier: "P1", service: "api", kind: "memory" },
    });
    expect(cpu).toMatchObject({ name: "P2 · api cpu > 70 % for 10 min", for: "10m", labels: { tier: "P2", kind: "cpu" } });
    for (const [rule, expr, percent] of [[memory, memoryQuery("planningos-api-production"), 80], [cpu, cpuQuery("planningos-api-production"), 70]] as const) {
      const [query, threshold] = rule.datas;
      expect(query).toMatchObject({ refId: "A", datasourceUid: UNKNOWN, relativeTimeRange: { from: 600, to: 0 } });
      expect(JSON.parse(query.model)).toMatchObject({ refId: "A", expr, instant: true });
      expect(threshold).toMatchObject({ refId: "B", datasourceUid: "__expr__" });
      expect(JSON.parse(threshold.model)).toEqual({
        refId: "B", type: "threshold", expression: "A", datasource: { type: "__expr__", uid: "__expr__" },
        conditions: [{ evaluator: { type: "gt", params: [percent] } }],
      });
    }
    // The rules query the data source paved made, whose uid Grafana assigns.
    expect(group.propertyDependencies.rules).toEqual(expect.arrayContaining([run.one(SOURCE).urn]));
  });

  it("sends each rule to its tier's contact point: P1 to Grafana's PagerDuty key and email, P2 to its Slack webhook, both secret", async () => {
    const run = await build();
    const p1 = run.one(CONTACT, "production-grafana-p1"), p2 = run.one(CONTACT, "production-grafana-p2");
    expect(run.all(CONTACT)).toHaveLength(2); // P3 fires nothing here
    expect(p1.inputs).toMatchObject({
      name: "planningos production P1",
      emails: [{ addresses: ["oncall@planningos.com"], singleEmail: true }],
      pagerduties: [{ integrationKey: new Secret("pd-grafana-p1"), severity: "critical", component: "planningos-api-production" }],
    });
    expect(p1.inputs.slacks).toBeUndefined();
    expect(p2.inputs).toMatchObject({ name: "planningos production P2", slacks: [{ url: new Secret("https://hooks.slack.com/a"), recipient: "#alerts" }] });
    expect(p2.inputs.emails).toBeUndefined();
    expect(p2.inputs.pagerduties).toBeUndefined();
    for (const cp of [p1, p2]) expect(cp.additionalSecretOutputs).toEqual(["pagerduties", "slacks"]);
    const group = run.one(GROUP);
    expect(rulesOf(group).map((r) => r.notificationSettings.contactPoint)).toEqual(["planningos production P1", "planningos production P2"]);
    expect(group.propertyDependencies.rules).toEqual(expect.arrayContaining([p1.urn, p2.urn]));
  });

  it("wraps a token given as a plain Output, and names the folder as asked", async () => {
    const run = await build({ ...ARGS, metricsToken: pulumi.output("fo1_plain"), folder: "PlanningOS / production" });
    expect(run.one(SOURCE).inputs.secureJsonDataEncoded).toEqual(new Secret(JSON.stringify({ httpHeaderValue1: "Bearer fo1_plain" })));
    expect(run.one(FOLDER).inputs.title).toBe("PlanningOS / production");
  });

  it("plans only the alerts it is given", async () => {
    const run = await build({ ...ARGS, cpu: undefined });
    expect(rulesOf(run.one(GROUP)).map((r) => r.name)).toEqual(["P1 · api memory > 80 % for 5 min"]);
    expect(run.all(CONTACT).map((c) => c.name)).toEqual(["production-grafana-p1"]);
  });

  it("exposes the data source and folder uids", async () => {
    const run = await build();
    expect(await resolve(run.value.dataSourceUid!)).toMatchObject({ known: false });
    expect(await resolve(run.value.folderUid)).toMatchObject({ known: false });
  });

  const NEON = "postgresql://app:s3cr%2Ft@ep-cool-pond-123456.eu-central-1.aws.neon.tech/app?sslmode=require";
  const DB_ONLY: ResourceAlertsArgs = {
    ...ARGS, flyOrg: undefined, flyApp: undefined, metricsToken: undefined, memory: undefined, cpu: undefined,
    databaseUrl: pulumi.secret(NEON), dbConnections: { max: 20, forMinutes: 5, tier: "P1" },
  };

  it("reads the database over TLS as its own role, with the password only in the secure settings", async () => {
    const run = await build(DB_ONLY);
    expect(run.all(SOURCE).map((s) => s.name)).toEqual(["production-grafana-postgres"]);
    const source = run.one(SOURCE, "production-grafana-postgres");
    expect(source.parent).toBe(run.one("paved:monitors:ResourceAlerts").urn);
    expect(source.inputs).toMatchObject({
      type: "grafana-postgresql-datasource", name: "planningos production Postgres", url: "ep-cool-pond-123456.eu-central-1.aws.neon.tech:5432",
      username: "app", isDefault: false,
    });
    expect(JSON.parse(source.inputs.jsonDataEncoded as string)).toEqual({ database: "app", sslmode: "require", maxOpenConns: 1, maxIdleConns: 1 });
    expect(source.inputs.secureJsonDataEncoded).toEqual(new Secret(JSON.stringify({ password: "s3cr/t" })));
    expect(source.additionalSecretOutputs).toContain("secureJsonDataEncoded");
    for (const key of ["url", "username", "jsonDataEncoded"]) expect(JSON.stringify(source.inputs[key])).not.toContain("s3cr");
  });

  it("counts client connections, or their share of max_connections, and sends the rule to its tier's contact point", async () => {
    const run = await build(DB_ONLY);
    const [rule] = rulesOf(run.one(GROUP));
    expect(rule).toMatchObject({
      name: "P1 · database connections > 20 for 5 min", for: "5m", condition: "B", execErrState: "Error",
      labels: { tier: "P1", service: "database", kind: "db-connections" }, notificationSettings: { contactPoint: "planningos production P1" },
    });
    const [query, threshold] = rule.datas;
    expect(query).toMatchObject({ refId: "A", datasourceUid: UNKNOWN });
    expect(JSON.parse(query.model)).toMatchObject({ refId: "A", rawSql: connectionsQuery("count"), rawQuery: true, format: "table" });
    expect(JSON.parse(threshold.model).conditions).toEqual([{ evaluator: { type: "gt", params: [20] } }]);
    expect(run.all(CONTACT).map((c) => c.name)).toEqual(["production-grafana-p1"]);
    expect(run.one(CONTACT).inputs.pagerduties).toMatchObject([{ component: "planningos production" }]);
    const both = await build({ ...ARGS, databaseUrl: NEON, dbConnections: { percent: 80, forMinutes: 5, tier: "P2" } });
    expect(both.all(SOURCE).map((s) => s.name)).toEqual(["production-grafana-prometheus", "production-grafana-postgres"]);
    const pct = rulesOf(both.one(GROUP)).find((r) => r.labels.kind === "db-connections")!;
    expect(pct.name).toBe("P2 · database connections > 80 % of max_connections for 5 min");
    expect(JSON.parse(pct.datas[0].model).rawSql).toBe(connectionsQuery("percent"));
  });

  const where = 'ResourceAlerts "production-grafana"';
  it.each<[string, Partial<ResourceAlertsArgs>, string]>([
    ["an org that is no slug", { flyOrg: "Planning OS" }, `${where}: flyOrg is "Planning OS"; expected a Fly.io organization slug (lowercase letters, digits, -)`],
    ["an app that is no name", { flyApp: "api_prod" }, `${where}: flyApp is "api_prod"; expected a Fly.io app name (lowercase letters, digits, -)`],
    ["no alert at all", { memory: undefined, cpu: undefined }, `${where}: memory, cpu and dbConnections are all unset; expected at least one alert`],
    ["a percentage over 100", { memory: { percent: 120, forMinutes: 5, tier: "P1" } }, `${where}: memory.percent is 120; expected a percentage above 0 and at most 100`],
    ["a window of no minutes", { cpu: { percent: 70, forMinutes: 0, tier: "P2" } }, `${where}: cpu.forMinutes is 0; expected a whole number of minutes from 1 to 1440`],
    ["a tier routed nowhere", { routes: { ...ARGS.routes, P2: [] } }, `${where}: routes.P2 is empty; expected a destination for the cpu alert's tier`],
    ["paging with no Grafana key for the tier", { channels: { ...ARGS.channels, pagerduty: {} } }, `${where}: routes.P1 has pagerduty; expected channels to configure pagerduty for P1`],
    ["P3 paging", { cpu: { percent: 70, forMinutes: 10, tier: "P3" }, routes: { ...ARGS.routes, P3: ["pagerduty"] } }, `${where}: routes.P3 has pagerduty; expected channels to configure pagerduty for P3`],
    ["a Slack destination with no webhook", { routes: { ...ARGS.routes, P2: ["slack:ops"] } }, `${where}: routes.P2 has slack:ops; expected channels to configure slack:ops`],
    ["memory with no Fly.io app", { flyApp: undefined, metricsToken: undefined }, `${where}: flyApp is unset; expected a Fly.io app name for the memory and cpu alerts`],
    ["connections with no database", { dbConnections: { max: 20, forMinutes: 5, tier: "P1" } }, `${where}: databaseUrl is unset; expected the database's connection string for the dbConnections alert`],
    ["both max and percent", { databaseUrl: "postgresql://a@b/c", dbConnections: { max: 20, percent: 80, forMinutes: 5, tier: "P1" } as never }, `${where}: dbConnections has both max and percent; expected exactly one`],
    ["a max of no connections", { databaseUrl: "postgresql://a@b/c", dbConnections: { max: 0.5, forMinutes: 5, tier: "P1" } }, `${where}: dbConnections.max is 0.5; expected a whole number of connections, at least 1`],
    ["email with no address", { channels: { ...ARGS.channels, emails: [] } }, `${where}: routes.P1 has email; expected channels to configure email`],
  ])("rejects %s before creating anything", async (_label, patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

describe("the resource queries over Fly.io's metrics", () => {
  it("count client backends only, as a number or in percent of max_connections", () => {
    expect(connectionsQuery("count")).toBe("SELECT count(*) AS connections FROM pg_stat_activity WHERE backend_type = 'client backend'");
    expect(connectionsQuery("percent")).toBe(
      "SELECT 100.0 * count(*) / current_setting('max_connections')::int AS percent FROM pg_stat_activity WHERE backend_type = 'client backend'");
  });

  it("split a connection string into the data source's host, database, user and password", () => {
    expect(postgresParts("postgresql://app:p%40ss@ep-x.neon.tech:6543/my%20db?sslmode=require"))
      .toEqual({ url: "ep-x.neon.tech:6543", database: "my db", user: "app", password: "p@ss" });
    // An engine that has not filled the URI in (or a branch with no role) must not throw inside the apply.
    for (const uri of [undefined, "", "not a url"]) expect(postgresParts(uri)).toEqual({ url: "", database: "", user: "", password: "" });
  });

  it("measure memory in use per machine from /proc/meminfo's available and total", () => {
    expect(memoryQuery("planningos-api-production")).toBe(
      '100 * (1 - max by (app, instance, region) (fly_instance_memory_mem_available{app="planningos-api-production"})'
      + ' / max by (app, instance, region) (fly_instance_memory_mem_total{app="planningos-api-production"}))');
  });

  it("measure CPU busy per machine as the share of non-idle time over 5 minutes, across its vCPUs", () => {
    expect(cpuQuery("planningos-api-production")).toBe(
      '100 * (1 - sum by (app, instance, region) (rate(fly_instance_cpu{app="planningos-api-production", mode="idle"}[5m]))'
      + ' / sum by (app, instance, region) (rate(fly_instance_cpu{app="planningos-api-production"}[5m])))');
  });

  it.each([
    ["FlyV1 fm2_abc,fm2_def", "FlyV1 fm2_abc,fm2_def"],
    ["fm2_abc", "FlyV1 fm2_abc"],
    ["  Bearer fo1_abc\n", "Bearer fo1_abc"],
    ["fo1_abc", "Bearer fo1_abc"],
  ])("sends the token %j as Authorization: %s", (token, header) => {
    expect(flyAuthorization(token)).toBe(header);
  });
});

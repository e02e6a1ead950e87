import { describe, expect, it } from "vitest";
import type { PagingArgs } from "../../components/paging";
import type { UptimeArgs } from "../../components/uptime";
import { capture, resolve, Secret } from "../harness";

const ARGS: PagingArgs = {
  tiers: { P1: {}, P2: {} },
  escalateTo: { users: ["PUSER01"], schedules: ["PSCHED1", "PSCHED2"] },
  label: "planningos production",
};
/** The Events API key PagerDuty would give each integration: named after it, so a swap shows. */
const keyOf = (name: string) => `pd-key:${name}`;
const OUTPUTS = (type: string, name: string) =>
  type === "pagerduty:index/serviceIntegration:ServiceIntegration" ? { integrationKey: keyOf(name) } : {};

const build = (args: PagingArgs = ARGS) => capture(async () => {
  const { Paging } = await import("../../components/paging");
  return new Paging("production-paging", args);
}, { preview: false, outputs: OUTPUTS });

const POLICY = "pagerduty:index/escalationPolicy:EscalationPolicy";
const SERVICE = "pagerduty:index/service:Service";
const INTEGRATION = "pagerduty:index/serviceIntegration:ServiceIntegration";

describe("Paging", () => {
  it("creates one service per paged tier under the component: P1 at high urgency, P2 at low", async () => {
    const run = await build();
    const component = run.one("paved:monitors:Paging");
    const p1 = run.one(SERVICE, "production-paging-p1"), p2 = run.one(SERVICE, "production-paging-p2");
    for (const child of run.resources.filter((r) => r !== component)) {
      expect(child.parent, child.name).toBe(component.urn);
      expect(child.name.startsWith("production-paging-"), child.name).toBe(true);
      expect(child.protect, child.name).toBe(false);
    }
    expect(p1.inputs).toEqual({
      name: "planningos production P1", description: "paved: P1 alerts, high urgency",
      escalationPolicy: "production-paging-escalation-id", incidentUrgencyRule: { type: "constant", urgency: "high" },
      alertCreation: "create_alerts_and_incidents", autoResolveTimeout: "null", acknowledgementTimeout: "1800",
    });
    expect(p2.inputs).toMatchObject({ name: "planningos production P2", description: "paved: P2 alerts, low urgency", incidentUrgencyRule: { type: "constant", urgency: "low" } });
    const policy = run.one(POLICY);
    expect(p1.propertyDependencies.escalationPolicy).toEqual([policy.urn]);
    expect(p2.propertyDependencies.escalationPolicy).toEqual([policy.urn]);
    expect(await resolve(run.value.serviceIds.P1!)).toEqual({ known: true, secret: false, value: "production-paging-p1-id" });
    expect(await resolve(run.value.serviceIds.P2!)).toEqual({ known: true, secret: false, value: "production-paging-p2-id" });
  });

  it("escalates to the schedules, then the users, after 15 minutes by default", async () => {
    const run = await build();
    const policy = run.one(POLICY);
    expect(policy.name).toBe("production-paging-escalation");
    expect(policy.inputs).toEqual({
      name: "planningos production on-call", description: "paved: who is paged for this environment", numLoops: 2,
      rules: [{ escalationDelayInMinutes: 15, targets: [
        { type: "schedule_reference", id: "PSCHED1" }, { type: "schedule_reference", id: "PSCHED2" }, { type: "user_reference", id: "PUSER01" },
      ] }],
    });
    const slower = await build({ ...ARGS, escalateTo: { users: ["PUSER01"], schedules: [] }, escalationDelayMinutes: 30 });
    expect(slower.one(POLICY).inputs.rules).toEqual([{ escalationDelayInMinutes: 30, targets: [{ type: "user_reference", id: "PUSER01" }] }]);
  });

  it("gives each tier's service one Events API v2 integration per sender, whose key stays secret", async () => {
    const run = await build();
    expect(run.all(INTEGRATION).map((i) => i.name)).toEqual([
      "production-paging-p1-uptime", "production-paging-p1-sentry", "production-paging-p2-uptime", "production-paging-p2-sentry",
    ]);
    for (const tier of ["p1", "p2"] as const) {
      const service = run.one(SERVICE, `production-paging-${tier}`);
      const uptime = run.one(INTEGRATION, `production-paging-${tier}-uptime`), sentry = run.one(INTEGRATION, `production-paging-${tier}-sentry`);
      expect(uptime.inputs).toEqual({ service: `production-paging-${tier}-id`, name: "paved uptime checks (Checkly)", type: "events_api_v2_inbound_integration" });
      expect(sentry.inputs).toEqual({ service: `production-paging-${tier}-id`, name: "paved Sentry alerts", type: "events_api_v2_inbound_integration" });
      for (const integration of [uptime, sentry]) {
        expect(integration.propertyDependencies.service).toEqual([service.urn]);
        expect(integration.additionalSecretOutputs).toEqual(["integrationKey"]);
      }
    }
    const keys = run.value.integrationKeys;
    expect(await resolve(keys.P1!.uptime!)).toEqual({ known: true, secret: true, value: keyOf("production-paging-p1-uptime") });
    expect(await resolve(keys.P1!.sentry!)).toEqual({ known: true, secret: true, value: keyOf("production-paging-p1-sentry") });
    expect(await resolve(keys.P2!.uptime!)).toEqual({ known: true, secret: true, value: keyOf("production-paging-p2-uptime") });
    expect(await resolve(keys.P2!.sentry!)).toEqual({ known: true, secret: true, value: keyOf("production-paging-p2-sentry") });
  });

  it("uses an existing service by id instead of creating one, and needs no escalation policy then", async () => {
    const run = await build({ tiers: { P1: { serviceId: "PEXIST1" } }, label: "planningos production" });
    expect(run.all(SERVICE)).toEqual([]);
    expect(run.all(POLICY)).toEqual([]);
    expect(run.all(INTEGRATION).map((i) => [i.name, i.inputs.service, i.propertyDependencies.service])).toEqual([
      ["production-paging-p1-uptime", "PEXIST1", []], ["production-paging-p1-sentry", "PEXIST1", []],
    ]);
    expect(await resolve(run.value.serviceIds.P1!)).toEqual({ known: true, secret: false, value: "PEXIST1" });
    expect(run.value.serviceIds.P2).toBeUndefined();
    expect(run.value.integrationKeys.P2).toBeUndefined();
  });

  it("creates the one tier that has no service id, and keeps the other's", async () => {
    const run = await build({ ...ARGS, tiers: { P1: { serviceId: "PEXIST1" }, P2: {} } });
    expect(run.all(SERVICE).map((s) => s.name)).toEqual(["production-paging-p2"]);
    expect(run.one(SERVICE).inputs.incidentUrgencyRule).toEqual({ type: "constant", urgency: "low" });
    expect(run.one(INTEGRATION, "production-paging-p1-uptime").inputs.service).toBe("PEXIST1");
    expect(run.one(INTEGRATION, "production-paging-p2-uptime").inputs.service).toBe("production-paging-p2-id");
  });

  it.each<[string, Partial<PagingArgs>, string[]]>([
    ["no one to page", { escalateTo: { users: [], schedules: [] } }, [
      'Paging "production-paging": escalateTo has no user or schedule; expected whom P1 and P2 pages (or a serviceId per tier)',
    ]],
    ["no escalateTo at all", { tiers: { P2: {} }, escalateTo: undefined }, [
      'Paging "production-paging": escalateTo has no user or schedule; expected whom P2 pages (or a serviceId per tier)',
    ]],
    ["a service named instead of its id", { tiers: { P1: { serviceId: "planningos-p1" }, P2: { serviceId: "PEXIST2" } }, escalateTo: undefined }, [
      'Paging "production-paging": tiers.P1.serviceId is "planningos-p1"; expected a 7-character PagerDuty id such as PABC123',
    ]],
  ])("rejects %s before creating anything", async (_label, patch, problems) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toMatchObject({ name: "PavedInputError", problems });
  });
});

describe("Paging wired to Uptime", () => {
  const UPTIME: Omit<UptimeArgs, "channels"> = {
    targets: [{ role: "api", url: "https://api.planningos.com/health", tier: "P1" }, { role: "web", url: "https://app.planningos.com/", tier: "P2" }],
    routes: { P1: ["pagerduty"], P2: ["pagerduty"], P3: [] },
    locations: ["eu-central-1", "us-east-1"],
  };

  it("a tier's Checkly PagerDuty channel holds exactly that tier's uptime integration key, as a secret", async () => {
    const run = await capture(async () => {
      const { Paging } = await import("../../components/paging");
      const { Uptime } = await import("../../components/uptime");
      const paging = new Paging("production-paging", ARGS);
      const keys = paging.integrationKeys;
      return new Uptime("production-uptime", { ...UPTIME, channels: { emails: [], slack: {}, pagerduty: { P1: keys.P1!.uptime, P2: keys.P2!.uptime } } });
    }, { preview: false, outputs: OUTPUTS });
    for (const tier of ["p1", "p2"] as const) {
      const channel = run.one("checkly:index/alertChannel:AlertChannel", `production-uptime-pagerduty-${tier}`);
      const integration = run.one(INTEGRATION, `production-paging-${tier}-uptime`);
      expect(channel.inputs.pagerduty).toEqual({ serviceKey: new Secret(keyOf(integration.name)), serviceName: `production-uptime ${tier.toUpperCase()}` });
      expect(channel.propertyDependencies.pagerduty).toEqual([integration.urn]);
    }
  });
});

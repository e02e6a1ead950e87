import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { MonitorsArgs } from "../../components/monitors";
import { capture, Secret } from "../harness";

const ARGS: MonitorsArgs = {
  zoneId: "5f0c8a1e2b3d4c5e6f708192a3b4c5d6", accountId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  web: { host: "app.planningos.com", path: "/" },
  tiers: { api: "P1", web: "P2" },
  routes: { P1: ["pagerduty", "email"], P2: ["email"], P3: ["slack"] },
  alerts: { emails: ["oncall@planningos.com"], pagerdutyIntegrationId: "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7", slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" },
};
const API = { host: "api.planningos.com", path: "/health" };

async function build(args: MonitorsArgs = ARGS) {
  return capture(async () => {
    const { Monitors } = await import("../../components/monitors");
    return new Monitors("production-monitors", args);
  });
}

const POLICY = "cloudflare:index/notificationPolicy:NotificationPolicy";
const CHECK = "cloudflare:index/healthcheck:Healthcheck";

describe("Monitors", () => {
  it("probes the web root over HTTPS every 60 s with a 10 s timeout, down after about 5 minutes", async () => {
    const run = await build();
    const check = run.one(CHECK);
    expect(check.name).toBe("production-monitors-web");
    expect(check.parent).toBe(run.one("paved:monitors:Monitors").urn);
    expect(check.inputs).toMatchObject({
      zoneId: ARGS.zoneId, address: "app.planningos.com", type: "HTTPS", interval: 60, timeout: 10, retries: 2, consecutiveFails: 5, suspended: false,
      httpConfig: { method: "GET", path: "/", port: 443, expectedCodes: ["200"], allowInsecure: false, header: { Host: ["app.planningos.com"] } },
    });
  });

  it("without an API, the web is the product: its check is P1 and pages PagerDuty and email", async () => {
    const run = await build();
    const [policy] = run.all(POLICY);
    expect(policy.name).toBe("production-monitors-p1");
    expect(policy.inputs).toMatchObject({
      accountId: ARGS.accountId, alertType: "health_check_status_notification", enabled: true,
      mechanisms: { emails: [{ id: "oncall@planningos.com" }], pagerduties: [{ id: "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7" }] },
    });
    expect(run.all(POLICY)).toHaveLength(1);
  });

  it("with an API: API down is P1, web down is P2, each policy filtered to its own checks", async () => {
    const run = await build({ ...ARGS, api: API });
    const api = run.one(CHECK, "production-monitors-api"), web = run.one(CHECK, "production-monitors-web");
    expect(api.inputs).toMatchObject({ address: "api.planningos.com", httpConfig: { path: "/health" } });
    const p1 = run.one(POLICY, "production-monitors-p1"), p2 = run.one(POLICY, "production-monitors-p2");
    expect(p1.propertyDependencies.filters).toEqual([api.urn]);
    expect(p2.propertyDependencies.filters).toEqual([web.urn]);
    expect(p2.inputs.mechanisms).toEqual({ emails: [{ id: "oncall@planningos.com" }] });
    expect(p1.dependencies).toContain(api.urn);
  });

  it("sends P3 to Slack through a webhook destination whose URL stays secret", async () => {
    const run = await build({ ...ARGS, api: API, tiers: { api: "P2", web: "P3" } });
    const slack = run.one("cloudflare:index/notificationPolicyWebhooks:NotificationPolicyWebhooks");
    expect(slack.name).toBe("production-monitors-slack");
    expect(slack.inputs.url).toBeInstanceOf(Secret);
    const p3 = run.one(POLICY, "production-monitors-p3");
    expect(p3.propertyDependencies.mechanisms).toEqual([slack.urn]);
    expect(p3.propertyDependencies.filters).toEqual([run.one(CHECK, "production-monitors-web").urn]);
  });

  it("wraps a Slack URL given as a plain Output", async () => {
    const run = await build({ ...ARGS, tiers: { api: "P3", web: "P3" }, alerts: { slackWebhookUrl: pulumi.output("https://hooks.slack.com/x") }, routes: { P3: ["slack"] } });
    expect(run.one("cloudflare:index/notificationPolicyWebhooks:NotificationPolicyWebhooks").inputs.url).toBeInstanceOf(Secret);
  });

  it("creates no Slack destination and no policy for tiers nobody is routed to", async () => {
    const run = await build({ ...ARGS, routes: { P1: ["email"] }, alerts: { emails: ["oncall@planningos.com"] } });
    expect(run.all("cloudflare:index/notificationPolicyWebhooks:NotificationPolicyWebhooks")).toHaveLength(0);
    expect(run.all(POLICY).map((p) => p.name)).toEqual(["production-monitors-p1"]);
  });

  it.each<[Partial<MonitorsArgs>, string]>([
    [{ zoneId: "planningos.com" }, 'Monitors "production-monitors": zoneId is "planningos.com"; expected a 32-character hex id'],
    [{ api: { host: "api.planningos.com", path: "health" } }, 'Monitors "production-monitors": api.path is "health"; expected a path starting with /'],
    [{ alerts: { emails: ["a@b.co"] } }, 'Monitors "production-monitors": routes.P1 has pagerduty; expected alerts to configure pagerduty'],
    [{ consecutiveFails: 0 }, 'Monitors "production-monitors": consecutiveFails is 0; expected a whole number from 1 to 10'],
  ])("rejects %o before creating anything", async (patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

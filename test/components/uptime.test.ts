import { describe, expect, it } from "vitest";
import type { UptimeArgs } from "../../components/uptime";
import { capture, Secret } from "../harness";

const ARGS: UptimeArgs = {
  targets: [{ role: "api", url: "https://api.flightpro.io/health", tier: "P1" }, { role: "web", url: "https://app.flightpro.io/", tier: "P2" }],
  routes: { P1: ["pagerduty"], P2: ["slack:alerts"], P3: ["slack:deploys"] },
  locations: ["eu-west-1", "us-east-1"],
  channels: {
    emails: [], pagerduty: { P1: "pd-key-p1" },
    slack: { alerts: { channel: "#alerts", webhookUrl: "https://hooks.slack.com/a" }, deploys: { channel: "#deploys", webhookUrl: "https://hooks.slack.com/d" } },
  },
};
const build = (args: UptimeArgs = ARGS) => capture(async () => {
  const { Uptime } = await import("../../components/uptime");
  return new Uptime("production-uptime", args);
});
const CHANNEL = "checkly:index/alertChannel:AlertChannel";

describe("Uptime", () => {
  it("sends each check to its tier's channels only; webhook URLs and PagerDuty keys stay secret", async () => {
    const run = await build();
    const pager = run.one(CHANNEL, "production-uptime-pagerduty-p1"), slack = run.one(CHANNEL, "production-uptime-slack-alerts");
    expect(pager.parent).toBe(run.one("paved:monitors:Uptime").urn);
    expect((pager.inputs.pagerduty as { serviceKey: unknown }).serviceKey).toEqual(new Secret("pd-key-p1"));
    expect(slack.inputs.slack).toEqual({ channel: "#alerts", url: new Secret("https://hooks.slack.com/a") });
    // P3 fires nothing here, so #deploys gets no channel.
    expect(run.all(CHANNEL).map((c) => c.name).sort()).toEqual(["production-uptime-pagerduty-p1", "production-uptime-slack-alerts"]);
    expect(run.one("checkly:index/check:Check", "production-uptime-api").propertyDependencies.alertChannelSubscriptions).toEqual([pager.urn]);
    expect(run.one("checkly:index/check:Check", "production-uptime-web").propertyDependencies.alertChannelSubscriptions).toEqual([slack.urn]);
  });

  const CHECK = "checkly:index/check:Check";
  it("alerts after minutes failing by default (5), with no retry", async () => {
    const api = (await build()).one(CHECK, "production-uptime-api");
    expect(api.inputs.alertSettings).toEqual({ escalationType: "TIME_BASED", timeBasedEscalations: [{ minutesFailingThreshold: 5 }], reminders: [{ amount: 0, interval: 5 }] });
    expect(api.inputs.doubleCheck).toBe(false);
  });

  it("alerts after downMinutes failing: time-based escalation", async () => {
    const api = (await build({ ...ARGS, downMinutes: 10 })).one(CHECK, "production-uptime-api");
    expect(api.inputs.alertSettings).toEqual({ escalationType: "TIME_BASED", timeBasedEscalations: [{ minutesFailingThreshold: 10 }], reminders: [{ amount: 0, interval: 5 }] });
  });

  it("alerts after failedRuns failed runs in a row: run-based escalation, and retries a failed run from another region", async () => {
    const run = await build({ ...ARGS, failedRuns: 2, retry: true });
    for (const check of run.all(CHECK)) {
      expect(check.inputs.alertSettings).toEqual({ escalationType: "RUN_BASED", runBasedEscalations: [{ failedRunThreshold: 2 }], reminders: [{ amount: 0, interval: 5 }] });
      expect(check.inputs.doubleCheck).toBe(true);
    }
    expect(run.all(CHECK)).toHaveLength(2);
  });

  it("sends an API check's request (method, JSON or raw body) and asserts its status and the text its answer holds", async () => {
    const run = await build({ ...ARGS, targets: [
      { role: "api-post-api-auth-login", url: "https://api.projectflo.app/api/auth/login", tier: "P1", status: 401,
        request: { method: "POST", body: '{"email":"probe@projectflo.app","password":"wrong"}', contains: "invalid credentials" } },
      { role: "api-put-echo", url: "https://api.projectflo.app/echo", tier: "P1", request: { method: "PUT", body: "ping" } },
    ] });
    expect(run.one(CHECK, "production-uptime-api-post-api-auth-login").inputs.request).toEqual({
      url: "https://api.projectflo.app/api/auth/login", method: "POST", followRedirects: false, skipSsl: false,
      body: '{"email":"probe@projectflo.app","password":"wrong"}', bodyType: "JSON",
      assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "401" }, { source: "TEXT_BODY", comparison: "CONTAINS", target: "invalid credentials" }],
    });
    expect(run.one(CHECK, "production-uptime-api-put-echo").inputs.request).toEqual({
      url: "https://api.projectflo.app/echo", method: "PUT", followRedirects: false, skipSsl: false, body: "ping", bodyType: "RAW",
      assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "200" }],
    });
  });

  it.each<[Partial<UptimeArgs>, string]>([
    [{ failedRuns: 6 }, 'Uptime "production-uptime": failedRuns is 6; expected a whole number from 1 to 5'],
    [{ failedRuns: 2, downMinutes: 5 }, 'Uptime "production-uptime": downMinutes and failedRuns are both set; expected one of them'],
    [{ locations: ["eu-west-1"] }, 'Uptime "production-uptime": locations is ["eu-west-1"]; expected at least two Checkly locations'],
    [{ downMinutes: 7 }, 'Uptime "production-uptime": downMinutes is 7; expected one of 5, 10, 15, 30'],
    [{ channels: { ...ARGS.channels, pagerduty: {} } }, 'Uptime "production-uptime": routes.P1 has pagerduty; expected channels to configure pagerduty for P1'],
  ])("rejects %o before creating anything", async (patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

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

  it.each<[Partial<UptimeArgs>, string]>([
    [{ locations: ["eu-west-1"] }, 'Uptime "production-uptime": locations is ["eu-west-1"]; expected at least two Checkly locations'],
    [{ downMinutes: 7 }, 'Uptime "production-uptime": downMinutes is 7; expected one of 5, 10, 15, 30'],
    [{ channels: { ...ARGS.channels, pagerduty: {} } }, 'Uptime "production-uptime": routes.P1 has pagerduty; expected channels to configure pagerduty for P1'],
  ])("rejects %o before creating anything", async (patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

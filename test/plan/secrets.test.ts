/** A secret's value never reaches the plan's tree, snapshot or policy report. */
import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { Secret } from "../harness";

const ROOT = resolvePath(__dirname, "../..");
const SENTINEL = "re_live_SENTINEL_5f2b9c";
/** The Fly.io metrics token, as `fly tokens create` prints it. */
const FLY_SENTINEL = "FlyV1 fm2_SENTINEL_8d1e4a";
/** The team channel's Slack incoming webhook. */
const SLACK_SENTINEL = "https://hooks.slack.com/services/T0/B0/SENTINEL_3c7d0f";
let plan: PlanResult;

beforeAll(async () => {
  const { source } = readStackFile("production", ROOT);
  const secrets = JSON.parse(source.values["paved:secrets"]);
  const api = JSON.parse(source.values["paved:api"]);
  const web = JSON.parse(source.values["paved:web"]);
  const values = {
    ...source.values,
    "paved:secrets": JSON.stringify({ ...secrets, fromConfig: [...secrets.fromConfig, "RESEND_API_KEY"] }),
    "paved:api": JSON.stringify({ ...api, secretEnv: ["RESEND_API_KEY"] }),
    "paved:web": JSON.stringify({ ...web, secretEnv: ["RESEND_API_KEY"] }),
    "paved:RESEND_API_KEY": SENTINEL,
    "paved:FLY_METRICS_TOKEN": FLY_SENTINEL,
    "paved:AXIOM_INGEST_TOKEN": "xaat-axiom-ingest-token-for-the-plan",
    "paved:FLY_LOGS_TOKEN": "FlyV1 fm2_logs_token_for_the_plan",
    "paved:SLACK_WEBHOOK_URL": SLACK_SENTINEL,
  };
  const { planStack } = await import("../../scripts/lib/plan");
  plan = await planStack({ ...source, values, secretKeys: new Set(["paved:RESEND_API_KEY", "paved:FLY_METRICS_TOKEN", "paved:SLACK_WEBHOOK_URL", "paved:AXIOM_INGEST_TOKEN", "paved:FLY_LOGS_TOKEN"]), opaqueKeys: new Set() });
});

describe("secrets in the plan", () => {
  // Every secret is also copied to the stack's Doppler config (paved:doppler); the holders below are the ones that use it.
  const users = () => plan.resources.filter((r) => r.type !== "doppler:index/secret:Secret");

  it("are each copied to Doppler, as a secret", () => {
    for (const marker of [SENTINEL, "SENTINEL_8d1e4a", "SENTINEL_3c7d0f"]) {
      const copies = plan.resources.filter((r) => r.type === "doppler:index/secret:Secret" && JSON.stringify(r.inputs).includes(marker));
      expect(copies).toHaveLength(1);
      expect(copies[0].inputs.value).toBeInstanceOf(Secret);
    }
  });

  it("reach the resources that need them, wrapped as secret", () => {
    const holders = users().filter((r) => JSON.stringify(r.inputs).includes(SENTINEL));
    expect(holders.map((r) => r.type).sort()).toEqual([
      "paved:fly:Secrets", "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
    ]);
    const variable = holders.find((r) => r.type.startsWith("vercel:"))!;
    expect(variable.inputs).toMatchObject({ key: "RESEND_API_KEY", sensitive: true });
    expect(variable.inputs.value).toBeInstanceOf(Secret);
    const fly = holders.find((r) => r.type.endsWith("fly:Secrets"))!;
    expect((fly.inputs.values as Record<string, unknown>).RESEND_API_KEY).toBeInstanceOf(Secret);
  });

  it("give Grafana the Fly.io metrics token only inside the data source's secure settings", () => {
    const holders = users().filter((r) => JSON.stringify(r.inputs).includes("SENTINEL_8d1e4a"));
    expect(holders.map((r) => r.type)).toEqual(["grafana:oss/dataSource:DataSource"]);
    expect(holders[0].inputs.secureJsonDataEncoded).toEqual(new Secret(JSON.stringify({ httpHeaderValue1: FLY_SENTINEL })));
    expect(holders[0].inputs.jsonDataEncoded).not.toContain("SENTINEL");
  });

  it("hand the Slack webhook to Checkly's channel and Grafana's P2 contact point, as a secret, and nowhere else", () => {
    const holders = users().filter((r) => JSON.stringify(r.inputs).includes("SENTINEL_3c7d0f"));
    expect(holders.map((r) => [r.type, r.name])).toEqual([
      ["checkly:index/alertChannel:AlertChannel", "production-uptime-slack-team"], ["grafana:alerting/contactPoint:ContactPoint", "production-grafana-p2"],
    ]);
    expect(holders[0].inputs.slack).toEqual({ channel: "#planningos-alerts", url: new Secret(SLACK_SENTINEL) });
    expect(holders[1].inputs.slacks).toEqual([{ recipient: "#planningos-alerts", url: new Secret(SLACK_SENTINEL) }]);
  });

  it("never appear in the tree, the snapshot or the policy report", async () => {
    const { renderTree } = await import("../../scripts/lib/render");
    const { stableJson, toSnapshot } = await import("../../scripts/lib/snapshot");
    const { checkPolicies, renderPolicy } = await import("../../scripts/lib/policy");
    const report = checkPolicies(plan.resources, "production");
    const tree = renderTree(plan.resources);
    const snapshot = stableJson(toSnapshot("paved", "production", plan.resources, report));
    for (const text of [tree, snapshot, renderPolicy(report)]) {
      expect(text).not.toContain(SENTINEL);
      expect(text).not.toContain("SENTINEL_8d1e4a");
      expect(text).not.toContain("SENTINEL_3c7d0f");
    }
    expect(tree).toContain('"RESEND_API_KEY":[secret]');
    expect(snapshot).toContain('"RESEND_API_KEY": "[secret]"');
    // Beside them, plain values stay readable.
    expect(tree).toMatch(/key = "RESEND_API_KEY"[^]*?value = \[secret\]/);
    expect(tree).toMatch(/key = "VITE_APP_ENV"[^]*?value = "production"/);
    expect(snapshot).toMatch(/"key": "VITE_APP_ENV",[^}]*"value": "production"/);
  });
});

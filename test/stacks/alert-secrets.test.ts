/**
 * Alert webhooks and integration keys are secrets wherever they land. A policy cannot check
 * this (the analyzer hands it secrets unwrapped, with no marker), so the program is tested
 * instead: it runs with known sentinel values and every input and stack output that holds one
 * must hold it as a secret. The same runs pin how paging keys and Sentry DSNs are wired.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { capture, type CapturedResource, resolve, Secret } from "../harness";
import { PRODUCTION, source, withValue } from "./fixtures";

const DIGEST = `ghcr.io/planningos/api@sha256:${"0".repeat(64)}`;
const WEBHOOK = {
  alerts: "https://hooks.slack.com/services/T0/B1/SENTINEL-alerts",
  deploys: "https://hooks.slack.com/services/T0/B2/SENTINEL-deploys",
  default: "https://hooks.slack.com/services/T0/B3/SENTINEL-default",
};
/** What PagerDuty and Sentry would report: named after the resource, so a swap between tiers or services shows. */
const keyOf = (name: string) => `pd-key:${name}`;
const dsnOf = (name: string) => `https://${name}@o1.ingest.sentry.io/1`;
const OUTPUTS = (type: string, name: string) =>
  type === "pagerduty:index/serviceIntegration:ServiceIntegration" ? { integrationKey: keyOf(name) }
    : type === "sentry:index/sentryKey:SentryKey" ? { dsnPublic: dsnOf(name) } : {};

const SENTRY = { organization: "planningos", team: "planningos", teamId: "4508123", platform: "rust" };
/** Checkly uptime: P1 and P2 page their own PagerDuty services, P2 and P3 post to two Slack channels. */
const CHECKLY = {
  ...PRODUCTION,
  api: { host: "fly", port: 3001, image: { digest: DIGEST }, fly: { org: "planningos" } },
  secrets: { rotation: "2026-11", generate: { JWT_SECRET: { length: 64 } }, fromConfig: ["SLACK_ALERTS_WEBHOOK", "SLACK_DEPLOYS_WEBHOOK"] },
  monitors: {
    alerts: {
      email: ["oncall@planningos.com"], pagerduty: { escalateTo: { schedules: ["PSCHED1"] } },
      slack: { alerts: { channel: "#alerts", webhookSecret: "SLACK_ALERTS_WEBHOOK" }, deploys: { channel: "#deploys", webhookSecret: "SLACK_DEPLOYS_WEBHOOK" } },
    },
    routes: { P1: ["pagerduty", "email"], P2: ["pagerduty", "slack:alerts"], P3: ["slack:deploys"] },
    sentry: { ...SENTRY, integrations: { pagerduty: { id: 104257, services: { P1: "88231", P2: "88232" } }, slack: 104258 } },
  },
};
const CHECKLY_SECRETS = { "paved:SLACK_ALERTS_WEBHOOK": WEBHOOK.alerts, "paved:SLACK_DEPLOYS_WEBHOOK": WEBHOOK.deploys };
/** Cloudflare health checks: staging's web, at P3, posts to the one Slack webhook. */
const CLOUDFLARE = {
  ...withValue(PRODUCTION, "kind", "staging"),
  secrets: { rotation: "2026-11", generate: { JWT_SECRET: { length: 64 } }, fromConfig: ["SLACK_WEBHOOK_URL"] },
  monitors: { uptime: { provider: "cloudflare" }, alerts: { slackWebhookSecret: "SLACK_WEBHOOK_URL" }, tiers: { api: "P3" }, routes: { P3: ["slack"] } },
};

async function run(src: ConfigSource) {
  const config = loadEnvironmentConfig(src);
  return capture(async () => {
    const { build } = await import("../../stacks/program");
    return build(config);
  }, { project: src.project, stack: src.stack, preview: false, outputs: OUTPUTS });
}
const checkly = () => run(source(CHECKLY, { secret: CHECKLY_SECRETS }));

/** Every place in `value` whose text contains `needle`, as `path`, marked `(plain)` when no secret wraps it. */
function places(value: unknown, needle: string, path: string, secret = false): string[] {
  if (value instanceof Secret) return places(value.value, needle, path, true);
  if (typeof value === "string") return value.includes(needle) ? [secret ? path : `${path} (plain)`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => places(v, needle, `${path}[${i}]`, secret));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => places(v, needle, `${path}.${k}`, secret));
  return [];
}
const inResources = (resources: CapturedResource[], needle: string) =>
  resources.flatMap((r) => places(r.inputs, needle, `${r.type.split(":").pop()} ${r.name}`)).sort();
/** Stack outputs resolved the way the engine records them: a secret Output as {@link Secret}. */
async function outputs(value: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolved: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!pulumi.Output.isInstance(v)) { resolved[key] = v; continue; }
    const r = await resolve(v as pulumi.Output<unknown>);
    resolved[key] = r.secret ? new Secret(r.value) : r.value;
  }
  return resolved;
}

describe("alert webhooks and integration keys are secrets wherever they land", () => {
  it("a named Slack webhook reaches only its Checkly channel's url, as a secret", async () => {
    const { resources } = await checkly();
    expect(inResources(resources, WEBHOOK.alerts)).toEqual(["AlertChannel production-uptime-slack-alerts.slack.url"]);
    // No uptime check is P3, so #deploys has no Checkly channel; Sentry posts there through its integration.
    expect(inResources(resources, WEBHOOK.deploys)).toEqual([]);
  });

  it("PagerDuty integration keys reach only the Checkly channels of their own tier, as secrets", async () => {
    const { resources } = await checkly();
    expect(inResources(resources, "pd-key:")).toEqual([
      "AlertChannel production-uptime-pagerduty-p1.pagerduty.serviceKey", "AlertChannel production-uptime-pagerduty-p2.pagerduty.serviceKey",
    ]);
    for (const tier of ["p1", "p2"]) {
      const channel = resources.find((r) => r.name === `production-uptime-pagerduty-${tier}`)!;
      expect((channel.inputs.pagerduty as { serviceKey: unknown }).serviceKey).toEqual(new Secret(keyOf(`production-paging-${tier}-uptime`)));
    }
  });

  it("exports Sentry's PagerDuty keys, one per paged tier, only as a secret stack output", async () => {
    const { value } = await checkly();
    const resolved = await outputs(value);
    expect(resolved.pagerdutySentryKeys).toEqual(new Secret({ P1: keyOf("production-paging-p1-sentry"), P2: keyOf("production-paging-p2-sentry") }));
    expect(Object.entries(resolved).flatMap(([k, v]) => places(v, "pd-key:", k))).toEqual(["pagerdutySentryKeys.P1", "pagerdutySentryKeys.P2"]);
  });

  it("the Cloudflare Slack webhook reaches only its notification webhook's url, as a secret", async () => {
    const { resources, value } = await run(source(CLOUDFLARE, { stack: "staging", secret: { "paved:SLACK_WEBHOOK_URL": WEBHOOK.default } }));
    expect(inResources(resources, WEBHOOK.default)).toEqual(["NotificationPolicyWebhooks staging-monitors-slack.url"]);
    expect(Object.entries(await outputs(value)).flatMap(([k, v]) => places(v, WEBHOOK.default, k))).toEqual([]);
  });
});

describe("Sentry DSNs reach the services that report, as secrets", () => {
  it("the API's DSN goes to its Fly secrets and the web's to its Vercel variable, marked sensitive", async () => {
    const { resources } = await checkly();
    const fly = resources.find((r) => r.type === "paved:fly:Secrets")!;
    expect((fly.inputs.values as Record<string, unknown>).SENTRY_DSN).toEqual(new Secret(dsnOf("production-errors-api-key")));
    const variable = resources.find((r) => r.type === "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable" && r.inputs.key === "VITE_SENTRY_DSN")!;
    expect(variable.inputs).toMatchObject({ sensitive: true, value: new Secret(dsnOf("production-errors-web-key")) });
    for (const name of ["production-errors-api-key", "production-errors-web-key"]) {
      expect(inResources(resources, dsnOf(name)).filter((p) => p.endsWith("(plain)"))).toEqual([]);
    }
  });

  it("a stack without an API plans no latency alert, so it needs no route for the latency's tier", async () => {
    const webOnly = withValue(PRODUCTION, "monitors", {
      alerts: { email: ["oncall@planningos.com"], pagerduty: { escalateTo: { schedules: ["PSCHED1"] } } }, routes: { P2: [] },
      sentry: { ...SENTRY, integrations: { pagerduty: { id: 104257, services: { P1: "88231" } } } },
    });
    const { resources } = await run(source(webOnly));
    expect(resources.filter((r) => r.type === "sentry:index/sentryMetricAlert:SentryMetricAlert").map((r) => r.name)).toEqual(["production-errors-web-error-rate"]);
  });

  it("alerts on new issues in production only", async () => {
    const issues = (r: CapturedResource[]) => r.filter((x) => x.type === "sentry:index/sentryIssueAlert:SentryIssueAlert").map((x) => x.name);
    expect(issues((await checkly()).resources)).toEqual(["production-errors-api-new-issues", "production-errors-web-new-issues"]);
    const staging = withValue(withValue(withValue(CHECKLY, "kind", "staging"), "monitors.routes", { P2: ["email", "slack:alerts"], P3: ["slack:deploys"] }),
      "monitors.alerts.pagerduty", undefined);
    expect(issues((await run(source(staging, { stack: "staging", secret: CHECKLY_SECRETS }))).resources)).toEqual([]);
  });
});

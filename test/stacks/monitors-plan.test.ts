/**
 * What the monitors section plans from a stack file, on the captured inputs: Checkly's escalation
 * (Plannior: 2 failed runs; a time-based stack), ProjectFlo's login check with its method, path and
 * status, and a Sentry team id written as a YAML number reaching Sentry's email actions.
 */
import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { toPlanned } from "../../scripts/lib/policy";
import { readStackFile } from "../../scripts/lib/stack-file";
import { errorLatencyAlerts } from "../../policy/observability";
import { checkStack } from "../policy/harness";
import type { ConfigSource } from "../../stacks/config";

const ROOT = resolvePath(__dirname, "../..");
const CHECK = "checkly:index/check:Check";
const METRIC = "sentry:index/sentryMetricAlert:SentryMetricAlert";
const ISSUE = "sentry:index/sentryIssueAlert:SentryIssueAlert";

/** A stack file of this repository, with `paved:<key>` edited as parsed YAML. */
function stackFile(file: string, key: string, edit: (value: Record<string, unknown>) => Record<string, unknown>): ConfigSource {
  const src = readStackFile(file, ROOT).source;
  return { ...src, values: { ...src.values, [`paved:${key}`]: JSON.stringify(edit(JSON.parse(src.values[`paved:${key}`]))) } };
}

const plans: Record<string, PlanResult> = {};
beforeAll(async () => {
  const { planStack } = await import("../../scripts/lib/plan");
  plans.plannior = await planStack(readStackFile("examples/Pulumi.plannior-production.yaml", ROOT).source);
  // ProjectFlo's API on a hostname of its own, so the login check's URL is known in a preview (the onrender.com name is not).
  plans.projectflo = await planStack(stackFile("examples/Pulumi.projectflo-production.yaml", "api", (api) => ({ ...api, hostname: "api.projectflo.app" })));
  // Life-OS's Sentry team id as YAML reads it unquoted: a number.
  plans.lifeos = await planStack(stackFile("examples/Pulumi.lifeos-production.yaml", "monitors", (m) => ({ ...m, sentry: { ...(m.sentry as object), teamId: 3344556 } })));
}, 120_000);
const ofType = (plan: string, type: string) => plans[plan].resources.filter((r) => r.type === type);

describe("Checkly escalation from the stack file", () => {
  it("Plannior: every check alerts after 2 failed runs in a row (run-based), each failed run retried from another region", () => {
    const checks = ofType("plannior", CHECK);
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) {
      expect(check.inputs.alertSettings).toEqual({ escalationType: "RUN_BASED", runBasedEscalations: [{ failedRunThreshold: 2 }], reminders: [{ amount: 0, interval: 5 }] });
      expect(check.inputs.doubleCheck).toBe(true);
    }
  });

  it("Life-OS: downMinutes 5 alerts after 5 minutes failing (time-based)", () => {
    const checks = ofType("lifeos", CHECK);
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) {
      expect(check.inputs.alertSettings).toEqual({ escalationType: "TIME_BASED", timeBasedEscalations: [{ minutesFailingThreshold: 5 }], reminders: [{ amount: 0, interval: 5 }] });
    }
  });
});

describe("ProjectFlo's login check", () => {
  it("POSTs a wrong password to /api/auth/login and is up when it answers 401, beside /health", () => {
    const checks = Object.fromEntries(ofType("projectflo", CHECK).map((c) => [c.name, c.inputs]));
    expect(Object.keys(checks).sort()).toEqual(["projectflo-production-uptime-api", "projectflo-production-uptime-api-post-api-auth-login", "projectflo-production-uptime-web"]);
    expect(checks["projectflo-production-uptime-api-post-api-auth-login"].request).toEqual({
      url: "https://api.projectflo.app/api/auth/login", method: "POST", followRedirects: false, skipSsl: false,
      body: '{"email":"uptime-probe@projectflo.app","password":"not-the-password"}', bodyType: "JSON",
      assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "401" }],
    });
    expect(checks["projectflo-production-uptime-api-post-api-auth-login"]).toMatchObject({ tags: ["paved", "P1"], doubleCheck: true,
      alertSettings: { escalationType: "RUN_BASED", runBasedEscalations: [{ failedRunThreshold: 1 }] } });
    expect(checks["projectflo-production-uptime-api"].request).toMatchObject({ url: "https://api.projectflo.app/health", method: "GET",
      assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "200" }] });
  });
});

describe("a Sentry team id written as a YAML number", () => {
  it("is the id Sentry's email actions name, as a string", () => {
    expect(plans.lifeos.config.monitors!.sentry!.teamId).toBe("3344556");
    type Action = { type?: string; id?: string; targetType?: string; targetIdentifier?: unknown };
    const emails = [
      ...ofType("lifeos", METRIC).flatMap((a) => (a.inputs.triggers as Array<{ actions: Action[] }>).flatMap((t) => t.actions)),
      ...ofType("lifeos", ISSUE).flatMap((a) => a.inputs.actions as Action[]),
    ].filter((a) => a.type === "email" || a.id === "sentry.mail.actions.NotifyEmailAction");
    expect(emails.length).toBeGreaterThan(0);
    for (const action of emails) expect(action.targetIdentifier).toBe("3344556");
    expect(emails.filter((a) => a.type === "email").every((a) => a.targetType === "team")).toBe(true);
  });
});

describe("error-latency-alerts on the planned stacks: the tier is the team's", () => {
  /** Each Sentry metric alert of a plan, by name, with where its actions go. */
  const routed = (plan: string) => Object.fromEntries(ofType(plan, METRIC)
    .filter((a) => /failure_rate|count\(\)|transaction\.duration/.test(String(a.inputs.aggregate)))
    .map((a) => [a.inputs.name, (a.inputs.triggers as Array<{ actions: Array<{ type: string }> }>).flatMap((t) => t.actions.map((x) => x.type))]));

  it("passes ProjectFlo, whose errors page at P1", () => {
    expect(routed("projectflo")).toMatchObject({ "P1 · api error rate > 1 % for 5 min": ["pagerduty", "email"] });
    expect(checkStack(errorLatencyAlerts, toPlanned(plans.projectflo.resources))).toEqual([]);
  });
  it("passes Life-OS, whose errors and latency email and post to Slack at P2", () => {
    expect(routed("lifeos")).toMatchObject({ "P2 · api errors > 10/min": ["email", "slack"], "P2 · api p99 > 500 ms for 5 min": ["email", "slack"] });
    expect(checkStack(errorLatencyAlerts, toPlanned(plans.lifeos.resources))).toEqual([]);
  });
  it("passes Plannior, whose p95 latency posts to Slack at P3", () => {
    expect(routed("plannior")).toMatchObject({ "P3 · api p95 > 7000 ms for 10 min": ["slack"] });
    expect(checkStack(errorLatencyAlerts, toPlanned(plans.plannior.resources))).toEqual([]);
  });
});

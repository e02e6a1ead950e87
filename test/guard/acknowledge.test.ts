/**
 * `paved:policy.acknowledge`: a deliberate exception, stated in the stack file under review,
 * with its resource, reason and expiry. Acknowledged findings are shown as such (plan text,
 * PR comment, SARIF suppressions) and never counted; an expired one fails again.
 */
import { describe, expect, it } from "vitest";
import { toSarif } from "../../policy/sarif";
import { renderVerdict } from "../../scripts/lib/comment";
import { planStack } from "../../scripts/lib/plan";
import { checkPolicies, renderPolicy } from "../../scripts/lib/policy";
import { loadEnvironmentConfig } from "../../stacks/config";
import { problems } from "../stacks/fixtures";
import { judge, patched } from "./judge";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ack = (policy: string, expires: string, resource = "*") => ({ policy, resource, reason: "the repository's rules live in the org's ruleset", expires });
const withAcks = (...acknowledge: unknown[]) => ({ "policy.acknowledge": acknowledge });

describe("a config rule's acknowledgement", () => {
  it("lets a production-named stack run as staging while in force, and shows it", () => {
    const config = loadEnvironmentConfig(patched("lifeos", { set: { kind: "staging", "github.approvals": undefined, ...withAcks(ack("stack-kind", day(30))) } }));
    expect(config.kind).toBe("staging");
    expect(config.acknowledged).toEqual([{
      policy: "stack-kind", resource: "paved:kind", reason: "the repository's rules live in the org's ruleset", expires: day(30),
      message: `paved:kind: got "staging" in stack "lifeos-production", whose name makes it production; expected production (its protection, history and policy levels), or acknowledge stack-kind in paved:policy.acknowledge`,
    }]);
  });

  it("fails again once expired, saying when it expired", () => {
    const found = problems(patched("production", { set: { kind: "staging", ...withAcks(ack("stack-kind", "2026-01-31")) } }));
    expect(found).toContain(`paved:kind: got "staging" in stack "production", whose name makes it production; expected production (its protection, history and policy levels), or acknowledge stack-kind in paved:policy.acknowledge (its acknowledgement expired 2026-01-31)`);
  });

  it("covers only the key it names", () => {
    const found = problems(patched("staging", { set: { "cdn.ownsZone": true, ...withAcks(ack("zone-owner-only", day(30), "paved:web.domain")) } }));
    expect(found.some((p) => p.startsWith("paved:cdn.ownsZone: true in a staging stack"))).toBe(true);
    expect(() => loadEnvironmentConfig(patched("staging", { set: { "cdn.ownsZone": true, ...withAcks(ack("zone-owner-only", day(30), "paved:cdn.ownsZone")) } }))).not.toThrow();
  });
});

describe("acknowledgements themselves", () => {
  it.each([
    ["an unknown policy", ack("no-such-policy", day(30)), `paved:policy.acknowledge[0].policy: got "no-such-policy"; expected a policy of the pack or one of the config rules stack-kind, zone-owner-only, cors-origins, promote-digest`],
    ["an expiry over a year away", ack("stack-kind", day(400)), `paved:policy.acknowledge[0].expires: got "${day(400)}"; expected a date at most 366 days away (by ${day(366)}), so the exception is looked at again`],
    ["a date that does not exist", ack("stack-kind", "2027-02-30"), `paved:policy.acknowledge[0].expires: got "2027-02-30"; expected a real date such as 2027-03-31`],
    ["no reason", { ...ack("stack-kind", day(30)), reason: "ok" }, `paved:policy.acknowledge[0].reason: got "ok"; expected why the finding is accepted, in a sentence`],
    ["no expiry", { policy: "stack-kind", resource: "*", reason: "a reason long enough" }, `paved:policy.acknowledge[0].expires: missing; expected the last day it holds, such as 2027-03-31`],
  ])("refuses %s", (_, entry, message) => {
    expect(problems(patched("production", { set: withAcks(entry) }))).toContain(message);
  });
});

describe("a policy finding's acknowledgement in the plan", () => {
  it("is shown in the plan text, the PR comment and SARIF, and not counted", async () => {
    const source = patched("production", { set: { github: undefined, ...withAcks(ack("production-guardrails", day(60))) } });
    const config = loadEnvironmentConfig(source);
    const report = checkPolicies((await planStack(source)).resources, "production", config);
    expect(report.mandatory).toBe(0);
    expect(report.acknowledged).toBe(3);
    const text = renderPolicy(report);
    expect(text).toContain(`, 3 acknowledged`);
    expect(text).toContain(`  [acknowledged mandatory] production-guardrails: Protect the production branch: set paved:github in the production stack file (no branch protection or ruleset is managed). — acknowledged until ${day(60)}: the repository's rules live in the org's ruleset`);
    const comment = renderVerdict(report, undefined, { base: "production", head: "production" });
    expect(comment).toContain("✅ 0 mandatory");
    expect(comment).toContain(`*acknowledged until ${day(60)}: the repository's rules live in the org's ruleset*`);
    const sarif = toSarif(report.violations, { toolVersion: "0.1.0" });
    const suppressed = sarif.runs[0].results.filter((r) => r.ruleId === "production-guardrails");
    expect(suppressed).toHaveLength(3);
    expect(suppressed[0]).toMatchObject({ suppressions: [{ kind: "external", status: "accepted", justification: `the repository's rules live in the org's ruleset (until ${day(60)}, paved:policy.acknowledge)` }] });
  });

  it("fails the plan again once expired", async () => {
    const verdict = await judge(patched("production", { set: { github: undefined, ...withAcks(ack("production-guardrails", "2026-06-30")) } }));
    expect(verdict).toMatchObject({ stage: "policy", mandatory: ["production-guardrails"] });
  });

  it("excuses only the resource it names", async () => {
    const source = patched("production", { set: { "cdn.rateLimit.requestsPerPeriod": 100_000, ...withAcks(ack("rate-limit-rule", day(30), "someone-else")) } });
    expect(await judge(source)).toMatchObject({ stage: "policy", mandatory: ["rate-limit-rule"] });
  });
});

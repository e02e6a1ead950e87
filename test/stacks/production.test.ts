import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { Secret, UNKNOWN } from "../harness";

const ROOT = resolvePath(__dirname, "../..");
let plan: PlanResult;
const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

beforeAll(async () => {
  const { planStack } = await import("../../scripts/lib/plan");
  plan = await planStack(readStackFile("production", ROOT).source);
});

describe("the default production stack (PlanningOS)", () => {
  it("plans the web host, its domain, variables, DNS, zone settings, rulesets and secrets", () => {
    const counts = Object.fromEntries([...new Set(plan.resources.map((r) => r.type))].map((t) => [t, ofType(t).length]));
    expect(counts).toEqual({
      "paved:environment:Environment": 1, "paved:secrets:Secrets": 1, "paved:web:WebHost": 1, "paved:cdn:Cdn": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "vercel:index/project:Project": 1, "vercel:index/projectDomain:ProjectDomain": 1,
      "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": 1,
      "cloudflare:index/dnsRecord:DnsRecord": 1, "cloudflare:index/zoneSetting:ZoneSetting": 5, "cloudflare:index/ruleset:Ruleset": 3,
      "paved:github:Repository": 1, "github:index/repository:Repository": 1,
      "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts": 1,
      "github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates": 1,
      "github:index/branchProtection:BranchProtection": 1, "github:index/repositoryEnvironment:RepositoryEnvironment": 1,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": 1,
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": 1,
      "paved:monitors:Monitors": 1, "cloudflare:index/healthcheck:Healthcheck": 1,
      "cloudflare:index/notificationPolicy:NotificationPolicy": 1,
    });
  });

  it("serves app.planningos.com from main, through a protected, proxied record", () => {
    const [project] = ofType("vercel:index/project:Project");
    expect(project.inputs.gitRepository).toEqual({ type: "github", repo: "planningos/planningos", productionBranch: "main" });
    const [record] = ofType("cloudflare:index/dnsRecord:DnsRecord");
    expect(record.inputs).toMatchObject({ name: "app.planningos.com", proxied: true });
    expect(record.protect).toBe(true);
    expect(plan.outputs.webUrl).toBe("https://app.planningos.com");
  });

  it("generates a 64-character JWT secret", () => {
    const [jwt] = ofType("random:index/randomPassword:RandomPassword");
    expect(jwt.inputs).toMatchObject({ length: 64, keepers: { rotation: "2026-11" } });
  });

  it("parents every child to its component, with a name that starts with the component's", () => {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    for (const r of plan.resources) {
      if (r.type === "paved:environment:Environment") {
        expect(r.parent).toBeNull();
        continue;
      }
      const parent = byUrn.get(r.parent!);
      expect(parent, `${r.name} has a parent`).toBeDefined();
      expect(r.name.startsWith(`${parent!.name}-`), `${r.name} starts with ${parent!.name}-`).toBe(true);
    }
  });

  it("plans computed values as unknown and secrets as secret", () => {
    const [domain] = ofType("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs.projectId).toBe(UNKNOWN);
    const [variable] = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable");
    expect(variable.inputs.value).toBeInstanceOf(Secret);
  });

  it("guards main: reviewed pull requests, strict checks, admins included, scoring 8/10", async () => {
    const [protection] = ofType("github:index/branchProtection:BranchProtection");
    expect(protection.inputs).toMatchObject({
      repositoryId: "planningos", pattern: "main", enforceAdmins: true, allowsForcePushes: false, allowsDeletions: false,
      requiredLinearHistory: true, requireConversationResolution: true,
      requiredStatusChecks: [{ strict: true, contexts: ["ci/test", "ci/build"] }],
      requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireLastPushApproval: true, requireCodeOwnerReviews: false }],
    });
    const { scoreCapturedProtections } = await import("../../scripts/lib/scorecard");
    expect(scoreCapturedProtections(plan.resources, false)).toEqual([{
      branch: "main", score: 8,
      next: ["set paved:github.approvals to 2", "set paved:github.codeOwnerReview to true", "add a CODEOWNERS file and set paved:github.codeOwners to true"],
    }]);
  });

  it("deploys only main, after a reviewer other than the author approves", () => {
    const [environment] = ofType("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environment.inputs).toMatchObject({
      environment: "production", reviewers: [{ users: [], teams: [9182736] }], preventSelfReview: true, canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const [policy] = ofType("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policy.inputs).toMatchObject({ environment: "production", branchPattern: "main" });
  });

  it("owns the repository's settings, adopted and never deleted", () => {
    const [repository] = ofType("github:index/repository:Repository");
    expect(repository.inputs).toMatchObject({ name: "planningos", allowMergeCommit: false, deleteBranchOnMerge: true });
    expect(repository).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("pages PagerDuty and email when app.planningos.com is down", () => {
    const [check] = ofType("cloudflare:index/healthcheck:Healthcheck");
    expect(check.inputs).toMatchObject({ address: "app.planningos.com", type: "HTTPS", interval: 60, timeout: 10, consecutiveFails: 5 });
    const [policy] = ofType("cloudflare:index/notificationPolicy:NotificationPolicy");
    expect(policy.name).toBe("production-monitors-p1");
    expect(policy.inputs.mechanisms).toEqual({
      emails: [{ id: "oncall@planningos.com" }], pagerduties: [{ id: "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7" }],
    });
    expect(policy.propertyDependencies.filters).toEqual([check.urn]);
  });
});

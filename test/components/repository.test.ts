import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { BranchRules, RepositoryArgs } from "../../components/repository";
import { capture, resolve, Secret } from "../harness";

const PRODUCTION_RULES: BranchRules = {
  requiredChecks: ["ci/test", "ci/build"], pullRequest: { approvals: 1, codeOwnerReview: false },
  enforceAdmins: true, linearHistory: true, conversationResolution: true,
};
const ARGS: RepositoryArgs = {
  repository: "planningos/planningos", branch: "main", environment: "production",
  protection: PRODUCTION_RULES, reviewers: { users: [1234567], teams: [9182736] },
  variables: { APP_URL: "https://app.planningos.com" }, secrets: { DEPLOY_TOKEN: "dt_live_abc" },
  manageRepository: true,
};

async function build(args: RepositoryArgs = ARGS) {
  return capture(async () => {
    const { Repository } = await import("../../components/repository");
    return new Repository("production-github", args);
  });
}

describe("Repository", () => {
  it("protects production's branch with classic protection: reviewed PRs, strict checks, admins included", async () => {
    const run = await build();
    const protection = run.one("github:index/branchProtection:BranchProtection");
    expect(protection.name).toBe("production-github-protection");
    expect(protection.parent).toBe(run.one("paved:github:Repository").urn);
    expect(protection.inputs).toEqual({
      repositoryId: "planningos", pattern: "main", enforceAdmins: true, allowsForcePushes: false, allowsDeletions: false,
      requiredLinearHistory: true, requireConversationResolution: true,
      requiredStatusChecks: [{ strict: true, contexts: ["ci/test", "ci/build"] }],
      requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, requireCodeOwnerReviews: false, dismissStaleReviews: true, requireLastPushApproval: true }],
    });
  });

  it("protects a staging branch with required checks only, direct pushes allowed", async () => {
    const run = await build({ ...ARGS, branch: "develop", environment: "staging", manageRepository: false,
      protection: { requiredChecks: ["ci/test"], enforceAdmins: true, linearHistory: false, conversationResolution: false } });
    expect(run.one("github:index/branchProtection:BranchProtection").inputs).toMatchObject({
      pattern: "develop", requiredStatusChecks: [{ strict: true, contexts: ["ci/test"] }], requiredPullRequestReviews: [],
      allowsForcePushes: false, allowsDeletions: false,
    });
  });

  it("protects no branch for a preview, whose branch is a pull request's", async () => {
    const run = await build({ ...ARGS, branch: "feature/login", environment: "pr-42", protection: undefined, reviewers: undefined, manageRepository: false });
    expect(run.all("github:index/branchProtection:BranchProtection")).toHaveLength(0);
    const environment = run.one("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environment.inputs).toMatchObject({ environment: "pr-42", reviewers: [] });
    expect(run.one("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy").inputs)
      .toMatchObject({ environment: "pr-42", branchPattern: "feature/login" });
  });

  it("gates the environment on reviewers other than the author, admins included, from its branch only", async () => {
    const run = await build();
    const environment = run.one("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environment.inputs).toEqual({
      repository: "planningos", environment: "production", reviewers: [{ users: [1234567], teams: [9182736] }],
      preventSelfReview: true, canAdminsBypass: false, deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const policy = run.one("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policy.inputs).toMatchObject({ repository: "planningos", environment: "production", branchPattern: "main" });
    expect(policy.dependencies).toContain(environment.urn);
  });

  it("hands deploy workflows variables in plain text and secrets only as secret, never in deprecated fields", async () => {
    const run = await build({ ...ARGS, secrets: { DEPLOY_TOKEN: "dt_live_abc", FROM_OUTPUT: pulumi.output("plain-output") } });
    const variable = run.one("github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable");
    expect(variable.inputs).toMatchObject({ variableName: "APP_URL", value: "https://app.planningos.com", environment: "production" });
    const secrets = run.all("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    expect(secrets.map((s) => s.name)).toEqual(["production-github-secret-deploy-token", "production-github-secret-from-output"]);
    for (const secret of secrets) {
      expect(secret.inputs.value).toBeInstanceOf(Secret);
      expect(Object.keys(secret.inputs).sort()).toEqual(["environment", "repository", "secretName", "value"]);
      expect(secret.dependencies).toContain(run.one("github:index/repositoryEnvironment:RepositoryEnvironment").urn);
    }
  });

  it("manages repository-wide settings only in the owner stack: adopted, protected, retained", async () => {
    const run = await build();
    const repository = run.one("github:index/repository:Repository");
    expect(repository.inputs).toMatchObject({
      name: "planningos", deleteBranchOnMerge: true, allowMergeCommit: false, allowSquashMerge: true, allowRebaseMerge: true,
      securityAndAnalysis: { secretScanning: { status: "enabled" }, secretScanningPushProtection: { status: "enabled" } },
    });
    expect(repository).toMatchObject({ protect: true, retainOnDelete: true });
    expect(repository.ignoreChanges).toContain("visibility");
    expect(run.one("github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts").inputs).toMatchObject({ repository: "planningos", enabled: true });
    const updates = run.one("github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates");
    expect(updates.inputs.enabled).toBe(true);
    // Dependabot security updates need vulnerability alerts on: the repository name flows through them.
    expect(updates.propertyDependencies.repository).toEqual([run.one("github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts").urn]);

    const other = await build({ ...ARGS, manageRepository: false });
    expect(other.all("github:index/repository:Repository")).toHaveLength(0);
    expect(other.all("github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts")).toHaveLength(0);
  });

  it("exposes the environment name for deploy workflows", async () => {
    const run = await build();
    expect(await resolve(run.value.environment)).toMatchObject({ value: "production" });
  });

  it.each<[Partial<RepositoryArgs>, string]>([
    [{ repository: "planningos" }, 'Repository "production-github": repository is "planningos"; expected owner/name'],
    [{ protection: { ...PRODUCTION_RULES, pullRequest: { approvals: 7, codeOwnerReview: false } } },
      'Repository "production-github": protection.pullRequest.approvals is 7; expected a whole number from 1 to 6'],
    [{ reviewers: { users: [-1] } }, 'Repository "production-github": reviewers has -1; expected numeric GitHub user and team ids'],
    [{ reviewers: { users: [1, 2, 3, 4], teams: [5, 6, 7] } }, 'Repository "production-github": reviewers has 7 entries; expected at most 6 (GitHub\'s limit)'],
    [{ variables: { A: "1" }, secrets: { A: "2" } }, 'Repository "production-github": A in both variables and secrets; expected each name once'],
  ])("rejects %o before creating anything", async (patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

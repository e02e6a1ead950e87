import { describe, expect, it } from "vitest";
import {
  branchAdminsAndStale, branchMergeHygiene, branchNoForcePush, branchRequiresReview, branchSignedCommits, branchStatusChecks,
  branchTwoApprovals, dynamicResourceTyped, productionEnvironmentApproval, repositoryBranchProtected,
  repositorySecurityFeatures,
} from "../../policy/delivery";
import { T } from "../../policy/util";
import { UNKNOWN } from "../../policy/offline";
import * as f from "./fixtures";
import { check, checkStack, planned, set, urnOf, violations } from "./harness";

/** One-property changes to the branch protection and the ruleset fixtures, checked by `policy`. */
const on = (policy: typeof branchNoForcePush) => ({
  bp: (path: string, value: unknown) => check(policy, T.branchProtection, set(f.branchProtection, path, value)),
  rs: (path: string, value: unknown) => check(policy, T.repositoryRuleset, set(f.repositoryRuleset, path, value)),
});

describe("branch-no-force-push", () => {
  const { bp, rs } = on(branchNoForcePush);
  it("passes both resource kinds", () => {
    expect(check(branchNoForcePush, T.branchProtection, f.branchProtection)).toEqual([]);
    expect(check(branchNoForcePush, T.repositoryRuleset, f.repositoryRuleset)).toEqual([]);
  });
  it("applies to staging branches too", () => expect(bp("pattern", "develop")).toEqual([]));
  it("fails force pushes", () => expect(bp("allowsForcePushes", true)).toEqual(["Block force pushes to the branch."]));
  it("fails deletion", () => expect(bp("allowsDeletions", true)).toEqual(["Block deletion of the branch."]));
  it("fails a ruleset without nonFastForward", () => expect(rs("rules.nonFastForward", false)).toEqual(["Block force pushes to the branch."]));
  it("fails a ruleset without deletion", () => expect(rs("rules.deletion", undefined)).toEqual(["Block deletion of the branch."]));
  it("ignores tag rulesets", () => expect(rs("target", "tag")).toEqual([]));
});

describe("branch-requires-review", () => {
  const { bp, rs } = on(branchRequiresReview);
  it("passes", () => expect(bp("pattern", "main")).toEqual([]));
  it("leaves staging branches to the lighter tier", () => {
    expect(check(branchRequiresReview, T.branchProtection, { ...f.branchProtection, pattern: "develop", requiredPullRequestReviews: [] })).toEqual([]);
  });
  it("fails no pull request", () => expect(bp("requiredPullRequestReviews", [])).toEqual(["Require a pull request with at least 1 approving review."]));
  it("fails zero approvals", () => {
    expect(bp("requiredPullRequestReviews.0.requiredApprovingReviewCount", 0)).toEqual(["Require a pull request with at least 1 approving review."]);
  });
  it("fails without last-push approval", () => {
    expect(bp("requiredPullRequestReviews.0.requireLastPushApproval", false)).toEqual(["Require approval of the most recent push."]);
  });
  it("fails non-strict checks", () => expect(bp("requiredStatusChecks.0.strict", false)).toEqual(["Require branches to be up to date before merging."]));
  it("reads a ruleset's pull request rule", () => {
    expect(rs("rules.pullRequest", undefined)).toEqual(["Require a pull request with at least 1 approving review."]);
    expect(rs("rules.requiredStatusChecks.strictRequiredStatusChecksPolicy", false)).toEqual(["Require branches to be up to date before merging."]);
  });
  it("covers a ruleset naming the branch", () => {
    expect(rs("conditions.refName.includes", ["refs/heads/develop"])).toEqual([]);
    expect(check(branchRequiresReview, T.repositoryRuleset,
      set(set(f.repositoryRuleset, "conditions.refName.includes", ["refs/heads/main"]), "rules.pullRequest", undefined)))
      .toEqual(["Require a pull request with at least 1 approving review."]);
  });
});

describe("branch-status-checks", () => {
  const { bp, rs } = on(branchStatusChecks);
  it("passes", () => expect(bp("pattern", "develop")).toEqual([]));
  it("fails a staging branch without checks", () => {
    expect(check(branchStatusChecks, T.branchProtection, { ...f.branchProtection, pattern: "develop", requiredStatusChecks: [] }))
      .toEqual(["Require at least one status check to pass before merging."]);
  });
  it("fails empty contexts", () => expect(bp("requiredStatusChecks.0.contexts", [])).toEqual(["Require at least one status check to pass before merging."]));
  it("fails a ruleset without checks", () => {
    expect(rs("rules.requiredStatusChecks.requiredChecks", [])).toEqual(["Require at least one status check to pass before merging."]);
  });
});

describe("branch-two-approvals", () => {
  const { bp } = on(branchTwoApprovals);
  it("passes", () => expect(bp("pattern", "main")).toEqual([]));
  it("fails one approval", () => {
    expect(bp("requiredPullRequestReviews.0.requiredApprovingReviewCount", 1)).toEqual(["Require at least 2 approving reviews."]);
  });
  it("fails without code owners", () => {
    expect(bp("requiredPullRequestReviews.0.requireCodeOwnerReviews", false)).toEqual(["Require review from code owners."]);
  });
});

describe("branch-admins-and-stale", () => {
  const { bp, rs } = on(branchAdminsAndStale);
  it("passes", () => expect(rs("name", "main")).toEqual([]));
  it("fails stale approvals", () => {
    expect(bp("requiredPullRequestReviews.0.dismissStaleReviews", false)).toEqual(["Dismiss stale approvals when new commits are pushed."]);
  });
  it("fails admins exempt", () => {
    expect(bp("enforceAdmins", false)).toEqual(["Apply the branch rules to administrators too (enforceAdmins, no bypass actors)."]);
  });
  it("fails a ruleset with bypass actors", () => {
    expect(rs("bypassActors", [{ actorId: 5, actorType: "RepositoryRole", bypassMode: "always" }]))
      .toEqual(["Apply the branch rules to administrators too (enforceAdmins, no bypass actors)."]);
  });
});

describe("branch-merge-hygiene", () => {
  const { bp, rs } = on(branchMergeHygiene);
  it("passes", () => expect(bp("pattern", "main")).toEqual([]));
  it("fails unresolved conversations", () => {
    expect(bp("requireConversationResolution", false)).toEqual(["Require conversation resolution before merging."]);
    expect(rs("rules.pullRequest.requiredReviewThreadResolution", false)).toEqual(["Require conversation resolution before merging."]);
  });
  it("fails merge commits", () => expect(bp("requiredLinearHistory", false)).toEqual(["Require linear history."]));
});

describe("branch-signed-commits", () => {
  const { bp, rs } = on(branchSignedCommits);
  it("passes", () => expect(rs("name", "main")).toEqual([]));
  it("fails unsigned commits", () => expect(bp("requireSignedCommits", false)).toEqual(["Require signed commits."]));
});

describe("repository-branch-protected", () => {
  const repo = planned(T.repository, "repo", f.repository);
  const protection = (props: object, extra = {}) => planned(T.branchProtection, "main", props, extra);
  const message = "Protect the repository's default branch with branch protection or an active branch ruleset.";
  it("passes a repository linked by dependency while its id is unknown", () => {
    const rule = protection({ ...f.branchProtection, repositoryId: UNKNOWN }, { propertyDependencies: { repositoryId: [repo.urn] } });
    expect(checkStack(repositoryBranchProtected, [repo, rule])).toEqual([]);
  });
  it("passes a ruleset naming the repository", () => {
    expect(checkStack(repositoryBranchProtected, [repo, planned(T.repositoryRuleset, "rs", f.repositoryRuleset)])).toEqual([]);
  });
  it("fails an unprotected repository", () => expect(checkStack(repositoryBranchProtected, [repo])).toEqual([message]));
  it("fails protection of another branch only", () => {
    expect(checkStack(repositoryBranchProtected, [repo, protection({ ...f.branchProtection, pattern: "develop" })])).toEqual([message]);
  });
  it("fails a ruleset that only evaluates", () => {
    const rs = planned(T.repositoryRuleset, "rs", { ...f.repositoryRuleset, enforcement: "evaluate" });
    expect(checkStack(repositoryBranchProtected, [repo, rs])).toEqual([message]);
  });
  it("reports the repository's URN", () => {
    expect(violations(repositoryBranchProtected, [repo]).map((v) => v.urn)).toEqual([urnOf(T.repository, "repo")]);
  });
});

describe("repository-security-features", () => {
  const repo = (props: object) => planned(T.repository, "subject", props);
  const alerts = (props: object, extra = {}) => planned(T.repositoryVulnerabilityAlerts, "alerts", props, extra);
  it("passes", () => expect(checkStack(repositorySecurityFeatures, [repo(f.repository)])).toEqual([]));
  it("passes with alerts from their own resource, by repository name", () => {
    expect(checkStack(repositorySecurityFeatures, [repo({ ...f.repository, vulnerabilityAlerts: undefined }), alerts({ repository: f.repository.name, enabled: true })])).toEqual([]);
  });
  it("passes with alerts from their own resource, by dependency when the name is unknown", () => {
    const subject = repo({ ...f.repository, vulnerabilityAlerts: undefined });
    const linked = alerts({ enabled: true }, { propertyDependencies: { repository: [subject.urn] } });
    expect(checkStack(repositorySecurityFeatures, [subject, linked])).toEqual([]);
  });
  it("fails without vulnerability alerts", () => {
    expect(checkStack(repositorySecurityFeatures, [repo({ ...f.repository, vulnerabilityAlerts: false })])).toEqual(["Turn on vulnerability alerts."]);
  });
  it("fails when the alerts resource turns them off", () => {
    expect(checkStack(repositorySecurityFeatures, [repo({ ...f.repository, vulnerabilityAlerts: undefined }), alerts({ repository: f.repository.name, enabled: false })]))
      .toEqual(["Turn on vulnerability alerts."]);
  });
  it("fails without secret scanning", () => {
    expect(checkStack(repositorySecurityFeatures, [repo(set(f.repository, "securityAndAnalysis.secretScanning.status", "disabled"))]))
      .toEqual(["Turn on secret scanning."]);
  });
  it("fails without push protection", () => {
    expect(checkStack(repositorySecurityFeatures, [repo(set(f.repository, "securityAndAnalysis.secretScanningPushProtection", undefined))]))
      .toEqual(["Turn on secret scanning push protection."]);
  });
  it("can leave scanning to plans that have it", () => {
    expect(checkStack(repositorySecurityFeatures, [repo({ ...f.repository, securityAndAnalysis: undefined })], { requireSecretScanning: false }))
      .toEqual([]);
  });
});

describe("production-environment-approval", () => {
  const env = (path: string, value: unknown) => check(productionEnvironmentApproval, T.repositoryEnvironment, set(f.repositoryEnvironment, path, value));
  it("passes", () => expect(env("waitTimer", 0)).toEqual([]));
  it("ignores other environments", () => expect(env("environment", "staging")).toEqual([]));
  it("fails no reviewers", () => expect(env("reviewers", [{ users: [], teams: [] }])).toEqual(["Require at least one reviewer for production deployments."]));
  it("fails self-review", () => expect(env("preventSelfReview", false)).toEqual(["Prevent self-review of production deployments."]));
  it("fails admin bypass, the provider's default", () => {
    expect(env("canAdminsBypass", undefined)).toEqual(["Stop administrators from bypassing production deployment approval."]);
  });
  it("fails any branch deploying", () => expect(env("deploymentBranchPolicy", undefined)).toEqual(["Limit production deployments to protected branches."]));
  it("passes custom branch policies", () => {
    expect(env("deploymentBranchPolicy", { protectedBranches: false, customBranchPolicies: true })).toEqual([]);
  });
});

describe("dynamic-resource-typed", () => {
  it("passes typed dynamic resources", () => {
    expect(checkStack(dynamicResourceTyped, [planned(T.neonProject, "db", f.neonProject)])).toEqual([]);
  });
  it("fails a bare dynamic resource", () => {
    expect(checkStack(dynamicResourceTyped, [planned(T.bareDynamic, "thing", {})]))
      .toEqual(["Give the dynamic resource a module and type so policies can target it."]);
  });
});

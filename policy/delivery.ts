import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { branchRules, coversBranch, rulesetRefs, type BranchRules } from "./branches";
import { T, block, forTypes, list, obj } from "./util";

const productionBranchesSchema = {
  productionBranches: { type: "array" as const, items: { type: "string" as const }, default: ["main", "master"] },
};

/** A branch-rule policy; `productionOnly` leaves staging/feature branches to the lighter tier. */
function branchPolicy(productionOnly: boolean, check: (rules: BranchRules, args: ResourceValidationArgs) => string[]) {
  return forTypes([T.branchProtection, T.repositoryRuleset], (props, args, report) => {
    const { productionBranches } = args.getConfig<{ productionBranches: string[] }>();
    const rules = branchRules(args.type, props, productionBranches);
    if (!rules || (productionOnly && !rules.production)) return;
    check(rules, args).forEach(report);
  });
}

export const branchNoForcePush: ResourceValidationPolicy = {
  name: "branch-no-force-push",
  description: "Protected branches refuse force pushes and deletion (Scorecard tier 1, CKV_GITHUB_5/18).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(false, (rules) => [
    ...(rules.forcePushBlocked ? [] : ["Block force pushes to the branch."]),
    ...(rules.deletionBlocked ? [] : ["Block deletion of the branch."]),
  ]),
};

export const branchRequiresReview: ResourceValidationPolicy = {
  name: "branch-requires-review",
  description: "Production branches take changes only through reviewed, up-to-date pull requests (Scorecard tier 2).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(true, (rules) => [
    ...(rules.approvals === undefined || rules.approvals < 1 ? ["Require a pull request with at least 1 approving review."] : []),
    ...(rules.approvals !== undefined && !rules.lastPushApproval ? ["Require approval of the most recent push."] : []),
    ...(rules.strictChecks ? [] : ["Require branches to be up to date before merging."]),
  ]),
};

export const branchStatusChecks: ResourceValidationPolicy = {
  name: "branch-status-checks",
  description: "Every protected branch, staging included, requires at least one status check (Scorecard tier 3, CKV_GITHUB_14).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(false, (rules) =>
    rules.checks > 0 ? [] : ["Require at least one status check to pass before merging."]),
};

export const branchTwoApprovals: ResourceValidationPolicy = {
  name: "branch-two-approvals",
  description: "Production branches need `minApprovals` approvals and code-owner review (Scorecard tier 4, CKV_GIT_5).",
  enforcementLevel: "advisory",
  configSchema: { properties: { ...productionBranchesSchema, minApprovals: { type: "integer", minimum: 1, default: 2 } } },
  validateResource: branchPolicy(true, (rules, args) => {
    const { minApprovals } = args.getConfig<{ minApprovals: number }>();
    return [
      ...((rules.approvals ?? 0) < minApprovals ? [`Require at least ${minApprovals} approving reviews.`] : []),
      ...(rules.codeOwners ? [] : ["Require review from code owners."]),
    ];
  }),
};

export const branchAdminsAndStale: ResourceValidationPolicy = {
  name: "branch-admins-and-stale",
  description: "Production branch rules bind administrators and drop approvals on new pushes (Scorecard tier 5, CKV_GITHUB_10/11).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(true, (rules) => [
    ...(rules.dismissStale ? [] : ["Dismiss stale approvals when new commits are pushed."]),
    ...(rules.adminsIncluded ? [] : ["Apply the branch rules to administrators too (enforceAdmins, no bypass actors)."]),
  ]),
};

export const branchMergeHygiene: ResourceValidationPolicy = {
  name: "branch-merge-hygiene",
  description: "Production branches require resolved conversations and linear history (CKV_GITHUB_16/8).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(true, (rules) => [
    ...(rules.conversationResolution ? [] : ["Require conversation resolution before merging."]),
    ...(rules.linearHistory ? [] : ["Require linear history."]),
  ]),
};

export const branchSignedCommits: ResourceValidationPolicy = {
  name: "branch-signed-commits",
  description: "Production branches accept only signed commits (CKV_GIT_6).",
  enforcementLevel: "advisory",
  configSchema: { properties: productionBranchesSchema },
  validateResource: branchPolicy(true, (rules) => (rules.signedCommits ? [] : ["Require signed commits."])),
};

/** Whether `rule` names `repo` as its repository, through a dependency (ids are unknown in preview) or by name. */
function targets(rule: PolicyResource, repo: PolicyResource): boolean {
  const linked = [...(rule.propertyDependencies.repositoryId ?? []), ...(rule.propertyDependencies.repository ?? [])];
  if ([...linked, ...rule.dependencies].some((dep) => dep.urn === repo.urn)) return true;
  // A field that comes from another resource's output is that link, not a name to compare (and may be unknown).
  if (linked.length > 0) return false;
  const name = repo.props.name;
  return typeof name === "string" && (rule.props.repositoryId === name || rule.props.repository === name);
}

export const repositoryBranchProtected: StackValidationPolicy = {
  name: "repository-branch-protected",
  description: "Every managed repository protects its default branch with branch protection or an active branch ruleset (CKV2_GIT_1).",
  enforcementLevel: "mandatory",
  configSchema: { properties: productionBranchesSchema },
  validateStack: (args, reportViolation) => {
    const { productionBranches } = args.getConfig<{ productionBranches: string[] }>();
    const rules = args.resources.filter((r) =>
      (r.type === T.branchProtection && productionBranches.includes(String(r.props.pattern))) ||
      (r.type === T.repositoryRuleset && r.props.target === "branch" && r.props.enforcement === "active" &&
        coversBranch(rulesetRefs(r.props), productionBranches)));
    for (const repo of args.resources.filter((r) => r.type === T.repository)) {
      if (!rules.some((rule) => targets(rule, repo))) {
        reportViolation("Protect the repository's default branch with branch protection or an active branch ruleset.", repo.urn);
      }
    }
  },
};

export const repositorySecurityFeatures: StackValidationPolicy = {
  name: "repository-security-features",
  description: "Repositories get vulnerability alerts (on the repository or its own resource), secret scanning and push protection (CKV_GIT_3).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { requireSecretScanning: { type: "boolean", default: true } } },
  validateStack: (args, report) => {
    const { requireSecretScanning } = args.getConfig<{ requireSecretScanning: boolean }>();
    const alerts = args.resources.filter((r) => r.type === T.repositoryVulnerabilityAlerts && r.props.enabled !== false);
    for (const repo of args.resources.filter((r) => r.type === T.repository)) {
      // Provider 6.x moved alerts to their own resource; it names the repository or depends on it.
      const alerted = repo.props.vulnerabilityAlerts === true || alerts.some((a) =>
        a.props.repository === repo.props.name || (a.propertyDependencies?.repository ?? []).some((d) => d.urn === repo.urn));
      if (!alerted) report("Turn on vulnerability alerts.", repo.urn);
      if (!requireSecretScanning) continue;
      const analysis = block(repo.props.securityAndAnalysis);
      if (block(analysis?.secretScanning)?.status !== "enabled") report("Turn on secret scanning.", repo.urn);
      if (block(analysis?.secretScanningPushProtection)?.status !== "enabled") report("Turn on secret scanning push protection.", repo.urn);
    }
  },
};

export const productionEnvironmentApproval: ResourceValidationPolicy = {
  name: "production-environment-approval",
  description: "Deploys to a production GitHub environment wait for a reviewer other than the author, admins included, from protected branches only.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { productionEnvironments: { type: "array", items: { type: "string" }, default: ["production"] } },
  },
  validateResource: forTypes([T.repositoryEnvironment], (props, args, report) => {
    const { productionEnvironments } = args.getConfig<{ productionEnvironments: string[] }>();
    if (!productionEnvironments.includes(String(props.environment))) return;
    const reviewers = list(props.reviewers).map(obj);
    if (!reviewers.some((r) => list(r?.users).length + list(r?.teams).length > 0)) {
      report("Require at least one reviewer for production deployments.");
    }
    if (props.preventSelfReview !== true) report("Prevent self-review of production deployments.");
    if (props.canAdminsBypass !== false) report("Stop administrators from bypassing production deployment approval.");
    const branches = block(props.deploymentBranchPolicy);
    if (branches?.protectedBranches !== true && branches?.customBranchPolicies !== true) {
      report("Limit production deployments to protected branches.");
    }
  }),
};

export const dynamicResourceTyped: StackValidationPolicy = {
  name: "dynamic-resource-typed",
  description: "Dynamic resources declare a module and type, so policies can tell a database from a DNS name.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources.filter((resource) => resource.type === T.bareDynamic)) {
      reportViolation("Give the dynamic resource a module and type so policies can target it.", r.urn);
    }
  },
};

export const deliveryPolicies = [
  branchNoForcePush, branchRequiresReview, branchStatusChecks, branchTwoApprovals, branchAdminsAndStale,
  branchMergeHygiene, branchSignedCommits, repositoryBranchProtected, repositorySecurityFeatures,
  productionEnvironmentApproval, dynamicResourceTyped,
];

import { T, block, list, obj, type Props } from "./util";

/** What a branch protection or a branch ruleset demands, in one shape. */
export interface BranchRules {
  /** Whether the rules cover one of the production branches. */
  production: boolean;
  forcePushBlocked: boolean;
  deletionBlocked: boolean;
  /** Approvals a pull request needs; undefined when no pull request is required. */
  approvals?: number;
  lastPushApproval: boolean;
  codeOwners: boolean;
  dismissStale: boolean;
  strictChecks: boolean;
  checks: number;
  adminsIncluded: boolean;
  conversationResolution: boolean;
  linearHistory: boolean;
  signedCommits: boolean;
}

/** Ruleset ref patterns that reach the default branch whatever it is called. */
const DEFAULT_REFS = ["~DEFAULT_BRANCH", "~ALL"];

export function rulesetRefs(props: Props): string[] {
  return list(obj(obj(props.conditions)?.refName)?.includes).map(String);
}

export function coversBranch(refs: string[], branches: string[]): boolean {
  return refs.some((ref) => DEFAULT_REFS.includes(ref) || branches.some((b) => ref === b || ref === `refs/heads/${b}`));
}

/** Normalises the two GitHub resources; undefined for anything that isn't a branch rule. */
export function branchRules(type: string, props: Props, productionBranches: string[]): BranchRules | undefined {
  if (type === T.branchProtection) {
    const reviews = block(props.requiredPullRequestReviews);
    const checks = block(props.requiredStatusChecks);
    return {
      production: productionBranches.includes(String(props.pattern)),
      forcePushBlocked: props.allowsForcePushes !== true,
      deletionBlocked: props.allowsDeletions !== true,
      approvals: reviews ? Number(reviews.requiredApprovingReviewCount ?? 1) : undefined,
      lastPushApproval: reviews?.requireLastPushApproval === true,
      codeOwners: reviews?.requireCodeOwnerReviews === true,
      dismissStale: reviews?.dismissStaleReviews === true,
      strictChecks: checks?.strict === true,
      checks: list(checks?.contexts).length,
      adminsIncluded: props.enforceAdmins === true,
      conversationResolution: props.requireConversationResolution === true,
      linearHistory: props.requiredLinearHistory === true,
      signedCommits: props.requireSignedCommits === true,
    };
  }
  if (type !== T.repositoryRuleset || props.target !== "branch") return undefined;
  const rules = obj(props.rules) ?? {};
  const pr = block(rules.pullRequest);
  const checks = block(rules.requiredStatusChecks);
  return {
    production: coversBranch(rulesetRefs(props), productionBranches),
    forcePushBlocked: rules.nonFastForward === true,
    deletionBlocked: rules.deletion === true,
    approvals: pr ? Number(pr.requiredApprovingReviewCount ?? 0) : undefined,
    lastPushApproval: pr?.requireLastPushApproval === true,
    codeOwners: pr?.requireCodeOwnerReview === true,
    dismissStale: pr?.dismissStaleReviewsOnPush === true,
    strictChecks: checks?.strictRequiredStatusChecksPolicy === true,
    checks: list(checks?.requiredChecks).length,
    // Scorecard's reading: any bypass actor means the rules don't bind admins.
    adminsIncluded: list(props.bypassActors).length === 0,
    conversationResolution: pr?.requiredReviewThreadResolution === true,
    linearHistory: rules.requiredLinearHistory === true,
    signedCommits: rules.requiredSignatures === true,
  };
}

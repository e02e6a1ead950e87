/**
 * The OpenSSF Scorecard Branch-Protection score (0-10) of one classic branch protection,
 * computed from what the program declares rather than from a live repository.
 *
 * Scorecard's tiers are cumulative: each adds its points in proportion to the conditions
 * met, and scoring stops at the first tier not fully met (keeping that tier's partial
 * credit); the sum is truncated to a whole number. Scorecard can read the admin-only
 * settings only with an admin token; paved scores as if it could, since it declares them.
 */

/** The inputs of `github.BranchProtection` that Scorecard reads, as registered. */
export interface DeclaredProtection {
  allowsForcePushes?: boolean;
  allowsDeletions?: boolean;
  enforceAdmins?: boolean;
  requiredStatusChecks?: Array<{ strict?: boolean; contexts?: string[] }>;
  requiredPullRequestReviews?: Array<{
    requiredApprovingReviewCount?: number;
    dismissStaleReviews?: boolean;
    requireCodeOwnerReviews?: boolean;
    requireLastPushApproval?: boolean;
  }>;
}

/** One Scorecard probe: an id, what it asks for, and its weight inside its tier. */
export type Condition =
  | "blocksForcePush" | "blocksDelete"
  | "approvers" | "pullRequests" | "upToDate" | "lastPushApproval"
  | "statusChecks"
  | "twoApprovers" | "codeOwnerReview"
  | "dismissStale" | "appliesToAdmins";

interface Tier { points: number; conditions: Array<{ id: Condition; weight: number }> }

/** Scorecard's tiers (checks/evaluation/branch_protection.go), in order. */
export const TIERS: readonly Tier[] = [
  { points: 3, conditions: [{ id: "blocksForcePush", weight: 1 }, { id: "blocksDelete", weight: 1 }] },
  { points: 3, conditions: [
    { id: "approvers", weight: 2 }, { id: "pullRequests", weight: 1 },
    { id: "upToDate", weight: 1 }, { id: "lastPushApproval", weight: 1 },
  ] },
  { points: 2, conditions: [{ id: "statusChecks", weight: 1 }] },
  { points: 1, conditions: [{ id: "twoApprovers", weight: 1 }, { id: "codeOwnerReview", weight: 1 }] },
  { points: 1, conditions: [{ id: "dismissStale", weight: 1 }, { id: "appliesToAdmins", weight: 1 }] },
];

export interface BranchScore {
  /** 0 to 10, as Scorecard reports it. */
  score: number;
  /** Conditions of the first tier not fully met, in tier order; empty at 10/10. */
  missing: Condition[];
}

/**
 * Scores a declared protection. `codeOwnersFile` says whether the repository has a
 * CODEOWNERS file: Scorecard counts code-owner review only when one exists.
 */
export function scoreBranchProtection(p: DeclaredProtection, codeOwnersFile: boolean): BranchScore {
  const met = conditionsMet(p, codeOwnersFile);
  let score = 0;
  for (const tier of TIERS) {
    const max = tier.conditions.reduce((sum, c) => sum + c.weight, 0);
    const got = tier.conditions.reduce((sum, c) => sum + (met.has(c.id) ? c.weight : 0), 0);
    score += (tier.points * got) / max;
    if (got < max) return { score: Math.trunc(score), missing: tier.conditions.map((c) => c.id).filter((id) => !met.has(id)) };
  }
  return { score: Math.trunc(score), missing: [] };
}

function conditionsMet(p: DeclaredProtection, codeOwnersFile: boolean): Set<Condition> {
  const review = p.requiredPullRequestReviews?.[0];
  const checks = p.requiredStatusChecks?.[0];
  const approvals = review?.requiredApprovingReviewCount ?? 0;
  const met: Array<[Condition, boolean]> = [
    ["blocksForcePush", p.allowsForcePushes !== true],
    ["blocksDelete", p.allowsDeletions !== true],
    ["approvers", review !== undefined && approvals >= 1],
    ["pullRequests", review !== undefined],
    ["upToDate", checks?.strict === true],
    ["lastPushApproval", review?.requireLastPushApproval === true],
    ["statusChecks", (checks?.contexts?.length ?? 0) > 0],
    ["twoApprovers", review !== undefined && approvals >= 2],
    ["codeOwnerReview", review?.requireCodeOwnerReviews === true && codeOwnersFile],
    ["dismissStale", review?.dismissStaleReviews === true],
    ["appliesToAdmins", p.enforceAdmins === true],
  ];
  return new Set(met.filter(([, ok]) => ok).map(([id]) => id));
}

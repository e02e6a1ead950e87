/**
 * The plan's branch-protection lines: the OpenSSF Scorecard score of every branch
 * protection the program registered (from the captured inputs, so it scores what the
 * program really declares) and the config changes that would reach the next tier.
 */
import { type Condition, type DeclaredProtection, scoreBranchProtection } from "../../components/scorecard";
import type { CapturedResource } from "./values";

const BRANCH_PROTECTION = "github:index/branchProtection:BranchProtection";
const REPOSITORY = "paved:github:Repository";

const PULL_REQUESTS = "set paved:github.requirePullRequest to true";
/** The config change that satisfies each condition (for the settings paved always sets, the input to restore). */
const HINTS: Record<Condition, string> = {
  blocksForcePush: "block force pushes (allowsForcePushes: false)",
  blocksDelete: "block deletion (allowsDeletions: false)",
  approvers: PULL_REQUESTS,
  pullRequests: PULL_REQUESTS,
  upToDate: "require branches to be up to date (requiredStatusChecks.strict: true)",
  lastPushApproval: PULL_REQUESTS,
  statusChecks: "list status checks in paved:github.requiredChecks",
  twoApprovers: "set paved:github.approvals to 2",
  codeOwnerReview: "set paved:github.codeOwnerReview to true",
  dismissStale: PULL_REQUESTS,
  appliesToAdmins: "apply the rules to admins (enforceAdmins: true)",
};
const CODEOWNERS_FILE = "add a CODEOWNERS file and set paved:github.codeOwners to true";

export interface ScoredBranch { branch: string; score: number; next: string[] }

/** Scores every captured BranchProtection; `codeOwners` says whether the repository has a CODEOWNERS file. */
export function scoreCapturedProtections(resources: CapturedResource[], codeOwners: boolean): ScoredBranch[] {
  return resources.filter((r) => r.type === BRANCH_PROTECTION).map((r) => {
    const declared = r.inputs as DeclaredProtection;
    const { score, missing } = scoreBranchProtection(declared, codeOwners);
    const hints = missing.flatMap((condition) => {
      if (condition !== "codeOwnerReview") return [HINTS[condition]];
      const asked = declared.requiredPullRequestReviews?.[0]?.requireCodeOwnerReviews === true;
      return [...(asked ? [] : [HINTS.codeOwnerReview]), ...(codeOwners ? [] : [CODEOWNERS_FILE])];
    });
    return { branch: String(r.inputs.pattern), score, next: [...new Set(hints)] };
  });
}

/** One line per protected branch; a note when the stack guards GitHub but protects no branch (previews). */
export function renderBranchProtection(resources: CapturedResource[], codeOwners: boolean): string[] {
  const scored = scoreCapturedProtections(resources, codeOwners);
  if (scored.length === 0) {
    return resources.some((r) => r.type === REPOSITORY)
      ? ["Branch protection: none in this stack (its branch is a pull request's; the branch it merges into is protected by that stack)"]
      : [];
  }
  return scored.map(({ branch, score, next }) =>
    `Branch protection (${branch}): ${score}/10 (OpenSSF Scorecard)${next.length ? ` — next: ${next.join("; ")}` : ""}`);
}

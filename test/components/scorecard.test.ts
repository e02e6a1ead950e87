import { describe, expect, it } from "vitest";
import { type Condition, type DeclaredProtection, scoreBranchProtection } from "../../components/scorecard";

/** Everything Scorecard rewards: 10/10 when the repository has a CODEOWNERS file. */
const HARDENED: DeclaredProtection = {
  allowsForcePushes: false, allowsDeletions: false, enforceAdmins: true,
  requiredStatusChecks: [{ strict: true, contexts: ["ci/test"] }],
  requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true, requireLastPushApproval: true }],
};
const review = (patch: object) => ({ requiredPullRequestReviews: [{ ...HARDENED.requiredPullRequestReviews![0], ...patch }] });
const hardenedWith = (patch: Partial<DeclaredProtection>): DeclaredProtection => ({ ...HARDENED, ...patch });

describe("scoreBranchProtection follows Scorecard's tiers", () => {
  const cases: Array<[string, DeclaredProtection, boolean, number, Condition[]]> = [
    ["nothing blocked", hardenedWith({ allowsForcePushes: true, allowsDeletions: true }), true, 0, ["blocksForcePush", "blocksDelete"]],
    ["tier 1 half met: 1.5, and scoring stops there", hardenedWith({ allowsDeletions: true }), true, 1, ["blocksDelete"]],
    ["tier 1 only: no pull requests, no checks", { allowsForcePushes: false, allowsDeletions: false }, true, 3,
      ["approvers", "pullRequests", "upToDate", "lastPushApproval"]],
    ["staging: strict checks without pull requests (3 + 0.6)", {
      allowsForcePushes: false, allowsDeletions: false, enforceAdmins: true, requiredStatusChecks: [{ strict: true, contexts: ["ci/test"] }],
    }, true, 3, ["approvers", "pullRequests", "lastPushApproval"]],
    ["tier 2 without last-push approval (3 + 2.4)", hardenedWith(review({ requireLastPushApproval: false })), true, 5, ["lastPushApproval"]],
    ["tier 2 with branches allowed to be behind", hardenedWith({ requiredStatusChecks: [{ strict: false, contexts: ["ci/test"] }] }), true, 5, ["upToDate"]],
    ["tiers 1-2 without a required check", hardenedWith({ requiredStatusChecks: [{ strict: true, contexts: [] }] }), true, 6, ["statusChecks"]],
    ["paved's production default: 1 approval, no code-owner review", hardenedWith(review({ requiredApprovingReviewCount: 1, requireCodeOwnerReviews: false })), false, 8,
      ["twoApprovers", "codeOwnerReview"]],
    ["2 approvals, no code-owner review (8.5)", hardenedWith(review({ requireCodeOwnerReviews: false })), true, 8, ["codeOwnerReview"]],
    ["code-owner review asked for but no CODEOWNERS file", HARDENED, false, 8, ["codeOwnerReview"]],
    ["tier 4 met, stale approvals kept (9.5)", hardenedWith(review({ dismissStaleReviews: false })), true, 9, ["dismissStale"]],
    ["tier 4 met, admins exempt", hardenedWith({ enforceAdmins: false }), true, 9, ["appliesToAdmins"]],
    ["every tier met", HARDENED, true, 10, []],
  ];

  it.each(cases)("%s", (_label, protection, codeOwnersFile, score, missing) => {
    expect(scoreBranchProtection(protection, codeOwnersFile)).toEqual({ score, missing });
  });

  it("treats unset force-push and deletion flags as blocked, GitHub's default", () => {
    expect(scoreBranchProtection({}, false)).toEqual({ score: 3, missing: ["approvers", "pullRequests", "upToDate", "lastPushApproval"] });
  });
});

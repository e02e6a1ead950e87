/** Which pull-request stacks the daily cleanup destroys. */
import { describe, expect, it } from "vitest";
import { stalePreviews } from "../../scripts/lib/stale-previews";

const NOW = new Date("2026-12-05T12:00:00Z");
const pr = (number: number, state: string, updatedAt: string) => ({ number, state, updatedAt, headRefName: `feat/${number}` });

describe("stalePreviews", () => {
  it("takes closed, merged and missing pull requests' stacks, and open ones quiet longer than the limit", () => {
    const stacks = [{ name: "staging" }, { name: "org/paved/pr-1" }, { name: "pr-2" }, { name: "pr-3" }, { name: "pr-4" }, { name: "pr-5" }];
    const prs = [pr(1, "CLOSED", "2026-12-05T00:00:00Z"), pr(2, "MERGED", "2026-12-05T00:00:00Z"), pr(3, "OPEN", "2026-11-27T11:00:00Z"), pr(4, "OPEN", "2026-11-29T00:00:00Z")];
    expect(stalePreviews(stacks, prs, 7, NOW)).toEqual([
      { number: 1, branch: "feat/1", why: "pull request #1 is closed" },
      { number: 2, branch: "feat/2", why: "pull request #2 is merged" },
      { number: 3, branch: "feat/3", why: "pull request #3 has been quiet for 8 days (more than 7)" },
      { number: 5, branch: "pr-5", why: "pull request #5 is not found" },
    ]);
  });

  it("refuses what is not a list", () => {
    expect(() => stalePreviews({}, [], 7, NOW)).toThrow("stale: expected STACKS and PRS as JSON lists");
  });
});

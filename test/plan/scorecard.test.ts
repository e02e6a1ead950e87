import { describe, expect, it } from "vitest";
import type { ConfigSource } from "../../stacks/config";
import { capture } from "../harness";
import { PRODUCTION, source, withValue } from "../stacks/fixtures";

const GITHUB = { requiredChecks: ["ci/test", "ci/build"], reviewers: { teams: [9182736] } };

/** Runs the real program for a stack config and renders its branch-protection lines from the captured inputs. */
async function planLines(src: ConfigSource, codeOwners: boolean): Promise<string[]> {
  const run = await capture(async () => {
    const { program } = await import("../../stacks/program");
    return program(src);
  }, { stack: src.stack });
  const { renderBranchProtection } = await import("../../scripts/lib/scorecard");
  return renderBranchProtection(run.resources, codeOwners);
}

describe("the plan's branch-protection score, from what the program declares", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["production defaults", GITHUB,
      "Branch protection (main): 8/10 (OpenSSF Scorecard) — next: set paved:github.approvals to 2; set paved:github.codeOwnerReview to true; add a CODEOWNERS file and set paved:github.codeOwners to true"],
    ["two approvals", { ...GITHUB, approvals: 2 },
      "Branch protection (main): 8/10 (OpenSSF Scorecard) — next: set paved:github.codeOwnerReview to true; add a CODEOWNERS file and set paved:github.codeOwners to true"],
    ["code-owner review without a CODEOWNERS file", { ...GITHUB, approvals: 2, codeOwnerReview: true },
      "Branch protection (main): 8/10 (OpenSSF Scorecard) — next: add a CODEOWNERS file and set paved:github.codeOwners to true"],
    ["two approvals and code-owner review with a CODEOWNERS file", { ...GITHUB, approvals: 2, codeOwnerReview: true, codeOwners: true },
      "Branch protection (main): 10/10 (OpenSSF Scorecard)"],
  ])("%s", async (_label, github, line) => {
    const src = source(withValue(PRODUCTION, "github", github));
    const codeOwners = (github as { codeOwners?: boolean }).codeOwners ?? false;
    expect(await planLines(src, codeOwners)).toEqual([line]);
  });

  it("staging scores its checks-only branch and names what would raise it", async () => {
    // Staging never pages: the production fixture's pager would route nothing.
    const staging = withValue(withValue(withValue(PRODUCTION, "kind", "staging"), "branch", "develop"), "monitors.alerts.pagerduty", undefined);
    const src = source(withValue(staging, "github", { requiredChecks: ["ci/test"] }), { stack: "staging" });
    expect(await planLines(src, false)).toEqual([
      "Branch protection (develop): 3/10 (OpenSSF Scorecard) — next: set paved:github.requirePullRequest to true",
    ]);
  });

  it("a preview stack says it protects no branch", async () => {
    const preview = withValue(withValue(withValue(PRODUCTION, "kind", "preview"), "branch", "feature/login"), "monitors.alerts.pagerduty", undefined);
    const src = source(withValue(preview, "github", {}), { stack: "pr-7" });
    expect(await planLines(src, false)).toEqual([
      "Branch protection: none in this stack (its branch is a pull request's; the branch it merges into is protected by that stack)",
    ]);
  });

  it("a stack without paved:github prints nothing", async () => {
    expect(await planLines(source(PRODUCTION), false)).toEqual([]);
  });
});

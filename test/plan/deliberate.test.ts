/** The plan's "Deliberately not as some guides have it" section: a line per safer choice, only where the plan makes it. */
import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../../scripts/lib/capture";
import { renderDeliberate } from "../../scripts/lib/deliberate";
import { planStack } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { ROOT } from "../engine/run-program";

const resource = (type: string, inputs: Record<string, unknown>) => ({ type, inputs }) as unknown as CapturedResource;
const XSS = "  X-XSS-Protection: not sent, where a guide asks for \"1; mode=block\": browsers removed the filter it switched on, " +
  "OWASP advises against sending it, and the Content-Security-Policy is what blocks injected scripts";

describe("the plan's deliberate differences from the guides", () => {
  it("says why X-XSS-Protection is not sent where the zone's headers are planned, and why merges are linear", () => {
    expect(renderDeliberate([
      resource("cloudflare:index/ruleset:Ruleset", { phase: "http_response_headers_transform" }),
      resource("github:index/branchProtection:BranchProtection", { pattern: "main", requiredLinearHistory: true }),
      resource("github:index/branchProtection:BranchProtection", { pattern: "staging", requiredLinearHistory: false }),
    ])?.split("\n")).toEqual([
      "Deliberately not as some guides have it:",
      XSS,
      "  merges into main: squash or rebase, never a merge commit (where a guide merges with --no-ff): history stays linear, so each commit on the branch is one reviewed change that can be reverted alone",
    ]);
  });

  it("says nothing where the plan makes neither choice", () => {
    expect(renderDeliberate([resource("cloudflare:index/ruleset:Ruleset", { phase: "http_request_cache_settings" })])).toBeUndefined();
  });

  it("is in PlanningOS production's plan, whose zone and main branch paved guards", async () => {
    const { resources } = await planStack(readStackFile("production", ROOT).source);
    expect(renderDeliberate(resources)?.split("\n")).toEqual(expect.arrayContaining([XSS, expect.stringMatching(/^  merges into main: squash or rebase/)]));
  });
});

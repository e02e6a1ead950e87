/** The long-lived stacks a repository holds and which pushes deploy them, read from the stack files. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chosen, deployedBy, stackTargets } from "../../scripts/lib/stack-targets";

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "paved-targets-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("stackTargets", () => {
  const dir = repo({
    "Pulumi.yaml": "name: paved\nruntime: nodejs\n",
    "Pulumi.production.yaml": "config:\n  paved:api:\n    host: fly\n    image:\n      promoteFrom: organization/paved/staging\n",
    "Pulumi.staging.yaml": "config:\n  paved:kind: staging\n",
    "Pulumi.acme-production.yaml": "config:\n  paved:kind: production\n  paved:branch: release\n",
    "Pulumi.pr-42.yaml": "config:\n  paved:branch: feature/x\n",
    "Pulumi.local.yaml": "config:\n  paved:kind: local\n",
    "Pulumi.sandbox.yaml": "config:\n  paved:branch: sandbox\n",
  });

  it("lists staging- and production-kind stacks with the branch each deploys from (the kind's default when unsaid)", () => {
    expect(stackTargets(dir)).toEqual([
      { stack: "acme-production", kind: "production", branch: "release", file: "Pulumi.acme-production.yaml", promoteFrom: "" },
      { stack: "production", kind: "production", branch: "main", file: "Pulumi.production.yaml", promoteFrom: "staging" },
      { stack: "staging", kind: "staging", branch: "develop", file: "Pulumi.staging.yaml", promoteFrom: "" },
    ]);
  });

  it("deploys on a branch push only, the stacks of that branch", () => {
    const all = stackTargets(dir);
    expect(deployedBy(all, "refs/heads/release").map((t) => t.stack)).toEqual(["acme-production"]);
    expect(deployedBy(all, "refs/heads/feature/x")).toEqual([]);
    expect(deployedBy(all, "refs/tags/v1.0.0")).toEqual([]);
  });

  it("names the stacks there are when asked for one there is not", () => {
    expect(() => chosen(stackTargets(dir), "pr-42")).toThrow('stack: got "pr-42"; expected one of acme-production, production, staging');
  });
});

import { readFileSync } from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { derivePreviewStack, pinImage, upstreamStack } from "../../scripts/lib/stack-derive";
import { readStackFile } from "../../scripts/lib/stack-file";
import { loadEnvironmentConfig } from "../../stacks/config";

const ROOT = resolve(__dirname, "../..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const TMP = mkdtempSync(join(tmpdir(), "paved-derive-"));
const DIGEST = `ghcr.io/planningos/planningos-api@sha256:${"ab".repeat(32)}`;

/** The config paved would load from this stack file text. */
function load(stack: string, text: string) {
  writeFileSync(join(TMP, "Pulumi.yaml"), "name: paved\nruntime: nodejs\n");
  const path = join(TMP, `Pulumi.${stack}.yaml`);
  writeFileSync(path, text);
  return loadEnvironmentConfig(readStackFile(path, TMP).source);
}

describe("the pull-request stack file", () => {
  it("is the preview template with the pull request's branch and its own rotation label", () => {
    const config = load("pr-123", derivePreviewStack(read("examples/Pulumi.pr-42.yaml"), 123, "feature/checkout"));
    expect(config).toMatchObject({ kind: "preview", branch: "feature/checkout" });
    expect(config.secrets.rotation).toBe("pr-123");
  });

  it.each([
    [0, "main", 'pull request number: got "0"; expected a positive integer'],
    [7, "a;rm -rf ~", 'branch: got "a;rm -rf ~"; expected a git branch name'],
    [7, "../main", 'branch: got "../main"; expected a git branch name'],
  ])("refuses pull request %s on branch %s", (n, branch, message) => {
    expect(() => derivePreviewStack(read("examples/Pulumi.pr-42.yaml"), n, branch)).toThrow(message);
  });

  it("refuses a template of another kind", () => {
    expect(() => derivePreviewStack(read("Pulumi.staging.yaml"), 7, "x")).toThrow('paved:kind is "staging"; expected preview or none');
  });
});

describe("pinning an image", () => {
  it("turns production's promotion into that digest, keeping the rest of the file", () => {
    const text = pinImage(read("Pulumi.production.yaml"), DIGEST);
    expect(load("production", text).api?.image).toEqual({ kind: "digest", ref: DIGEST });
    expect(text).toContain("# PlanningOS production");
    expect(upstreamStack(text, "image")).toBeUndefined();
  });

  it("turns staging's build into that digest, for a rollback", () => {
    expect(load("staging", pinImage(read("Pulumi.staging.yaml"), DIGEST)).api?.image).toEqual({ kind: "digest", ref: DIGEST });
  });

  it("refuses a reference that is not pinned by digest", () => {
    expect(() => pinImage(read("Pulumi.production.yaml"), "ghcr.io/planningos/api:latest"))
      .toThrow('image: got "ghcr.io/planningos/api:latest"; expected a reference pinned by digest');
  });

  it("names the stacks a stack reads", () => {
    expect(upstreamStack(read("Pulumi.production.yaml"), "image")).toBe("organization/paved/staging");
    expect(upstreamStack(read("examples/Pulumi.pr-42.yaml"), "database")).toBe("organization/paved/staging");
    expect(upstreamStack(read("Pulumi.staging.yaml"), "image")).toBeUndefined();
  });
});

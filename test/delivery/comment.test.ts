import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderComment } from "../../scripts/lib/comment";
import { type PreviewDigest, renderDrift, stackOf } from "../../scripts/lib/drift";
import type { Snapshot } from "../../scripts/lib/snapshot";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as T;
const base = fixture<Snapshot>("production-base.json");
const head = fixture<Snapshot>("production-head.json");

// Values the fixtures hold that a comment or an issue must never show.
const NEVER_SHOWN = [/fixture-plaintext/, /fixture-record-content/, /hunter2/];

describe("the pull-request comment", () => {
  const comment = renderComment(base, head);

  it("matches the golden comment", async () => {
    await expect(comment).toMatchFileSnapshot("golden/comment-production.md");
  });

  it("calls out the replaced and deleted protected resources first, on the first line", () => {
    const [first] = comment.split("\n");
    expect(first).toBe("**paved plan `production`** · ⚠️ **replaces protected** `production-database-project`, **deletes protected** `production-cdn-www`"
      + " · +1 ~4 -1 (3 replaced) · policy ❌ 1 mandatory, 1 advisory");
  });

  it("gives each resource a collapsible detail and ends with the policy verdict and the marker", () => {
    expect(comment.match(/<details><summary><code>[+~±-]<\/code>/g)).toHaveLength(6);
    expect(comment).toContain("- **mandatory** `database-retention` on `production-database-project`: Keep at least 7 days of point-in-time history. *(new)*");
    expect(comment.trimEnd().split("\n").at(-1)).toBe("<!-- paved-plan:production -->");
  });

  it("says so when nothing differs", async () => {
    const same = renderComment(head, head);
    expect(same.split("\n")[0]).toBe("**paved plan `production`** · +0 ~0 -0 · policy ❌ 1 mandatory, 1 advisory");
    expect(same).toContain("No differences.");
    expect(same).not.toContain("*(new)*");
  });

  it("shows secrets only as [secret]", () => {
    const withSecret = structuredClone(head);
    withSecret.resources.find((r) => r.name === "production-web-env-jwt")!.inputs.value = "[secret]";
    for (const pattern of NEVER_SHOWN) expect(renderComment(base, withSecret)).not.toMatch(pattern);
    expect(comment).not.toMatch(/"value":\s*"(?!\[secret\])/);
  });
});

describe("the drift issue", () => {
  const digest = fixture<PreviewDigest>("drift-production.json");
  const body = renderDrift(digest, stackOf(digest)!);

  it("matches the golden body", async () => {
    await expect(body).toMatchFileSnapshot("golden/drift-production.md");
  });

  it("leads with a protected resource gone and names what drifted, never a value", () => {
    expect(body.split("\n")[0]).toBe("**paved drift `production`** · ⚠️ **protected gone** `production-cdn-app` · 3 resources drifted: ~2 -1");
    expect(body).toContain("| ~ | `production-web-env-api-url` | `vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable` | `value` |");
    expect(body).not.toContain("production-secrets-jwt-secret");
    for (const pattern of NEVER_SHOWN) expect(body).not.toMatch(pattern);
  });

  it("reads as clean when nothing drifted", async () => {
    const clean = renderDrift(fixture<PreviewDigest>("drift-clean.json"), "production");
    await expect(clean).toMatchFileSnapshot("golden/drift-clean.md");
    expect(clean).toContain("<!-- paved-drift:production -->");
  });
});

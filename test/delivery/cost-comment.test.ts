/**
 * The cost in the pull-request comment, over a fixed price table: a pull request whose stack
 * adds a Fly.io machine shows the added monthly cost on its first line and what moved it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderComment } from "../../scripts/lib/comment";
import { estimateCost } from "../../scripts/lib/cost";
import type { PriceTable } from "../../scripts/lib/prices";
import { attachCost, type Snapshot } from "../../scripts/lib/snapshot";
import { resolveCost } from "../../stacks/sections/cost";

const at = (usd: number | null, id: string) => ({ id, service: id, item: id, unit: "month", usd, source: "https://prices.example/", read: "2026-11-20", ...(usd === null ? { missing: "not on the page" } : {}) });
const TABLE: PriceTable = { currency: "USD", entries: [
  at(6.2, "fly.machine.shared-1x-512mb"), at(0, "fly.ipv4.shared"), at(0, "fly.ipv6"), at(0.1, "neon.launch.compute"),
  at(20, "vercel.pro.seat"), at(0.0001, "checkly.api-run"), at(null, "checkly.plan"),
] };

/** A snapshot the plan wrote, priced again by the fixed table. */
const priced = (name: string) => {
  const snapshot = JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as Snapshot;
  return attachCost(snapshot, estimateCost(snapshot.resources, "preview", resolveCost(undefined, "preview"), TABLE));
};

describe("the cost in the pull-request comment", () => {
  const base = priced("pr-42-base.json");
  const head = priced("pr-42-head.json");
  const comment = renderComment(base, head);

  it("matches the golden comment", async () => {
    await expect(comment).toMatchFileSnapshot("golden/comment-pr-42-machine.md");
  });

  it("puts the monthly change on the first line", () => {
    // The added machine stops when idle: 8 of 24 hours at least ($2.07), all month at most ($6.20).
    expect(comment.split("\n")[0]).toBe("**paved plan `pr-42`** · +1 ~0 -0 · +$2.07–+$6.20/mo · policy ✅ 0 mandatory, 2 advisory");
  });

  it("names what moved it and what the pull request's stack costs a day", () => {
    expect(comment).toContain("$16.91–$21.04 → **$18.98–$27.24** a month (+$2.07–+$6.20/mo).");
    expect(comment).toContain("- `pr-42-api-cdg-2` `paved:fly:Machine` (new): +$2.07–+$6.20/mo");
    expect(comment).toContain("While this pull request stays open its stack costs $0.62–$0.90 a day.");
  });

  it("leaves the first line as it was when a snapshot carries no estimate", () => {
    const bare: Snapshot = { ...base, cost: undefined };
    expect(renderComment(bare, head).split("\n")[0]).toBe("**paved plan `pr-42`** · +1 ~0 -0 · policy ✅ 0 mandatory, 2 advisory");
  });
});

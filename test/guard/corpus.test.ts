/**
 * The guard's corpus: every unsafe-but-schema-valid production config is stopped where CI
 * stops it (config, exit 2; or a mandatory policy, exit 1), and its safe twin plans clean.
 */
import { describe, expect, it } from "vitest";
import { CLASSES, type GuardCase } from "./corpus";
import { type Base, judge, type Patch, patched } from "./judge";

// Many twins are their base unchanged; each distinct stack file is judged once.
const verdicts = new Map<string, ReturnType<typeof judge>>();
function judged(base: Base, patch: Patch) {
  // Deleting a key is a change too: undefined must not vanish from the key.
  const key = JSON.stringify([base, patch], (_, v: unknown) => (v === undefined ? "<deleted>" : v));
  if (!verdicts.has(key)) verdicts.set(key, judge(patched(base, patch)));
  return verdicts.get(key)!;
}

/** Whether the verdict stops the stack at `by`: a config key (or an element or field under it), or a mandatory policy. */
function stopped(verdict: Awaited<ReturnType<typeof judge>>, by: string): boolean {
  if (verdict.stage === "config") return verdict.problems.some((p) => [":", "[", "."].some((next) => p.startsWith(`${by}${next}`)));
  return verdict.stage === "policy" && verdict.mandatory.includes(by);
}

describe.each(Object.entries(CLASSES))("%s", (_, cases: GuardCase[]) => {
  it.each(cases.map((c) => [c.id, c] as const))("%s: stopped, and its twin plans", async (_id, c) => {
    const bad = await judged(c.base, c.bad);
    expect(stopped(bad, c.stoppedBy), JSON.stringify(bad)).toBe(true);
    // The exact lines CI prints for it (test/guard/__snapshots__/corpus.test.ts.snap, reviewed like code).
    if (bad.stage === "config") expect(bad.problems.filter((p) => [":", "[", "."].some((next) => p.startsWith(`${c.stoppedBy}${next}`)))).toMatchSnapshot();
    const good = await judged(c.base, c.good);
    expect(good.stage === "config" ? good.problems : good.stage === "policy" ? good.mandatory : []).toEqual([]);
  });
});

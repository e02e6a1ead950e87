/**
 * The README's config tables name every key the stack file accepts, so a new setting cannot
 * ship undocumented: each key of the schema, at every depth, appears in backticks.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { stackFile } from "../../stacks/schema";

const README = readFileSync(resolve(__dirname, "../../README.md"), "utf8");

/** Each object key under `schema`, as a dotted path from the stack file's root. */
function keysOf(schema: z.ZodType, path: string[] = []): string[][] {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; element?: z.ZodType; valueType?: z.ZodType } } })._zod.def;
  switch (def.type) {
    case "optional": case "nullable": case "default": case "pipe": return def.innerType ? keysOf(def.innerType, path) : [];
    case "object": return Object.entries((schema as z.ZodObject).shape).flatMap(([key, child]) => [[...path, key], ...keysOf(child as z.ZodType, [...path, key])]);
    case "union": return def.options!.flatMap((o) => keysOf(o, path));
    case "array": return keysOf(def.element!, path);
    case "record": return keysOf(def.valueType!, [...path, "<name>"]);
    default: return [];
  }
}

describe("README", () => {
  const keys = keysOf(stackFile);

  it("finds the schema's keys at every depth", () => {
    expect(keys.map((k) => k.join("."))).toEqual(expect.arrayContaining(["web.docker.root", "monitors.sentry.errorRate.percent", "monitors.deploys"]));
  });

  it("documents every stack-file key in backticks", () => {
    // Inside a code span, as a word: `retentionDays`, `build: {context, dockerfile}`, `paved:cache`.
    const spans = [...README.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
    const documented = (key: string) => spans.some((span) => new RegExp(`(^|[^A-Za-z0-9_])${key}([^A-Za-z0-9_]|$)`).test(span));
    const missing = [...new Set(keys.map((k) => k[k.length - 1]).filter((k) => k !== "<name>"))].filter((k) => !documented(k));
    expect(missing).toEqual([]);
  });
});

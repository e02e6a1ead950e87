/**
 * The project's import graph: components never reach into the stacks or scripts that use
 * them, and no modules import each other in a circle (types included).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");
const DIRS = ["components", "stacks", "policy", "scripts", "bench"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Each project module and the project modules it imports, by path from the root. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of DIRS.flatMap((d) => sources(join(ROOT, d)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const local = importedFiles.map((f) => f.fileName).filter((name) => name.startsWith("."))
      .map((name) => resolve(dirname(file), name))
      .map((path) => [`${path}.ts`, join(path, "index.ts"), path].find((p) => { try { return statSync(p).isFile(); } catch { return false; } }))
      .filter((p): p is string => p !== undefined && p.endsWith(".ts"));
    graph.set(relative(ROOT, file), [...new Set(local.map((p) => relative(ROOT, p)))]);
  }
  return graph;
}

/** Strongly connected components of more than one module, or a module importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the import graph", () => {
  const graph = importGraph();

  it("sees the program's modules and their imports", () => {
    expect(graph.get("stacks/index.ts")).toContain("stacks/program.ts");
    expect(graph.size).toBeGreaterThan(40);
  });

  it("keeps components free of stacks and scripts: a component is usable without paved's config", () => {
    const outward = [...graph].flatMap(([from, to]) => (from.startsWith("components/") ? to.filter((t) => !t.startsWith("components/")).map((t) => `${from} -> ${t}`) : []));
    expect(outward).toEqual([]);
  });

  it("has no import circles", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a circle when there is one", () => {
    const circle = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    expect(cycles(circle)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});

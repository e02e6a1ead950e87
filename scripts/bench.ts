/**
 * paved's benchmark: cold whole-process runs taken in one go, medians beside their targets.
 *
 *   npm run bench [-- --runs N]
 *
 * - plan: `npm run plan -- production` against the floor (a process that only loads the Pulumi
 *   SDK and the provider SDKs the program uses, under the same loader), paired run by run;
 * - policy: the pack over synthetic plans of 1,000 and 10,000 resources, one cold process each;
 * - critical path: the longest chain of resources that must wait for one another, per default stack;
 * - preview: a real-path `pulumi preview` of production (the run harness under the stand-in
 *   engine, paved's provider plugin launched and checking every paved resource) against the
 *   offline plan of the same stack, paired (target ≤ 1.5×);
 * - npm test: the whole suite once, wall time (target < 60 s; --no-test skips it);
 * - peak memory of the plan.
 *
 * Figures are printed and written to bench/results/; no test asserts them (shared machines are noisy).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Snapshot } from "./lib/snapshot";

const ROOT = resolve(__dirname, "..");
const TMP = mkdtempSync(join(tmpdir(), "paved-bench-"));
const LOADER = ["--import", "tsx"];
const TARGETS = { planRatio: 1.3, previewRatio: 1.5, policy10kMs: 1000, policyGrowth: 11, testMs: 60_000 };

interface Timed {
  ms: number;
  rssKiB: number;
  stdout: string;
}

/** One cold process; its wall time and peak resident memory. */
function timed(args: string[]): Timed {
  const rssFile = join(TMP, "rss");
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["--require", join(ROOT, "bench/peak-rss.cjs"), ...LOADER, ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, PAVED_BENCH_RSS: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return { ms, rssKiB: Number(readFileSync(rssFile, "utf8")), stdout: run.stdout };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The longest chain of resources each waiting on the one before, from a plan snapshot. */
export function criticalPath(snapshot: Snapshot): string[] {
  const byUrn = new Map(snapshot.resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of snapshot.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  // paved parents resources only to its components.
  const isComponent = (urn: string) => children.has(urn);
  // Waiting on a component means waiting on everything under it.
  const expand = (urn: string): string[] => (isComponent(urn) ? (children.get(urn) ?? []).flatMap(expand) : [urn]);
  const memo = new Map<string, string[]>();
  const chain = (urn: string): string[] => {
    const known = memo.get(urn);
    if (known) return known;
    memo.set(urn, [urn]); // a cycle would be the engine's error; never loop here
    let longest: string[] = [];
    for (const dep of byUrn.get(urn)!.dependencies.flatMap(expand)) {
      if (!byUrn.has(dep)) continue;
      const c = chain(dep);
      if (c.length > longest.length) longest = c;
    }
    const result = [...longest, urn];
    memo.set(urn, result);
    return result;
  };
  let best: string[] = [];
  for (const r of snapshot.resources) {
    if (isComponent(r.urn)) continue;
    const c = chain(r.urn);
    if (c.length > best.length) best = c;
  }
  return best.map((urn) => byUrn.get(urn)!.name);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

function main(): void {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: "string", default: "5" }, "no-test": { type: "boolean", default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: got "${values.runs}"; expected a whole number of runs, such as 5`);

  // Warm the disk cache and the loader's transform cache once, so every timed run starts alike.
  timed(["scripts/plan.ts", "production"]);
  timed(["bench/floor.ts"]);

  const plan: Timed[] = [], floor: Timed[] = [], ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so drift on the machine falls on both alike.
    const pair = i % 2 ? [timed(["bench/floor.ts"]), timed(["scripts/plan.ts", "production"])].reverse() as [Timed, Timed]
      : [timed(["scripts/plan.ts", "production"]), timed(["bench/floor.ts"])] as [Timed, Timed];
    plan.push(pair[0]);
    floor.push(pair[1]);
    ratios.push(pair[0].ms / pair[1].ms);
  }

  // The real path against the offline plan of the same stack, paired the same way. The preview's
  // figure is its run harness's whole process (node, tsx, the SDK, the program, every Check
  // through the plugin), as the engine would wait for it; the stand-in engine's and the
  // plugin's start-up are left out, since the engine starts a plugin while the program runs.
  const previewRun = (): Timed => {
    const t = timed(["bench/preview.ts", "production"]);
    return { ...t, ms: JSON.parse(t.stdout.trim()).ms as number };
  };
  previewRun();
  const preview: Timed[] = [], previewPlan: Timed[] = [], previewRatios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const pair = i % 2 ? [timed(["scripts/plan.ts", "production"]), previewRun()].reverse() as [Timed, Timed]
      : [previewRun(), timed(["scripts/plan.ts", "production"])] as [Timed, Timed];
    preview.push(pair[0]);
    previewPlan.push(pair[1]);
    previewRatios.push(pair[0].ms / pair[1].ms);
  }

  const policy: Record<string, number> = {};
  for (const n of [1_000, 10_000]) {
    policy[n] = median(Array.from({ length: runs }, () => JSON.parse(timed(["bench/policy-run.ts", String(n)]).stdout.trim()).ms as number));
  }

  const paths: Record<string, string[]> = {};
  for (const stack of ["production", "staging", "local"]) {
    const out = join(TMP, `${stack}.json`);
    timed(["scripts/plan.ts", stack, "--json", out]);
    paths[stack] = criticalPath(JSON.parse(readFileSync(out, "utf8")) as Snapshot);
  }

  // The test suite once, as `npm test` runs it (type-check, lint, vitest); --no-test skips it.
  const test = values["no-test"] ? undefined : (() => {
    const started = process.hrtime.bigint();
    const run = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, ok: run.status === 0 };
  })();

  const result = {
    date: new Date().toISOString(), node: process.version, cpus: cpus().length, runs,
    plan: { medianMs: median(plan.map((t) => t.ms)), floorMedianMs: median(floor.map((t) => t.ms)), medianRatio: median(ratios), target: TARGETS.planRatio },
    preview: { medianMs: median(preview.map((t) => t.ms)), planMedianMs: median(previewPlan.map((t) => t.ms)), medianRatio: median(previewRatios), target: TARGETS.previewRatio },
    test: test && { ms: test.ms, passed: test.ok, targetMs: TARGETS.testMs },
    policy: { ms1k: policy[1_000], ms10k: policy[10_000], growth: policy[10_000] / policy[1_000], targetMs10k: TARGETS.policy10kMs, targetGrowth: TARGETS.policyGrowth },
    criticalPath: Object.fromEntries(Object.entries(paths).map(([s, p]) => [s, { length: p.length, chain: p }])),
    planPeakRssMiB: median(plan.map((t) => t.rssKiB)) / 1024,
  };

  const lines = [
    `paved bench · ${result.date} · node ${result.node} · ${result.cpus} cpus · medians of ${runs} cold runs`,
    "",
    `plan of production      ${fmt(result.plan.medianMs)}   floor ${fmt(result.plan.floorMedianMs)}   ratio ${result.plan.medianRatio.toFixed(2)}×   target ≤ ${TARGETS.planRatio}×   ${verdict(result.plan.medianRatio <= TARGETS.planRatio)}`,
    `preview of production   ${fmt(result.preview.medianMs)}   plan ${fmt(result.preview.planMedianMs)}   ratio ${result.preview.medianRatio.toFixed(2)}×   target ≤ ${TARGETS.previewRatio}×   ${verdict(result.preview.medianRatio <= TARGETS.previewRatio)}`,
    ...(result.test ? [`npm test                ${fmt(result.test.ms)}   ${result.test.passed ? "passed" : "FAILED"}   target < ${fmt(TARGETS.testMs)}   ${verdict(result.test.passed && result.test.ms < TARGETS.testMs)}`] : []),
    `policy pack, 1,000      ${result.policy.ms1k.toFixed(0)} ms`,
    `policy pack, 10,000     ${result.policy.ms10k.toFixed(0)} ms   target ≤ ${TARGETS.policy10kMs} ms   ${verdict(result.policy.ms10k <= TARGETS.policy10kMs)}`,
    `policy growth 10k/1k    ${result.policy.growth.toFixed(1)}×   target ≤ ${TARGETS.policyGrowth}×   ${verdict(result.policy.growth <= TARGETS.policyGrowth)}`,
    `plan peak memory        ${result.planPeakRssMiB.toFixed(0)} MiB`,
    ...Object.entries(paths).map(([stack, p]) => `critical path, ${stack.padEnd(10)} ${p.length}: ${p.join(" → ")}`),
  ];
  console.log(lines.join("\n"));
  const dir = join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, "latest.txt"), `${lines.join("\n")}\n`);
  console.log(`\nWritten to bench/results/latest.json and latest.txt`);
}

if (require.main === module) main();

/**
 * One cold run of the policy pack over a synthetic plan of N resources: production's plan,
 * copied under new names until it has N. Prints the pack's wall and CPU milliseconds, as JSON.
 *
 *   tsx bench/policy-run.ts N
 */
import { join } from "node:path";
import { loadPackConfig, runPolicies } from "../policy/offline";
import type { CapturedResource } from "../scripts/lib/capture";
import { planStack } from "../scripts/lib/plan";
import { toPlanned } from "../scripts/lib/policy";
import { readStackFile } from "../scripts/lib/stack-file";

/** `base` copied under numbered names (URNs, parents and dependencies renamed together) until there are `n`. */
export function synthetic(base: CapturedResource[], n: number): CapturedResource[] {
  const out: CapturedResource[] = [];
  for (let copy = 0; out.length < n; copy++) {
    const rename = (urn: string) => (copy === 0 ? urn : `${urn}-${copy}`);
    for (const r of base) {
      if (out.length === n) break;
      out.push({
        ...r, urn: rename(r.urn), name: copy === 0 ? r.name : `${r.name}-${copy}`,
        parent: r.parent && rename(r.parent), dependencies: r.dependencies.map(rename),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(rename)])),
      });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a resource count, got ${process.argv[2]}`);
  const { source } = readStackFile("production", join(__dirname, ".."));
  const { resources } = await planStack(source);
  const planned = toPlanned(synthetic(resources, n));
  const levels = loadPackConfig("production");
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const violations = runPolicies(planned, levels);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ resources: planned.length, ms, cpuMs: (used.user + used.system) / 1000, violations: violations.length }));
}

if (require.main === module) void main();

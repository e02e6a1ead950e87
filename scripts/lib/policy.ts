/** Runs the policy pack over a plan, exactly as `pulumi preview --policy-pack policy` would. */
import { type Acknowledgement, acknowledgementOf, expiredMessage } from "../../policy/acknowledge";
import type { EnvironmentConfig } from "../../stacks/config";
import { budgetViolation } from "../../policy/cost";
import { estimateCost } from "./cost";
import { loadPackConfig, type PlannedResource, runPolicies, UNKNOWN as POLICY_UNKNOWN, type Violation } from "../../policy/offline";
import { type CapturedResource, OPAQUE_SECRET, Secret, UNKNOWN } from "./values";

export interface PolicyReport {
  /** Which `policy/config/<environment>.json` set the levels. */
  environment: string;
  mandatory: number;
  advisory: number;
  /** Findings the stack file acknowledges, still in force; listed in `violations`, not counted above. Absent when none. */
  acknowledged?: number;
  violations: Violation[];
}

/**
 * The engine hands policies secrets unwrapped and unknowns as unknowns; so does this. A secret
 * the plan could not decrypt is unknown too: policies would otherwise judge its placeholder as
 * the value (a JWT_SECRET of 8 characters), where `pulumi preview` hands them the real one.
 */
function unwrap(value: unknown, secret = false): unknown {
  if (value === UNKNOWN) return POLICY_UNKNOWN;
  if (value instanceof Secret) return unwrap(value.value, true);
  if (secret && typeof value === "string" && value.includes(OPAQUE_SECRET)) return POLICY_UNKNOWN;
  if (Array.isArray(value)) return value.map((v) => unwrap(v, secret));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, unwrap(v, secret)]));
  }
  return value;
}

export function toPlanned(resources: CapturedResource[]): PlannedResource[] {
  return resources.map((r) => ({
    urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? undefined,
    props: unwrap(r.inputs) as Record<string, unknown>,
    protect: r.protect, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    provider: r.provider ?? undefined,
  }));
}

/**
 * Runs the pack at the environment's levels. Findings the stack file acknowledges (and the config
 * rules' acknowledged findings) are kept, marked, out of the counts; an expired one counts again.
 */
export function checkPolicies(
  resources: CapturedResource[], environment: string,
  stack: Pick<EnvironmentConfig, "acknowledgements" | "acknowledged" | "cost"> & { kind?: EnvironmentConfig["kind"] } = {}, now = new Date(),
): PolicyReport {
  // The budget is the stack file's own rule (policy/cost.ts), judged beside the pack's.
  const budget = stack.cost && stack.kind
    ? budgetViolation({ ...stack.cost, estimateUsd: estimateCost(resources, stack.kind, stack.cost).high }) : undefined;
  const found = [...runPolicies(toPlanned(resources), loadPackConfig(environment)), ...(budget ? [budget] : [])]
    .map((v) => acknowledge(v, stack.acknowledgements ?? [], now));
  const fromConfig: Violation[] = (stack.acknowledged ?? []).map((a) => ({
    policy: a.policy, level: "mandatory", resource: a.resource, message: a.message, acknowledged: { reason: a.reason, expires: a.expires },
  }));
  const violations = [...found, ...fromConfig]
    .sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1)
      || a.policy.localeCompare(b.policy) || (a.urn ?? "").localeCompare(b.urn ?? "") || a.message.localeCompare(b.message));
  const acknowledged = violations.filter((v) => v.acknowledged).length;
  return {
    environment,
    mandatory: violations.filter((v) => v.level === "mandatory" && !v.acknowledged).length,
    advisory: violations.filter((v) => v.level === "advisory" && !v.acknowledged).length,
    ...(acknowledged ? { acknowledged } : {}),
    violations,
  };
}

function acknowledge(v: Violation, acks: readonly Acknowledgement[], now: Date): Violation {
  const state = acknowledgementOf(acks, v, now);
  if (!state) return v;
  if (state.expired) return { ...v, message: expiredMessage(v.message, state.ack) };
  return { ...v, acknowledged: { reason: state.ack.reason, expires: state.ack.expires } };
}

export function renderPolicy(report: PolicyReport): string {
  const acknowledged = report.acknowledged ? `, ${report.acknowledged} acknowledged` : "";
  const lines = [`Policy (policy/config/${report.environment}.json): ${report.mandatory} mandatory violation${report.mandatory === 1 ? "" : "s"}, ${report.advisory} advisory${acknowledged}`];
  for (const v of report.violations) {
    const level = v.acknowledged ? `acknowledged ${v.level}` : v.level;
    const why = v.acknowledged ? ` — acknowledged until ${v.acknowledged.expires}: ${v.acknowledged.reason}` : "";
    lines.push(`  [${level}] ${v.policy}${v.resource ? `  ${v.resource}` : ""}: ${v.message}${why}`);
  }
  return lines.join("\n");
}

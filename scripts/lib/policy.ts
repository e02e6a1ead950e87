/** Runs the policy pack over a plan, exactly as `pulumi preview --policy-pack policy` would. */
import { loadPackConfig, type PlannedResource, runPolicies, UNKNOWN as POLICY_UNKNOWN, type Violation } from "../../policy/offline";
import { type CapturedResource, OPAQUE_SECRET, Secret, UNKNOWN } from "./values";

export interface PolicyReport {
  /** Which `policy/config/<environment>.json` set the levels. */
  environment: string;
  mandatory: number;
  advisory: number;
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

export function checkPolicies(resources: CapturedResource[], environment: string): PolicyReport {
  const violations = runPolicies(toPlanned(resources), loadPackConfig(environment))
    .sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1)
      || a.policy.localeCompare(b.policy) || (a.urn ?? "").localeCompare(b.urn ?? "") || a.message.localeCompare(b.message));
  return {
    environment,
    mandatory: violations.filter((v) => v.level === "mandatory").length,
    advisory: violations.filter((v) => v.level === "advisory").length,
    violations,
  };
}

export function renderPolicy(report: PolicyReport): string {
  const lines = [`Policy (policy/config/${report.environment}.json): ${report.mandatory} mandatory violation${report.mandatory === 1 ? "" : "s"}, ${report.advisory} advisory`];
  for (const v of report.violations) {
    lines.push(`  [${v.level}] ${v.policy}${v.resource ? `  ${v.resource}` : ""}: ${v.message}`);
  }
  return lines.join("\n");
}

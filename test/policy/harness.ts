import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runPolicies, type PlannedResource, type Violation } from "../../policy/offline";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:production::paved::${type}::${name}`;
}

/** A planned resource with sensible options; `extra` overrides any field. */
export function planned(type: string, name: string, props: object, extra: Partial<PlannedResource> = {}): PlannedResource {
  return {
    urn: urnOf(type, name), type, name, props: props as Record<string, unknown>, protect: false,
    dependencies: [], propertyDependencies: {}, ...extra,
  };
}

/** A deep copy of `base` with the property at the dotted `path` set to `value` (`undefined` deletes it). */
export function set<T>(base: T, path: string, value: unknown): T {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let at = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** Runs one policy, mandatory with the given settings, and returns every violation. */
export function violations(policy: AnyPolicy, resources: PlannedResource[], config: Record<string, unknown> = {}): Violation[] {
  return runPolicies(resources, { [policy.name]: { enforcementLevel: "mandatory", ...config } }, { policies: [policy] });
}

/** The messages one resource policy reports for one resource. */
export function check(policy: ResourceValidationPolicy, type: string, props: object, options: {
  config?: Record<string, unknown>; protect?: boolean;
} = {}): string[] {
  const resource = planned(type, "subject", props, { protect: options.protect ?? false });
  return violations(policy, [resource], options.config).map((v) => v.message);
}

/** The messages one stack policy reports for a set of resources. */
export function checkStack(policy: StackValidationPolicy, resources: PlannedResource[], config: Record<string, unknown> = {}): string[] {
  return violations(policy, resources, config).map((v) => v.message);
}

// Runs the pack's own policy objects over the resources `npm run plan` recorded, without
// the Pulumi CLI or the pack's gRPC server. Must not import ./index, which starts that server.
import * as fs from "node:fs";
import * as path from "node:path";
import type {
  EnforcementLevel, Policies, PolicyResource, PolicyResourceOptions, ResourceValidationArgs,
  ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { PavedInputError } from "../components/errors";
import { allPolicies } from "./policies";
import type { Violation } from "./violation";

export type { Violation };


/** A resource as the offline plan recorded it: the same fields the engine hands a stack policy. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  /** Inputs, secrets unwrapped as the engine does; `UNKNOWN` where a value is only known after deploy. */
  props: Record<string, unknown>;
  protect: boolean;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider?: string;
}

/** Stands in `props` for a value the plan can't know, like the engine's unknowns in preview. */
export const UNKNOWN: Readonly<{ unknown: true }> = Object.freeze({ unknown: true as const });


/** A `--policy-pack-config` file: a level per policy, or a level with that policy's settings. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface RunOptions {
  /** The policies to run; the whole pack by default. */
  policies?: Policies;
  stackTags?: ReadonlyMap<string, string>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const PACK_LEVEL: EnforcementLevel = "advisory";

/** Reads `policy/config/<env>.json` and checks every key names a policy and a setting it declares. */
export function loadPackConfig(env: string, policies: Policies = allPolicies): PackConfig {
  if (!/^[a-z][a-z0-9-]*$/.test(env)) throw new PavedInputError(`policy config "${env}": expected a name like production`);
  const file = path.join(__dirname, "config", `${env}.json`);
  if (!fs.existsSync(file)) throw new PavedInputError(`policy config "${env}": no file ${path.relative(process.cwd(), file)}`);
  const config = JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config)) {
    const policy = policies.find((p) => p.name === name);
    if (!policy) { problems.push(`${env}.json: "${name}" is not a policy of the pack`); continue; }
    const level = typeof entry === "string" ? entry : entry.enforcementLevel;
    if (level !== undefined && !LEVELS.includes(level)) problems.push(`${env}.json: ${name}: "${level}" is not an enforcement level`);
    const known = Object.keys(policy.configSchema?.properties ?? {});
    for (const key of typeof entry === "string" ? [] : Object.keys(entry)) {
      if (key !== "enforcementLevel" && !known.includes(key)) problems.push(`${env}.json: ${name}: "${key}" is not a setting of the policy`);
    }
  }
  if (problems.length > 0) throw new PavedInputError(problems);
  return config;
}

/** The level the engine would use: pack config, then the policy's own, then the pack's. */
export function levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config: PackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const fromConfig = typeof entry === "string" ? entry : entry?.enforcementLevel;
  return fromConfig ?? policy.enforcementLevel ?? PACK_LEVEL;
}

/** The policy's settings: its schema's defaults overlaid with the config file's values. */
export function settingsOf(policy: { name: string; configSchema?: ResourceValidationPolicy["configSchema"] }, config: PackConfig): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) settings[key] = structuredClone(schema.default);
  }
  const entry = config[policy.name];
  if (entry && typeof entry === "object") {
    for (const [key, value] of Object.entries(entry)) if (key !== "enforcementLevel") settings[key] = value;
  }
  return settings;
}

class UnknownInPlan extends Error {
  constructor(readonly propertyPath: string) {
    super(`value at .${propertyPath} is unknown in the plan`);
  }
}

class NotApplicable extends Error {}

const unknownWithin = new WeakMap<object, boolean>();

/** Whether an UNKNOWN sits anywhere in this value; remembered per object. */
function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== "object") return false;
  let found = unknownWithin.get(value);
  if (found === undefined) {
    found = Object.values(value).some(hasUnknown);
    unknownWithin.set(value, found);
  }
  return found;
}

/**
 * Wraps props so reading an UNKNOWN throws, as the engine's preview proxy does. A value with
 * no unknown inside is handed over as it is: nothing in it could throw.
 */
function guard<T>(value: T, at: string[] = []): T {
  if (value === null || typeof value !== "object" || !hasUnknown(value)) return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const field: unknown = Reflect.get(target, key, receiver);
      if (typeof key === "symbol") return field;
      const where = [...at, key];
      if (field === UNKNOWN) throw new UnknownInPlan(where.join("."));
      const desc = Object.getOwnPropertyDescriptor(target, key);
      if (desc && "value" in desc && desc.configurable === false && desc.writable === false) return field;
      return guard(field, where);
    },
  }) as T;
}

const NO_TIMEOUTS = { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 };

function optsOf(r: PlannedResource): PolicyResourceOptions {
  return { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: NO_TIMEOUTS, additionalSecretOutputs: [], parent: r.parent };
}

type TypedClass = { __pulumiType?: string };
const isOfType = (type: string) => (cls: unknown) => (cls as TypedClass).__pulumiType === type;

function providerOf(r: PlannedResource, byUrn: Map<string, PlannedResource>): ResourceValidationArgs["provider"] {
  // A provider reference is "<urn>::<id>"; the URN itself contains "::", so cut at the last one.
  const urn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
  const p = urn ? byUrn.get(urn) : undefined;
  return p ? { type: p.type, props: guard(p.props), urn: p.urn, name: p.name } : undefined;
}

/**
 * One resource's validation arguments, built once and handed to every resource policy, as the
 * analyzer does; `getConfig` is the running policy's, set before each call.
 */
function resourceArgs(r: PlannedResource, byUrn: Map<string, PlannedResource>, stackTags: ReadonlyMap<string, string>): ResourceValidationArgs {
  const props = guard(r.props) as Record<string, unknown>;
  return {
    type: r.type, props, urn: r.urn, name: r.name, opts: optsOf(r), provider: providerOf(r, byUrn), stackTags,
    isType: isOfType(r.type),
    asType: ((cls: unknown) => (isOfType(r.type)(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: NO_CONFIG,
    notApplicable,
  };
}

const NO_CONFIG = <T extends object>(): T => ({}) as T;
const notApplicable = (reason?: string): never => { throw new NotApplicable(reason); };

function stackResources(resources: PlannedResource[], byUrn: Map<string, PlannedResource>): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = guard(r.props) as Record<string, unknown>;
    built.set(r.urn, {
      type: r.type, props, urn: r.urn, name: r.name, opts: optsOf(r), provider: providerOf(r, byUrn),
      dependencies: [], propertyDependencies: {},
      isType: isOfType(r.type),
      asType: ((cls: unknown) => (isOfType(r.type)(cls) ? props : undefined)) as PolicyResource["asType"],
    });
  }
  const resolve = (urns: string[]) => urns.flatMap((urn) => built.get(urn) ?? []);
  for (const r of resources) {
    const pr = built.get(r.urn)!;
    pr.parent = r.parent ? built.get(r.parent) : undefined;
    pr.dependencies = resolve(r.dependencies);
    pr.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, resolve(urns)]));
  }
  return [...built.values()];
}

/**
 * Runs every enabled policy over the planned resources and returns what they report,
 * each at the level the config gives it. Like a preview, a policy that reads an unknown
 * value yields one advisory "can't be checked until deploy" instead of a verdict.
 */
export function runPolicies(resources: PlannedResource[], levels: PackConfig, options: RunOptions = {}): Violation[] {
  const policies = options.policies ?? allPolicies;
  const stackTags = options.stackTags ?? new Map<string, string>();
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const label = (urn?: string) => {
    const r = urn ? byUrn.get(urn) : undefined;
    return r ? `${r.type}::${r.name}` : undefined;
  };
  const violations: Violation[] = [];
  // Built once per run and shared by every policy, as the analyzer builds them once per preview.
  let perResource: ResourceValidationArgs[] | undefined;
  let stack: PolicyResource[] | undefined;
  for (const policy of policies) {
    const level = levelOf(policy, levels);
    if (level === "disabled") continue;
    const severity = level === "advisory" ? "advisory" : "mandatory";
    const settings = settingsOf(policy, levels);
    const getConfig = <T extends object>() => structuredClone(settings) as T;
    const settled = (result: unknown) => {
      if (result instanceof Promise) throw new Error(`policy ${policy.name} is asynchronous; offline policies must be synchronous`);
    };
    const failed = (e: unknown, urn?: string) => {
      if (e instanceof NotApplicable) return;
      if (!(e instanceof UnknownInPlan)) throw e;
      violations.push({
        policy: policy.name, level: "advisory", urn, resource: label(urn),
        message: `can't be checked until deploy: ${policy.name} depends on a value unknown in the plan (.${e.propertyPath})`,
      });
    };
    if ("validateStack" in policy) {
      const args: StackValidationArgs = { resources: (stack ??= stackResources(resources, byUrn)), stackTags, getConfig, notApplicable };
      const report = (message: string, urn?: string) =>
        violations.push({ policy: policy.name, level: severity, urn, resource: label(urn), message });
      try {
        settled((policy as StackValidationPolicy).validateStack(args, report));
      } catch (e) {
        failed(e);
      }
      continue;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
    perResource ??= resources.map((r) => resourceArgs(r, byUrn, stackTags));
    // One report function per policy, reporting against the resource being validated: a
    // closure per resource and policy costs more than the policies at 10,000 resources.
    let current = resources[0];
    const report = (message: string) =>
      violations.push({ policy: policy.name, level: severity, urn: current.urn, resource: label(current.urn), message });
    for (let i = 0; i < resources.length; i++) {
      current = resources[i];
      const args = perResource[i];
      args.getConfig = getConfig;
      for (const validate of validations) {
        try {
          settled(validate(args, report));
        } catch (e) {
          failed(e, current.urn);
        }
      }
    }
  }
  return violations;
}

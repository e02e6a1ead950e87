/**
 * Judges a stack file as CI would: its config first (exit 2 on a problem), then the offline
 * plan and the policy pack at the levels of its environment kind (exit 1 on a mandatory finding).
 */
import { resolve } from "node:path";
import { PavedInputError } from "../../components/errors";
import { planStack } from "../../scripts/lib/plan";
import { checkPolicies } from "../../scripts/lib/policy";
import { readStackFile } from "../../scripts/lib/stack-file";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { withValue } from "../stacks/fixtures";

const ROOT = resolve(__dirname, "../..");

/** The stack files the corpus starts from: each a shipped, passing configuration. */
export const BASES = {
  production: "Pulumi.production.yaml",
  staging: "Pulumi.staging.yaml",
  preview: "examples/Pulumi.pr-42.yaml",
  projectflo: "examples/Pulumi.projectflo-production.yaml",
  flightpro: "examples/Pulumi.flightpro-production.yaml",
  lifeos: "examples/Pulumi.lifeos-production.yaml",
  renderCache: "test/fixtures/Pulumi.render-cache.yaml",
} as const;
export type Base = keyof typeof BASES;

/** A change to a stack file: `paved:` settings by dotted path (undefined deletes), other keys as given. */
export interface Patch {
  set?: Record<string, unknown>;
  /** Other config keys in plain text, such as `sentry:token`. */
  plain?: Record<string, string>;
  /** Config keys set with `pulumi config set --secret`. */
  secret?: Record<string, string>;
  /** The stack's name, when it differs from the file's. */
  stack?: string;
}

export type Verdict =
  | { stage: "config"; problems: readonly string[] }
  | { stage: "policy"; mandatory: string[]; advisory: string[] }
  | { stage: "pass"; advisory: string[]; acknowledged: string[] };

/** The base stack file with the patch applied, as the engine would hand it to the program. */
export function patched(base: Base, patch: Patch = {}): ConfigSource {
  const file = readStackFile(resolve(ROOT, BASES[base]), ROOT, patch.stack);
  const values = { ...file.source.values };
  for (const [path, value] of Object.entries(patch.set ?? {})) {
    const [key, ...rest] = path.split(".");
    const name = `paved:${key}`;
    if (rest.length === 0) {
      if (value === undefined) delete values[name];
      else values[name] = typeof value === "string" ? value : JSON.stringify(value);
      continue;
    }
    const root = values[name] === undefined ? {} : JSON.parse(values[name]) as Record<string, unknown>;
    values[name] = JSON.stringify(withValue(root, rest.join("."), value));
  }
  Object.assign(values, patch.plain, patch.secret);
  return {
    ...file.source,
    values,
    secretKeys: new Set([...file.source.secretKeys, ...Object.keys(patch.secret ?? {})]),
  };
}

/** Where CI stops this stack file, if anywhere. */
export async function judge(source: ConfigSource): Promise<Verdict> {
  let config: ReturnType<typeof loadEnvironmentConfig>;
  try {
    config = loadEnvironmentConfig(source);
  } catch (err) {
    if (err instanceof PavedInputError) return { stage: "config", problems: err.problems };
    throw err;
  }
  const plan = await planStack(source);
  const report = checkPolicies(plan.resources, config.kind, config);
  const named = (keep: (v: (typeof report.violations)[number]) => boolean) => [...new Set(report.violations.filter(keep).map((v) => v.policy))];
  const advisory = named((v) => v.level === "advisory" && !v.acknowledged);
  if (report.mandatory > 0) return { stage: "policy", mandatory: named((v) => v.level === "mandatory" && !v.acknowledged), advisory };
  return { stage: "pass", advisory, acknowledged: named((v) => !!v.acknowledged) };
}

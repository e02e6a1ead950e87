/** Plans one stack offline: its config, the real program, the mock runtime. */
import * as pulumi from "@pulumi/pulumi";
import { type ConfigSource, type EnvironmentConfig, loadEnvironmentConfig } from "../../stacks/config";
import { type CapturedResource, installCapture, Secret, UNKNOWN } from "./capture";

export interface PlanResult {
  /** The validated config the program ran with. */
  config: EnvironmentConfig;
  resources: CapturedResource[];
  outputs: Record<string, unknown>;
}

/** Runs `stacks/program.ts` for this config. Call once per process: the mock runtime is global. */
export async function planStack(source: ConfigSource): Promise<PlanResult> {
  const capture = await installCapture({
    project: source.project,
    stack: source.stack,
    config: { ...source.values },
    secretKeys: [...source.secretKeys],
    preview: true,
  });
  // Validated once, here; a PavedInputError leaves before any resource is registered.
  const config = loadEnvironmentConfig(source);
  const { build } = await import("../../stacks/program");
  // The SDK records where each resource is declared by parsing `new Error().stack`; with source
  // maps on (tsx turns them on), mapping those frames is a third of the plan's own time, and the
  // plan never shows a declaration's position.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  // The SDK also formats a stack trace for every promise it makes (for PULUMI_DEBUG_PROMISE_LEAKS),
  // two fifths of a plan's time; resource positions raise the limit themselves, so they still work.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS && process.env.PAVED_SOURCE_MAPS !== "1") Error.stackTraceLimit = 0;
  let outputs: ReturnType<typeof build>;
  try {
    outputs = build(config);
    await capture.settle();
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
    Error.stackTraceLimit = stackTraceLimit;
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) resolved[key] = await resolveValue(value);
  await capture.settle();
  return { config, resources: capture.resources, outputs: resolved };
}

interface OutputInternals {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

async function resolveValue(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const out = value as unknown as OutputInternals;
    if (!(await out.isKnown)) return UNKNOWN;
    const inner = await out.promise();
    return (await out.isSecret) ? new Secret(inner) : inner;
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveValue));
  return value;
}

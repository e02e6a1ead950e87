/**
 * Test harness: installs the mock runtime (every unmocked provider call throws), then runs
 * what the test builds and returns every registration with its inputs and options.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CaptureOptions, type CapturedResource, installCapture, Secret, UNKNOWN } from "../scripts/lib/capture";

export { Secret, UNKNOWN };
export type { CapturedResource };

export interface Captured<T> {
  value: T;
  resources: CapturedResource[];
  /** The one resource of this type (and name); throws if there is not exactly one. */
  one(type: string, name?: string): CapturedResource;
  all(type: string): CapturedResource[];
}

/** Installs mocks, then calls `build` (which should import what it constructs). */
export async function capture<T>(build: () => T | Promise<T>, options: Partial<CaptureOptions> = {}): Promise<Captured<T>> {
  const run = await installCapture({ project: "paved", stack: "test", ...options });
  // As in the plan: the SDK's per-promise stack traces (for leak debugging) are most of a capture's time.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let value: T;
  try {
    value = await build();
    await run.settle();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const resources = run.resources;
  const all = (type: string) => resources.filter((r) => r.type === type);
  return {
    value,
    resources,
    all,
    one(type, name) {
      const found = all(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1) {
        throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${resources.map((r) => r.name).join(", ")}`);
      }
      return found[0];
    },
  };
}

export interface Resolved<T> { value: T | undefined; known: boolean; secret: boolean }

/** Awaits an Output completely, including whether it is known and secret. */
export async function resolve<T>(output: pulumi.Output<T>): Promise<Resolved<T>> {
  const o = output as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(): Promise<T> };
  const known = await o.isKnown;
  return { known, secret: await o.isSecret, value: known ? await o.promise() : undefined };
}

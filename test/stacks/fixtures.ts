import { resolve as resolvePath } from "node:path";
import { beforeAll } from "vitest";
import { PavedInputError } from "../../components/errors";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";

/** A valid production stack file, as `paved:` key -> value (objects as parsed YAML). */
export const PRODUCTION: Record<string, unknown> = {
  kind: "production",
  branch: "main",
  domain: "planningos.com",
  repository: "planningos/planningos",
  web: {
    teamId: "team_planningos", framework: "vite", rootDirectory: "apps/web",
    buildCommand: "npm run build", outputDirectory: "dist", env: { VITE_APP_ENV: "production" },
  },
  cdn: { zoneId: "5f0c8a1e2b3d4c5e6f708192a3b4c5d6", accountId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
  monitors: { alerts: { email: ["oncall@planningos.com"], pagerduty: { escalateTo: { users: ["PXPGF42"] } } } },
  secrets: { rotation: "2026-11", generate: { JWT_SECRET: { length: 64 } } },
};

/** Builds a config source the way the engine would pass these values. */
export function source(
  paved: Record<string, unknown>,
  { stack = "production", secret = {}, plain = {}, opaque = [] as string[] }:
    { stack?: string; secret?: Record<string, string>; plain?: Record<string, string>; opaque?: string[] } = {},
): ConfigSource {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(paved)) {
    if (v !== undefined) values[`paved:${k}`] = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  Object.assign(values, plain, secret);
  for (const key of opaque) values[key] = "[secret]";
  return {
    project: "paved", stack, values,
    secretKeys: new Set([...Object.keys(secret), ...opaque]),
    opaqueKeys: new Set(opaque),
  };
}

/** A copy of `base` with the value at a dotted path replaced (undefined deletes it). */
export function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    // A path may go through a value that is no object (`dbConnections: false`): the object replaces it.
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return copy;
}

/** The problems loadEnvironmentConfig reports for `src`; fails the test if it accepts it. */
export function problems(src: ConfigSource): readonly string[] {
  try {
    loadEnvironmentConfig(src);
  } catch (err) {
    if (err instanceof PavedInputError) return err.problems;
    throw err;
  }
  throw new Error("expected a PavedInputError");
}

/** Plans a stack file of this repository once for the test file (the mock runtime is per process). */
export function planOnce(stackOrPath: string, stack?: string) {
  const state: { plan?: PlanResult } = {};
  beforeAll(async () => {
    const { planStack } = await import("../../scripts/lib/plan");
    state.plan = await planStack(readStackFile(stackOrPath, resolvePath(__dirname, "../.."), stack).source);
  });
  return {
    get plan(): PlanResult {
      return state.plan!;
    },
    ofType: (type: string) => state.plan!.resources.filter((r) => r.type === type),
  };
}

type Planned = ReturnType<typeof planOnce>;

/**
 * Where a planned stack's alerts go: each Checkly check's channels (by the channel's role, found
 * through the check's dependencies) and each Sentry alert's actions, by alert name.
 */
export function alertRouting(planned: Planned) {
  const channels = planned.ofType("checkly:index/alertChannel:AlertChannel");
  const role = (urn: string) => channels.find((c) => c.urn === urn)!.name.replace(/^.*-uptime-/, "");
  const checks = Object.fromEntries(planned.ofType("checkly:index/check:Check").map((c) => [
    c.inputs.name as string, c.dependencies.filter((d) => channels.some((ch) => ch.urn === d)).map(role).sort(),
  ]));
  type Action = { type?: string; id?: string; targetIdentifier?: string; channel?: string };
  const target = (a: Action) => (a.type ?? a.id!.split(".")[2]) + (a.targetIdentifier ?? a.channel ? ` ${a.targetIdentifier ?? a.channel}` : "");
  const sentry = Object.fromEntries([
    ...planned.ofType("sentry:index/sentryMetricAlert:SentryMetricAlert").map((a) => [a.inputs.name as string,
      (a.inputs.triggers as Array<{ actions: Action[] }>).flatMap((t) => t.actions.map(target))]),
    ...planned.ofType("sentry:index/sentryIssueAlert:SentryIssueAlert").map((a) => [a.inputs.name as string, (a.inputs.actions as Action[]).map(target)]),
  ]);
  const slack = Object.fromEntries(channels.filter((c) => c.inputs.slack).map((c) => {
    const s = c.inputs.slack as { channel: string; url: unknown };
    return [role(c.urn), { channel: s.channel, url: s.url?.constructor?.name === "Secret" ? "[secret]" : s.url }];
  }));
  return { checks, sentry, slack };
}

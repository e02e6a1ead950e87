/**
 * The paved program: this stack's config -> one Environment -> stack outputs.
 * Shared by the Pulumi entry point (`index.ts`) and the offline plan.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { IMAGE_OUTPUT } from "../components/api-image";
import { RAILWAY_PROJECT_OUTPUT } from "../components/api-railway";
import { NEON_BRANCH_OUTPUT, NEON_PROJECT_OUTPUT } from "../components/database";
import { Environment } from "../components/environment";
import { type ConfigSource, type EnvironmentConfig, loadEnvironmentConfig } from "./config";

// The SDK's own test for `secure:` keys; it is left out of the published typings.
const { isConfigSecret } = runtimeConfig as unknown as { isConfigSecret(key: string): boolean };

/** The engine's view of this stack's config. */
export function engineConfig(): ConfigSource {
  const values = pulumi.runtime.allConfig();
  return {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    values,
    secretKeys: new Set(Object.keys(values).filter((key) => isConfigSecret(key))),
  };
}

export function program(source: ConfigSource = engineConfig()) {
  return build(loadEnvironmentConfig(source));
}

/** Builds the environment of an already validated config; returns the stack outputs. */
export function build(config: EnvironmentConfig) {
  const env = new Environment(config.stack, { config });
  return present({
    kind: config.kind,
    branch: config.branch,
    webUrl: env.web?.url,
    webProjectId: env.web?.projectId,
    apiUrl: env.api?.url,
    // Read by the next stack's `api.image.promoteFrom`: build once, promote the same digest.
    [IMAGE_OUTPUT]: config.api?.image ? env.api?.image : undefined,
    // Read by pull-request stacks' `database.neon.branchFrom`.
    [NEON_PROJECT_OUTPUT]: env.database?.neonProjectId,
    [NEON_BRANCH_OUTPUT]: env.database?.neonBranchId,
    // Read by the other environments' `api.railway.projectFrom`; only Railway stacks have one.
    ...(env.api?.railwayProjectId ? { [RAILWAY_PROJECT_OUTPUT]: env.api.railwayProjectId } : {}),
    hosts: env.cdn?.hosts,
    secretNames: env.secrets.names,
    // Added once to Sentry's PagerDuty integration, so Sentry's alerts page the tier's service.
    ...sentryKeys(env),
  });
}

/** The outputs this stack has: one it lacks (no web, no Neon) is left out rather than exported as undefined. */
function present<T extends Record<string, unknown>>(outputs: T): Partial<T> {
  return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The PagerDuty key of each tier Sentry's alerts page, for Sentry's PagerDuty integration; none when Sentry pages no tier. */
function sentryKeys(env: Environment) {
  const keys = Object.entries(env.paging?.integrationKeys ?? {}).flatMap(([tier, k]) => (k.sentry ? [[tier, k.sentry] as const] : []));
  return keys.length ? { pagerdutySentryKeys: pulumi.secret(pulumi.output(Object.fromEntries(keys))) } : {};
}

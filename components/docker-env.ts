import * as pulumi from "@pulumi/pulumi";

/** A container's variables, one `K=V` entry each, by name: plain ones readable in a plan, secret ones wrapped as secrets. */
export function containerEnvs(env: Record<string, pulumi.Input<string>>, secretEnv: Record<string, pulumi.Input<string>>): pulumi.Output<string>[] {
  return [
    ...Object.entries(env).map(([k, v]) => [k, pulumi.interpolate`${k}=${v}`] as const),
    ...Object.entries(secretEnv).map(([k, v]) => [k, pulumi.secret(pulumi.interpolate`${k}=${v}`)] as const),
  ].sort(([a], [b]) => a.localeCompare(b)).map(([, entry]) => entry);
}

/**
 * The names of a container's secret variables, as a label. Docker takes each variable as one
 * `K=V` string, so a secret one is secret (and, in a preview, unknown) name and all: this label
 * is where a plan, a diff and `docker inspect` see which secrets the container gets, as Render,
 * Railway and Fly.io show their secret variables' names.
 */
export function secretEnvLabel(secretEnv: Record<string, unknown>): { label: string; value: string }[] {
  const names = Object.keys(secretEnv).sort();
  return names.length ? [{ label: "paved.secret-env", value: names.join(",") }] : [];
}

/**
 * The plan's "Delivery" section: what the stack file decides about shipping, as the workflows
 * will carry it out: the branch that deploys it, where the image comes from, when the migration
 * runs, the smoke checks and what a failed one does, and the release rules.
 */
import type { ConfigSource, EnvironmentConfig } from "../../stacks/config";
import { delivery as schema, MERGE_CHECK } from "../../stacks/sections/delivery";

export function renderDelivery(config: EnvironmentConfig, source: ConfigSource): string | undefined {
  if (config.kind === "local") return undefined;
  const raw = source.values["paved:delivery"];
  const rules = raw === undefined ? undefined : schema.safeParse(JSON.parse(raw)).data;
  const lines = ["Delivery:"];
  lines.push(config.kind === "preview"
    ? `  deploys: on each push to the pull request's branch ${config.branch} (pull-request-stack.yml)${rules?.expireAfterDays ? `; destroyed after ${rules.expireAfterDays} quiet days` : ""}`
    : `  deploys: on each push to ${config.branch} (deploy.yml)${config.kind === "production" ? ", after the production environment's reviewers approve" : ""}`);
  const api = config.api;
  if (api?.image?.kind === "promote") lines.push(`  image: the digest ${api.image.stack} runs, promoted, never rebuilt${config.kind === "production" ? "; tagged sha-<commit>, production and latest" : ""}`);
  else if (api?.image?.kind === "build") {
    lines.push(`  image: built and pushed by this stack, deployed by digest${config.kind === "staging" ? ", tagged sha-<commit> and staging (and v* on a release tag)" : ""}`);
  }
  else if (api?.image?.kind === "digest") lines.push(`  image: pinned, ${api.image.ref}`);
  else if (api) lines.push(`  image: none: ${api.host === "render" ? "Render" : "Railway"} builds the repository`);
  lines.push(migrations(api));
  lines.push(rules?.smoke?.length
    ? `  smoke checks: ${rules.smoke.map((c) => `${c.service} ${c.path} → ${c.status ?? 200}${c.contains ? ` with "${c.contains}"` : ""}`).join(", ")}; a failure redeploys the image that ran before`
    : "  smoke checks: none (paved:delivery.smoke): a bad release stays until someone rolls it back");
  if (rules?.windows) lines.push(`  window: ${rules.windows.days.join(", ")} ${rules.windows.hours} ${rules.windows.timezone}; outside it only with an override reason, recorded`);
  for (const f of rules?.freezes ?? []) lines.push(`  freeze: ${f.from} to ${f.to} (${f.reason})`);
  if (rules?.mergeFrom) lines.push(`  merges into ${config.branch}: only from ${rules.mergeFrom.join(", ")} (the required check ${MERGE_CHECK})`);
  return lines.join("\n");
}

const RUNS_IN = {
  fly: "a one-off Fly machine of the new image, before any machine takes it",
  docker: "a one-shot container of the new image, before the API container is replaced",
  render: "the new release before it serves (Render's pre-deploy step)",
  railway: "the new release before it serves (Railway's pre-deploy step)",
} as const;

/**
 * Where and when the migration runs. Always before the new release serves, where some guides
 * migrate after the deploy: with expand-contract changes the release still running works with
 * the migrated schema, and a failed migration leaves it serving.
 */
function migrations(api: EnvironmentConfig["api"]): string {
  const command = api?.migrate ?? api?.render?.preDeployCommand ?? api?.railway?.preDeployCommand;
  if (!api || !command) return "  migrations: none run by paved (paved:api.migrate)";
  return `  migrations: "${command}", run in ${RUNS_IN[api.host]}; a failure stops \`pulumi up\` with its status and the old release keeps serving ` +
    "(before, not after, the deploy: expand-contract changes keep the running release working)";
}

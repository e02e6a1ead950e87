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
  if (api?.image?.kind === "promote") lines.push(`  image: the digest ${api.image.stack} runs, promoted, never rebuilt`);
  else if (api?.image?.kind === "build") {
    lines.push(`  image: built and pushed by this stack, deployed by digest${config.kind === "staging" ? ", tagged sha-<commit> and staging (and v* on a release tag)" : ""}`);
  }
  else if (api?.image?.kind === "digest") lines.push(`  image: pinned, ${api.image.ref}`);
  else if (api) lines.push(`  image: none: ${api.host === "render" ? "Render" : "Railway"} builds the repository`);
  const migrate = api?.render?.preDeployCommand ?? api?.railway?.preDeployCommand;
  lines.push(migrate
    ? `  migrations: "${migrate}", run in the new release before it serves (${api?.host === "render" ? "Render" : "Railway"}'s pre-deploy step; a failure stops the deploy and the old release keeps serving)`
    : "  migrations: none run by paved (paved:api.migrate)");
  lines.push(rules?.smoke?.length
    ? `  smoke checks: ${rules.smoke.map((c) => `${c.service} ${c.path} → ${c.status ?? 200}${c.contains ? ` with "${c.contains}"` : ""}`).join(", ")}; a failure redeploys the image that ran before`
    : "  smoke checks: none (paved:delivery.smoke): a bad release stays until someone rolls it back");
  if (rules?.windows) lines.push(`  window: ${rules.windows.days.join(", ")} ${rules.windows.hours} ${rules.windows.timezone}; outside it only with an override reason, recorded`);
  for (const f of rules?.freezes ?? []) lines.push(`  freeze: ${f.from} to ${f.to} (${f.reason})`);
  if (rules?.mergeFrom) lines.push(`  merges into ${config.branch}: only from ${rules.mergeFrom.join(", ")} (the required check ${MERGE_CHECK})`);
  return lines.join("\n");
}

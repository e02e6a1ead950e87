/**
 * Which stacks a repository holds, and which of them a push deploys: read from the stack files
 * (`paved:kind`, `paved:branch`), never from names written into a workflow. A stack file added
 * to the repository is deployed from its branch, planned on pull requests and checked for drift.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { KIND_DEFAULTS } from "../../stacks/config";
import { impliedKind } from "../../stacks/guard";
import type { Kind } from "../../stacks/schema";
import { delivery, type DeliverySection } from "../../stacks/sections/delivery";
import { upstreamStack } from "./stack-derive";
import { UsageError } from "./stack-file";

export interface StackTarget {
  stack: string;
  kind: Kind;
  /** The branch whose pushes deploy it. */
  branch: string;
  /** The stack file, relative to the directory read. */
  file: string;
  /** The stack whose image it promotes (`paved:api.image.promoteFrom`'s last part), or "". */
  promoteFrom: string;
  /** Its release rules (`paved:delivery`), when it states any. */
  delivery?: DeliverySection;
}

/** Kinds that live on and deploy from a branch: previews come and go with their pull request, local never deploys. */
const LONG_LIVED: readonly Kind[] = ["staging", "production"];

/** The long-lived stacks whose files sit in `dir` (`Pulumi.<stack>.yaml`), by name. */
export function stackTargets(dir: string): StackTarget[] {
  const targets: StackTarget[] = [];
  for (const file of readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f)).sort()) {
    const stack = file.replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
    const text = readFileSync(join(dir, file), "utf8");
    const config = (parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
    const given = config["paved:kind"];
    const kind = (typeof given === "string" ? given : impliedKind(stack)) as Kind | undefined;
    if (!kind || !LONG_LIVED.includes(kind)) continue;
    const branch = typeof config["paved:branch"] === "string" ? config["paved:branch"] : KIND_DEFAULTS[kind].branch;
    if (!branch) throw new UsageError(`${file}: paved:branch missing; expected the branch that deploys ${stack}`);
    targets.push({ stack, kind, branch, file, promoteFrom: upstreamStack(text, "image")?.split("/").pop() ?? "", ...deliveryOf(file, config) });
  }
  return targets;
}

function deliveryOf(file: string, config: Record<string, unknown>): { delivery?: DeliverySection } {
  if (config["paved:delivery"] === undefined) return {};
  const parsed = delivery.safeParse(config["paved:delivery"]);
  if (!parsed.success) throw new UsageError(`${file}: paved:delivery is not valid (npm run plan names the problem)`);
  return { delivery: parsed.data };
}

/** The stacks a push to `ref` (`refs/heads/<branch>`) deploys; a tag or another ref deploys none. */
export function deployedBy(targets: readonly StackTarget[], ref: string): StackTarget[] {
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
  return branch ? targets.filter((t) => t.branch === branch) : [];
}

/** The stack asked for by name (a manual deploy or a rollback), which must be one of them. */
export function chosen(targets: readonly StackTarget[], stack: string): StackTarget[] {
  const found = targets.filter((t) => t.stack === stack);
  if (found.length === 0) {
    throw new UsageError(`stack: got ${JSON.stringify(stack)}; expected one of ${targets.map((t) => t.stack).join(", ") || "the long-lived stacks (none found)"}`);
  }
  return found;
}

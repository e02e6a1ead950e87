/**
 * Stack files CI derives instead of someone editing one: a pull request's `pr-<N>` from the
 * preview template, and a stack pinned to an image digest for a promotion or a rollback.
 * Comments, key order and `secure:` values of the source survive.
 */
import { isMap, parseDocument } from "yaml";
import { UsageError } from "./stack-file";

/** Image references the stack config accepts as `paved:api.image.digest`. */
export const DIGEST_REF = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
// git check-ref-format's rules, as far as a branch name in YAML needs them.
const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!\/)[A-Za-z0-9._\/-]{1,200}(?<![./])$/;

/** The stack file of pull request `number` on `branch`, from the preview template's text. */
export function derivePreviewStack(template: string, number: number, branch: string): string {
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`pull request number: got "${number}"; expected a positive integer`);
  if (!BRANCH.test(branch)) throw new UsageError(`branch: got ${JSON.stringify(branch)}; expected a git branch name`);
  const doc = parseDocument(template);
  if (!isMap(doc.get("config"))) throw new UsageError("preview template: expected a config map");
  const kind = doc.getIn(["config", "paved:kind"]);
  if (kind !== undefined && kind !== "preview") throw new UsageError(`preview template: paved:kind is "${String(kind)}"; expected preview or none`);
  doc.setIn(["config", "paved:branch"], branch);
  // The label is what regenerates secrets: each pull request's stack gets its own.
  doc.setIn(["config", "paved:secrets", "rotation"], `pr-${number}`);
  // The template's own header describes pr-42; this file's says where it came from.
  const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  if (first && typeof first === "object" && "commentBefore" in first) first.commentBefore = undefined;
  doc.commentBefore = ` Derived by \`npm run -s stack -- preview ${number}\` for pull request #${number}; not tracked.`;
  return doc.toString();
}

/** The stack file with `paved:api.image` pinned to `ref`: what staging ran, or an earlier image. */
export function pinImage(stackFile: string, ref: string): string {
  if (!DIGEST_REF.test(ref)) throw new UsageError(`image: got ${JSON.stringify(ref)}; expected a reference pinned by digest, such as ghcr.io/owner/api@sha256:<64 hex>`);
  const doc = parseDocument(stackFile);
  if (!isMap(doc.getIn(["config", "paved:api"]))) throw new UsageError("stack file: no paved:api section, so no image to pin");
  for (const source of ["build", "promoteFrom"]) doc.deleteIn(["config", "paved:api", "image", source]);
  doc.setIn(["config", "paved:api", "image", "digest"], ref);
  return doc.toString();
}

const UPSTREAM = { image: ["paved:api", "image", "promoteFrom"], database: ["paved:database", "neon", "branchFrom"] } as const;

/** The stack this one reads: whose `apiImage` it promotes, or whose Neon database it branches. */
export function upstreamStack(stackFile: string, what: keyof typeof UPSTREAM): string | undefined {
  const from = parseDocument(stackFile).getIn(["config", ...UPSTREAM[what]]);
  return typeof from === "string" ? from : undefined;
}

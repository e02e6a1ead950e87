/**
 * Stack files for CI, derived rather than edited by hand.
 *
 *   npm run -s stack -- preview <N> --branch <branch> [--template FILE]   writes Pulumi.pr-<N>.yaml
 *   npm run -s stack -- pin <stack> <image@sha256:...>                     pins Pulumi.<stack>.yaml's image
 *   npm run -s stack -- upstream <stack> image|database                    prints the stack it promotes
 *                                                                          (image.promoteFrom) or branches (neon.branchFrom)
 *   npm run -s stack -- targets [--ref REF | --stack NAME] [--kind KIND]    prints, as JSON, the long-lived stacks
 *                                                                          (all, those a push to REF deploys, or
 *                                                                          the one named), for a workflow's matrix
 *
 * Stack files are read from the repository root, or from PAVED_STACKS_DIR when set.
 *
 * Exit codes: 0 done; 64 a bad command line or value.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { derivePreviewStack, pinImage, upstreamStack } from "./lib/stack-derive";
import { readStackFile, UsageError } from "./lib/stack-file";
import { chosen, deployedBy, stackTargets } from "./lib/stack-targets";

const ROOT = resolve(__dirname, "..");
const TEMPLATE = "examples/Pulumi.pr-42.yaml";
const STACKS = process.env.PAVED_STACKS_DIR ? resolve(process.env.PAVED_STACKS_DIR) : ROOT;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      branch: { type: "string" }, template: { type: "string" },
      ref: { type: "string" }, stack: { type: "string" }, kind: { type: "string" },
    },
  });
  const [command, target, ref] = positionals;
  const stackPath = (stack: string) => readStackFile(stack, ROOT).path;
  switch (command) {
    case "preview": {
      if (!values.branch) throw new UsageError("preview takes --branch <the pull request's head branch>");
      const text = derivePreviewStack(readFileSync(join(ROOT, values.template ?? TEMPLATE), "utf8"), Number(target), values.branch);
      const out = join(ROOT, `Pulumi.pr-${Number(target)}.yaml`);
      writeFileSync(out, text);
      console.log(out);
      return 0;
    }
    case "pin": {
      if (!target || !ref) throw new UsageError("pin takes a stack and an image: pin production ghcr.io/owner/api@sha256:<64 hex>");
      const path = stackPath(target);
      writeFileSync(path, pinImage(readFileSync(path, "utf8"), ref));
      console.log(`${path}: paved:api.image.digest = ${ref}`);
      return 0;
    }
    case "upstream": {
      if (!target || (ref !== "image" && ref !== "database")) throw new UsageError("upstream takes a stack and image or database: upstream production image");
      const from = upstreamStack(readFileSync(stackPath(target), "utf8"), ref);
      if (from) console.log(from);
      return 0;
    }
    case "targets": {
      if (values.ref !== undefined && values.stack !== undefined) throw new UsageError("targets takes --ref or --stack, not both");
      const all = stackTargets(STACKS);
      const picked = values.stack ? chosen(all, values.stack) : values.ref !== undefined ? deployedBy(all, values.ref) : all;
      console.log(JSON.stringify(picked.filter((t) => !values.kind || t.kind === values.kind)));
      return 0;
    }
    default:
      throw new UsageError(`expected a command: preview, pin, upstream or targets; got ${command ?? "none"}`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError) && !(err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw err;
  console.error(`paved stack: ${(err as Error).message}`);
  process.exitCode = 64;
}

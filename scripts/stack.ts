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
 *   npm run -s stack -- merge-check --base <branch> --head <branch>        fails (exit 1) when a stack deploying
 *                                                                          from base takes merges only from others
 *   npm run -s stack -- window <stack> [--at ISO-8601]                     fails (exit 1) outside the stack's deploy
 *                                                                          window or in a freeze, unless OVERRIDE
 *                                                                          holds a reason, which is recorded
 *   npm run -s stack -- smoke <stack>                                      runs its paved:delivery.smoke checks
 *                                                                          against API_URL / WEB_URL, each tried
 *                                                                          for up to 2 minutes; fails (exit 1) if one
 *                                                                          never passes
 *   npm run -s stack -- stale                                              prints, as JSON, the pr-<N> stacks to
 *                                                                          destroy, from STACKS (pulumi stack ls
 *                                                                          --json) and PRS (gh pr list --json)
 *
 * Stack files are read from the repository root, or from PAVED_STACKS_DIR when set.
 *
 * Exit codes: 0 done; 64 a bad command line or value.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { derivePreviewStack, pinImage, upstreamStack } from "./lib/stack-derive";
import { UsageError } from "./lib/stack-file";
import { chosen, deployedBy, stackTargets } from "./lib/stack-targets";
import { parse } from "yaml";
import { EXPIRE_AFTER_DAYS } from "../stacks/sections/delivery";
import { deployRefusal, mergeRefusal, type SmokeCheck, smokeFailure } from "./lib/release-rules";
import { stalePreviews } from "./lib/stale-previews";

const ROOT = resolve(__dirname, "..");
const TEMPLATE = "examples/Pulumi.pr-42.yaml";
const STACKS = process.env.PAVED_STACKS_DIR ? resolve(process.env.PAVED_STACKS_DIR) : ROOT;

/** Each check, tried until it passes or its time runs out: a new release may take a moment to answer. */
async function smoke(stack: string, checks: SmokeCheck[]): Promise<number> {
  if (checks.length === 0) {
    console.log(`${stack} states no smoke checks (paved:delivery.smoke).`);
    return 0;
  }
  const bases = { api: process.env.API_URL, web: process.env.WEB_URL };
  const tries = Number(process.env.SMOKE_TRIES ?? 12);
  const pause = Number(process.env.SMOKE_PAUSE_MS ?? 10_000);
  let failed = 0;
  for (const check of checks) {
    const base = bases[check.service];
    if (!base) throw new UsageError(`smoke: ${check.service.toUpperCase()}_URL is not set; expected the stack's ${check.service}Url output`);
    let failure: string | undefined;
    for (let i = 0; i < tries; i++) {
      failure = await smokeFailure(check, base);
      if (!failure) break;
      if (i < tries - 1) await new Promise((r) => setTimeout(r, pause));
    }
    if (failure) {
      console.log(`::error::smoke check failed: ${failure}`);
      failed++;
    } else {
      console.log(`passed: ${check.service} ${check.path}`);
    }
  }
  return failed ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      branch: { type: "string" }, template: { type: "string" },
      ref: { type: "string" }, stack: { type: "string" }, kind: { type: "string" },
      base: { type: "string" }, head: { type: "string" }, at: { type: "string" },
    },
  });
  const [command, target, ref] = positionals;
  const stackPath = (stack: string) => {
    const path = join(STACKS, `Pulumi.${stack}.yaml`);
    if (!existsSync(path)) throw new UsageError(`stack: no stack file ${path}; expected the name of one of ${STACKS}'s Pulumi.<stack>.yaml`);
    return path;
  };
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
    case "merge-check": {
      if (!values.base || !values.head) throw new UsageError("merge-check takes --base <branch> --head <branch>");
      let refused = false;
      for (const t of stackTargets(STACKS).filter((target) => target.branch === values.base)) {
        const why = mergeRefusal(t.delivery, values.head);
        if (why) {
          console.log(`::error::${values.base} deploys ${t.stack}: ${why} (paved:delivery.mergeFrom of ${t.file})`);
          refused = true;
        }
      }
      if (!refused) console.log(`A pull request from ${values.head} may merge into ${values.base}.`);
      return refused ? 1 : 0;
    }
    case "smoke": {
      if (!target) throw new UsageError("smoke takes a stack: smoke production");
      const [t] = chosen(stackTargets(STACKS), target);
      return smoke(t.stack, t.delivery?.smoke ?? []);
    }
    case "stale": {
      const template = parse(readFileSync(join(ROOT, values.template ?? TEMPLATE), "utf8")) as { config?: Record<string, { expireAfterDays?: number }> };
      const days = template.config?.["paved:delivery"]?.expireAfterDays ?? EXPIRE_AFTER_DAYS;
      const json = (name: string) => {
        try { return JSON.parse(process.env[name] ?? ""); } catch { throw new UsageError(`stale: ${name} is not JSON; expected what its command prints with --json`); }
      };
      const at = values.at ? new Date(values.at) : new Date();
      console.log(JSON.stringify(stalePreviews(json("STACKS"), json("PRS"), days, at)));
      return 0;
    }
    case "window": {
      if (!target) throw new UsageError("window takes a stack: window production [--at 2026-12-08T15:00:00Z]");
      const at = values.at ? new Date(values.at) : new Date();
      if (Number.isNaN(at.getTime())) throw new UsageError(`--at: got ${JSON.stringify(values.at)}; expected a time such as 2026-12-08T15:00:00Z`);
      const [t] = chosen(stackTargets(STACKS), target);
      const why = deployRefusal(t.delivery, at);
      if (!why) {
        console.log(`${t.stack} may deploy now.`);
        return 0;
      }
      const override = process.env.OVERRIDE?.trim();
      if (!override) {
        console.log(`::error::${t.stack} may not deploy now: ${why}. An emergency deploy gives its reason as the override input.`);
        return 1;
      }
      const record = `Emergency deploy of ${t.stack} ${why}, overridden by ${process.env.GITHUB_ACTOR ?? "someone"}: ${override}`;
      console.log(`::warning::${record}`);
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${record}\n`);
      return 0;
    }
    default:
      throw new UsageError(`expected a command: preview, pin, upstream, targets, merge-check or window; got ${command ?? "none"}`);
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (!(err instanceof UsageError) && !(err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw err;
  console.error(`paved stack: ${(err as Error).message}`);
  process.exitCode = 64;
});

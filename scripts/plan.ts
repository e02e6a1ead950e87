/**
 * paved's offline plan: runs the real program for one stack through the Pulumi SDK's
 * mock runtime and shows what the engine would be asked to create.
 *
 *   npm run plan -- [stack | path/to/Pulumi.<stack>.yaml] [--json FILE] [--sarif FILE] [--stack NAME]
 *   npm run plan -- --diff BASE.json HEAD.json      the pull-request comment of HEAD against BASE
 *   npm run plan -- --drift REFRESH.json [--stack NAME]   the drift issue body, from
 *     `pulumi refresh --preview-only --expect-no-changes --json`
 *
 * Exit codes: 0 planned; 1 a mandatory policy violation; 2 bad stack config;
 * 64 bad command line; 70 anything unexpected.
 */
import "../stacks/source-maps";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PavedInputError } from "../components/errors";
import { renderAlerts } from "./lib/alerts";
import { renderBackups } from "./lib/backups";
import { renderComment } from "./lib/comment";
import { estimateCost, renderCost } from "./lib/cost";
import { renderDeliberate } from "./lib/deliberate";
import { renderDelivery } from "./lib/delivery";
import { renderLogs } from "./lib/logs";
import { type PreviewDigest, renderDrift, stackOf } from "./lib/drift";
import { checkPolicies, renderPolicy } from "./lib/policy";
import { toSarif } from "../policy/sarif";
import { display, renderCounts, renderTree } from "./lib/render";
import { renderRotation, rotationStatus } from "./lib/rotation";
import { renderBranchProtection } from "./lib/scorecard";
import { type Snapshot, mask, stableJson, toSnapshot } from "./lib/snapshot";
import { readStackFile, UsageError } from "./lib/stack-file";

const DEFAULT_STACK = "production";
const ROOT = resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "string" },
      sarif: { type: "string" },
      diff: { type: "boolean" },
      drift: { type: "string" },
      stack: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(readFileSync(__filename, "utf8").split("*/")[0].replace(/^\/\*\*?|^ \* ?/gm, "").trim());
    return 0;
  }
  if (values.diff) {
    if (positionals.length !== 2) throw new UsageError("--diff takes two snapshot files: --diff BASE.json HEAD.json");
    const [base, head] = positionals.map(readSnapshot);
    process.stdout.write(renderComment(base, head));
    return 0;
  }
  if (values.drift !== undefined) {
    if (positionals.length > 0) throw new UsageError(`--drift takes one file; got also ${positionals.join(" ")}`);
    const digest = readJson<PreviewDigest>(values.drift, "refresh preview (pulumi refresh --preview-only --json)");
    const stack = values.stack ?? stackOf(digest);
    if (!stack) throw new UsageError(`${values.drift}: no resources to name the stack by; pass --stack NAME`);
    process.stdout.write(renderDrift(digest, stack));
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected one stack, got ${positionals.length}: ${positionals.join(" ")}`);

  const file = readStackFile(positionals[0] ?? DEFAULT_STACK, ROOT, values.stack);
  const { source } = file;
  // Loaded only to plan: the SDK is most of this command's start-up, and --diff, --drift and
  // a bad command line need none of it.
  const { planStack } = await import("./lib/plan");
  const { config, resources, outputs } = await planStack(source);

  console.log(`paved plan · project ${source.project} · stack ${source.stack} · ${file.path}`);
  console.log("");
  console.log(renderTree(resources));
  console.log("");
  console.log(`Resources: ${resources.length}`);
  console.log(renderCounts(resources));
  const guard = renderBranchProtection(resources, config.github?.codeOwners ?? false);
  if (guard.length) console.log(["", ...guard].join("\n"));
  if (Object.keys(config.secrets.generate).length || Object.keys(config.secrets.rotated ?? {}).length) console.log(`\n${renderRotation(rotationStatus(config.secrets, new Date(), config.database))}`);
  if (config.kind !== "local") console.log(`\n${renderAlerts(config.monitors)}`);
  const backups = renderBackups(config);
  if (backups) console.log(`\n${backups}`);
  const logs = renderLogs(config);
  if (logs) console.log(`\n${logs}`);
  const delivery = renderDelivery(config, source);
  if (delivery) console.log(`\n${delivery}`);
  const cost = config.cost && estimateCost(resources, config.kind, config.cost);
  if (cost && config.cost && config.kind !== "local") console.log(`\n${renderCost(cost, config.kind, config.cost)}`);
  const deliberate = renderDeliberate(resources);
  if (deliberate) console.log(`\n${deliberate}`);
  console.log("");
  console.log("Outputs:");
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== undefined) console.log(`  ${key}: ${display(mask(value))}`);
  }
  const policy = checkPolicies(resources, config.kind, config);
  console.log("");
  console.log(renderPolicy(policy));
  if (values.json) {
    writeFileSync(values.json, stableJson(toSnapshot(source.project, source.stack, resources, policy, file.secretVersions, cost)));
    console.log(`\nSnapshot written to ${values.json}`);
  }
  if (values.sarif) {
    const version = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")).version as string;
    writeFileSync(values.sarif, `${JSON.stringify(toSarif(policy.violations, { toolVersion: version, stackConfigFile: file.path.startsWith(ROOT) ? file.path.slice(ROOT.length + 1) : file.path }), null, 2)}\n`);
    console.log(`SARIF written to ${values.sarif}`);
  }
  return policy.mandatory > 0 ? 1 : 0;
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (err) {
    throw new UsageError(`${path}: not a readable ${what} (${(err as Error).message})`);
  }
}

function readSnapshot(path: string): Snapshot {
  const parsed = readJson<Snapshot>(path, "plan snapshot");
  if (!parsed || !Array.isArray(parsed.resources) || typeof parsed.stack !== "string") {
    throw new UsageError(`${path}: not a plan snapshot; expected the JSON that --json writes`);
  }
  return parsed;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof PavedInputError) {
      console.error(`Stack config has ${err.problems.length} problem${err.problems.length === 1 ? "" : "s"}:`);
      for (const problem of err.problems) console.error(`  ${problem}`);
      process.exitCode = 2;
    } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`paved plan: ${(err as Error).message}`);
      process.exitCode = 64;
    } else {
      console.error("paved plan failed unexpectedly:", err);
      if (!process.env.PAVED_SOURCE_MAPS) console.error("(run with PAVED_SOURCE_MAPS=1 for source positions in the stack)");
      process.exitCode = 70;
    }
  },
);

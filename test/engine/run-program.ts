/**
 * Runs paved the way `pulumi preview` / `pulumi up` does: the Node.js language host's argv
 * and environment for this SDK version (pulumi-language-nodejs, `constructArguments` and
 * `execRuntime`), against a {@link FakeEngine} instead of the real one.
 *
 *   node <nodeargs> <@pulumi/pulumi/cmd/run> --monitor A --engine A --organization O
 *     --project P --root-directory ROOT --stack S --pwd <dir of main> [--dry-run]
 *     --parallel N <main's file name>
 *
 * with PULUMI_CONFIG keyed `<namespace>:config:<name>`, PULUMI_CONFIG_SECRET_KEYS as given,
 * and PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH from Pulumi.yaml's runtime options.
 * The host's `--sync` pipes (for synchronous invokes) are left out: paved makes no invokes.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { readStackFile } from "../../scripts/lib/stack-file";
import { FakeEngine } from "./fake-engine";
import type { PluginProcess } from "./plugin";

export const ROOT = resolve(__dirname, "../..");
const ORGANIZATION = "organization";

export interface ProjectRuntime {
  name: string;
  /** `--pwd`: the directory of `main`. */
  pwd: string;
  /** The program argument: `main`'s file name, or "." for a directory. */
  entry: string;
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string[];
}

/** Pulumi.yaml as the CLI reads it (`getPwdMain`) and the host parses its options (`parseOptions`). */
export function readProject(root = ROOT): ProjectRuntime {
  const doc = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as {
    name: string; main?: string; runtime: string | { name: string; options?: Record<string, unknown> };
  };
  const options = typeof doc.runtime === "object" ? doc.runtime.options ?? {} : {};
  let pwd = root;
  let entry = ".";
  if (doc.main) {
    const main = isAbsolute(doc.main) ? doc.main : join(root, doc.main);
    if (statSync(main).isDirectory()) pwd = main;
    else [pwd, entry] = [dirname(main), basename(main)];
  }
  if (options.typescript !== undefined && typeof options.typescript !== "boolean") throw new Error("typescript option must be a boolean");
  return {
    name: doc.name,
    pwd,
    entry,
    typescript: options.typescript ?? true,
    tsconfig: typeof options.tsconfig === "string" && options.tsconfig !== "" ? options.tsconfig : undefined,
    nodeargs: typeof options.nodeargs === "string" ? splitArgs(options.nodeargs) : [],
  };
}

/** Shell-style word splitting with quotes, as the host's shlex.Split does for `nodeargs`. */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

export interface RunOptions {
  /** A stack name of the project or a path to a stack file, as `npm run plan` takes. */
  stackFile: string;
  /** Stack name when it differs from the file's. */
  stack?: string;
  /** `pulumi preview` (true) or `pulumi up` (false). */
  preview: boolean;
  /** Outputs of other stacks the program may reference, by `org/project/stack`. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** paved's provider plugin, launched, for the engine to step `paved:` resources through. */
  plugin?: PluginProcess;
  /** Secret config the CLI would decrypt and hand over, by key (`paved:JWT_SECRET`). */
  secrets?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  engine: FakeEngine;
  project: string;
  stack: string;
}

/** Config as the CLI hands it to the host, rewritten into the host's key form. */
export function hostConfig(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => {
    const i = key.indexOf(":");
    return [`${key.slice(0, i)}:config:${key.slice(i + 1)}`, value];
  }));
}

export async function runProgram(options: RunOptions): Promise<RunResult> {
  const project = readProject();
  const { source } = readStackFile(options.stackFile, ROOT, options.stack);
  const engine = new FakeEngine({ project: source.project, stack: source.stack, preview: options.preview, stackOutputs: options.stackOutputs, plugin: options.plugin });
  const address = await engine.start();
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.pwd] });
  const args = [
    ...project.nodeargs, runPath,
    "--monitor", address, "--engine", address, "--organization", ORGANIZATION, "--project", source.project,
    "--root-directory", ROOT, "--stack", source.stack, "--pwd", project.pwd,
    ...(options.preview ? ["--dry-run"] : []), "--parallel", "16", project.entry,
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR,
    PULUMI_CONFIG: JSON.stringify(hostConfig({ ...source.values, ...options.secrets })),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify([...new Set([...source.secretKeys, ...Object.keys(options.secrets ?? {})])]),
    ...(project.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    ...(project.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: project.tsconfig } : {}),
  };
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
  clearTimeout(timer);
  await engine.stop();
  return { code, stdout, stderr, ms: Date.now() - started, engine, project: source.project, stack: source.stack };
}

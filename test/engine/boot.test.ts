/**
 * The real path: every stack file of the repository run the way `pulumi preview` runs it (the
 * SDK's run harness started with the language host's argv and environment, a fake engine on
 * 127.0.0.1), checked against what the offline plan shows for the same stack file.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CapturedResource, Secret, UNKNOWN } from "../../scripts/lib/capture";
import { PAVED_TYPES } from "../../components/resources/resource";
import { PLUGIN_VERSION } from "../../components/providers/plugin";
import { planStack } from "../../scripts/lib/plan";
import { type Snapshot, toSnapshot } from "../../scripts/lib/snapshot";
import { readStackFile } from "../../scripts/lib/stack-file";
import { FakeAxiom } from "../fakes/axiom";
import { useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";
import { FakeNeon } from "../fakes/neon";
import { FakeRailway } from "../fakes/railway";
import { FakeRender } from "../fakes/render";
import { FakeEngine, qualifiedUrn } from "./fake-engine";
import { isWireSecret, PluginProcess, UNKNOWN as PLUGIN_UNKNOWN, wireSecret } from "./plugin";
import { ROOT, readProject, type RunResult, runProgram } from "./run-program";

const TMP = mkdtempSync(join(tmpdir(), "paved-boot-"));
const stackFilesIn = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
/** The project's own stacks by name, as `npm run plan` takes them; the others by path. */
const STACK_FILES = [
  ...stackFilesIn(".").map((f) => f.slice("Pulumi.".length, -".yaml".length)),
  ...["examples", "test/fixtures"].flatMap((dir) => stackFilesIn(dir).map((f) => `${dir}/${f}`)),
];

interface Booted {
  real: RunResult;
  plan: Snapshot;
}
const booted = new Map<string, Booted>();

/**
 * The offline plan's snapshot of a stack file: what `npm run plan -- <file> --json` writes,
 * planned here, one at a time (the mock runtime is global to this process).
 */
let planning: Promise<unknown> = Promise.resolve();
function offlinePlan(stackFile: string): Promise<Snapshot>;
function offlinePlan(stackFile: string, raw: true): Promise<{ resources: CapturedResource[] }>;
function offlinePlan(stackFile: string, raw = false): Promise<unknown> {
  const plan = planning.then(async () => {
    const { source } = readStackFile(stackFile, ROOT);
    const { resources } = await planStack(source);
    return raw ? { resources } : toSnapshot(source.project, source.stack, resources);
  });
  planning = plan.catch(() => undefined);
  return plan;
}

/** Runs `job` over `items` two at a time: this machine has two cores. */
async function inPairs(items: string[], job: (item: string) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all([0, 1].map(async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await job(item);
  }));
}

/** The service APIs paved's plugin calls, faked on 127.0.0.1, and the plugin itself, shared by every run. */
const fly = new FakeFly("fo1_BOOT_FLY_TOKEN_5e2a");
const neon = new FakeNeon("napi_BOOT_NEON_KEY_9c41");
const render = new FakeRender("rnd_BOOT_RENDER_KEY_1b7d");
const railway = new FakeRailway("rw_BOOT_RAILWAY_TOKEN_4d8e");
const axiom = new FakeAxiom("xaat-BOOT-AXIOM-TOKEN-7f0c");
/** The Logs component's children (the Fly.io log shipper) in a URN: told apart from the API's machines. */
const LOGS = "paved:logs:Logs$";
const pluginEngine = new FakeEngine({ project: "paved", stack: "boot", preview: true });
let plugin: PluginProcess;

/** `real` with each value the plan shows as "[unknown]" (or a secret it could not know) taken from the plan. */
function knownWhereUnknown(real: unknown, plan: unknown): unknown {
  if (plan === "[unknown]" || (plan === "[secret]" && real !== "[secret]")) return plan;
  if (Array.isArray(real) && Array.isArray(plan)) return real.map((x, i) => knownWhereUnknown(x, plan[i]));
  if (real && plan && typeof real === "object" && typeof plan === "object") {
    return Object.fromEntries(Object.entries(real).map(([k, v]) => [k, knownWhereUnknown(v, (plan as Record<string, unknown>)[k])]));
  }
  return real;
}

/** A planned value with what a preview cannot know left out, and secrets as their values. */
function knownPart(v: unknown): unknown {
  if (v instanceof Secret) return knownPart(v.value);
  if (Array.isArray(v)) return v.filter((x) => x !== UNKNOWN).map(knownPart);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== UNKNOWN).map(([k, x]) => [k, knownPart(x)]));
  return v;
}

/**
 * ProjectFlo production adopts the Render service and database its team runs already: they
 * exist at Render (here, the fake) under the ids its stack file names, made outside paved with
 * what its plan declares.
 */
async function seedAdopted(): Promise<void> {
  const file = "examples/Pulumi.projectflo-production.yaml";
  const { resources } = await offlinePlan(file, true) as { resources: CapturedResource[] };
  const { renderServiceProvider } = await import("../../components/providers/render");
  const { renderPostgresProvider } = await import("../../components/providers/render-postgres");
  const made = async <I>(crud: { check?(o: object, n: I): Promise<{ inputs?: I }>; create(i: I): Promise<{ id: string }> }, type: string) => {
    const planned = resources.find((r) => r.type === type && r.importId)!;
    const { id } = await crud.create((await crud.check!({}, knownPart(planned.inputs) as I)).inputs!);
    return { id, importId: planned.importId! };
  };
  const db = await made(renderPostgresProvider, "paved:render:Postgres");
  render.rename("postgres", db.id, db.importId);
  const svc = await made(renderServiceProvider, "paved:render:Service");
  render.rename("services", svc.id, svc.importId);
}

beforeAll(async () => {
  useFastEnv({
    FLY_API_TOKEN: "fo1_BOOT_FLY_TOKEN_5e2a", FLY_API_URL: await fly.start(),
    NEON_API_KEY: "napi_BOOT_NEON_KEY_9c41", NEON_API_URL: await neon.start(),
    RENDER_API_KEY: "rnd_BOOT_RENDER_KEY_1b7d", RENDER_API_URL: await render.start(),
    RAILWAY_API_TOKEN: "rw_BOOT_RAILWAY_TOKEN_4d8e", RAILWAY_API_URL: `${await railway.start()}/graphql/v2`,
    AXIOM_TOKEN: "xaat-BOOT-AXIOM-TOKEN-7f0c", AXIOM_API_URL: await axiom.start(),
  });
  await seedAdopted();
  // The engine hands a plugin the `pulumi` process's whole environment: here, the fakes' URLs and keys.
  plugin = await PluginProcess.launch(await pluginEngine.start(), { ...process.env });
  await inPairs(STACK_FILES, async (file) => {
    const [real, plan] = await Promise.all([runProgram({ stackFile: file, preview: true, plugin }), offlinePlan(file)]);
    booted.set(file, { real, plan });
  });
}, 240_000);
afterAll(async () => {
  await plugin?.stop();
  await Promise.all([fly.stop(), neon.stop(), render.stop(), railway.stop(), axiom.stop(), pluginEngine.stop()]);
});

describe("the program under the SDK's run harness, as `pulumi preview` starts it", () => {
  it("reads Pulumi.yaml as the CLI does: main's directory is the working directory, tsx transpiles", () => {
    const project = readProject();
    expect(project).toEqual({
      name: "paved", pwd: join(ROOT, "stacks"), entry: "index.ts", typescript: false, tsconfig: undefined, nodeargs: ["--import", "tsx"],
    });
  });

  it.each(STACK_FILES)("%s boots and exits 0 with no error logged", (file) => {
    const { real } = booted.get(file)!;
    const errors = real.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
    expect({ code: real.code, errors, stderr: real.stderr }).toEqual({ code: 0, errors: [], stderr: "" });
    expect(real.engine.rootUrn).toBe(`urn:pulumi:${real.stack}::paved::pulumi:pulumi:Stack::paved-${real.stack}`);
  });

  it.each(STACK_FILES)("%s exports only the outputs it has: no undefined-output warning", (file) => {
    const { real } = booted.get(file)!;
    expect(real.engine.logs.filter((l) => /Undefined value/.test(l.message)).map((l) => l.message)).toEqual([]);
  });

  it.each(STACK_FILES)("%s registers exactly what the offline plan shows: type, name, URN, parent, options, inputs", (file) => {
    const { real, plan } = booted.get(file)!;
    const engine = toSnapshot(real.project, real.stack, real.engine.resources()).resources;
    expect(engine.length).toBeGreaterThan(5);
    expect(engine.map((r) => r.urn)).toEqual(plan.resources.map((r) => r.urn));
    // A preview reads what a stack adopts (the engine's import runs Read), so what derives from
    // it is known on the real path where the offline plan, with no API to read, shows it unknown.
    const adopts = real.engine.steps.some((s) => s.imported);
    expect(adopts ? knownWhereUnknown(engine, plan.resources) : engine).toEqual(plan.resources);
  });

  it("adopts in a preview as the engine imports: ProjectFlo's Render service and database are read by id, with no replacement", () => {
    const { real } = booted.get("examples/Pulumi.projectflo-production.yaml")!;
    const imported = real.engine.steps.filter((s) => s.imported);
    expect(imported.map((s) => [s.urn.split("$").pop(), s.id])).toEqual([
      ["paved:render:Postgres::projectflo-production-database-postgres", "dpg-d0projectflodb9k4-a"],
      ["paved:render:Service::projectflo-production-api-service", "srv-d0projectfloapi7x2"],
    ]);
    for (const s of imported) expect(s.diff!.replaces).toEqual([]);
    expect(real.engine.logs.filter((l) => /import/.test(l.message))).toEqual([]);
  });

  it("names resources with the engine's whole parent type chain, as the offline plan now does", () => {
    const { real, plan } = booted.get("production")!;
    const urn = "urn:pulumi:production::paved::paved:environment:Environment$paved:api:ApiApp$paved:fly:App::production-api-app";
    expect(real.engine.resources().map((r) => r.urn)).toContain(urn);
    expect(plan.resources.map((r) => r.urn)).toContain(urn);
    expect(qualifiedUrn("s", "p", "urn:pulumi:s::p::a:b:C$d:e:F::x", "g:h:I", "y")).toBe("urn:pulumi:s::p::a:b:C$d:e:F$g:h:I::y");
    expect(qualifiedUrn("s", "p", "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", "g:h:I", "y")).toBe("urn:pulumi:s::p::g:h:I::y");
  });

  it("previews production before staging has deployed: the promoted image is unknown, with one warning", () => {
    const { real } = booted.get("production")!;
    const warnings = real.engine.logs.filter((l) => l.severity === "warning").map((l) => l.message);
    expect(warnings).toEqual([
      "paved:api.image.promoteFrom: stack organization/paved/staging has no apiImage output yet; deploy it first (pulumi up -s staging), " +
      "or pin an image with paved:api.image.digest. Until then this preview shows it as unknown.",
    ]);
    const machines = real.engine.resources().filter((r) => r.type === "paved:fly:Machine" && !r.urn.includes(LOGS));
    expect(machines).toHaveLength(2);
    for (const m of machines) expect((m.inputs.config as { image: unknown }).image).toBe(UNKNOWN);
  });
});

describe("stack references under the real path", () => {
  it("deploys the image staging ran once staging has deployed it", async () => {
    const image = "ghcr.io/planningos/planningos-api@sha256:" + "a".repeat(64);
    const run = await runProgram({ stackFile: "production", preview: true, stackOutputs: { "organization/paved/staging": { apiImage: image } } });
    expect(run.code).toBe(0);
    expect(run.engine.logs.filter((l) => l.severity === "warning")).toEqual([]);
    const machines = run.engine.resources().filter((r) => r.type === "paved:fly:Machine" && !r.urn.includes(LOGS));
    expect(machines.map((m) => (m.inputs.config as { image: unknown }).image)).toEqual([image, image]);
  });

  it("stops `pulumi up` of production with one line naming the stack to deploy first, not an engine exception", async () => {
    const run = await runProgram({ stackFile: "production", preview: false });
    expect(run.code).toBe(32); // the SDK's "error already shown to the user"
    const errors = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/paved:api\.image\.promoteFrom: stack organization\/paved\/staging has no apiImage output yet; deploy it first \(pulumi up -s staging\), or pin an image with paved:api\.image\.digest$/);
    expect(errors[0]).not.toMatch(/Required output|\n\s+at /);
  });

  it("previews a pull-request stack whose parent database has not deployed, with its ids unknown", () => {
    const { real } = booted.get("examples/Pulumi.pr-42.yaml")!;
    const branch = real.engine.resources().find((r) => r.type === "paved:neon:Branch")!;
    expect([branch.inputs.projectId, branch.inputs.parentId]).toEqual([UNKNOWN, UNKNOWN]);
    expect(real.engine.logs.filter((l) => l.severity === "warning").map((l) => l.message.split(";")[0])).toEqual([
      "paved:database.neon.branchFrom: stack organization/paved/staging has no databaseProjectId output yet",
      "paved:database.neon.branchFrom: stack organization/paved/staging has no databaseBranchId output yet",
    ]);
  });
});

describe("bad stack config under the real path", () => {
  it("ends with the config problems alone: exit 32, no stack trace, no resource but the stack, no secret", async () => {
    const file = join(TMP, "Pulumi.production.yaml");
    writeFileSync(join(TMP, "Pulumi.yaml"), "name: paved\nruntime: nodejs\n");
    writeFileSync(file, readFileSync(join(ROOT, "Pulumi.production.yaml"), "utf8")
      .replace(/^config:\n/m, "config:\n  paved:notAKey: 1\n"));
    const run = await runProgram({ stackFile: file, preview: true });
    expect(run.code).toBe(32);
    const errors = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toMatch(/\n\s+at |Error:/);
    expect(errors[0]).toContain("paved:notAKey");
    expect(run.engine.resources()).toEqual([]);
  });
});

/** A URN of a `paved:` type for the plugin's calls, as the engine names a top-level resource. */
const urnOf = (type: string, name: string) => `urn:pulumi:boot::paved::paved:${type}::${name}`;

describe("paved's provider plugin as the engine runs it: launched, over gRPC, against the fake APIs", () => {
  afterEach(() => [fly, neon, render, railway, axiom].forEach((f) => f.assertClean()));

  it("stores no provider code: no resource registers a `__provider` input", () => {
    for (const { real } of booted.values()) {
      for (const r of real.engine.resources()) expect({ urn: r.urn, code: "__provider" in r.inputs }).toEqual({ urn: r.urn, code: false });
    }
  });

  it("checked every paved resource of every stack file in preview, unknown inputs and all, with no failure", () => {
    const steps = [...booted.values()].flatMap(({ real }) => real.engine.steps);
    const types = new Set(steps.map((s) => s.urn.split("::")[2].split("$").pop()));
    expect([...types].sort()).toEqual(PAVED_TYPES.map((t) => `paved:${t}`));
    expect(steps.flatMap((s) => s.failures)).toEqual([]);
    // Production's machines wait on staging's image: the unknown reached check and came back unknown.
    const machine = booted.get("production")!.real.engine.steps.find((s) => s.urn.includes("$paved:fly:Machine::") && !s.urn.includes(LOGS))!;
    expect((machine.checked.config as { image: unknown }).image).toBe(PLUGIN_UNKNOWN);
  });

  /** check -> create -> read -> diff against the created state: the engine's first `pulumi up`. */
  async function lifecycle(type: string, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const urn = urnOf(type, `boot-${type.replace(":", "-").toLowerCase()}-${++made}`);
    const checked = await plugin.check(urn, {}, news);
    expect(checked.failures).toEqual([]);
    const { id, outs } = await plugin.create(urn, checked.inputs);
    expect(id).not.toBe("");
    const read = await plugin.read(id, urn, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject(Object.fromEntries(Object.entries(checked.inputs).filter(([, v]) => typeof v !== "object")));
    expect((await plugin.diff(id, urn, outs, checked.inputs)).changes).toBe("none");
    return outs;
  }
  let made = 0;

  it("answers the engine's handshake: a version, and Configure taking secrets but no preview of creates", async () => {
    expect(await plugin.pluginVersion()).toBe(PLUGIN_VERSION);
    expect(await plugin.configure({ "paved:config:kind": "production" })).toEqual({ acceptSecrets: true, supportsPreview: false });
  });

  it("Fly.io: app, secrets, machine, certificate and IP address", async () => {
    await lifecycle("fly:App", { name: "api-staging", orgSlug: "acme" });
    const secrets = await lifecycle("fly:Secrets", { app: "api-staging", values: wireSecret({ DATABASE_URL: "postgres://u:p@db/app", JWT_SECRET: "j".repeat(40) }) });
    expect(isWireSecret(secrets.values)).toBe(true);
    await lifecycle("fly:Machine", {
      app: "api-staging", name: "api-cdg-1", region: "cdg",
      config: {
        image: "registry.fly.io/api-staging:deployment-1", env: { PORT: "3001" }, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
        services: [{ protocol: "tcp", internal_port: 3001, ports: [{ port: 443, handlers: ["tls", "http"] }], autostop: "stop", autostart: true, min_machines_running: 1 }],
        checks: { health: { type: "http", port: 3001, path: "/health", interval: "30s", timeout: "10s", grace_period: "10s", method: "GET" } },
      },
    });
    await lifecycle("fly:Certificate", { app: "api-staging", hostname: "api.example.com" });
    await lifecycle("fly:IpAddress", { app: "api-staging", type: "v6" });
  });

  it("Neon: project, role, database and a branch; the role's password comes back secret", async () => {
    const project = await lifecycle("neon:Project", { name: "planningos-staging", regionId: "aws-eu-central-1" });
    const where = { projectId: project.projectId, branchId: project.defaultBranchId };
    const role = await lifecycle("neon:Role", { ...where, name: "app" });
    expect(isWireSecret(role.password)).toBe(true);
    await lifecycle("neon:Database", { ...where, name: "app", ownerName: "app" });
    await lifecycle("neon:Branch", { projectId: project.projectId, parentId: project.defaultBranchId, name: "pr-42", roleName: "app", databaseName: "app" });
  });

  it("Railway: project, environment, service with variables, its domain and a custom hostname, and a Redis on a volume", async () => {
    const project = await lifecycle("railway:Project", { name: "flightpro", workspaceId: "ws-flightpro", defaultEnvironmentName: "staging" });
    const env = await lifecycle("railway:Environment", { projectId: project.projectId, name: "production" });
    const service = await lifecycle("railway:Service", {
      projectId: project.projectId, environmentId: env.environmentId, name: "flightpro-api-production", image: `ghcr.io/flightpro/api@sha256:${"c".repeat(64)}`,
      numReplicas: 2, region: "us-east4", healthcheckPath: "/health", variables: { PORT: "8080", JWT_SECRET: "j".repeat(40) },
    });
    const target = { projectId: project.projectId, environmentId: env.environmentId, serviceId: service.serviceId, targetPort: 8080 };
    await lifecycle("railway:ServiceDomain", target);
    await lifecycle("railway:CustomDomain", { ...target, domain: "api.lifecycle.example.com" });
    const redis = await lifecycle("railway:Service", {
      projectId: project.projectId, environmentId: env.environmentId, name: "flightpro-redis-production", image: "docker.io/library/redis:7.4-alpine",
      numReplicas: 1, region: "us-east4", startCommand: '/bin/sh -c "exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --appendonly yes"',
      variables: { REDIS_PASSWORD: "r".repeat(32) },
    });
    await lifecycle("railway:Volume", {
      projectId: project.projectId, environmentId: env.environmentId, serviceId: redis.serviceId, name: "flightpro-redis-production-data", mountPath: "/data", region: "us-east4",
    });
  });

  it("Render: a web service from an image, a Postgres instance and a Key Value instance", async () => {
    await lifecycle("render:Service", { ownerId: "tea-1", name: "api", image: { imagePath: "ghcr.io/acme/api:1" }, healthCheckPath: "/health", envVars: { LOG_LEVEL: "info" } });
    await lifecycle("render:Postgres", { ownerId: "tea-1", name: "api-db", plan: "basic_256mb", version: "16" });
    await lifecycle("render:KeyValue", { ownerId: "tea-1", name: "api-cache", plan: "starter", region: "frankfurt" });
  });
});

/**
 * Stacks deployed in order, each chain's staging first: a later stack promotes from, branches
 * from or shares the project of its product's staging, read from staging's own outputs.
 */
const DEPLOY_CHAINS = [
  ["staging", "production", "examples/Pulumi.pr-42.yaml"],
  ["examples/Pulumi.flightpro-staging.yaml", "examples/Pulumi.flightpro-production.yaml"],
  ["examples/Pulumi.projectflo-staging.yaml", "examples/Pulumi.projectflo-production.yaml"],
  ["examples/Pulumi.plannior-production.yaml"],
  ["test/fixtures/Pulumi.render-cache.yaml"],
];

describe("`pulumi up`, `refresh` and `destroy` under the real path: the plugin against the fake APIs", () => {
  const deployed = new Map<string, RunResult>();
  beforeAll(async () => {
    await Promise.all(DEPLOY_CHAINS.map(async (chain) => {
      let staging: Record<string, unknown> = {};
      for (const file of chain) {
        const run = await runProgram({ stackFile: file, preview: false, plugin, stackOutputs: { "organization/paved/staging": staging } });
        if (file === chain[0]) staging = run.engine.stackOutputs;
        deployed.set(file, run);
      }
    }));
  }, 180_000);
  afterEach(() => [fly, neon, render, railway, axiom].forEach((f) => f.assertClean()));
  const files = DEPLOY_CHAINS.flat();

  it.each(files)("%s deploys: exit 0, each paved resource created (or imported) through the plugin with an id", (file) => {
    const run = deployed.get(file)!;
    const errors = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
    expect({ code: run.code, errors }).toEqual({ code: 0, errors: [] });
    const paved = run.engine.resources().filter((r) => r.custom && r.type.startsWith("paved:")).map((r) => r.urn).sort();
    expect(paved.length).toBeGreaterThan(0);
    expect(run.engine.steps.map((s) => s.urn).sort()).toEqual(paved);
    for (const s of run.engine.steps) expect({ urn: s.urn, id: Boolean(s.id), failures: s.failures }).toEqual({ urn: s.urn, id: true, failures: [] });
  });

  it.each(files)("%s refreshes with no drift: Read of each resource answers its id, and Diff against the deploy's inputs is none", async (file) => {
    for (const s of deployed.get(file)!.engine.steps) {
      const read = await plugin.read(s.id!, s.urn, s.outputs!);
      expect({ urn: s.urn, id: read.id }).toEqual({ urn: s.urn, id: s.id });
      const diff = await plugin.diff(s.id!, s.urn, read.props, s.checked);
      expect({ urn: s.urn, changes: diff.changes }).toEqual({ urn: s.urn, changes: "none" });
    }
  });

  it.each([
    ["FlightPro's production, in the Railway project they share", "examples/Pulumi.flightpro-staging.yaml", "examples/Pulumi.flightpro-production.yaml", "paved:railway:Project::flightpro-staging-api-project"],
    ["a pull request's Neon branch of staging's project", "staging", "examples/Pulumi.pr-42.yaml", "paved:neon:Project::staging-database-project"],
  ])("destroying a staging stack as the engine does (what it retains kept) leaves %s untouched", async (_, from, dependent, shared) => {
    const staging = deployed.get(from)!;
    const retained = new Set(staging.engine.resources().filter((r) => r.retainOnDelete).map((r) => r.urn));
    expect([...retained].some((urn) => urn.endsWith(shared))).toBe(true);
    for (const s of [...staging.engine.steps].reverse()) if (!retained.has(s.urn)) await plugin.delete(s.id!, s.urn, s.outputs!);
    for (const s of deployed.get(dependent)!.engine.steps) {
      const read = await plugin.read(s.id!, s.urn, s.outputs!);
      expect({ urn: s.urn, id: read.id }).toEqual({ urn: s.urn, id: s.id });
    }
  });

  it("stops `pulumi up` when the migration fails: the command's status, and no machine created or changed", async () => {
    fly.exitCodeOf = (cmd) => (cmd.join(" ") === "sqlx migrate run" ? 2 : 0);
    try {
      const run = await runProgram({ stackFile: "staging", stack: "migrate-fails", preview: false, plugin });
      const errors = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message).join("\n");
      expect(run.code).not.toBe(0);
      expect(errors).toMatch(/Migration "sqlx migrate run" exited with status 2 on Fly machine m[0-9a-f]+ \(app planningos-api-migrate-fails, image [^)]+\); the app's machines were not updated/);
      // The log shipper waits on no migration: only the API's machines must not move.
      const types = run.engine.steps.filter((s) => !s.urn.includes(LOGS)).map((s) => s.urn.split("::")[2].split("$").pop());
      expect(types).toContain("paved:fly:Migration");
      expect(types).not.toContain("paved:fly:Machine");
    } finally {
      fly.exitCodeOf = () => 0;
    }
  });

  it("destroys every stack: Delete of each resource in reverse order, after which Read finds it gone", async () => {
    for (const file of [...files].reverse()) {
      for (const s of [...deployed.get(file)!.engine.steps].reverse()) {
        await plugin.delete(s.id!, s.urn, s.outputs!);
        const after = await plugin.read(s.id!, s.urn, s.outputs!);
        // A migration is the record of a run, which its machine outlived only while it ran: nothing is left to find gone.
        if (s.urn.includes("$paved:fly:Migration::")) continue;
        // A Fly app's secrets are a set on the app, which outlives them: gone means none of its names is set.
        // (Already gone when an earlier test destroyed its stack: no values at all.)
        const left = s.urn.includes("$paved:fly:Secrets::") ? (after.props.values as { value: object } | undefined)?.value ?? {} : undefined;
        expect({ urn: s.urn, after: left ? Object.keys(left) : after.id }).toEqual({ urn: s.urn, after: left ? [] : "" });
      }
    }
  });
});

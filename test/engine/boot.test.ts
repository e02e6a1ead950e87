/**
 * The real path: every stack file of the repository run the way `pulumi preview` runs it (the
 * SDK's run harness started with the language host's argv and environment, a fake engine on
 * 127.0.0.1), checked against what the offline plan shows for the same stack file.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Secret, UNKNOWN } from "../../scripts/lib/capture";
import { planStack } from "../../scripts/lib/plan";
import { type Snapshot, toSnapshot } from "../../scripts/lib/snapshot";
import { readStackFile } from "../../scripts/lib/stack-file";
import { useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";
import { FakeNeon } from "../fakes/neon";
import { FakeRailway } from "../fakes/railway";
import { FakeRender } from "../fakes/render";
import { qualifiedUrn } from "./fake-engine";
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
function offlinePlan(stackFile: string): Promise<Snapshot> {
  const plan = planning.then(async () => {
    const { source } = readStackFile(stackFile, ROOT);
    const { resources } = await planStack(source);
    return toSnapshot(source.project, source.stack, resources);
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

beforeAll(async () => {
  await inPairs(STACK_FILES, async (file) => {
    const [real, plan] = await Promise.all([runProgram({ stackFile: file, preview: true }), offlinePlan(file)]);
    booted.set(file, { real, plan });
  });
}, 240_000);

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

  it.each(STACK_FILES)("%s registers exactly what the offline plan shows: type, name, URN, parent, options, inputs", (file) => {
    const { real, plan } = booted.get(file)!;
    const engine = toSnapshot(real.project, real.stack, real.engine.resources()).resources;
    expect(engine.length).toBeGreaterThan(5);
    expect(engine.map((r) => r.urn)).toEqual(plan.resources.map((r) => r.urn));
    expect(engine).toEqual(plan.resources);
  });

  it("names resources with the engine's whole parent type chain, as the offline plan now does", () => {
    const { real, plan } = booted.get("production")!;
    const urn = "urn:pulumi:production::paved::paved:environment:Environment$paved:api:ApiApp$pulumi-nodejs:dynamic/fly:App::production-api-app";
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
    const machines = real.engine.resources().filter((r) => r.type === "pulumi-nodejs:dynamic/fly:Machine");
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
    const machines = run.engine.resources().filter((r) => r.type === "pulumi-nodejs:dynamic/fly:Machine");
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
    const branch = real.engine.resources().find((r) => r.type === "pulumi-nodejs:dynamic/neon:Branch")!;
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

/** The serialized provider code the real path registered, by resource type. */
function providerTexts(): Map<string, string> {
  const byType = new Map<string, string>();
  for (const { real } of booted.values()) {
    for (const r of real.engine.resources()) {
      const text = r.inputs.__provider;
      if (byType.has(r.type) || text === undefined) continue;
      byType.set(r.type, text instanceof Secret ? String(text.value) : String(text));
    }
  }
  return byType;
}

/** The providers the real path registered, by type: their code as the engine would run it. */
function servedProviders(): Map<string, DynamicProvider> {
  // The SDK's own copy, as its dynamic provider host loads it.
  const requireFromString = createRequire(require.resolve("@pulumi/pulumi"))("require-from-string") as (code: string) => { handler(): DynamicProvider };
  // Deserialized exactly as the dynamic provider host does (`requireFromString(text).handler()`).
  return new Map([...providerTexts()].map(([type, text]) => [type, requireFromString(text).handler()]));
}

interface DynamicProvider {
  check(olds: object, news: object): Promise<{ inputs?: Record<string, unknown>; failures?: unknown[] }>;
  diff(id: string, olds: object, news: object): Promise<{ changes?: boolean }>;
  create(inputs: object): Promise<{ id: string; outs?: Record<string, unknown> }>;
  read(id: string, props: object): Promise<{ id?: string; props?: Record<string, unknown> }>;
}

describe("dynamic providers as the engine runs them: serialized by the real path, deserialized, against the fake APIs", () => {
  const fly = new FakeFly("fo1_BOOT_FLY_TOKEN_5e2a");
  const neon = new FakeNeon("napi_BOOT_NEON_KEY_9c41");
  const render = new FakeRender("rnd_BOOT_RENDER_KEY_1b7d");
  const railway = new FakeRailway("rw_BOOT_RAILWAY_TOKEN_4d8e");
  let providers: Map<string, DynamicProvider>;

  beforeAll(async () => {
    useFastEnv({
      FLY_API_TOKEN: "fo1_BOOT_FLY_TOKEN_5e2a", FLY_API_URL: await fly.start(),
      NEON_API_KEY: "napi_BOOT_NEON_KEY_9c41", NEON_API_URL: await neon.start(),
      RENDER_API_KEY: "rnd_BOOT_RENDER_KEY_1b7d", RENDER_API_URL: await render.start(),
      RAILWAY_API_TOKEN: "rw_BOOT_RAILWAY_TOKEN_4d8e", RAILWAY_API_URL: `${await railway.start()}/graphql/v2`,
    });
    providers = servedProviders();
  });
  afterAll(async () => Promise.all([fly.stop(), neon.stop(), render.stop(), railway.stop()]));
  afterEach(() => [fly, neon, render, railway].forEach((f) => f.assertClean()));

  it("serializes each provider as paved's code alone: packages are required where they run, never copied in", () => {
    const texts = providerTexts();
    expect(texts.size).toBe(18);
    for (const [type, text] of texts) {
      // A package reached through a transpiler's namespace copy is serialized by value: the
      // SDK's Config class, its gRPC stubs and more, in every resource's state.
      expect({ type, sdkCopied: /requireSecretObject|getSecretBoolean/.test(text) }).toEqual({ type, sdkCopied: false });
      expect({ type, underBudget: text.length < 64_000 }).toEqual({ type, underBudget: true });
    }
  });

  /** check -> create -> read -> diff against the created state: the engine's first `pulumi up`. */
  async function lifecycle(type: string, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const provider = providers.get(`pulumi-nodejs:dynamic/${type}`);
    expect(provider, `no ${type} provider was registered by any stack`).toBeDefined();
    const checked = await provider!.check({}, news);
    expect(checked.failures ?? []).toEqual([]);
    const { id, outs } = await provider!.create(checked.inputs!);
    expect(id).not.toBe("");
    const read = await provider!.read(id, outs!);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject(Object.fromEntries(Object.entries(checked.inputs!).filter(([, v]) => typeof v !== "object")));
    expect((await provider!.diff(id, outs!, checked.inputs!)).changes).toBe(false);
    return outs!;
  }

  it("covers every dynamic resource type the stacks use", () => {
    expect([...providers.keys()].sort()).toEqual([
      "fly:App", "fly:Certificate", "fly:IpAddress", "fly:Machine", "fly:Secrets",
      "neon:Branch", "neon:Database", "neon:Project", "neon:Role",
      "railway:CustomDomain", "railway:Environment", "railway:Project", "railway:Service", "railway:ServiceDomain", "railway:Volume",
      "render:KeyValue", "render:Postgres", "render:Service",
    ].map((t) => `pulumi-nodejs:dynamic/${t}`));
  });

  it("Fly.io: app, secrets, machine, certificate and IP address", async () => {
    await lifecycle("fly:App", { name: "api-staging", orgSlug: "acme" });
    await lifecycle("fly:Secrets", { app: "api-staging", values: { DATABASE_URL: "postgres://u:p@db/app", JWT_SECRET: "j".repeat(40) } });
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

  it("Neon: project, role, database and a branch", async () => {
    const project = await lifecycle("neon:Project", { name: "planningos-staging", regionId: "aws-eu-central-1" });
    const where = { projectId: project.projectId, branchId: project.defaultBranchId };
    await lifecycle("neon:Role", { ...where, name: "app" });
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
    await lifecycle("railway:CustomDomain", { ...target, domain: "api.flightpro.io" });
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

  it("adopts as the engine imports: read by id with no state, check, diff; no create request reaches the API", async () => {
    const provider = providers.get("pulumi-nodejs:dynamic/render:KeyValue")!;
    const made = await provider.create((await provider.check({}, { ownerId: "tea-1", name: "made-by-hand", plan: "starter" })).inputs!);
    const creates = render.count("POST", /^\/key-value$/);
    const read = await provider.read(made.id, {});
    const checked = await provider.check(read.props ?? {}, { ownerId: "tea-1", name: "made-by-hand", plan: "starter" });
    expect((await provider.diff(made.id, read.props!, checked.inputs!)).changes).toBe(false);
    expect(render.count("POST", /^\/key-value$/)).toBe(creates);
  });
});

/**
 * paved's provider plugin, launched as the engine launches it, on what dynamic providers could
 * not do: adopt an object that exists (import), run today's code for an object made before a
 * fix (refresh, delete), and check a preview's unknown inputs without failing.
 */
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pavedProvider } from "../../components/providers/plugin";
import { PAVED_TYPES, type PavedType } from "../../components/resources/resource";
import { useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";
import { FakeNeon } from "../fakes/neon";
import { FakeRailway } from "../fakes/railway";
import { FakeRender } from "../fakes/render";
import { FakeEngine } from "./fake-engine";
import { isWireSecret, PluginProcess, UNKNOWN } from "./plugin";

const fly = new FakeFly("fo1_PLUGIN_FLY_TOKEN_77aa");
const neon = new FakeNeon("napi_PLUGIN_NEON_KEY_31bc");
const render = new FakeRender("rnd_PLUGIN_RENDER_KEY_90de");
const railway = new FakeRailway("rw_PLUGIN_RAILWAY_TOKEN_12ef");
const engine = new FakeEngine({ project: "paved", stack: "plugin", preview: false });
let plugin: PluginProcess;

beforeAll(async () => {
  useFastEnv({
    FLY_API_TOKEN: "fo1_PLUGIN_FLY_TOKEN_77aa", FLY_API_URL: await fly.start(),
    NEON_API_KEY: "napi_PLUGIN_NEON_KEY_31bc", NEON_API_URL: await neon.start(),
    RENDER_API_KEY: "rnd_PLUGIN_RENDER_KEY_90de", RENDER_API_URL: await render.start(),
    RAILWAY_API_TOKEN: "rw_PLUGIN_RAILWAY_TOKEN_12ef", RAILWAY_API_URL: `${await railway.start()}/graphql/v2`,
  });
  plugin = await PluginProcess.launch(await engine.start(), { ...process.env });
}, 30_000);
afterAll(async () => {
  await plugin?.stop();
  await Promise.all([fly.stop(), neon.stop(), render.stop(), railway.stop(), engine.stop()]);
});
afterEach(() => [fly, neon, render, railway].forEach((f) => f.assertClean()));

const urnOf = (type: PavedType, name: string) => `urn:pulumi:production::paved::paved:environment:Environment$paved:${type}::${name}`;

/** Good inputs for each type, as the program registers them. */
const GOOD: Record<PavedType, Record<string, unknown>> = {
  "axiom:Dataset": { name: "planningos-production", kind: "axiom:events:v1", description: "planningos production", retentionDays: 30 },
  "fly:App": { name: "api-prod", orgSlug: "acme" },
  "fly:Certificate": { app: "api-prod", hostname: "api.example.com" },
  "fly:IpAddress": { app: "api-prod", type: "v6" },
  "fly:Machine": {
    app: "api-prod", name: "api-cdg-1", region: "cdg",
    config: { image: "registry.fly.io/api-prod:deployment-1", env: { PORT: "3001" }, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
      services: [{ protocol: "tcp", internal_port: 3001, ports: [{ port: 443, handlers: ["tls", "http"] }] }],
      checks: { health: { type: "http", port: 3001, path: "/health", interval: "30s", timeout: "10s" } }, metadata: { secrets: "3" } },
  },
  "fly:Migration": { app: "api-prod", region: "cdg", image: "registry.fly.io/api-prod:deployment-1", command: "sqlx migrate run", env: { RUST_LOG: "info" }, timeoutSeconds: 300 },
  "fly:Secrets": { app: "api-prod", values: { DATABASE_URL: "postgres://u:p@db/app", JWT_SECRET: "j".repeat(40) } },
  "neon:Branch": { projectId: "p-1", parentId: "br-1", name: "pr-42", roleName: "app", databaseName: "app" },
  "neon:Database": { projectId: "p-1", branchId: "br-1", name: "app", ownerName: "app" },
  "neon:Project": { name: "planningos", regionId: "aws-eu-central-1", pgVersion: 17, allowedIps: ["203.0.113.0/24"] },
  "neon:Role": { projectId: "p-1", branchId: "br-1", name: "app", rotation: "2026-11" },
  "railway:CustomDomain": { projectId: "p", environmentId: "e", serviceId: "s", targetPort: 8080, domain: "api.flightpro.io" },
  "railway:Environment": { projectId: "p", name: "production" },
  "railway:Project": { name: "flightpro", workspaceId: "ws-1", defaultEnvironmentName: "staging" },
  "railway:Service": { projectId: "p", environmentId: "e", name: "api", image: `ghcr.io/flightpro/api@sha256:${"c".repeat(64)}`, numReplicas: 2, region: "us-east4", healthcheckPath: "/health", variables: { PORT: "8080" } },
  "railway:ServiceDomain": { projectId: "p", environmentId: "e", serviceId: "s", targetPort: 8080 },
  "railway:Volume": { projectId: "p", environmentId: "e", serviceId: "s", name: "redis-data", mountPath: "/data", region: "us-east4" },
  "render:KeyValue": { ownerId: "tea-1", name: "cache", plan: "starter", region: "frankfurt", maxmemoryPolicy: "allkeys_lru", ipAllowList: [] },
  "render:Postgres": { ownerId: "tea-1", name: "db", plan: "basic_256mb", version: "16", region: "frankfurt", diskSizeGB: 15, ipAllowList: [] },
  "render:Service": {
    ownerId: "tea-1", name: "api", region: "frankfurt", plan: "standard", numInstances: 2, healthCheckPath: "/health", preDeployCommand: "npm run migrate",
    repo: "https://github.com/acme/api", branch: "main", rootDir: "packages/backend", runtime: "node", buildCommand: "npm ci", startCommand: "node dist/server.js",
    envVars: { NODE_ENV: "production", JWT_SECRET: "j".repeat(40) }, customDomains: ["api.example.com"], autoDeploy: true,
  },
};

describe("unknown inputs in a preview never fail a check", () => {
  it("covers every type the plugin serves", () => {
    expect(Object.keys(GOOD).sort()).toEqual([...PAVED_TYPES].sort());
  });

  it.each(PAVED_TYPES)("%s: its good inputs pass", async (type) => {
    expect((await pavedProvider.check(urnOf(type, "x"), {}, GOOD[type])).failures).toEqual([]);
  });

  it.each(PAVED_TYPES)("%s: each input unknown in turn, then all at once, passes and comes back unknown", async (type) => {
    const fields = Object.keys(GOOD[type]);
    for (const field of [...fields, "*"]) {
      const news = Object.fromEntries(fields.map((f) => [f, field === "*" || f === field ? UNKNOWN : GOOD[type][f]]));
      const { inputs, failures } = await pavedProvider.check(urnOf(type, "x"), {}, news);
      expect({ field, failures }).toEqual({ field, failures: [] });
      // An always-secret output stays secret while unknown.
      const seen = (v: unknown) => (isWireSecret(v) ? v.value : v);
      for (const f of fields) if (news[f] === UNKNOWN) expect({ field: f, value: seen(inputs[f]) }).toEqual({ field: f, value: UNKNOWN });
    }
  });

  it.each(PAVED_TYPES)("%s: an unknown inside a list or map passes", async (type) => {
    const nested = Object.entries(GOOD[type]).filter(([, v]) => typeof v === "object" && v !== null && Object.keys(v).length > 0);
    for (const [field, value] of nested) {
      const obj = value as Record<string, unknown>;
      const inner = Array.isArray(value) ? [UNKNOWN, ...value.slice(1)] : { ...obj, [Object.keys(obj)[0]]: UNKNOWN };
      const { failures } = await pavedProvider.check(urnOf(type, "x"), {}, { ...GOOD[type], [field]: inner });
      expect({ field, failures }).toEqual({ field, failures: [] });
    }
  });

  it("still reports a known bad value beside an unknown one", async () => {
    const { failures } = await pavedProvider.check(urnOf("render:Service", "x"), {}, { ...GOOD["render:Service"], ownerId: UNKNOWN, region: "mars" });
    expect(failures).toEqual([{ property: "region", reason: 'region must be one of frankfurt, oregon, ohio, singapore, virginia, got "mars"' }]);
  });
});

/** The engine's import (the `adopt` of a stack file): Read by id with no state, Check against what was read, Diff. */
async function adopt(type: PavedType, id: string, news: Record<string, unknown>) {
  const urn = urnOf(type, "adopted");
  const read = await plugin.read(id, urn, {});
  expect(read.id).toBe(id);
  expect(read.inputs).toBeDefined();
  const checked = await plugin.check(urn, read.inputs!, news);
  expect(checked.failures).toEqual([]);
  return { read, diff: await plugin.diff(id, urn, read.props, checked.inputs) };
}

describe("adopting what a team runs already, through the plugin as `import` runs it", () => {
  it("a Render web service: read with its env vars secret, no difference, no create", async () => {
    const { renderServiceProvider } = await import("../../components/providers/render");
    const inputs = (await renderServiceProvider.check!({}, GOOD["render:Service"] as never)).inputs!;
    const { id } = await renderServiceProvider.create(inputs);
    const creates = render.count("POST", /^\/services$/);
    const { read, diff } = await adopt("render:Service", id, GOOD["render:Service"]);
    expect(diff).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    expect(read.props.envVars).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: inputs.envVars });
    expect(render.count("POST", /^\/services$/)).toBe(creates);
  });

  it("a Render Postgres and a Render Key Value: no difference, no create", async () => {
    const { renderPostgresProvider } = await import("../../components/providers/render-postgres");
    const { renderKeyValueProvider } = await import("../../components/providers/render-key-value");
    const pg = await renderPostgresProvider.create((await renderPostgresProvider.check!({}, GOOD["render:Postgres"] as never)).inputs!);
    const kv = await renderKeyValueProvider.create((await renderKeyValueProvider.check!({}, GOOD["render:KeyValue"] as never)).inputs!);
    const creates = render.count("POST", /^\/(postgres|key-value)$/);
    expect((await adopt("render:Postgres", pg.id, GOOD["render:Postgres"])).diff.changes).toBe("none");
    expect((await adopt("render:KeyValue", kv.id, GOOD["render:KeyValue"])).diff.changes).toBe("none");
    expect(render.count("POST", /^\/(postgres|key-value)$/)).toBe(creates);
  });

  it("a Neon project: no difference, no create", async () => {
    const { neonProjectProvider } = await import("../../components/providers/neon");
    const made = await neonProjectProvider.create((await neonProjectProvider.check!({}, GOOD["neon:Project"] as never)).inputs!);
    const creates = neon.count("POST", /^\/projects$/);
    expect((await adopt("neon:Project", made.id, GOOD["neon:Project"])).diff.changes).toBe("none");
    expect(neon.count("POST", /^\/projects$/)).toBe(creates);
  });

  it("a Fly.io app: no difference, no create", async () => {
    const { flyAppProvider } = await import("../../components/providers/fly");
    const made = await flyAppProvider.create((await flyAppProvider.check!({}, GOOD["fly:App"] as never)).inputs!);
    const creates = fly.count("POST", /^\/v1\/apps$/);
    expect((await adopt("fly:App", made.id, GOOD["fly:App"])).diff.changes).toBe("none");
    expect(fly.count("POST", /^\/v1\/apps$/)).toBe(creates);
  });

  it("an id that does not exist reads as gone, which the engine reports as nothing to import", async () => {
    expect(await plugin.read("srv-doesnotexist", urnOf("render:Service", "adopted"), {})).toEqual({ id: "", props: {}, inputs: undefined });
  });
});

/** State as a dynamic provider left it: its outputs carry the code it ran, serialized. */
const BUGGY_PROVIDER = `exports.handler = () => ({
  async delete() { /* the bug a later paved fixed: it never asked Render to delete */ },
  async read(id, props) { return { id, props: { ...props, status: "available" } }; },
});`;

describe("a fix in components/providers/ reaches resources made before it", () => {
  it("delete and refresh run the plugin's code, not the code stored in state", async () => {
    const { renderKeyValueProvider } = await import("../../components/providers/render-key-value");
    const made = await renderKeyValueProvider.create((await renderKeyValueProvider.check!({}, GOOD["render:KeyValue"] as never)).inputs!);
    const state = { ...made.outs, __provider: BUGGY_PROVIDER };
    const urn = urnOf("render:KeyValue", "old");

    // What the dynamic provider host did: load `__provider` from state and run it.
    const requireFromString = createRequire(require.resolve("@pulumi/pulumi"))("require-from-string") as (code: string) => { handler(): { delete(id: string, p: object): Promise<void> } };
    await requireFromString(BUGGY_PROVIDER).handler().delete(made.id, state);
    expect(render.keyValues.has(made.id)).toBe(true);

    // The plugin reads the object as Render has it, and drops the stored code from state.
    render.keyValues.get(made.id)!.status = "suspended";
    const refreshed = await plugin.read(made.id, urn, state);
    expect(refreshed.props.status).toBe("suspended");
    expect(refreshed.props).not.toHaveProperty("__provider");

    await plugin.delete(made.id, urn, state);
    expect(render.keyValues.has(made.id)).toBe(false);
    expect(render.count("DELETE", new RegExp(`^/key-value/${made.id}$`))).toBe(1);
  });

  it("an update from dynamic-provider state diffs on the resource's own fields: the old code is no change", async () => {
    const inputs = (await pavedProvider.check(urnOf("render:Postgres", "old"), {}, GOOD["render:Postgres"])).inputs;
    const state = { ...inputs, postgresId: "dpg-1", internalConnectionString: "postgres://x", status: "available", dashboardUrl: "", __provider: BUGGY_PROVIDER };
    const diff = await plugin.diff("dpg-1", urnOf("render:Postgres", "old"), state, (await plugin.check(urnOf("render:Postgres", "old"), state, inputs)).inputs);
    expect(diff).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
  });
});

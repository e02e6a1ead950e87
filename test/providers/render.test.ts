import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  renderKeyValueProvider, renderPostgresProvider, renderServiceProvider, type RenderPostgresInputs, type RenderServiceInputs, type RenderServiceOutputs,
} from "../../components/providers/render";
import { pavedProvider } from "../../components/providers/plugin";
import { ReleaseFailed } from "../../components/providers/release";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeRender } from "../fakes/render";

const TOKEN = "rnd_TEST_TOKEN_7f3a9c";
const wireSecret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });
const SECRET = "jwt-secret-value-0123456789abcdef";
const fake = new FakeRender(TOKEN);
const p = renderServiceProvider as Required<typeof renderServiceProvider>;
const pg = renderPostgresProvider as Required<typeof renderPostgresProvider>;
const kv = renderKeyValueProvider as Required<typeof renderKeyValueProvider>;

async function checked(news: Partial<RenderServiceInputs>): Promise<RenderServiceInputs> {
  const r = await p.check({} as never, news as never);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs!;
}

const base: Partial<RenderServiceInputs> = {
  ownerId: "tea-1", name: "api", image: { imagePath: "ghcr.io/acme/api:1" }, healthCheckPath: "/health",
  envVars: { JWT_SECRET: SECRET, LOG_LEVEL: "info" },
};

beforeAll(async () => useFastEnv({ RENDER_API_KEY: TOKEN, RENDER_API_URL: await fake.start() }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(() => {
  fake.clearFaults();
  fake.services.clear();
  fake.postgres.clear();
  fake.keyValues.clear();
  fake.calls.length = 0;
  fake.preDeploy = () => ({ exitCode: 0, output: ["applying migrations", "migrations applied"] });
  fake.settleAfter = 2;
  fake.deploys.length = 0;
  fake.deployRuns.clear();
});

describe("render:Service", () => {
  it("runs create -> read -> diff -> update -> delete", async () => {
    const inputs = await checked({ ...base, customDomains: ["api.example.com"] });
    const { id, outs } = await created(p, inputs);
    expect(outs).toMatchObject({ serviceId: id, url: "https://api.onrender.com", dashboardUrl: `https://dashboard.render.com/web/${id}` });
    expect(fake.envVars.get(id)).toEqual([{ key: "JWT_SECRET", value: SECRET }, { key: "LOG_LEVEL", value: "info" }]);

    const read = await p.read(id, outs);
    expect(read.props).toMatchObject({ name: "api", region: "oregon", numInstances: 1, customDomains: ["api.example.com"], envVars: inputs.envVars });

    const next = await checked({ ...base, numInstances: 2, plan: "standard", envVars: { LOG_LEVEL: "warn" } });
    expect(await p.diff(id, outs, next)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const moved = await p.diff(id, outs, { ...next, region: "frankfurt" });
    expect(moved).toMatchObject({ replaces: ["region"], deleteBeforeReplace: true });
    const toRepo = await p.diff(id, outs, await checked({ ...base, image: undefined, repo: "https://github.com/acme/api", buildCommand: "b", startCommand: "s" }));
    expect(toRepo.replaces).toContain("image");

    await p.update(id, outs, next);
    expect(fake.services.get(id)!.serviceDetails).toMatchObject({ numInstances: 2, plan: "standard" });
    expect(fake.envVars.get(id)).toEqual([{ key: "LOG_LEVEL", value: "warn" }]);
    expect(fake.deploys).toContain(id);
    expect(fake.count("POST", /\/scale$/)).toBe(1);

    await p.delete(id, outs);
    expect(fake.services.size).toBe(0);
    await p.delete(id, outs); // already gone
  });

  it("check names the field and value, never a secret", async () => {
    const r = await p.check({} as never, { ...base, region: "mars", numInstances: 0, envVars: { "1BAD": SECRET } } as never);
    const reasons = (r.failures ?? []).map((f) => f.reason).join("\n");
    expect(reasons).toContain('region must be one of frankfurt, oregon, ohio, singapore, virginia, got "mars"');
    expect(reasons).toContain("numInstances must be an integer >= 1, got 0");
    expect(reasons).toContain('envVars key "1BAD" is invalid');
    expect(reasons).not.toContain(SECRET);
    const both = await p.check({} as never, { ...base, repo: "https://github.com/acme/api" } as never);
    expect(both.failures).toContainEqual({ property: "image", reason: "Only one of `image` or `repo` can be provided." });
  });

  it("imports by id", async () => {
    const { id } = await created(p, await checked(base));
    const read = await p.read(id, undefined);
    expect(read.inputs).toMatchObject({ ownerId: "tea-1", name: "api", image: { imagePath: "ghcr.io/acme/api:1" }, runtime: "image" });
  });

  it("recovers a create whose response was lost, without a duplicate", async () => {
    fake.inject("POST", /^\/services$/, { loseResponse: true });
    const { id, outs } = await created(p, await checked(base));
    expect(fake.services.size).toBe(1);
    expect(fake.count("POST", /^\/services$/)).toBe(1);
    expect(outs.serviceId).toBe(id);
    expect(fake.services.has(id)).toBe(true);
  });

  it("does not blindly retry a POST that failed with 500", async () => {
    fake.inject("POST", /^\/services$/, { status: 500 });
    const inputs = await checked(base);
    const err = await errorOf(() => p.create(inputs));
    expect(err.message).toBe("Render API POST /services failed (HTTP 500): injected failure");
    expect(fake.count("POST", /^\/services$/)).toBe(1);
    expect(fake.services.size).toBe(0);
  });

  it("retries a 429 on create after Retry-After, creating one service", async () => {
    fake.inject("POST", /^\/services$/, { status: 429, headers: { "retry-after": "1" } });
    await created(p, await checked(base));
    const posts = fake.calls.filter((c) => c.method === "POST" && c.path === "/services");
    expect(posts).toHaveLength(2);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(950);
    expect(fake.services.size).toBe(1);
  });

  it("retries GETs on 500 and 503", async () => {
    const { id, outs } = await created(p, await checked(base));
    fake.inject("GET", /^\/services\/[^/]+$/, { status: 500 });
    fake.inject("GET", /^\/services\/[^/]+$/, { status: 503 });
    await p.read(id, outs);
    expect(fake.count("GET", /^\/services\/[^/]+$/)).toBe(3);
  });

  it("times out a hung call and retries it when safe", async () => {
    const { id, outs } = await created(p, await checked(base));
    fake.inject("GET", /^\/services\/[^/]+$/, { hang: true });
    await p.read(id, outs);
    expect(fake.count("GET", /^\/services\/[^/]+$/)).toBe(2);
    fake.inject("POST", /\/deploys$/, { hang: true });
    const err = await errorOf(() => p.update(id, outs, { ...outs, plan: "pro" }));
    expect(err.message).toMatch(/^Render API POST \/services\/srv-\d+\/deploys failed: no response within 1500 ms$/);
    expect(fake.count("POST", /\/deploys$/)).toBe(1);
  });

  it("reports a malformed body clearly", async () => {
    const { id, outs } = await created(p, await checked(base));
    fake.inject("GET", /^\/services\/[^/]+$/, { malformed: true });
    const err = await errorOf(() => p.read(id, outs));
    expect(err.message).toMatch(/^Render API GET \/services\/srv-\d+ failed: response body is not valid JSON \(HTTP 200, 9 bytes\)$/);
  });

  it("never puts the token or a secret value in an error", async () => {
    const { id, outs } = await created(p, await checked(base));
    fake.inject("PUT", /\/env-vars$/, { status: 400, body: { message: `bad value ${SECRET} for token ${TOKEN}` } });
    const err = await errorOf(() => p.update(id, outs, { ...outs, envVars: { JWT_SECRET: SECRET, NEW: "x" } }));
    expect(err.message).toContain("Render API PUT");
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(TOKEN);
    expect(String(err.stack)).not.toContain(SECRET);
  });

  it("names the missing key", async () => {
    const saved = process.env.RENDER_API_KEY;
    delete process.env.RENDER_API_KEY;
    try {
      const err = await errorOf(() => p.read("srv-1", undefined));
      expect(err.message).toContain("RENDER_API_KEY is not set");
    } finally {
      process.env.RENDER_API_KEY = saved;
    }
  });
});

describe("full-state PATCH answered 429 or 503 with Retry-After", () => {
  // Each update PATCHes every field it manages as wanted, so a repeat is safe and it retries like a GET.
  const cases = {
    service: async () => {
      const { id, outs } = await created(p, await checked(base));
      return { path: /^\/services\/[^/]+$/, update: () => p.update(id, outs, { ...outs, plan: "pro" }), after: () => fake.services.get(id)!.serviceDetails.plan };
    },
    postgres: async () => {
      const { id, outs } = await created(pg, (await pg.check({} as never, { ownerId: "tea-1", name: "api-db", plan: "basic_256mb", version: "16" } as never)).inputs!);
      return { path: /^\/postgres\/[^/]+$/, update: () => pg.update(id, outs, { ...outs, plan: "pro_4gb" }), after: () => fake.postgres.get(id)!.plan };
    },
    keyValue: async () => {
      const { id, outs } = await created(kv, { ownerId: "tea-1", name: "cache", plan: "starter", region: "oregon", maxmemoryPolicy: "allkeys_lru", ipAllowList: [] });
      return { path: /^\/key-value\/[^/]+$/, update: () => kv.update(id, outs, { ...outs, plan: "pro" }), after: () => fake.keyValues.get(id)!.plan };
    },
  };

  it.each([
    ["service", 503, "pro"], ["service", 429, "pro"], ["postgres", 503, "pro_4gb"], ["keyValue", 503, "pro"],
  ] as const)("%s: retries after %i once Retry-After has passed", async (kind, status, plan) => {
    const c = await cases[kind]();
    fake.inject("PATCH", c.path, { status, headers: { "retry-after": "1" } });
    fake.calls.length = 0;
    await c.update();
    const patches = fake.calls.filter((x) => x.method === "PATCH");
    expect(patches).toHaveLength(2);
    expect(patches[1].at - patches[0].at).toBeGreaterThanOrEqual(950);
    expect(c.after()).toBe(plan);
  });
});

describe("render:Service pre-deploy command", () => {
  const repoBacked: Partial<RenderServiceInputs> = {
    ownerId: "tea-1", name: "api", repo: "https://github.com/acme/api", branch: "main", runtime: "node",
    buildCommand: "npm ci", startCommand: "node server.js", preDeployCommand: "npm run migrate", healthCheckPath: "/health",
  };

  it("reads it where Render answers it, so a read without stored state keeps it and a change shows", async () => {
    const inputs = await checked(repoBacked);
    const { id } = await created(p, inputs);
    const read = await p.read(id, {} as never);
    expect(read.props).toMatchObject({ preDeployCommand: "npm run migrate" });
    fake.services.get(id)!.serviceDetails.envSpecificDetails.preDeployCommand = "npm run migrate:v2"; // edited in the dashboard
    const refreshed = await p.read(id, read.props!);
    expect(refreshed.props).toMatchObject({ preDeployCommand: "npm run migrate:v2" });
    expect((await p.diff(id, refreshed.props!, inputs)).changes).toBe(true);
  });
});

describe("render:Service migration (the pre-deploy command) gates the deploy", () => {
  const migrating = { ...base, preDeployCommand: "npx prisma migrate deploy" };
  // What the failing migration prints: a connection string and an env var's value among its lines.
  const failing = () => ({
    exitCode: 3,
    output: [
      "Applying migration 0042_add_orders",
      "Datasource: postgres://app:Pg-pass-4f1c@db.internal:5432/app",
      `JWT_SECRET is ${SECRET}`,
      'Error: relation "orders" already exists',
    ],
  });
  const lastLines = [
    "Its last log lines:",
    "  Applying migration 0042_add_orders",
    "  Datasource: postgres://[not shown: user and password]@db.internal:5432/app",
    "  JWT_SECRET is [redacted]",
    '  Error: relation "orders" already exists',
  ].join("\n");
  const deployReads = () => fake.count("GET", /\/deploys\/dep-[^/]+$/);

  it("waits for the first deploy Render starts on create; live after a poll or two", async () => {
    const { id, outs } = await created(p, await checked(migrating));
    expect(outs).toMatchObject({ serviceId: id, deployStatus: "live" });
    expect(fake.deployRuns.get(outs.deployId)!.deploy.status).toBe("live");
    expect(deployReads()).toBe(2);
    expect(fake.deploys).toEqual([]); // Render started it; paved did not ask for a second one
  });

  it("stops create with the command's exit status and its last log lines, credentials masked", async () => {
    fake.preDeploy = failing;
    const inputs = await checked(migrating);
    const err = await errorOf(() => p.create(inputs));
    expect(err).toBeInstanceOf(ReleaseFailed);
    const { id, outs } = err as ReleaseFailed<RenderServiceOutputs>;
    expect(outs).toMatchObject({ serviceId: id, deployStatus: "pre_deploy_failed" });
    expect(err.message).toBe(
      `Render service api (${id}): deploy ${outs.deployId} ended pre_deploy_failed: the pre-deploy command "npx prisma migrate deploy" ` +
      `exited with status 3; the service has no release serving yet. ${lastLines}`,
    );
    expect(err.message).not.toContain("Pg-pass-4f1c");
    expect(err.message).not.toContain(TOKEN);
  });

  it("stops update on a failed migration: the previous release keeps serving, and the next update deploys again", async () => {
    const { id, outs } = await created(p, await checked(migrating));
    const live = outs.deployId;
    fake.preDeploy = failing;
    const next = await checked({ ...migrating, image: { imagePath: "ghcr.io/acme/api:2" } });
    const err = (await errorOf(() => p.update(id, outs, next))) as ReleaseFailed<RenderServiceOutputs>;
    expect(err.message).toBe(
      `Render service api (${id}): deploy ${err.outs.deployId} ended pre_deploy_failed: the pre-deploy command "npx prisma migrate deploy" ` +
      `exited with status 3; the previous release keeps serving. ${lastLines}`,
    );
    expect(err.outs).toMatchObject({ image: { imagePath: "ghcr.io/acme/api:2" }, deployStatus: "pre_deploy_failed" });
    expect(fake.deployRuns.get(live)!.deploy.status).toBe("live");

    // The engine keeps the failed state and updates again: with nothing else changed, paved deploys again.
    fake.preDeploy = () => ({ exitCode: 0, output: ["migrations applied"] });
    const { outs: after } = await p.update(id, err.outs, next);
    expect(after).toMatchObject({ deployStatus: "live" });
    expect(after!.deployId).not.toBe(err.outs.deployId);
    expect(fake.deployRuns.get(live)!.deploy.status).toBe("deactivated");
    expect(fake.deploys).toEqual([id, id]);
  });

  it("reaches the engine as the service's failed initialisation: its id, and its state with secrets sealed", async () => {
    fake.preDeploy = failing;
    const urn = "urn:pulumi:production::paved::paved:environment:Environment$paved:render:Service::api";
    const inputs = (await pavedProvider.check(urn, {}, { ...migrating, envVars: { JWT_SECRET: wireSecret(SECRET) } } as never)).inputs;
    const err = (await errorOf(() => pavedProvider.create(urn, inputs))) as Error & { id: string; properties: Record<string, unknown>; reasons: string[] };
    // The SDK's provider server sends an error carrying an id as ErrorResourceInitFailed: the engine records
    // the service, so the next `pulumi up` updates it rather than creating a second one.
    expect(err.id).toBe([...fake.services.keys()][0]);
    expect(err.properties).toMatchObject({ serviceId: err.id, deployStatus: "pre_deploy_failed", envVars: wireSecret({ JWT_SECRET: SECRET }) });
    expect(err.reasons).toEqual([err.message]);
    expect(err.message).toContain("ended pre_deploy_failed: the pre-deploy command \"npx prisma migrate deploy\" exited with status 3");
  });

  it("names any other failure status, such as a canceled deploy", async () => {
    const { id, outs } = await created(p, await checked(migrating));
    const next = await checked({ ...migrating, plan: "standard" });
    fake.settleAfter = Infinity;
    const started = p.update(id, outs, next);
    await vi.waitFor(() => expect(fake.deploys).toHaveLength(1), { interval: 1 });
    const run = [...fake.deployRuns.values()].at(-1)!;
    run.deploy.status = "canceled";
    const err = await errorOf(() => started);
    expect(err.message).toBe(
      `Render service api (${id}): deploy ${run.deploy.id} ended canceled: it was canceled; the previous release keeps serving. It left no log lines.`,
    );
  });

  it("gives up at the deadline on a deploy that never settles, naming the status it stayed in", async () => {
    fake.settleAfter = Infinity;
    const saved = process.env.PAVED_POLL_TIMEOUT_MS;
    process.env.PAVED_POLL_TIMEOUT_MS = "200";
    try {
      const inputs = await checked(migrating);
      const err = (await errorOf(() => p.create(inputs))) as ReleaseFailed<RenderServiceOutputs>;
      expect(err.message).toBe(
        `Timed out after 200 ms waiting for Render service api (${err.id}) deploy ${err.outs.deployId} to finish; it was still pre_deploy_in_progress`,
      );
      expect(err.outs.deployStatus).toBe("pre_deploy_in_progress");
    } finally {
      process.env.PAVED_POLL_TIMEOUT_MS = saved;
    }
  });
});

describe("render:Service autoscaling", () => {
  const auto = { min: 2, max: 5, cpuPercent: 70 };
  const body = (a: { min: number; max: number }, cpu?: number, memory?: number) => ({
    enabled: true, min: a.min, max: a.max,
    criteria: { cpu: { enabled: cpu !== undefined, percentage: cpu ?? 70 }, memory: { enabled: memory !== undefined, percentage: memory ?? 80 } },
  });

  it("creates with Render's autoscaling, starting at min, and reads it back with no drift as Render moves the count", async () => {
    const inputs = await checked({ ...base, autoscaling: auto });
    const { id, outs } = await created(p, inputs);
    const sd = fake.services.get(id)!.serviceDetails;
    expect(sd).toMatchObject({ numInstances: 2, autoscaling: body(auto, 70) });
    sd.numInstances = 4; // Render scaled up under load
    const read = await p.read(id, outs);
    expect(read.props).toMatchObject({ autoscaling: auto, numInstances: 1 });
    expect(await p.diff(id, read.props!, inputs)).toMatchObject({ changes: false });
  });

  it("turns it on, changes it and turns it off through /autoscaling, scaling to the fixed count after", async () => {
    const { id, outs } = await created(p, await checked(base));
    const on = await checked({ ...base, autoscaling: auto });
    const first = await p.update(id, outs, on);
    expect(fake.services.get(id)!.serviceDetails.autoscaling).toEqual(body(auto, 70));
    const memory = await checked({ ...base, autoscaling: { min: 1, max: 3, memoryPercent: 75 } });
    const second = await p.update(id, first.outs!, memory);
    expect(fake.services.get(id)!.serviceDetails.autoscaling).toEqual(body({ min: 1, max: 3 }, undefined, 75));
    fake.calls.length = 0;
    await p.update(id, second.outs!, await checked({ ...base, numInstances: 2 }));
    expect(fake.services.get(id)!.serviceDetails.autoscaling).toBeUndefined();
    expect(fake.calls.map((c) => `${c.method} ${c.path}`).slice(0, 2)).toEqual([`DELETE /services/${id}/autoscaling`, `POST /services/${id}/scale`]);
    expect(fake.services.get(id)!.serviceDetails.numInstances).toBe(2);
  });

  it.each([
    [{ min: 3, max: 2, cpuPercent: 70 }, "autoscaling min and max must be whole numbers with 1 <= min <= max, got min 3 and max 2"],
    [{ min: 1, max: 2 }, "autoscaling needs cpuPercent, memoryPercent or both"],
  ])("refuses %j", async (autoscaling, reason) => {
    expect((await p.check({} as never, { ...base, autoscaling } as never)).failures).toEqual([{ property: "autoscaling", reason }]);
  });
});

describe("render:Service branch", () => {
  it("reads a repo-backed service given no branch with no drift: Render builds the default branch", async () => {
    const inputs = await checked({ ownerId: "tea-1", name: "api", repo: "https://github.com/acme/api", buildCommand: "npm ci", startCommand: "node ." });
    const { id, outs } = await created(p, inputs);
    const read = await p.read(id, outs);
    expect(read.props).toMatchObject({ branch: "main" });
    expect(await p.diff(id, read.props!, inputs)).toMatchObject({ changes: false });
    expect((await p.diff(id, read.props!, { ...inputs, branch: "develop" })).changes).toBe(true);
  });
});

describe("render:Postgres", () => {
  const db: Partial<RenderPostgresInputs> = { ownerId: "tea-1", name: "api-db", plan: "basic_256mb", version: "16" };

  it("runs create -> read -> diff -> update -> delete", async () => {
    const inputs = (await pg.check({} as never, db as never)).inputs!;
    expect(inputs).toMatchObject({ region: "oregon", ipAllowList: [], enableHighAvailability: false });
    const { id, outs } = await created(pg, inputs);
    expect(outs).toMatchObject({ postgresId: id, status: "available", databaseName: "app_x1" });
    expect(outs.internalConnectionString).toContain(`@${id}/app_x1`);

    const read = await pg.read(id, outs);
    expect(read.props).toMatchObject({ name: "api-db", version: "16", ownerId: "tea-1" });
    expect(await pg.diff(id, outs, { ...inputs, plan: "pro_4gb" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await pg.diff(id, outs, { ...inputs, version: "17" })).replaces).toEqual(["version"]);

    await pg.update(id, outs, { ...inputs, plan: "pro_4gb", enableHighAvailability: true });
    expect(fake.postgres.get(id)).toMatchObject({ plan: "pro_4gb", highAvailabilityEnabled: true });
    await pg.delete(id, outs);
    expect(fake.postgres.size).toBe(0);
    await pg.delete(id, outs);
  });

  it("creates from the API's own fields only, never the engine's plumbing such as __provider", async () => {
    const news = { ...db, __provider: "exports.handler = ...serialized provider..." };
    const inputs = (await pg.check({} as never, news as never)).inputs!;
    await created(pg, inputs);
    const post = fake.calls.find((c) => c.method === "POST" && c.path === "/postgres")!;
    expect(Object.keys(JSON.parse(post.body)).sort()).toEqual(["enableHighAvailability", "ipAllowList", "name", "ownerId", "plan", "region", "version"]);
  });

  it("sends allow-list entries as Render's cidrBlockAndDescription, whatever else the input carries", async () => {
    const entry = { cidrBlock: "203.0.113.0/24", description: "office", note: "not Render's" };
    const inputs = (await pg.check({} as never, { ...db, ipAllowList: [entry] } as never)).inputs!;
    const { id, outs } = await created(pg, inputs);
    await pg.update(id, outs, { ...inputs, plan: "pro_4gb" });
    const bodies = fake.calls.filter((c) => /^\/postgres(\/[^/]+)?$/.test(c.path) && c.method !== "GET").map((c) => JSON.parse(c.body));
    expect(bodies.map((b) => b.ipAllowList)).toEqual([[{ cidrBlock: "203.0.113.0/24", description: "office" }], [{ cidrBlock: "203.0.113.0/24", description: "office" }]]);
  });

  it("rejects a bad CIDR and version", async () => {
    const r = await pg.check({} as never, { ...db, version: "9", ipAllowList: [{ cidrBlock: "everyone", description: "x" }] } as never);
    expect(r.failures?.map((f) => f.property)).toEqual(["version", "ipAllowList[0].cidrBlock"]);
  });

  it("recovers a lost create", async () => {
    fake.inject("POST", /^\/postgres$/, { loseResponse: true });
    const inputs = (await pg.check({} as never, db as never)).inputs!;
    const { id } = await created(pg, inputs);
    expect([...fake.postgres.keys()]).toEqual([id]);
  });
});

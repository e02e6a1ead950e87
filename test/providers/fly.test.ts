import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  flyAppProvider, flyCertificateProvider, flyIpAddressProvider, flyMachineProvider, flySecretsProvider,
  type FlyMachineInputs,
} from "../../components/providers/fly";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";

const TOKEN = "fo1_TEST_FLY_TOKEN_d41d8c";
const SECRET = "postgres://user:hunter2-very-secret@db/app";
const fake = new FakeFly(TOKEN);
const app = flyAppProvider as Required<typeof flyAppProvider>;
const machine = flyMachineProvider as Required<typeof flyMachineProvider>;
const secrets = flySecretsProvider as Required<typeof flySecretsProvider>;
const cert = flyCertificateProvider as Required<typeof flyCertificateProvider>;
const ip = flyIpAddressProvider as Required<typeof flyIpAddressProvider>;

const machineInputs: FlyMachineInputs = {
  app: "api-staging",
  name: "api-cdg-1",
  region: "cdg",
  config: {
    image: "registry.fly.io/api-staging:deployment-1",
    env: { PORT: "3001" },
    guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
    services: [{ protocol: "tcp", internal_port: 3001, ports: [{ port: 443, handlers: ["tls", "http"] }, { port: 80, handlers: ["http"], force_https: true }], autostop: "stop", autostart: true, min_machines_running: 1 }],
    checks: { health: { type: "http", port: 3001, path: "/health", interval: "30s", timeout: "10s", grace_period: "10s", method: "GET" } },
    metadata: { "paved-stack": "staging" },
  },
};

beforeAll(async () => useFastEnv({ FLY_API_TOKEN: TOKEN, FLY_API_URL: await fake.start() }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(async () => {
  fake.clearFaults();
  for (const m of [fake.apps, fake.machines, fake.certs, fake.ips]) m.clear();
  fake.foreignApps.clear();
  fake.appReadLag = 0;
  await app.create({ name: "api-staging", orgSlug: "acme" });
  fake.calls.length = 0;
});

describe("fly:App", () => {
  it("runs create -> read -> diff -> delete", async () => {
    const { id, outs } = await created(app, { name: "api-prod", orgSlug: "acme" });
    expect(id).toBe("api-prod");
    expect(outs.appId).toBe(fake.apps.get("api-prod")!.id); // read back: Fly answers the create with no body
    expect((await app.read(id, outs)).props).toMatchObject({ name: "api-prod", orgSlug: "acme" });
    expect(await app.diff(id, outs, { name: "api-prod2", orgSlug: "acme" })).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
    expect(await app.diff(id, outs, { name: "api-prod", orgSlug: "other" })).toMatchObject({ replaces: ["orgSlug"], deleteBeforeReplace: true });
    await app.delete(id, outs);
    expect(fake.apps.has("api-prod")).toBe(false);
    await app.delete(id, outs);
    expect(await app.read(id, outs)).toEqual({ id: "" });
  });

  it("adopts its own app after a lost create answer (422 on retry path)", async () => {
    fake.inject("POST", /^\/apps$/, { loseResponse: true });
    const { id } = await created(app, { name: "api-prod", orgSlug: "acme" });
    expect(id).toBe("api-prod");
    expect(fake.count("POST", /^\/apps$/)).toBe(1);
    expect([...fake.apps.keys()].filter((k) => k === "api-prod")).toHaveLength(1);
  });

  it("adopts on 422 when the app is already ours, refuses when it is not", async () => {
    await app.create({ name: "api-prod", orgSlug: "acme" });
    await expect(app.create({ name: "api-prod", orgSlug: "acme" })).resolves.toMatchObject({ id: "api-prod" });
    fake.foreignApps.add("taken");
    const err = await errorOf(() => app.create({ name: "taken", orgSlug: "acme" }));
    expect(err.message).toBe('Fly API POST /apps failed (HTTP 422): Name "taken" has already been taken');
  });

  it("reads a new app back through the 404s Fly answers until it serves it, within a bound", async () => {
    fake.appReadLag = 2;
    const { outs } = await created(app, { name: "api-prod", orgSlug: "acme" });
    expect(outs.appId).toBe(fake.apps.get("api-prod")!.id);
    expect(fake.count("GET", /^\/apps\/api-prod$/)).toBe(3);

    fake.appReadLag = 1_000;
    const saved = process.env.PAVED_POLL_TIMEOUT_MS;
    process.env.PAVED_POLL_TIMEOUT_MS = "300";
    try {
      const err = await errorOf(() => app.create({ name: "api-never", orgSlug: "acme" }));
      expect(err.message).toBe("Fly API GET /apps/api-never failed (HTTP 404): app api-never not found");
    } finally {
      process.env.PAVED_POLL_TIMEOUT_MS = saved;
    }
  });

  it("rejects a bad name, naming field and value", async () => {
    const r = await app.check({} as never, { name: "Bad_Name", orgSlug: "acme" });
    expect(r.failures).toEqual([{ property: "name", reason: 'name "Bad_Name" is invalid: expected lowercase letters, digits and dashes' }]);
  });
});

describe("fly:Machine", () => {
  it("runs create -> read -> diff -> update -> delete, waiting for started", async () => {
    const { id, outs } = await created(machine, machineInputs);
    expect(id).toBe(`api-staging/${outs.machineId}`);
    expect(outs.state).toBe("started");
    expect(fake.count("GET", /\/wait$/)).toBe(2); // one 408, then started

    const read = await machine.read(id, outs);
    expect(read.inputs).toEqual(machineInputs); // Fly's own additions (restart) are not drift
    const bigger = { ...machineInputs, config: { ...machineInputs.config, guest: { cpu_kind: "shared", cpus: 2, memory_mb: 1024 } } };
    expect(await machine.diff(id, outs, bigger)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await machine.diff(id, outs, { ...bigger, region: "ams" })).toMatchObject({ replaces: ["region"], deleteBeforeReplace: true });

    const up = await machine.update(id, outs, bigger);
    expect(up.outs?.state).toBe("started");
    expect(fake.machines.get(outs.machineId)!.config.guest).toEqual({ cpu_kind: "shared", cpus: 2, memory_mb: 1024 });
    await machine.delete(id, outs);
    expect(fake.machines.size).toBe(0);
    await machine.delete(id, outs);
  });

  it("sends the machine config from the API's fields only, dropping keys paved does not manage", async () => {
    const extra = structuredClone(machineInputs) as unknown as { config: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    extra.config.auto_stop_machines = true; // fly.toml's name, not the Machines API's
    extra.config.services[0].auto_start_machines = true;
    extra.config.checks.health.__note = "x";
    const { id, outs } = await created(machine, extra as unknown as FlyMachineInputs);
    await machine.update(id, outs, extra as unknown as FlyMachineInputs);
    for (const call of fake.calls.filter((c) => c.method === "POST" && /\/machines(\/[^/]+)?$/.test(c.path))) {
      expect(JSON.parse(call.body)).toEqual({ name: machineInputs.name, region: machineInputs.region, config: machineInputs.config });
    }
    expect(fake.count("POST", /\/machines(\/[^/]+)?$/)).toBe(2);
  });

  it("recovers a lost create by name without a duplicate", async () => {
    fake.inject("POST", /^\/apps\/api-staging\/machines$/, { loseResponse: true });
    const { outs } = await created(machine, machineInputs);
    expect(fake.machines.size).toBe(1);
    expect(fake.machines.has(outs.machineId)).toBe(true);
    expect(fake.count("POST", /^\/apps\/api-staging\/machines$/)).toBe(1);
  });

  it("does not retry a create that failed with 503", async () => {
    fake.inject("POST", /^\/apps\/api-staging\/machines$/, { status: 503, body: { error: "insufficient capacity", status: "insufficient_capacity" } });
    const err = await errorOf(() => machine.create(machineInputs));
    expect(err.message).toBe("Fly API POST /apps/api-staging/machines failed (HTTP 503): insufficient capacity");
    expect(fake.count("POST", /^\/apps\/api-staging\/machines$/)).toBe(1);
    expect(fake.machines.size).toBe(0);
  });

  it("retries a 429 on a GET after Retry-After", async () => {
    const { id, outs } = await created(machine, machineInputs);
    fake.inject("GET", /^\/apps\/api-staging\/machines\/[^/]+$/, { status: 429, headers: { "retry-after": "1" } });
    fake.calls.length = 0;
    await machine.read(id, outs);
    const gets = fake.calls.filter((c) => c.method === "GET");
    expect(gets).toHaveLength(2);
    expect(gets[1].at - gets[0].at).toBeGreaterThanOrEqual(950);
  });

  it("after an update waits on the new version's instance_id, which the old version still running cannot answer", async () => {
    const { id, outs } = await created(machine, machineInputs);
    const before = fake.machines.get(outs.machineId)!.instance_id;
    fake.calls.length = 0;
    const up = await machine.update(id, outs, { ...machineInputs, config: { ...machineInputs.config, image: "registry.fly.io/api-staging:deployment-2" } });
    expect(up.outs?.state).toBe("started"); // not "replacing", as a wait the old version answered would leave it
    const now = fake.machines.get(outs.machineId)!.instance_id;
    expect(now).toMatch(/^[0-9A-Z]{26}$/);
    expect(now).not.toBe(before);
    const waits = fake.calls.filter((c) => c.method === "GET" && c.path.endsWith("/wait"));
    expect(waits.map((w) => new URLSearchParams(w.query).get("instance_id"))).toEqual([now, now]); // one 408, then started
  });

  it.each([
    [429, "1"],
    [503, "1"],
  ])("retries the full-config update answered %i with Retry-After, as the idempotent write it is", async (status, after) => {
    const { id, outs } = await created(machine, machineInputs);
    const updates = /^\/apps\/api-staging\/machines\/[^/]+$/;
    fake.inject("POST", updates, { status, headers: { "retry-after": after }, body: { error: "try again later" } });
    fake.calls.length = 0;
    const up = await machine.update(id, outs, { ...machineInputs, config: { ...machineInputs.config, env: { PORT: "3002" } } });
    const posts = fake.calls.filter((c) => c.method === "POST" && updates.test(c.path));
    expect(posts).toHaveLength(2);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(950);
    expect(up.outs?.state).toBe("started");
    expect(fake.machines.get(outs.machineId)!.config.env).toEqual({ PORT: "3002" });
  });

  it("validates config, naming the field", async () => {
    const bad = { ...machineInputs, region: "paris", config: { ...machineInputs.config, guest: { cpu_kind: "big", cpus: 1, memory_mb: 256 }, checks: { h: { type: "grpc", port: 1 } } } };
    const r = await machine.check({} as never, bad);
    expect(r.failures?.map((f) => f.reason)).toEqual([
      'region "paris" is invalid: expected a three-letter Fly region code, e.g. cdg',
      'config.guest.cpu_kind must be "shared" or "performance", got "big"',
      'config.checks.h.type must be "http" or "tcp", got "grpc"',
    ]);
  });
});

describe("fly:Secrets", () => {
  it("sets, replaces (unsetting removed keys), reads and deletes", async () => {
    const { id, outs } = await created(secrets, { app: "api-staging", values: { DATABASE_URL: SECRET, JWT_SECRET: "j".repeat(40) } });
    expect(id).toBe("api-staging");
    expect(outs.names).toEqual(["DATABASE_URL", "JWT_SECRET"]);
    expect(await secrets.diff(id, outs, { app: "api-staging", values: { DATABASE_URL: SECRET } })).toMatchObject({ changes: true, replaces: [] });
    const up = await secrets.update(id, outs, { app: "api-staging", values: { DATABASE_URL: SECRET } });
    expect([...fake.secrets.get("api-staging")!.keys()]).toEqual(["DATABASE_URL"]);
    expect(up.outs!.version).toBeGreaterThan(outs.version);
    const body = JSON.parse(fake.calls.filter((c) => c.path.endsWith("/secrets")).at(-1)!.body);
    expect(body.values.JWT_SECRET).toBeNull();
    expect((await secrets.read(id, up.outs)).props).toMatchObject({ names: ["DATABASE_URL"] });
    await secrets.delete(id, up.outs!);
    expect(fake.secrets.get("api-staging")!.size).toBe(0);
  });

  it("retries the idempotent set on 500 and keeps values out of errors", async () => {
    fake.inject("POST", /\/secrets$/, { status: 500 });
    await secrets.create({ app: "api-staging", values: { DATABASE_URL: SECRET } });
    expect(fake.count("POST", /\/secrets$/)).toBe(2);
    fake.inject("POST", /\/secrets$/, { status: 400, body: { error: `cannot parse ${SECRET}; token ${TOKEN}` } });
    const err = await errorOf(() => secrets.create({ app: "api-staging", values: { DATABASE_URL: SECRET } }));
    expect(err.message).toMatch(/^Fly API POST \/apps\/api-staging\/secrets failed \(HTTP 400\): cannot parse/);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(TOKEN);
  });
});

describe("fly:Certificate", () => {
  it("requests ACME, reads, recovers a lost create, deletes", async () => {
    const { id, outs } = await created(cert, { app: "api-staging", hostname: "api.example.com" });
    expect(id).toBe("api-staging/api.example.com");
    expect(outs).toMatchObject({ status: "pending_ownership", acmeRequested: true, configured: false });
    expect(outs.dnsValidationRecords).toEqual({ a: ["66.241.124.1"], aaaa: ["2a09:8280::1"] });
    expect((await cert.read(id, outs)).inputs).toEqual({ app: "api-staging", hostname: "api.example.com" });
    expect(await cert.diff(id, outs, { app: "api-staging", hostname: "www.example.com" })).toMatchObject({ replaces: ["hostname"] });

    fake.inject("POST", /\/certificates\/acme$/, { loseResponse: true });
    await cert.create({ app: "api-staging", hostname: "app.example.com" });
    expect([...fake.certs.keys()]).toEqual(["api-staging/api.example.com", "api-staging/app.example.com"]);

    await cert.delete(id, outs);
    await cert.delete(id, outs);
    expect(fake.certs.has(id)).toBe(false);
  });
});

describe("fly:IpAddress", () => {
  it("allocates, reads, recovers a lost create, releases", async () => {
    const { id, outs } = await created(ip, { app: "api-staging", type: "v6" });
    expect(outs.address).toMatch(/^2a09:/);
    expect((await ip.read(id, outs)).inputs).toMatchObject({ app: "api-staging", type: "v6" });
    expect((await ip.diff(id, outs, { app: "api-staging", type: "v4" })).replaces).toEqual(["type"]);

    fake.inject("POST", /\/ip_assignments$/, { loseResponse: true });
    const { outs: shared } = await created(ip, { app: "api-staging", type: "shared_v4" });
    expect(fake.ips.get("api-staging")!.map((i) => i.ip)).toEqual([outs.address, shared.address]);
    expect(fake.count("POST", /\/ip_assignments$/)).toBe(2);

    await ip.delete(id, outs);
    expect(await ip.read(id, outs)).toEqual({ id: "" });
  });
});

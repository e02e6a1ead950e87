import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import type { CacheArgs } from "../../components/cache";
import { PavedInputError } from "../../components/errors";
import { capture, resolve, Secret } from "../harness";

const OUTPUTS: Record<string, Record<string, unknown>> = {
  "paved:render:KeyValue": { internalConnectionString: "redis://red-abc123:6379" },
  "random:index/randomPassword:RandomPassword": { result: "generated-redis-password" },
  "paved:railway:Service": { serviceId: "s-redis" },
  "paved:railway:Volume": { volumeId: "v-redis", sizeMb: 50_000 },
};

const DOCKER: CacheArgs = { provider: "docker", instanceName: "lifeos-production", protect: true, rotation: "2026-11" };
const RENDER: CacheArgs = {
  provider: "render", instanceName: "projectflo-production", protect: true,
  render: { ownerId: "tea-abc123", plan: "starter", region: "frankfurt", maxmemoryPolicy: "allkeys_lru", allowCidrs: [] },
};

const RAILWAY: CacheArgs = {
  provider: "railway", instanceName: "flightpro-production", protect: true, rotation: "2026-11",
  railway: { projectId: "p-flightpro", environmentId: "e-production", serviceName: "flightpro-redis-production", image: "docker.io/library/redis:7.4-alpine", region: "us-east4", maxmemoryMb: 256 },
};

async function build(args: CacheArgs) {
  return capture(async () => {
    const { Cache } = await import("../../components/cache");
    const engine = args.provider === "docker" ? { provider: new docker.Provider("engine", {}), network: "production-private" } : undefined;
    return new Cache("production-cache", { ...args, docker: engine && { image: "redis:7-alpine", memoryMb: 256, ...engine } });
  }, { preview: false, outputs: (type) => OUTPUTS[type] ?? {} });
}

describe("Cache on the Docker host", () => {
  it("runs Redis with a generated password on a protected volume, on the private network only", async () => {
    const run = await build(DOCKER);
    const component = run.one("paved:cache:Cache");
    const password = run.one("random:index/randomPassword:RandomPassword");
    expect(password).toMatchObject({ name: "production-cache-password", parent: component.urn });
    expect(password.additionalSecretOutputs).toContain("result");
    expect(password.inputs).toMatchObject({ length: 32, special: false, keepers: { rotation: "2026-11" } });
    const volume = run.one("docker:index/volume:Volume");
    expect(volume).toMatchObject({ name: "production-cache-data", parent: component.urn, protect: true, retainOnDelete: true });
    expect(volume.inputs.name).toBe("lifeos-production-redis");
    const redis = run.one("docker:index/container:Container");
    expect(redis).toMatchObject({ name: "production-cache-redis", parent: component.urn });
    expect(redis.inputs).toMatchObject({
      name: "lifeos-production-redis", image: "redis:7-alpine", restart: "unless-stopped", memory: 256,
      command: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes --maxmemory 192mb'],
      volumes: [{ volumeName: "lifeos-production-redis", containerPath: "/data" }],
      networksAdvanced: [{ name: "production-private", aliases: ["cache"] }],
    });
    expect(redis.inputs.ports).toBeUndefined();
    // The password is only ever a secret: in the container's environment and in the URL.
    expect(redis.inputs.envs).toEqual([new Secret("REDIS_PASSWORD=generated-redis-password")]);
    expect(JSON.stringify(redis.inputs.command)).not.toContain("generated-redis-password");
    expect(await resolve(run.value.url)).toEqual({ known: true, secret: true, value: "redis://:generated-redis-password@cache:6379/0" });
  });

  it("adopts an existing data volume by name, leaving the rest to be created", async () => {
    const run = await build({ ...DOCKER, adopt: "lifeos-redis-data" });
    expect(run.one("docker:index/volume:Volume")).toMatchObject({ importId: "lifeos-redis-data", inputs: { name: "lifeos-redis-data" } });
    expect(run.one("docker:index/container:Container").importId).toBeUndefined();
  });

  it("protects nothing outside production", async () => {
    const run = await build({ ...DOCKER, protect: false });
    expect(run.resources.filter((r) => r.protect || r.retainOnDelete)).toEqual([]);
  });
});

describe("Cache on Render Key Value", () => {
  it("creates a protected instance on the private network and hands out its internal URL as a secret", async () => {
    const run = await build(RENDER);
    const kv = run.one("paved:render:KeyValue");
    expect(kv).toMatchObject({ name: "production-cache-keyvalue", parent: run.one("paved:cache:Cache").urn, protect: true, retainOnDelete: true });
    expect(kv.inputs).toMatchObject({ ownerId: "tea-abc123", name: "projectflo-production", plan: "starter", region: "frankfurt", maxmemoryPolicy: "allkeys_lru", ipAllowList: [] });
    expect(kv.importId).toBeUndefined();
    expect(await resolve(run.value.url)).toEqual({ known: true, secret: true, value: "redis://red-abc123:6379" });
  });

  it("adopts an existing instance: the registration carries its id as the import id", async () => {
    const run = await build({ ...RENDER, adopt: "red-abc123" });
    expect(run.one("paved:render:KeyValue")).toMatchObject({ importId: "red-abc123", protect: true });
  });

  it("names every open network it lets in", async () => {
    const run = await build({ ...RENDER, render: { ...RENDER.render!, allowCidrs: ["203.0.113.0/24"] } });
    expect(run.one("paved:render:KeyValue").inputs.ipAllowList).toEqual([
      { cidrBlock: "203.0.113.0/24", description: "allowed by paved:cache.render.allowCidrs" },
    ]);
  });
});

describe("Cache on Railway", () => {
  const R = "paved:railway:";

  it("runs Redis as a service of the API's project and environment, with a generated password and append-only data on a volume", async () => {
    const run = await build(RAILWAY);
    const component = run.one("paved:cache:Cache");
    expect(run.one("random:index/randomPassword:RandomPassword")).toMatchObject({
      name: "production-cache-password", parent: component.urn, inputs: { length: 32, special: false, keepers: { rotation: "2026-11" } },
    });
    const redis = run.one(`${R}Service`);
    expect(redis).toMatchObject({ name: "production-cache-redis", parent: component.urn, protect: true, retainOnDelete: true });
    expect(redis.inputs).toMatchObject({
      projectId: "p-flightpro", environmentId: "e-production", name: "flightpro-redis-production", image: "docker.io/library/redis:7.4-alpine",
      region: "us-east4", numReplicas: 1,
      startCommand: '/bin/sh -c "exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --appendonly yes --dir /data --maxmemory 256mb"',
    });
    // The password is a secret variable of the service, never part of its start command.
    expect(redis.inputs.variables).toEqual({ REDIS_PASSWORD: new Secret("generated-redis-password") });
    expect(redis.additionalSecretOutputs).toContain("variables");
    expect(String(redis.inputs.startCommand)).not.toContain("generated-redis-password");
    const volume = run.one(`${R}Volume`);
    expect(volume).toMatchObject({ name: "production-cache-data", parent: component.urn, protect: true, retainOnDelete: true });
    expect(volume.inputs).toMatchObject({
      projectId: "p-flightpro", environmentId: "e-production", serviceId: "s-redis", name: "flightpro-redis-production-data", mountPath: "/data", region: "us-east4",
    });
    expect(volume.dependencies).toContain(redis.urn);
  });

  it("is reachable only on Railway's private network: no domain, no TCP proxy; REDIS_URL names the private host, as a secret", async () => {
    const run = await build(RAILWAY);
    expect(run.resources.filter((r) => /railway:(ServiceDomain|CustomDomain)$/.test(r.type))).toEqual([]);
    expect(await resolve(run.value.url)).toEqual({
      known: true, secret: true, value: "redis://default:generated-redis-password@flightpro-redis-production.railway.internal:6379",
    });
  });

  it("protects nothing outside production", async () => {
    const run = await build({ ...RAILWAY, protect: false });
    expect(run.resources.filter((r) => r.protect || r.retainOnDelete)).toEqual([]);
  });
});

describe("Cache validation", () => {
  it("rejects missing settings and a bad name before registering anything", async () => {
    const { Cache } = await import("../../components/cache");
    const make = () => new Cache("c", { provider: "render", instanceName: "Bad_Name" });
    expect(make).toThrow(PavedInputError);
    expect(make).toThrow(
      'Cache "c": provider is render but render settings are missing; expected args.render\n' +
      'Cache "c": instanceName is "Bad_Name"; expected lowercase letters, digits and dashes, such as lifeos-production',
    );
  });

  it("refuses a Railway Redis in an environment whose API is not on Railway, before registering anything", async () => {
    const { Environment } = await import("../../components/environment");
    const config = { cache: { provider: "railway" }, api: { host: "render" } };
    expect(() => new Environment("production", { config } as never)).toThrow(
      'Environment "production": cache.provider is railway but api.host is render; expected api.host railway, whose project and environment the Redis joins',
    );
  });

  it("holds a Railway Redis to a private host name that resolves, a real memory limit, and no adoption", async () => {
    const { Cache } = await import("../../components/cache");
    const make = () => new Cache("c", { ...RAILWAY, adopt: "v-existing", railway: { ...RAILWAY.railway!, serviceName: "Redis_Cache", maxmemoryMb: 8 } });
    expect(make).toThrow(
      'Cache "c": railway.serviceName is "Redis_Cache"; expected a DNS label (lowercase letters, digits, dashes), the private host <serviceName>.railway.internal\n' +
      'Cache "c": railway.maxmemoryMb is 8; expected a whole number of MB, at least 32\n' +
      'Cache "c": adopt is "v-existing" with provider railway; expected no adopt (paved creates the Railway Redis)',
    );
  });
});

/** Stack config of the cache section: defaults, and errors one exact line each. */
import { describe, expect, it } from "vitest";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const DIGEST = `ghcr.io/lifeos/api@sha256:${"0".repeat(64)}`;
const DOCKER = {
  ...PRODUCTION,
  api: { host: "docker", port: 8080, image: { digest: DIGEST }, docker: { host: "ssh://deploy@server.example.net", address: "203.0.113.10" } },
  cache: { provider: "docker" },
};
const RENDER = {
  ...PRODUCTION,
  api: { host: "render", port: 8080, image: { digest: DIGEST }, render: { ownerId: "tea-abc123" } },
  cache: { provider: "render", render: { ownerId: "tea-abc123", plan: "starter" } },
};
const RAILWAY = {
  ...PRODUCTION,
  repository: "flightpro/flightpro",
  api: { host: "railway", port: 8080, image: { digest: DIGEST }, railway: { projectFrom: "organization/paved/staging", region: "us-east4" } },
  cache: { provider: "railway" },
};
const at = (base: Record<string, unknown>, path: string, value: unknown) => source(withValue(base, path, value), { stack: "production" });

describe("cache defaults", () => {
  it("docker: redis:7-alpine with 256 MB, named after the product and stack", () => {
    const config = loadEnvironmentConfig(source(DOCKER, { stack: "production" }));
    expect(config.cache).toEqual({
      provider: "docker", instanceName: "planningos-production", adopt: undefined, render: undefined,
      docker: { image: "redis:7-alpine", memoryMb: 256 },
    });
  });

  it("render: oregon, allkeys_lru, private network only", () => {
    const config = loadEnvironmentConfig(source(RENDER, { stack: "production" }));
    expect(config.cache).toEqual({
      provider: "render", instanceName: "planningos-production", adopt: undefined, docker: undefined,
      render: { ownerId: "tea-abc123", plan: "starter", region: "oregon", maxmemoryPolicy: "allkeys_lru", allowCidrs: [] },
    });
  });

  it("railway: a pinned Redis 7.4 with 256 MB, named like the API's service beside it", () => {
    const config = loadEnvironmentConfig(source(RAILWAY, { stack: "production" }));
    expect(config.cache).toEqual({
      provider: "railway", instanceName: "flightpro-production", adopt: undefined, render: undefined, docker: undefined,
      railway: { serviceName: "flightpro-redis-production", image: "docker.io/library/redis:7.4-alpine", maxmemoryMb: 256 },
    });
    expect(config.api?.railway?.serviceName).toBe("flightpro-api-production");
  });

  it("railway: takes its own image and memory limit", () => {
    const config = loadEnvironmentConfig(at(RAILWAY, "cache.railway", { image: `docker.io/library/redis@sha256:${"e".repeat(64)}`, maxmemoryMb: 1024 }));
    expect(config.cache?.railway).toEqual({ serviceName: "flightpro-redis-production", image: `docker.io/library/redis@sha256:${"e".repeat(64)}`, maxmemoryMb: 1024 });
  });

  it("carries an adopted Key Value id", () => {
    expect(loadEnvironmentConfig(at(RENDER, "cache.adopt", "red-d1abc23")).cache?.adopt).toBe("red-d1abc23");
  });
});

describe("cache config errors", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["unknown provider", at(DOCKER, "cache.provider", "memcached"), ['paved:cache.provider: got "memcached"; expected one of docker, render, railway']],
    ["Render without its settings", at(RENDER, "cache.render", undefined), ["paved:cache.render: missing; expected the render settings for cache.provider render"]],
    ["settings of the other provider", at(DOCKER, "cache.render", RENDER.cache.render),
      ["paved:cache.render: set while cache.provider is docker; expected only paved:cache.docker"]],
    ["Render Key Value for an API on a Docker server", at(DOCKER, "cache", RENDER.cache), [
      `paved:cache.provider: got "render" with api.host docker; expected api.host render (Render Key Value is reachable only from Render's private network)`,
    ]],
    ["a Redis container for an API on Render", at(RENDER, "cache", { provider: "docker" }), [
      `paved:cache.provider: got "docker" with api.host render; expected api.host docker (the Redis container is reachable only on the Docker host's private network)`,
    ]],
    ["a Railway Redis for an API on Render", at(RENDER, "cache", { provider: "railway" }), [
      `paved:cache.provider: got "railway" with api.host render; expected api.host railway (a Railway Redis is reachable only on its Railway project's private network)`,
    ]],
    ["Render Key Value for an API on Railway", at(RAILWAY, "cache", RENDER.cache), [
      `paved:cache.provider: got "render" with api.host railway; expected api.host render (Render Key Value is reachable only from Render's private network)`,
    ]],
    ["Railway settings beside a Docker cache", at(DOCKER, "cache.railway", { maxmemoryMb: 512 }),
      ["paved:cache.railway: set while cache.provider is docker; expected only paved:cache.docker"]],
    ["a Railway image without its registry", at(RAILWAY, "cache.railway.image", "redis:7.4-alpine"),
      ['paved:cache.railway.image: got "redis:7.4-alpine"; expected a Redis image with its registry, such as docker.io/library/redis:7.4-alpine']],
    ["too little memory for a Railway Redis", at(RAILWAY, "cache.railway.maxmemoryMb", 16),
      ["paved:cache.railway.maxmemoryMb: got 16; expected MB of memory: a whole number from 32 to 262144"]],
    ["an unknown Railway setting", at(RAILWAY, "cache.railway", { volumeSizeMb: 5000 }),
      ['paved:cache.railway.volumeSizeMb: unknown key; expected one of image, maxmemoryMb']],
    ["adopting with Railway", at(RAILWAY, "cache.adopt", "v-abc123"),
      ['paved:cache.adopt: got "v-abc123" with cache.provider railway; expected no adopt (paved creates the Railway Redis and its volume)']],
    ["a cache without an API", at(DOCKER, "api", undefined), ["paved:cache: set without paved:api; expected an API to hand REDIS_URL to"]],
    ["the free plan in production", at(RENDER, "cache.render.plan", "free"),
      ['paved:cache.render.plan: got "free"; expected a paid plan in production (the free plan keeps no data on disk)']],
    ["an unknown plan", at(RENDER, "cache.render.plan", "huge"),
      ['paved:cache.render.plan: got "huge"; expected a Render Key Value plan: free, starter, standard, pro or pro_plus']],
    ["an unknown eviction policy", at(RENDER, "cache.render.maxmemoryPolicy", "lru"),
      ['paved:cache.render.maxmemoryPolicy: got "lru"; expected an eviction policy: one of noeviction, allkeys_lfu, allkeys_lru, allkeys_random, volatile_lfu, volatile_lru, volatile_random, volatile_ttl']],
    ["adopting by a Postgres id", at(RENDER, "cache.adopt", "dpg-abc123"), ['paved:cache.adopt: got "dpg-abc123"; expected a Render Key Value id such as red-abc123']],
    ["too little memory", at(DOCKER, "cache.docker.memoryMb", 8), ["paved:cache.docker.memoryMb: got 8; expected MB of memory: a whole number from 32 to 262144"]],
    ["REDIS_URL set by hand", at(DOCKER, "api.env", { REDIS_URL: "redis://x" }), ["paved:api.env.REDIS_URL: set by paved itself; expected it left out"]],
  ];

  it.each(cases)("%s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });

  it("names a Railway Redis only where its name can be a private host", () => {
    expect(problems(source(RAILWAY, { stack: "Prod_EU" }))).toContain(
      'paved:cache.provider: got "railway" for stack Prod_EU, whose Redis service would be "flightpro-redis-Prod_EU"; expected a stack name of lowercase letters, digits and dashes (the service name is its private host, <name>.railway.internal)',
    );
  });

  it("keeps local stacks' cache in the local Docker engine", () => {
    const local = { kind: "local", secrets: PRODUCTION.secrets, api: { host: "docker", image: { digest: DIGEST } }, cache: RENDER.cache };
    expect(problems(source(local, { stack: "local" }))).toEqual([
      'paved:cache.provider: got "render"; expected docker for local stacks',
      'paved:cache.provider: got "render" with api.host docker; expected api.host render (Render Key Value is reachable only from Render\'s private network)',
    ]);
  });
});

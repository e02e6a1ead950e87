/** `paved:cache`: the environment's Redis. */
import { z } from "zod";
import { CACHE_PROVIDERS, type CacheConfig, type Kind } from "../../components/environment-config";
import { RAILWAY_IMAGE } from "../../components/resources/railway";
import { MAXMEMORY_POLICIES } from "../../components/resources/render";
import { expected, int, text } from "../fields";
import { quote } from "../redact";
import { adoptId, cidr } from "./database";

const RAILWAY_IMAGE_HINT = "a Redis image with its registry, such as docker.io/library/redis:7.4-alpine";

export const cache = z.strictObject({
  provider: z.enum(CACHE_PROVIDERS, expected(`one of ${CACHE_PROVIDERS.join(", ")}`)),
  adopt: adoptId.optional(),
  render: z.strictObject({
    ownerId: z.string(expected("a Render workspace id such as tea-abc123")).regex(/^(tea|usr)-[a-z0-9]+$/, expected("a Render workspace id such as tea-abc123")),
    plan: z.enum(["free", "starter", "standard", "pro", "pro_plus"], expected("a Render Key Value plan: free, starter, standard, pro or pro_plus")),
    region: z.enum(["oregon", "ohio", "virginia", "frankfurt", "singapore"], expected("one of oregon, ohio, virginia, frankfurt, singapore")).optional(),
    maxmemoryPolicy: z.enum(MAXMEMORY_POLICIES, expected(`an eviction policy: one of ${MAXMEMORY_POLICIES.join(", ")}`)).optional(),
    allowCidrs: z.array(cidr, expected("a list of CIDR blocks")).optional(),
  }, expected("a map of Render Key Value settings (ownerId, plan, ...)")).optional(),
  docker: z.strictObject({
    image: text("a Redis image such as redis:7-alpine").optional(),
    memoryMb: int("MB of memory", 32, 262_144).optional(),
  }, expected("a map of Docker Redis settings (image, memoryMb)")).optional(),
  railway: z.strictObject({
    image: z.string(expected(RAILWAY_IMAGE_HINT)).regex(RAILWAY_IMAGE, expected(RAILWAY_IMAGE_HINT)).optional(),
    maxmemoryMb: int("MB of memory", 32, 262_144).optional(),
  }, expected("a map of Railway Redis settings (image, maxmemoryMb)")).optional(),
}, expected("a map of cache settings (provider, render, docker, railway)"));

export type CacheSection = z.infer<typeof cache>;

/** What a cache gets when the stack file does not say. */
export const CACHE_DEFAULTS = {
  image: "redis:7-alpine", memoryMb: 256, region: "oregon", maxmemoryPolicy: "allkeys_lru",
  railway: { image: "docker.io/library/redis:7.4-alpine", maxmemoryMb: 256 },
} as const;

/** Where the API runs decides which cache it can reach: each answers only on its host's private network. */
const REACHES: Record<CacheConfig["provider"], { host: string; why: string }> = {
  docker: { host: "docker", why: "the Redis container is reachable only on the Docker host's private network" },
  render: { host: "render", why: "Render Key Value is reachable only from Render's private network" },
  railway: { host: "railway", why: "a Railway Redis is reachable only on its Railway project's private network" },
};

export function resolveCache(
  section: CacheSection, ctx: { kind: Kind; stack: string; product: string; apiHost?: string }, problems: string[],
): CacheConfig {
  if (section.provider === "render" && !section.render) {
    problems.push(`paved:cache.render: missing; expected the render settings for cache.provider render`);
  }
  for (const other of CACHE_PROVIDERS) {
    if (other !== section.provider && section[other]) problems.push(`paved:cache.${other}: set while cache.provider is ${section.provider}; expected only paved:cache.${section.provider}`);
  }
  if (ctx.kind === "local" && section.provider !== "docker") problems.push(`paved:cache.provider: got ${quote("paved:cache.provider", section.provider)}; expected docker for local stacks`);
  if (ctx.apiHost === undefined) {
    problems.push(`paved:cache: set without paved:api; expected an API to hand REDIS_URL to`);
  } else if (ctx.apiHost !== REACHES[section.provider].host) {
    const reach = REACHES[section.provider];
    problems.push(`paved:cache.provider: got ${quote("paved:cache.provider", section.provider)} with api.host ${ctx.apiHost}; expected api.host ${reach.host} (${reach.why})`);
  }
  if (section.adopt !== undefined && section.provider === "render" && !/^red-[a-z0-9]+$/.test(section.adopt)) {
    problems.push(`paved:cache.adopt: got ${quote("paved:cache.adopt", section.adopt)}; expected a Render Key Value id such as red-abc123`);
  }
  if (section.adopt !== undefined && section.provider === "railway") {
    problems.push(`paved:cache.adopt: got ${quote("paved:cache.adopt", section.adopt)} with cache.provider railway; expected no adopt (paved creates the Railway Redis and its volume)`);
  }
  const railwayService = `${ctx.product}-redis-${ctx.stack}`;
  if (section.provider === "railway" && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(railwayService)) {
    problems.push(`paved:cache.provider: got "railway" for stack ${ctx.stack}, whose Redis service would be "${railwayService}"; expected a stack name of lowercase letters, digits and dashes (the service name is its private host, <name>.railway.internal)`);
  }
  if (ctx.kind === "production" && section.render?.plan === "free") {
    problems.push(`paved:cache.render.plan: got "free"; expected a paid plan in production (the free plan keeps no data on disk)`);
  }
  return {
    provider: section.provider,
    instanceName: `${ctx.product}-${ctx.stack}`,
    adopt: section.adopt,
    render: section.render && {
      ownerId: section.render.ownerId, plan: section.render.plan, region: section.render.region ?? CACHE_DEFAULTS.region,
      maxmemoryPolicy: section.render.maxmemoryPolicy ?? CACHE_DEFAULTS.maxmemoryPolicy, allowCidrs: section.render.allowCidrs ?? [],
    },
    docker: section.provider === "docker"
      ? { image: section.docker?.image ?? CACHE_DEFAULTS.image, memoryMb: section.docker?.memoryMb ?? CACHE_DEFAULTS.memoryMb }
      : undefined,
    // Named like the API's service beside it (<product>-api-<stack>); the name is also its private host.
    railway: section.provider === "railway" ? {
      serviceName: railwayService,
      image: section.railway?.image ?? CACHE_DEFAULTS.railway.image, maxmemoryMb: section.railway?.maxmemoryMb ?? CACHE_DEFAULTS.railway.maxmemoryMb,
    } : undefined,
  };
}

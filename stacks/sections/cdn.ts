/** `paved:cdn`: Cloudflare in front of the environment, and the zone-wide rules of its owner. */
import { z } from "zod";
import type { CdnConfig, Kind } from "../../components/environment-config";
import { bool, cloudflareId, expected, int, text } from "../fields";

export const cdn = z.strictObject({
  zoneId: cloudflareId("Cloudflare zone id"),
  accountId: cloudflareId("Cloudflare account id"),
  ownsZone: bool.optional(),
  hsts: z.strictObject({
    maxAge: int("seconds", 15_552_000, 63_072_000).optional(),
    preload: bool.optional(),
  }, expected("an object with maxAge and preload")).optional(),
  headers: z.strictObject({
    contentSecurityPolicy: text("a Content-Security-Policy value").optional(),
    permissionsPolicy: text("a Permissions-Policy value").optional(),
    referrerPolicy: z.enum(
      ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"],
      expected("one of no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin"),
    ).optional(),
    frameOptions: z.enum(["DENY", "SAMEORIGIN"], expected("DENY or SAMEORIGIN")).optional(),
    cspSource: z.enum(["edge", "origin"], expected("edge or origin")).optional(),
  }, expected("an object of security header values")).optional(),
  rateLimit: z.strictObject({
    requestsPerPeriod: int("requests", 1, 1_000_000).optional(),
    period: z.union([10, 60, 120, 300, 600, 3600].map((n) => z.literal(n)), expected("one of 10, 60, 120, 300, 600, 3600 (seconds)")).optional(),
    mitigationTimeout: int("seconds", 0, 86_400).optional(),
    otherHostsRequestsPerPeriod: int("requests", 1, 1_000_000).optional(),
  }, expected("an object with requestsPerPeriod, period, mitigationTimeout")).optional(),
  cacheStaticAssets: z.union([bool, z.strictObject({
    browserDays: int("days", 1, 365).optional(),
    immutable: bool.optional(),
  }, expected("true, false, or an object with browserDays and immutable"))], expected("true, false, or an object with browserDays and immutable")).optional(),
}, expected("a map of CDN settings (zoneId, accountId, ...)"));

export type CdnSection = z.infer<typeof cdn>;

/** Per environment kind: whether the stack owns the zone, and its rate limits (staging looser). */
export const CDN_KIND_DEFAULTS: Record<Kind, {
  ownsZone: boolean;
  rateLimit: { requestsPerPeriod: number; period: number; mitigationTimeout: number; otherHostsRequestsPerPeriod: number };
}> = {
  production: { ownsZone: true, rateLimit: { requestsPerPeriod: 100, period: 10, mitigationTimeout: 60, otherHostsRequestsPerPeriod: 200 } },
  staging: { ownsZone: false, rateLimit: { requestsPerPeriod: 200, period: 10, mitigationTimeout: 10, otherHostsRequestsPerPeriod: 400 } },
  preview: { ownsZone: false, rateLimit: { requestsPerPeriod: 200, period: 10, mitigationTimeout: 10, otherHostsRequestsPerPeriod: 400 } },
  local: { ownsZone: false, rateLimit: { requestsPerPeriod: 1000, period: 10, mitigationTimeout: 0, otherHostsRequestsPerPeriod: 1000 } },
};

export const DEFAULT_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:", "font-src 'self' data:", "connect-src 'self' https:",
  "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "object-src 'none'",
].join("; ");
export const DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()";
const DEFAULT_HSTS = { maxAge: 31_536_000, preload: false };

/**
 * The headers an origin of paved's own (the web container) sets: the zone owner's when this
 * stack owns the zone, else the defaults the owner starts from; HSTS only where it serves https.
 */
export function originHeaders(zone: CdnConfig["zone"], https: boolean): Record<string, string> {
  const h = zone?.headers;
  const hsts = zone?.hsts ?? DEFAULT_HSTS;
  return {
    "Content-Security-Policy": h?.contentSecurityPolicy ?? DEFAULT_CSP,
    "X-Frame-Options": h?.frameOptions ?? "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": h?.referrerPolicy ?? "strict-origin-when-cross-origin",
    "Permissions-Policy": h?.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY,
    ...(https ? { "Strict-Transport-Security": `max-age=${hsts.maxAge}; includeSubDomains${hsts.preload ? "; preload" : ""}` } : {}),
  };
}
/**
 * Front ends whose built pages carry inline scripts of their own (Next.js' flight data, Remix's
 * and SvelteKit's bootstraps, Astro islands, CRA's inlined runtime, Angular's onload handlers):
 * a static `script-src 'self'` blocks them, so their CSP comes from the origin, with a nonce.
 */
export const INLINE_SCRIPT_FRAMEWORKS: readonly string[] = [
  "nextjs", "remix", "react-router", "astro", "sveltekit-1", "nuxtjs", "create-react-app", "gatsby", "angular", "solidstart-1",
];

/** Where the CSP comes from by default: the origin for a front end that inlines scripts, else the edge. */
export const defaultCspSource = (framework?: string) => (framework && INLINE_SCRIPT_FRAMEWORKS.includes(framework) ? "origin" : "edge");

export function resolveCdn(cdn: CdnSection, ctx: { kind: Kind; domain?: string; framework?: string }, problems: string[]): CdnConfig {
  const defaults = CDN_KIND_DEFAULTS[ctx.kind];
  const ownsZone = cdn.ownsZone ?? defaults.ownsZone;
  if (!ownsZone) {
    for (const key of ["hsts", "headers", "rateLimit", "cacheStaticAssets"] as const) {
      if (cdn[key] !== undefined) {
        problems.push(`paved:cdn.${key}: set in a stack that does not own the zone; expected it in the owner stack's file (or paved:cdn.ownsZone: true here)`);
      }
    }
  }
  const cspSource = cdn.headers?.cspSource ?? defaultCspSource(ctx.framework);
  if (ownsZone && cspSource === "edge" && defaultCspSource(ctx.framework) === "origin" && !cdn.headers?.contentSecurityPolicy) {
    problems.push(`paved:cdn.headers.cspSource: got "edge"; expected origin for a ${ctx.framework} front end, whose inline scripts the default script-src 'self' blocks (or a contentSecurityPolicy of your own that allows them)`);
  }
  return {
    zoneId: cdn.zoneId, accountId: cdn.accountId, ownsZone, domain: ctx.domain ?? "",
    zone: ownsZone ? {
      hsts: { maxAge: cdn.hsts?.maxAge ?? DEFAULT_HSTS.maxAge, preload: cdn.hsts?.preload ?? DEFAULT_HSTS.preload },
      headers: {
        contentSecurityPolicy: cdn.headers?.contentSecurityPolicy ?? DEFAULT_CSP,
        permissionsPolicy: cdn.headers?.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY,
        referrerPolicy: cdn.headers?.referrerPolicy ?? "strict-origin-when-cross-origin",
        frameOptions: cdn.headers?.frameOptions ?? "DENY",
        cspSource,
      },
      rateLimit: { ...defaults.rateLimit, ...cdn.rateLimit },
      cacheStaticAssets: cdn.cacheStaticAssets === false ? false
        : { browserDays: typeof cdn.cacheStaticAssets === "object" ? cdn.cacheStaticAssets.browserDays : undefined,
            immutable: typeof cdn.cacheStaticAssets === "object" && (cdn.cacheStaticAssets.immutable ?? false) },
    } : undefined,
  };
}

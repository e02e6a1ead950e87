import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { PavedInputError } from "./errors";

export interface CdnRecord {
  /** What the host serves, used in the record's resource name, e.g. `web` or `api`. */
  role: string;
  /** Full hostname, e.g. `app.planningos.com`. */
  host: string;
  /** DNS record type. */
  type: "CNAME" | "A" | "AAAA";
  /** Target: a hostname for CNAME, an address for A/AAAA. */
  content: pulumi.Input<string>;
}

export interface ZoneArgs {
  /** HSTS max-age in seconds and whether to ask for preload. */
  hsts: { maxAge: number; preload: boolean };
  /** Security headers set on every response of the zone. */
  headers: { contentSecurityPolicy: string; permissionsPolicy: string; referrerPolicy: string; frameOptions: string;
    /**
     * Who writes Content-Security-Policy: `edge` sets it on every response; `origin` lets a CSP the
     * origin sends stand (a Next.js app's per-request nonce CSP) and sets this one only where it sends none.
     */
    cspSource: CspSource };
  /** Per-IP limits: this environment's hosts, and every other host of the zone (looser). */
  rateLimit: { requestsPerPeriod: number; period: number; mitigationTimeout: number; otherHostsRequestsPerPeriod: number };
  /**
   * Cache static assets (scripts, styles, images, fonts) at the edge for 30 days; with
   * `browserDays`, browsers keep them that long, and `immutable` tells them never to revalidate
   * (`Cache-Control: public, max-age=…, immutable`, for hashed file names). `false`: no cache rule.
   */
  cacheStaticAssets: false | { browserDays?: number; immutable: boolean };
}

export interface CdnArgs {
  /** Cloudflare zone id (from config, so preview needs no lookup). */
  zoneId: string;
  /** The environment's public hostnames and where they point. */
  records: CdnRecord[];
  /** Zone-wide settings and entry-point rulesets; only the stack that owns the zone passes them. @default undefined */
  zone?: ZoneArgs;
  /** Protect the records that serve users from deletion. @default false */
  protect?: boolean;
  /** Put Cloudflare's proxy in front of every record. @default true */
  proxied?: boolean;
}

export type CspSource = "edge" | "origin";

/** True for a response whose origin sent no Content-Security-Policy (header names are matched case-blind). */
export const ORIGIN_SENT_NO_CSP = 'not any(lower(http.response.headers.names[*])[*] == "content-security-policy")';

const DAY = 86_400;
const STATIC_EXTENSIONS = ["js", "css", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "woff", "woff2", "ttf"];
const STATIC_ASSET = `(http.request.uri.path.extension in {${STATIC_EXTENSIONS.map((e) => `"${e}"`).join(" ")}})`;

/**
 * The rule that marks static assets immutable. Cloudflare's browser TTL sets only max-age, so the
 * directive is a response header of its own; it lives in the security headers' ruleset because a
 * zone has one entry point per phase.
 */
function immutableAssets(cache: ZoneArgs["cacheStaticAssets"]) {
  if (!cache || !cache.immutable) return [];
  const maxAge = (cache.browserDays ?? 365) * DAY;
  return [{
    action: "rewrite", enabled: true, expression: STATIC_ASSET, description: "Static assets: cached by browsers, never revalidated",
    actionParameters: { headers: { "Cache-Control": { operation: "set", value: `public, max-age=${maxAge}, immutable` } } },
  }];
}

/** Cloudflare in front of one environment: its DNS records and, for the zone owner, TLS, headers, cache and rate limits. */
export class Cdn extends pulumi.ComponentResource {
  static readonly TYPE = "paved:cdn:Cdn";
  /** Hostnames served through Cloudflare. */
  readonly hosts: string[];

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Cdn.TYPE, name, {}, opts);
    this.createRecords(name, args);
    if (args.zone) {
      this.createZoneSettings(name, args.zoneId, args.zone);
      this.createHeaderRules(name, args.zoneId, args.zone);
      if (args.zone.cacheStaticAssets) this.createCacheRules(name, args.zoneId, args.zone.cacheStaticAssets);
      this.createRateLimits(name, args.zoneId, args.zone, args.records.map((r) => r.host));
    }
    this.hosts = args.records.map((r) => r.host);
    this.registerOutputs({ hosts: this.hosts });
  }

  private createRecords(name: string, args: CdnArgs): void {
    for (const record of args.records) {
      new cloudflare.DnsRecord(`${name}-${record.role}`, {
        zoneId: args.zoneId,
        name: record.host,
        type: record.type,
        content: record.content,
        proxied: args.proxied ?? true,
        ttl: 1, // "automatic": the only TTL a proxied record takes
        comment: `managed by paved (stack ${pulumi.getStack()})`,
      }, { parent: this, protect: args.protect ?? false, deleteBeforeReplace: true });
    }
  }

  private createZoneSettings(name: string, zoneId: string, zone: ZoneArgs): void {
    const settings: Record<string, unknown> = {
      ssl: "strict",
      min_tls_version: "1.2",
      tls_1_3: "on",
      always_use_https: "on",
      security_header: {
        strict_transport_security: {
          enabled: true, max_age: zone.hsts.maxAge, include_subdomains: true, preload: zone.hsts.preload, nosniff: true,
        },
      },
    };
    for (const [settingId, value] of Object.entries(settings)) {
      new cloudflare.ZoneSetting(`${name}-${settingId.replace(/_/g, "-")}`, { zoneId, settingId, value }, { parent: this });
    }
  }

  private createHeaderRules(name: string, zoneId: string, zone: ZoneArgs): void {
    const set = (value: string) => ({ operation: "set", value });
    const origin = zone.headers.cspSource === "origin";
    new cloudflare.Ruleset(`${name}-security-headers`, {
      zoneId, kind: "zone", phase: "http_response_headers_transform", name: "paved security headers",
      rules: [{
        action: "rewrite", expression: "true", enabled: true, description: "Security headers on every response",
        actionParameters: {
          headers: {
            "X-Frame-Options": set(zone.headers.frameOptions),
            "X-Content-Type-Options": set("nosniff"),
            "Referrer-Policy": set(zone.headers.referrerPolicy),
            "Permissions-Policy": set(zone.headers.permissionsPolicy),
          },
        },
      }, {
        action: "rewrite", enabled: true,
        expression: origin ? ORIGIN_SENT_NO_CSP : "true",
        description: origin ? "Content-Security-Policy where the origin sends none" : "Content-Security-Policy on every response",
        actionParameters: { headers: { "Content-Security-Policy": set(zone.headers.contentSecurityPolicy) } },
      }, ...immutableAssets(zone.cacheStaticAssets)],
    }, { parent: this });
  }

  private createCacheRules(name: string, zoneId: string, cache: Exclude<ZoneArgs["cacheStaticAssets"], false>): void {
    new cloudflare.Ruleset(`${name}-cache`, {
      zoneId, kind: "zone", phase: "http_request_cache_settings", name: "paved static asset cache",
      rules: [{
        action: "set_cache_settings", enabled: true, description: "Cache static assets at the edge",
        expression: STATIC_ASSET,
        actionParameters: {
          cache: true,
          edgeTtl: { mode: "override_origin", default: 30 * DAY },
          browserTtl: cache.browserDays ? { mode: "override_origin", default: cache.browserDays * DAY } : { mode: "respect_origin" },
        },
      }],
    }, { parent: this });
  }

  private createRateLimits(name: string, zoneId: string, zone: ZoneArgs, hosts: string[]): void {
    const own = `(http.host in {${hosts.map((h) => `"${h}"`).join(" ")}})`;
    const limit = (requestsPerPeriod: number) => ({
      characteristics: ["cf.colo.id", "ip.src"],
      period: zone.rateLimit.period,
      requestsPerPeriod,
      mitigationTimeout: zone.rateLimit.mitigationTimeout,
    });
    new cloudflare.Ruleset(`${name}-rate-limit`, {
      zoneId, kind: "zone", phase: "http_ratelimit", name: "paved rate limits",
      rules: [
        { action: "block", enabled: true, description: "Per-IP limit on this environment's hosts",
          expression: own, ratelimit: limit(zone.rateLimit.requestsPerPeriod) },
        { action: "block", enabled: true, description: "Per-IP limit on the zone's other hosts",
          expression: `(not ${own})`, ratelimit: limit(zone.rateLimit.otherHostsRequestsPerPeriod) },
      ],
    }, { parent: this });
  }
}

function validate(name: string, args: CdnArgs): void {
  const problems: string[] = [];
  if (!/^[0-9a-f]{32}$/.test(args.zoneId)) problems.push(`Cdn "${name}": zoneId is "${args.zoneId}"; expected a 32-character hex zone id`);
  const seen = new Set<string>();
  for (const record of args.records) {
    for (const key of [`host ${record.host}`, `role ${record.role}`]) {
      if (seen.has(key)) problems.push(`Cdn "${name}": ${key} is listed twice; expected one record per host and role`);
      seen.add(key);
    }
  }
  if (args.zone && args.records.length === 0) {
    problems.push(`Cdn "${name}": zone is set but records is empty; expected at least one host of this stack (its own rate limit would otherwise fall on other stacks' hosts)`);
  }
  if (args.zone && args.zone.hsts.maxAge < 15_552_000) {
    problems.push(`Cdn "${name}": zone.hsts.maxAge is ${args.zone.hsts.maxAge}; expected at least 15552000 seconds (180 days)`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

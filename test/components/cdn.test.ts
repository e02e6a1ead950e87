import { describe, expect, it } from "vitest";
import type { CdnArgs, ZoneArgs } from "../../components/cdn";
import { capture } from "../harness";

const ZONE_ID = "5f0c8a1e2b3d4c5e6f708192a3b4c5d6";
const ZONE: ZoneArgs = {
  hsts: { maxAge: 31_536_000, preload: false },
  headers: { contentSecurityPolicy: "default-src 'self'", permissionsPolicy: "camera=()", referrerPolicy: "strict-origin-when-cross-origin", frameOptions: "DENY", cspSource: "edge" },
  rateLimit: { requestsPerPeriod: 100, period: 10, mitigationTimeout: 60, otherHostsRequestsPerPeriod: 400 },
  cacheStaticAssets: { immutable: false },
};
const RECORDS: CdnArgs["records"] = [{ role: "web", host: "app.planningos.com", type: "CNAME", content: "cname.vercel-dns.com" }];

async function build(args: Partial<CdnArgs> = {}) {
  return capture(async () => {
    const { Cdn } = await import("../../components/cdn");
    return new Cdn("production-cdn", { zoneId: ZONE_ID, records: RECORDS, ...args });
  });
}

describe("Cdn", () => {
  it("creates a proxied record per host, protected when asked", async () => {
    const run = await build({ protect: true });
    const record = run.one("cloudflare:index/dnsRecord:DnsRecord");
    expect(record.name).toBe("production-cdn-web");
    expect(record.parent).toBe(run.one("paved:cdn:Cdn").urn);
    expect(record.inputs).toMatchObject({ zoneId: ZONE_ID, name: "app.planningos.com", type: "CNAME", content: "cname.vercel-dns.com", proxied: true, ttl: 1 });
    expect(record.protect).toBe(true);
  });

  it("leaves zone settings and rulesets to the stack that owns the zone", async () => {
    const run = await build();
    expect(run.all("cloudflare:index/zoneSetting:ZoneSetting")).toHaveLength(0);
    expect(run.all("cloudflare:index/ruleset:Ruleset")).toHaveLength(0);
  });

  it("sets strict TLS, TLS 1.2+, TLS 1.3, HTTPS only and one-year HSTS with subdomains", async () => {
    const run = await build({ zone: ZONE });
    const settings = Object.fromEntries(run.all("cloudflare:index/zoneSetting:ZoneSetting").map((s) => [s.inputs.settingId, s.inputs.value]));
    expect(settings).toEqual({
      ssl: "strict", min_tls_version: "1.2", tls_1_3: "on", always_use_https: "on",
      security_header: { strict_transport_security: { enabled: true, max_age: 31_536_000, include_subdomains: true, preload: false, nosniff: true } },
    });
  });

  it("sets every security header in one response-header transform, the CSP on every response", async () => {
    const run = await build({ zone: ZONE });
    const ruleset = run.all("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_response_headers_transform")!;
    expect(ruleset.name).toBe("production-cdn-security-headers");
    const rules = ruleset.inputs.rules as Array<{ action: string; expression: string; actionParameters: { headers: Record<string, unknown> } }>;
    expect(rules.map((r) => [r.action, r.expression])).toEqual([["rewrite", "true"], ["rewrite", "true"]]);
    expect(rules[0].actionParameters.headers).toEqual({
      "X-Frame-Options": { operation: "set", value: "DENY" },
      "X-Content-Type-Options": { operation: "set", value: "nosniff" },
      "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
      "Permissions-Policy": { operation: "set", value: "camera=()" },
    });
    expect(rules[1].actionParameters.headers).toEqual({ "Content-Security-Policy": { operation: "set", value: "default-src 'self'" } });
  });

  it("lets the origin's CSP stand when cspSource is origin, and sets its own only where the origin sends none", async () => {
    const run = await build({ zone: { ...ZONE, headers: { ...ZONE.headers, cspSource: "origin" } } });
    const ruleset = run.all("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_response_headers_transform")!;
    const rules = ruleset.inputs.rules as Array<{ expression: string; actionParameters: { headers: Record<string, unknown> } }>;
    expect(rules[0].expression).toBe("true");
    expect(rules[1].expression).toBe('not any(lower(http.response.headers.names[*])[*] == "content-security-policy")');
    expect(rules[1].actionParameters.headers).toEqual({ "Content-Security-Policy": { operation: "set", value: "default-src 'self'" } });
  });

  it("writes the origin condition the security-headers policy accepts", async () => {
    const { ORIGIN_SENT_NO_CSP } = await import("../../components/cdn");
    const policy = await import("../../policy/headers");
    expect(ORIGIN_SENT_NO_CSP).toBe(policy.ORIGIN_SENT_NO_CSP);
  });

  it("rate-limits this environment's hosts tighter than the rest of the zone", async () => {
    const run = await build({ zone: ZONE });
    const ruleset = run.all("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_ratelimit")!;
    const rules = ruleset.inputs.rules as Array<{ expression: string; ratelimit: Record<string, unknown> }>;
    expect(rules.map((r) => r.expression)).toEqual(['(http.host in {"app.planningos.com"})', '(not (http.host in {"app.planningos.com"}))']);
    expect(rules.map((r) => r.ratelimit.requestsPerPeriod)).toEqual([100, 400]);
    expect(rules[0].ratelimit).toMatchObject({ characteristics: ["cf.colo.id", "ip.src"], period: 10, mitigationTimeout: 60 });
  });

  it("caches static assets at the edge, and can be told not to", async () => {
    const cached = await build({ zone: ZONE });
    expect(cached.all("cloudflare:index/ruleset:Ruleset").map((r) => r.inputs.phase)).toContain("http_request_cache_settings");
    const uncached = await build({ zone: { ...ZONE, cacheStaticAssets: false } });
    expect(uncached.all("cloudflare:index/ruleset:Ruleset").map((r) => r.inputs.phase)).not.toContain("http_request_cache_settings");
  });

  it("keeps static assets a year in browsers, immutable, when asked (a hashed-asset build)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested ruleset inputs, asserted field by field
    const rulesOf = (run: Awaited<ReturnType<typeof build>>, phase: string) => run.all("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === phase)!.inputs.rules as any[];
    const run = await build({ zone: { ...ZONE, cacheStaticAssets: { browserDays: 365, immutable: true } } });
    const assets = '(http.request.uri.path.extension in {"js" "css" "mjs" "map" "png" "jpg" "jpeg" "gif" "svg" "webp" "avif" "ico" "woff" "woff2" "ttf"})';
    expect(rulesOf(run, "http_request_cache_settings")[0]).toMatchObject({
      expression: assets, actionParameters: { cache: true, edgeTtl: { mode: "override_origin", default: 2_592_000 }, browserTtl: { mode: "override_origin", default: 31_536_000 } },
    });
    expect(rulesOf(run, "http_response_headers_transform").at(-1)).toEqual({
      action: "rewrite", enabled: true, expression: assets, description: "Static assets: cached by browsers, never revalidated",
      actionParameters: { headers: { "Cache-Control": { operation: "set", value: "public, max-age=31536000, immutable" } } },
    });
    const plain = await build({ zone: ZONE });
    expect(rulesOf(plain, "http_request_cache_settings")[0].actionParameters.browserTtl).toEqual({ mode: "respect_origin" });
    expect(rulesOf(plain, "http_response_headers_transform")).toHaveLength(2);
  });

  it.each<[Partial<CdnArgs>, string]>([
    [{ zoneId: "planningos.com" }, 'Cdn "production-cdn": zoneId is "planningos.com"; expected a 32-character hex zone id'],
    [{ records: [...RECORDS, { ...RECORDS[0], role: "web2" }] }, 'Cdn "production-cdn": host app.planningos.com is listed twice; expected one record per host and role'],
    [{ zone: ZONE, records: [] }, 'Cdn "production-cdn": zone is set but records is empty; expected at least one host of this stack (its own rate limit would otherwise fall on other stacks\' hosts)'],
    [{ zone: { ...ZONE, hsts: { maxAge: 3600, preload: false } } }, 'Cdn "production-cdn": zone.hsts.maxAge is 3600; expected at least 15552000 seconds (180 days)'],
  ])("rejects bad args (%#)", async (patch, message) => {
    await expect(build(patch)).rejects.toThrow(message);
  });
});

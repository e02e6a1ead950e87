import { describe, expect, it } from "vitest";
import {
  corsOrigins, securityHeaders, zoneAlwaysHttps, zoneHsts, zoneHstsPreload, zoneMinTls12, zoneSettingsPresent, zoneSslStrict,
  zoneTls13,
} from "../../policy/transport";
import {
  CSP_BROAD_SCRIPTS, CSP_MISSING, CSP_NO_SCRIPT_RULE, CSP_OBJECTS, CSP_UNSAFE_EVAL, CSP_UNSAFE_INLINE, ORIGIN_SENT_NO_CSP, PERMISSIONS_OPEN,
  PERMISSIONS_UNPARSED,
} from "../../policy/headers";
import { DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY } from "../../stacks/sections/cdn";
import { UNKNOWN } from "../../policy/offline";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { check, checkStack, planned, set } from "./harness";

describe.each([
  [zoneSslStrict, "ssl", "strict", ["full", "flexible", "off"], "Set the zone's SSL mode to strict."],
  [zoneMinTls12, "min_tls_version", "1.2", ["1.0", "1.1"], "Set the zone's minimum TLS version to 1.2 or higher."],
  [zoneTls13, "tls_1_3", "zrt", ["off"], "Turn TLS 1.3 on for the zone."],
  [zoneAlwaysHttps, "always_use_https", "on", ["off"], "Turn on Always Use HTTPS for the zone."],
])("$name", (policy, settingId, good, bads, message) => {
  it("passes the safe value", () => expect(check(policy, T.zoneSetting, f.zoneSetting(settingId, good))).toEqual([]));
  it("ignores other settings", () => expect(check(policy, T.zoneSetting, f.zoneSetting("brotli", "off"))).toEqual([]));
  it.each(bads)("fails %s", (bad) => expect(check(policy, T.zoneSetting, f.zoneSetting(settingId, bad))).toEqual([message]));
});

describe("zone-hsts", () => {
  const setting = (sts: object) => f.zoneSetting("security_header", { strict_transport_security: sts });
  it("passes a preload-ready setting", () => expect(check(zoneHsts, T.zoneSetting, setting(f.sts))).toEqual([]));
  it("passes camelCase keys", () => {
    const camel = { strictTransportSecurity: { enabled: true, maxAge: 31536000, includeSubdomains: true, preload: true } };
    expect(check(zoneHsts, T.zoneSetting, f.zoneSetting("security_header", camel))).toEqual([]);
  });
  it("passes a header rule", () => expect(check(zoneHsts, T.ruleset, f.headerRuleset)).toEqual([]));
  it("fails a disabled setting", () => {
    expect(check(zoneHsts, T.zoneSetting, setting({ ...f.sts, enabled: false }))).toEqual(["Enable HSTS for the zone."]);
  });
  it("fails a short max-age", () => {
    expect(check(zoneHsts, T.zoneSetting, setting({ ...f.sts, max_age: 86400 })))
      .toEqual(["Set the HSTS max-age to at least 31536000 seconds."]);
  });
  it("honours a configured floor", () => {
    expect(check(zoneHsts, T.zoneSetting, setting({ ...f.sts, max_age: 15552000 }), { config: { minMaxAge: 15552000 } })).toEqual([]);
  });
  it("fails a missing includeSubdomains", () => {
    expect(check(zoneHsts, T.zoneSetting, setting({ ...f.sts, include_subdomains: false })))
      .toEqual(["Extend HSTS to subdomains (includeSubDomains)."]);
  });
  it("fails a weak header rule", () => {
    const weak = set(f.headerRuleset, "rules.0.actionParameters.headers.Strict-Transport-Security.value", "max-age=300");
    expect(check(zoneHsts, T.ruleset, weak))
      .toEqual(["Set the HSTS max-age to at least 31536000 seconds.", "Extend HSTS to subdomains (includeSubDomains)."]);
  });
  it("fails a security_header setting without HSTS", () => {
    expect(check(zoneHsts, T.zoneSetting, f.zoneSetting("security_header", {}))).toEqual(["Enable HSTS for the zone."]);
  });
});

describe("zone-hsts-preload", () => {
  it("passes preload", () => expect(check(zoneHstsPreload, T.zoneSetting, f.zoneSetting("security_header", { strict_transport_security: f.sts }))).toEqual([]));
  it("fails without preload", () => {
    const value = { strict_transport_security: { ...f.sts, preload: false } };
    expect(check(zoneHstsPreload, T.zoneSetting, f.zoneSetting("security_header", value))).toEqual(["Add preload to HSTS."]);
  });
});

describe("zone-settings-present", () => {
  const required = { requiredSettings: ["ssl", "always_use_https"] };
  const record = planned(T.dnsRecord, "app", f.dnsRecord);
  it("passes when every required setting is managed", () => {
    const settings = ["ssl", "always_use_https"].map((id) => planned(T.zoneSetting, id, f.zoneSetting(id, "on")));
    expect(checkStack(zoneSettingsPresent, [record, ...settings], required)).toEqual([]);
  });
  it("passes a stack without zone resources", () => expect(checkStack(zoneSettingsPresent, [], required)).toEqual([]));
  it("fails a missing setting", () => {
    const ssl = planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict"));
    expect(checkStack(zoneSettingsPresent, [record, ssl], required)).toEqual(["Manage the zone setting always_use_https in this stack."]);
  });
});

describe("security-headers", () => {
  const record = planned(T.dnsRecord, "app", f.dnsRecord);
  const headers = (ruleset: object) => [record, planned(T.ruleset, "headers", ruleset)];
  const path = (name: string) => `rules.0.actionParameters.headers.${name}`;
  it("passes a full header rule", () => expect(checkStack(securityHeaders, headers(f.headerRuleset))).toEqual([]));
  it("passes a zone without DNS records in this stack", () => {
    expect(checkStack(securityHeaders, [planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict"))])).toEqual([]);
  });
  it("accepts HSTS from the security_header setting", () => {
    const sts = planned(T.zoneSetting, "sts", f.zoneSetting("security_header", { strict_transport_security: f.sts }));
    expect(checkStack(securityHeaders, [...headers(set(f.headerRuleset, path("Strict-Transport-Security"), undefined)), sts])).toEqual([]);
  });
  it("accepts CSP frame-ancestors for X-Frame-Options", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, path("X-Frame-Options"), undefined)))).toEqual([]);
  });
  it("skips headers the origin sets", () => {
    const bare = set(f.headerRuleset, "rules.0.actionParameters.headers", {});
    expect(checkStack(securityHeaders, headers(bare), {
      setByOrigin: ["Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"],
    })).toEqual([]);
  });
  it("leaves a zone this stack only adds records to, to the stack that owns it", () => {
    expect(checkStack(securityHeaders, [record])).toEqual([]);
  });
  it("fails a zone it owns with no header rule, once per header", () => {
    expect(checkStack(securityHeaders, [record, planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict"))])).toEqual([
      "Set Strict-Transport-Security for the zone (security_header setting or a response-header rule).",
      "Set Content-Security-Policy in a response-header rule.",
      "Set X-Frame-Options to DENY or SAMEORIGIN, or CSP frame-ancestors.",
      "Set X-Content-Type-Options to nosniff.",
      "Set Referrer-Policy to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.",
      "Set Permissions-Policy in a response-header rule.",
    ]);
  });
  const withCsp = (csp: string) => headers(set(f.headerRuleset, `${path("Content-Security-Policy")}.value`, csp));
  it.each([
    ["script-src 'self' 'unsafe-inline'; object-src 'none'", CSP_UNSAFE_INLINE],
    ["default-src 'self' 'unsafe-inline'", CSP_UNSAFE_INLINE],
    ["script-src 'self'; script-src-elem 'self' 'unsafe-inline'; object-src 'none'", CSP_UNSAFE_INLINE],
    ["script-src 'self'; script-src-attr 'unsafe-inline'; object-src 'none'", CSP_UNSAFE_INLINE],
    ["default-src 'self' 'unsafe-eval'", CSP_UNSAFE_EVAL],
    ["default-src *", [CSP_BROAD_SCRIPTS, CSP_OBJECTS]],
    ["default-src 'self'; script-src 'self' https:", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self' http:", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self' data:", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self' blob:", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self' https://*", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self' http://cdn.example.com", CSP_BROAD_SCRIPTS],
    ["default-src 'self'; script-src 'self'; script-src-elem 'self' https:", CSP_BROAD_SCRIPTS],
    ["style-src 'self'; object-src 'none'", CSP_NO_SCRIPT_RULE],
    ["default-src 'self'; object-src *", CSP_OBJECTS],
    ["script-src 'self'", CSP_OBJECTS],
    ["SCRIPT-SRC 'self' 'UNSAFE-INLINE'; object-src 'none'", CSP_UNSAFE_INLINE],
    // Browsers keep the first of a repeated directive.
    ["script-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'", CSP_UNSAFE_INLINE],
    // Each policy of a comma-separated list applies: the first one already refuses inline scripts.
    ["default-src 'self', script-src 'self' 'unsafe-inline'", []],
  ])("judges the CSP %s", (csp, gaps) => {
    expect(checkStack(securityHeaders, withCsp(`${csp}; frame-ancestors 'none'`))).toEqual([gaps].flat());
  });
  it.each([
    ["a nonce", "script-src 'nonce-r4nd0m' 'unsafe-inline'; object-src 'none'"],
    ["a hash", "script-src 'sha256-abc=' 'unsafe-inline'; object-src 'none'"],
    ["'strict-dynamic' with a nonce, over https: and 'unsafe-inline' kept for old browsers", "script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'"],
  ])("passes 'unsafe-inline' that %s makes browsers ignore", (_label, csp) => {
    expect(checkStack(securityHeaders, withCsp(`${csp}; frame-ancestors 'none'`))).toEqual([]);
  });
  it("passes what paved's edge sets by default", () => {
    expect(checkStack(securityHeaders, withCsp(DEFAULT_CSP))).toEqual([]);
  });
  it("reports a gap only where every policy of a comma-separated CSP has it", () => {
    expect(checkStack(securityHeaders, withCsp("script-src * 'unsafe-eval', default-src 'self'; frame-ancestors 'none'"))).toEqual([]);
    expect(checkStack(securityHeaders, withCsp("script-src 'unsafe-eval', default-src 'self' 'unsafe-eval'; frame-ancestors 'none'")))
      .toEqual([CSP_UNSAFE_EVAL]);
  });
  it("fails an empty CSP as a missing one", () => {
    expect(checkStack(securityHeaders, withCsp(" ; "))).toEqual([CSP_MISSING]);
  });
  it("fails frame-ancestors that lets any site frame the page, without X-Frame-Options", () => {
    const rs = set(set(f.headerRuleset, path("X-Frame-Options"), undefined), `${path("Content-Security-Policy")}.value`, "default-src 'self'; frame-ancestors *");
    expect(checkStack(securityHeaders, headers(rs))).toEqual(["Set X-Frame-Options to DENY or SAMEORIGIN, or CSP frame-ancestors."]);
  });
  it.each([["camera=*"], ["geolocation=(*)"], ["microphone=(self *)"], ["camera=(), camera=*"], ["Camera=*"]])("fails the Permissions-Policy %s", (value) => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, `${path("Permissions-Policy")}.value`, value)))).toEqual([PERMISSIONS_OPEN]);
  });
  it.each([[""], ["  "], ["camera 'none'"]])("fails the Permissions-Policy %j, which browsers ignore", (value) => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, `${path("Permissions-Policy")}.value`, value)))).toEqual([PERMISSIONS_UNPARSED]);
  });
  it.each([["camera=(self), microphone=(self \"https://meet.example.com\"), geolocation=()"], ["payment=*, camera=()"], [DEFAULT_PERMISSIONS_POLICY]])(
    "passes the Permissions-Policy %s", (value) => {
      expect(checkStack(securityHeaders, headers(set(f.headerRuleset, `${path("Permissions-Policy")}.value`, value)))).toEqual([]);
    });
  it("fails a disabled rule", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, "rules.0.enabled", false)))).toHaveLength(6);
  });
  it("fails an unsafe X-Frame-Options without frame-ancestors", () => {
    const rs = set(set(f.headerRuleset, `${path("X-Frame-Options")}.value`, "ALLOW-FROM https://x"), `${path("Content-Security-Policy")}.value`, "default-src 'self'");
    expect(checkStack(securityHeaders, headers(rs))).toEqual(["Set X-Frame-Options to DENY or SAMEORIGIN, or CSP frame-ancestors."]);
  });
  it("fails a leaky Referrer-Policy", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, `${path("Referrer-Policy")}.value`, "unsafe-url"))))
      .toEqual(["Set Referrer-Policy to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin."]);
  });
  it("passes a CSP the edge sets only where the origin sends none", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, "rules.0.expression", ORIGIN_SENT_NO_CSP)))).toEqual([]);
  });
  it("fails a CSP scoped to some hosts", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, "rules.0.expression", '(http.host eq "app.example.com")'))))
      .toEqual(["Set Content-Security-Policy on every response, or only where the origin sends none."]);
  });
  it("skips a scoped CSP when the origin sets it", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, "rules.0.expression", '(http.host eq "app.example.com")')),
      { setByOrigin: ["Content-Security-Policy"] })).toEqual([]);
  });
  it("fails a wrong X-Content-Type-Options", () => {
    expect(checkStack(securityHeaders, headers(set(f.headerRuleset, `${path("X-Content-Type-Options")}.value`, "sniff"))))
      .toEqual(["Set X-Content-Type-Options to nosniff."]);
  });
});

describe("cors-origins", () => {
  const fly = (origins: string) => set(f.flyMachine, "config.env.CORS_ORIGINS", origins);
  it("passes https origins", () => expect(check(corsOrigins, T.flyMachine, fly("https://app.example.com, https://example.com"))).toEqual([]));
  it("passes docker envs and Render vars", () => {
    expect(check(corsOrigins, T.container, set(f.container, "envs", ["CORS_ORIGINS=https://a.example.com"]))).toEqual([]);
    expect(check(corsOrigins, T.renderService, f.renderService)).toEqual([]);
  });
  it("reads a Railway service's variables", () => {
    expect(check(corsOrigins, T.railwayService, f.railwayService)).toEqual([]);
    expect(check(corsOrigins, T.railwayService, set(f.railwayService, "variables.CORS_ORIGINS", "*")))
      .toEqual(["Narrow CORS origins to the environment's own origins instead of a wildcard."]);
  });
  it("fails a wildcard", () => {
    expect(check(corsOrigins, T.flyMachine, fly("*")))
      .toEqual(["Narrow CORS origins to the environment's own origins instead of a wildcard."]);
  });
  it("fails plain http", () => {
    expect(check(corsOrigins, T.renderService, set(f.renderService, "envVars.CORS_ORIGINS", "http://app.example.com")))
      .toEqual(["Use only https origins for CORS."]);
  });
  const WILDCARD = "Narrow CORS origins to the environment's own origins instead of a wildcard.";
  const NULL = "Remove the null origin from CORS: sandboxed frames and local files send it.";
  const HTTP = "Use only https origins for CORS.";
  it.each(["CORS_ORIGIN", "CORS_ALLOW_ORIGIN", "CORS_ALLOW_ORIGINS", "CORS_ALLOWED_ORIGINS", "ALLOWED_ORIGINS", "ACCESS_CONTROL_ALLOW_ORIGIN", "CSRF_TRUSTED_ORIGINS", "cors_origin"])(
    "reads %s", (key) => {
      const env = (value: string) => set(f.flyMachine, `config.env.${key}`, value);
      expect(check(corsOrigins, T.flyMachine, env("https://app.example.com"))).toEqual([]);
      expect(check(corsOrigins, T.flyMachine, env("*"))).toEqual([WILDCARD]);
      expect(check(corsOrigins, T.flyMachine, env("null"))).toEqual([NULL]);
      expect(check(corsOrigins, T.flyMachine, env("https://app.example.com,http://app.example.com"))).toEqual([HTTP]);
    });
  it.each([
    ["fly Secrets", T.flySecrets, set(f.flySecrets, "values.ALLOWED_ORIGINS", "null")],
    ["render Service", T.renderService, set(f.renderService, "envVars.CORS_ALLOW_ORIGIN", "null")],
    ["railway Service", T.railwayService, set(f.railwayService, "variables.ACCESS_CONTROL_ALLOW_ORIGIN", "null")],
    ["docker Container", T.container, set(f.container, "envs", ["CORS_ORIGIN=null"])],
    ["Vercel env var", T.vercelEnv, { ...f.vercelEnv, key: "ALLOWED_ORIGINS", value: "https://app.example.com null" }],
  ])("fails the null origin on %s", (_label, type, props) => {
    expect(check(corsOrigins, type, props)).toEqual([NULL]);
  });
  it("reads a JSON list of origins", () => {
    expect(check(corsOrigins, T.flyMachine, fly('["https://app.example.com", "http://admin.example.com"]'))).toEqual([HTTP]);
  });
  it("reports each kind of gap once, however many variables have it", () => {
    const env = set(set(f.flyMachine, "config.env.CORS_ORIGINS", "*"), "config.env.ALLOWED_ORIGINS", "*");
    expect(check(corsOrigins, T.flyMachine, env)).toEqual([WILDCARD]);
  });
  it("passes an app's own scheme, and variables that only mention an origin in passing", () => {
    expect(check(corsOrigins, T.flyMachine, fly("https://app.example.com capacitor://localhost"))).toEqual([]);
    expect(check(corsOrigins, T.flyMachine, set(f.flyMachine, "config.env.ORIGINAL_FILENAME", "http://x"))).toEqual([]);
  });
  it("reads no value but the origins: an unknown secret beside them leaves a verdict", () => {
    expect(check(corsOrigins, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", UNKNOWN))).toEqual([]);
  });
  it("allows both locally", () => {
    expect(check(corsOrigins, T.container, set(f.container, "envs", ["CORS_ORIGINS=*,http://localhost:5173"]), {
      config: { allowWildcard: true, allowHttp: true },
    })).toEqual([]);
  });
});

import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  CSP_MISSING, ORIGIN_SENT_NO_CSP, cspBlocksFraming, cspGaps, headerRulesOf, headersSetBy, hstsOf, permissionsGaps,
} from "./headers";
import { ENV_TYPES, T, eachEnvValue, envOf, forTypes, pick, reportOnce, type Props } from "./util";

/** A policy on one Cloudflare zone setting, by setting id. */
function zoneSetting(settingId: string, check: (value: unknown) => boolean, message: string) {
  return forTypes([T.zoneSetting], (props, _args, report) => {
    if (pick(props, "settingId") === settingId && !check(props.value)) report(message);
  });
}

export const zoneSslStrict: ResourceValidationPolicy = {
  name: "zone-ssl-strict",
  description: "Cloudflare verifies the origin's certificate (SSL mode `strict`).",
  enforcementLevel: "mandatory",
  validateResource: zoneSetting("ssl", (value) => value === "strict", "Set the zone's SSL mode to strict."),
};

export const zoneMinTls12: ResourceValidationPolicy = {
  name: "zone-min-tls-1-2",
  description: "The zone refuses TLS below 1.2 (SSL Labs caps a grade at B while TLS 1.0/1.1 is accepted).",
  enforcementLevel: "mandatory",
  validateResource: zoneSetting("min_tls_version", (value) => Number.parseFloat(String(value)) >= 1.2,
    "Set the zone's minimum TLS version to 1.2 or higher."),
};

export const zoneTls13: ResourceValidationPolicy = {
  name: "zone-tls-1-3",
  description: "TLS 1.3 is on for the zone.",
  enforcementLevel: "advisory",
  validateResource: zoneSetting("tls_1_3", (value) => value === "on" || value === "zrt", "Turn TLS 1.3 on for the zone."),
};

export const zoneAlwaysHttps: ResourceValidationPolicy = {
  name: "zone-always-use-https",
  description: "Plain HTTP requests redirect to HTTPS.",
  enforcementLevel: "mandatory",
  validateResource: zoneSetting("always_use_https", (value) => value === "on", "Turn on Always Use HTTPS for the zone."),
};

export const zoneHsts: ResourceValidationPolicy = {
  name: "zone-hsts",
  description: "HSTS, where the zone sets it, is enabled, covers subdomains and lasts at least `minMaxAge` seconds.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minMaxAge: { type: "integer", minimum: 15552000, default: 31536000 } } },
  validateResource: forTypes([T.zoneSetting, T.ruleset], (props, args, report) => {
    const { minMaxAge } = args.getConfig<{ minMaxAge: number }>();
    for (const hsts of hstsOf(args.type, props)) {
      if (!hsts.enabled) report("Enable HSTS for the zone.");
      else if (hsts.maxAge < minMaxAge) report(`Set the HSTS max-age to at least ${minMaxAge} seconds.`);
      if (hsts.enabled && !hsts.includeSubdomains) report("Extend HSTS to subdomains (includeSubDomains).");
    }
  }),
};

export const zoneHstsPreload: ResourceValidationPolicy = {
  name: "zone-hsts-preload",
  description: "HSTS carries `preload`, so browsers can ship the domain as HTTPS-only.",
  enforcementLevel: "advisory",
  validateResource: forTypes([T.zoneSetting, T.ruleset], (props, args, report) => {
    if (hstsOf(args.type, props).some((hsts) => hsts.enabled && !hsts.preload)) report("Add preload to HSTS.");
  }),
};

const ZONE_TYPES: readonly string[] = [T.dnsRecord, T.legacyRecord, T.zoneSetting, T.ruleset, T.zoneDnssec];

/** Zone ids a stack's Cloudflare resources name; unknown ids make the policy wait for deploy. */
export function zonesOf(resources: PolicyResource[]): Map<string, PolicyResource[]> {
  const zones = new Map<string, PolicyResource[]>();
  for (const r of resources) {
    if (!ZONE_TYPES.includes(r.type)) continue;
    const zoneId = r.props.zoneId;
    if (typeof zoneId !== "string") continue;
    zones.set(zoneId, [...(zones.get(zoneId) ?? []), r]);
  }
  return zones;
}

/**
 * Zones whose settings or entry-point rulesets this stack manages. A stack that only adds
 * records (staging, previews) leaves zone-wide rules to the stack that owns the zone.
 */
export function ownedZonesOf(resources: PolicyResource[]): PolicyResource[][] {
  return [...zonesOf(resources).values()].filter((zone) => zone.some((r) => r.type === T.zoneSetting || r.type === T.ruleset || r.type === T.zoneDnssec));
}

export const zoneSettingsPresent: StackValidationPolicy = {
  name: "zone-settings-present",
  description: "The stack that owns a zone sets each zone setting in `requiredSettings`.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { requiredSettings: { type: "array", items: { type: "string" }, default: [] } } },
  validateStack: (args, reportViolation) => {
    const { requiredSettings } = args.getConfig<{ requiredSettings: string[] }>();
    for (const resources of zonesOf(args.resources).values()) {
      const set = new Set(resources.filter((r) => r.type === T.zoneSetting).map((r) => pick(r.props, "settingId")));
      for (const id of requiredSettings.filter((wanted) => !set.has(wanted))) {
        reportViolation(`Manage the zone setting ${id} in this stack.`);
      }
    }
  },
};

const GOOD_REFERRER = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

/** What a zone's response headers lack, as one message per gap. */
export function headerGaps(headers: Map<string, string>, hstsElsewhere: boolean, setByOrigin: string[]): string[] {
  const skip = new Set(setByOrigin.map((name) => name.toLowerCase()));
  const gaps: string[] = [];
  const want = (name: string) => !skip.has(name);
  if (want("strict-transport-security") && !headers.has("strict-transport-security") && !hstsElsewhere) {
    gaps.push("Set Strict-Transport-Security for the zone (security_header setting or a response-header rule).");
  }
  const csp = headers.get("content-security-policy");
  if (want("content-security-policy")) gaps.push(...(csp === undefined ? [CSP_MISSING] : cspGaps(csp)));
  const frame = headers.get("x-frame-options")?.trim().toUpperCase();
  if (want("x-frame-options") && frame !== "DENY" && frame !== "SAMEORIGIN" && !cspBlocksFraming(csp ?? "")) {
    gaps.push("Set X-Frame-Options to DENY or SAMEORIGIN, or CSP frame-ancestors.");
  }
  if (want("x-content-type-options") && headers.get("x-content-type-options")?.trim().toLowerCase() !== "nosniff") {
    gaps.push("Set X-Content-Type-Options to nosniff.");
  }
  const referrer = headers.get("referrer-policy")?.trim().toLowerCase();
  if (want("referrer-policy") && !GOOD_REFERRER.includes(referrer ?? "")) {
    gaps.push("Set Referrer-Policy to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.");
  }
  const permissions = headers.get("permissions-policy");
  if (want("permissions-policy")) {
    gaps.push(...(permissions === undefined ? ["Set Permissions-Policy in a response-header rule."] : permissionsGaps(permissions)));
  }
  return gaps;
}

export const securityHeaders: StackValidationPolicy = {
  name: "security-headers",
  description: "Each zone serving the app sets HSTS, a CSP that restricts scripts and plugins as Mozilla Observatory grades it, X-Frame-Options or frame-ancestors, X-Content-Type-Options, Referrer-Policy, and a Permissions-Policy that gives camera, microphone and geolocation to no wildcard.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { setByOrigin: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateStack: (args, reportViolation) => {
    const { setByOrigin } = args.getConfig<{ setByOrigin: string[] }>();
    for (const resources of ownedZonesOf(args.resources)) {
      if (!resources.some((r) => r.type === T.dnsRecord || r.type === T.legacyRecord)) continue;
      const headers = new Map<string, string>();
      const rulesets = resources.filter((r) => r.type === T.ruleset);
      for (const r of rulesets) for (const [name, value] of headersSetBy(r.props)) headers.set(name, value);
      const hstsElsewhere = resources.some((r) => hstsOf(r.type, r.props).some((hsts) => hsts.enabled));
      const urn = rulesets.find((r) => r.props.phase === "http_response_headers_transform")?.urn;
      for (const gap of headerGaps(headers, hstsElsewhere, setByOrigin)) reportViolation(gap, urn);
      // A CSP scoped to some hosts or paths leaves the rest of the zone's pages without one.
      const scoped = rulesets.flatMap((r) => headerRulesOf(r.props))
        .some((h) => h.name === "content-security-policy" && h.expression !== "true" && h.expression !== ORIGIN_SENT_NO_CSP);
      if (scoped && !setByOrigin.some((name) => name.toLowerCase() === "content-security-policy")) {
        reportViolation("Set Content-Security-Policy on every response, or only where the origin sends none.", urn);
      }
    }
  },
};

/**
 * A variable that names allowed origins, whatever the framework calls it: CORS_ORIGINS,
 * CORS_ALLOW_ORIGIN(S), ALLOWED_ORIGINS, ACCESS_CONTROL_ALLOW_ORIGIN, CSRF_TRUSTED_ORIGINS…
 */
const ORIGIN_KEY = /(^|_)ORIGINS?(_|$)/i;

export const corsOrigins: ResourceValidationPolicy = {
  name: "cors-origins",
  description: "Allowed origins, in any *ORIGIN* variable, name the environment's own https origins: never `null`; `*` and plain http only where `allowWildcard` / `allowHttp` (local).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { allowWildcard: { type: "boolean", default: false }, allowHttp: { type: "boolean", default: false } },
  },
  validateResource: forTypes(ENV_TYPES, (props: Props, args, report) => {
    const { allowWildcard, allowHttp } = args.getConfig<{ allowWildcard: boolean; allowHttp: boolean }>();
    const once = reportOnce(report);
    eachEnvValue(envOf(args.type, props) ?? {}, (key) => ORIGIN_KEY.test(key), (_key, value) => {
      // Commas, spaces or a JSON list: every framework's way of writing several origins.
      for (const origin of String(value).toLowerCase().split(/[\s,;"'[\]]+/)) {
        if (origin.includes("*")) {
          if (!allowWildcard) once("Narrow CORS origins to the environment's own origins instead of a wildcard.");
        } else if (origin === "null") once("Remove the null origin from CORS: sandboxed frames and local files send it.");
        // Plain http only: an app's own scheme (capacitor://, tauri://) is no network origin to intercept.
        else if (origin.startsWith("http://") && !allowHttp) once("Use only https origins for CORS.");
      }
    });
  }),
};

export const transportPolicies = [
  zoneSslStrict, zoneMinTls12, zoneTls13, zoneAlwaysHttps, zoneHsts, zoneHstsPreload,
  zoneSettingsPresent, securityHeaders, corsOrigins,
];

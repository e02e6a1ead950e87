import { T, list, obj, pick, type Props } from "./util";

/**
 * The one condition under which paved lets a CSP rule apply to fewer than every response: the
 * origin sent none of its own (a Next.js app's per-request nonce CSP stands). Same text as
 * components/cdn.ts writes; a test keeps the two equal.
 */
export const ORIGIN_SENT_NO_CSP = 'not any(lower(http.response.headers.names[*])[*] == "content-security-policy")';

/** A header an enabled `rewrite` rule sets with `set`, and the rule's expression. */
export interface SetHeader { name: string; value: string; expression: string }

/** Every header a zone's enabled `rewrite` / `set` response-header rules set, in rule order, names lower-case. */
export function headerRulesOf(ruleset: Props): SetHeader[] {
  const found: SetHeader[] = [];
  if (ruleset.phase !== "http_response_headers_transform") return found;
  for (const rule of list(ruleset.rules).map(obj)) {
    if (!rule || rule.enabled === false || rule.action !== "rewrite") continue;
    const set = obj(obj(rule.actionParameters)?.headers) ?? {};
    for (const [name, spec] of Object.entries(set)) {
      const header = obj(spec);
      if (header?.operation === "set" && typeof header.value === "string") {
        found.push({ name: name.toLowerCase(), value: header.value, expression: String(rule.expression ?? "true").trim() });
      }
    }
  }
  return found;
}

/** Headers a zone's enabled `rewrite` / `set` response-header rules set, by lower-case name. */
export function headersSetBy(ruleset: Props): Map<string, string> {
  return new Map(headerRulesOf(ruleset).map((h) => [h.name, h.value]));
}

export interface Hsts {
  enabled: boolean;
  maxAge: number;
  includeSubdomains: boolean;
  preload: boolean;
}

/** HSTS as a `security_header` zone setting states it (snake_case as the API writes it, camelCase as SDK examples do). */
export function hstsFromSetting(value: unknown): Hsts | undefined {
  const sts = obj(pick(obj(value), "strict_transport_security", "strictTransportSecurity"));
  if (!sts) return undefined;
  const maxAge = Number(pick(sts, "max_age", "maxAge"));
  return {
    enabled: sts.enabled === true,
    maxAge: Number.isFinite(maxAge) ? maxAge : 0,
    includeSubdomains: pick(sts, "include_subdomains", "includeSubdomains") === true,
    preload: sts.preload === true,
  };
}

/** HSTS as a `Strict-Transport-Security` header value states it. */
export function hstsFromHeader(value: string): Hsts {
  const parts = value.split(";").map((part) => part.trim().toLowerCase());
  const maxAge = Number(parts.find((part) => part.startsWith("max-age="))?.slice("max-age=".length));
  return {
    enabled: Number.isFinite(maxAge) && maxAge > 0,
    maxAge: Number.isFinite(maxAge) ? maxAge : 0,
    includeSubdomains: parts.includes("includesubdomains"),
    preload: parts.includes("preload"),
  };
}

/** Every HSTS statement a resource makes, from a zone setting or a header rule. */
export function hstsOf(type: string, props: Props): Hsts[] {
  if (type === T.zoneSetting && pick(props, "settingId") === "security_header") {
    const hsts = hstsFromSetting(props.value);
    return [hsts ?? { enabled: false, maxAge: 0, includeSubdomains: false, preload: false }];
  }
  if (type === T.ruleset) {
    const header = headersSetBy(props).get("strict-transport-security");
    return header === undefined ? [] : [hstsFromHeader(header)];
  }
  return [];
}

/** CSP directives by name, each a list of lower-case sources. */
export function cspDirectives(csp: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...sources] = part.trim().toLowerCase().split(/\s+/);
    if (name && !directives.has(name)) directives.set(name, sources);
  }
  return directives;
}

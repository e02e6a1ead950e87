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

/** One CSP policy's directives by lower-case name, each a list of lower-case sources; a repeated directive is ignored, as browsers ignore it. */
export function cspDirectives(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().toLowerCase().split(/\s+/);
    if (name && !directives.has(name)) directives.set(name, sources);
  }
  return directives;
}

export const CSP_MISSING = "Set Content-Security-Policy in a response-header rule.";
export const CSP_NO_SCRIPT_RULE = "Restrict scripts in the CSP with script-src or default-src.";
export const CSP_BROAD_SCRIPTS = "Load scripts only from named https hosts: remove *, http:, https:, data:, blob: and http:// hosts from the CSP script sources.";
export const CSP_UNSAFE_INLINE = "Remove 'unsafe-inline' from the CSP script sources, or add a nonce or hash.";
export const CSP_UNSAFE_EVAL = "Remove 'unsafe-eval' from the CSP script sources.";
export const CSP_OBJECTS = "Block plugins in the CSP: set object-src 'none'.";

const NONCE_OR_HASH = /^'(nonce-|sha256-|sha384-|sha512-)/;
/** A source any host matches: `*`, a bare scheme (`https:`, `data:`, `blob:`), a host of wildcards alone, or plain http. */
const BROAD_SOURCE = /^([a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*:\/\/)?[*.]+(:(\d+|\*))?(\/.*)?|http:\/\/.*)$/;

/** What one CSP policy lets scripts and plugins do, as one message per gap. */
function policyGaps(policy: Map<string, string[]>): string[] {
  const gaps: string[] = [];
  const script = policy.get("script-src") ?? policy.get("default-src");
  const elem = policy.get("script-src-elem") ?? script;
  const attr = policy.get("script-src-attr") ?? script;
  if (!script) gaps.push(CSP_NO_SCRIPT_RULE);
  // A nonce or hash makes browsers ignore 'unsafe-inline'; 'strict-dynamic' makes them ignore it
  // too, and every host and scheme source besides: scripts then run only by nonce or hash, or
  // when one of those loads them (CSP3, "Does a source list allow all inline behavior").
  const strict = (sources: string[]) => sources.includes("'strict-dynamic'");
  const inline = (sources: string[]) =>
    sources.includes("'unsafe-inline'") && !strict(sources) && !sources.some((s) => NONCE_OR_HASH.test(s));
  const broad = (sources: string[]) => !strict(sources) && sources.some((s) => BROAD_SOURCE.test(s));
  if ([elem, script].some((sources) => sources && broad(sources))) gaps.push(CSP_BROAD_SCRIPTS);
  if ([elem, attr, script].some((sources) => sources && inline(sources))) gaps.push(CSP_UNSAFE_INLINE);
  if (script?.includes("'unsafe-eval'")) gaps.push(CSP_UNSAFE_EVAL);
  const objects = policy.get("object-src") ?? policy.get("default-src");
  if (!objects || objects.some((s) => BROAD_SOURCE.test(s))) gaps.push(CSP_OBJECTS);
  return gaps;
}

/** The policies of a CSP header value: commas separate policies, and a browser enforces each of them. */
function cspPolicies(csp: string): Map<string, string[]>[] {
  return csp.split(",").map(cspDirectives).filter((policy) => policy.size > 0);
}

/**
 * What a Content-Security-Policy value leaves open for scripts and plugins, graded as browsers
 * enforce it and Mozilla Observatory scores it: scripts fall back from script-src-elem /
 * script-src-attr to script-src, then to default-src. Several policies in one value all apply,
 * so a gap counts only where every one of them has it.
 */
export function cspGaps(csp: string): string[] {
  const policies = cspPolicies(csp);
  if (policies.length === 0) return [CSP_MISSING];
  const [first, ...rest] = policies.map(policyGaps);
  return first.filter((gap) => rest.every((gaps) => gaps.includes(gap)));
}

/** Whether a CSP value keeps other sites from framing the page: a frame-ancestors without broad sources. */
export function cspBlocksFraming(csp: string): boolean {
  return cspPolicies(csp).some((policy) => {
    const ancestors = policy.get("frame-ancestors");
    return ancestors !== undefined && !ancestors.some((s) => BROAD_SOURCE.test(s));
  });
}

export const PERMISSIONS_UNPARSED = "Give Permissions-Policy a list of features browsers can parse, such as camera=(), microphone=(), geolocation=().";
export const PERMISSIONS_OPEN = "Grant camera, microphone and geolocation in Permissions-Policy only to named origins, never to every origin (*).";

const POWERFUL_FEATURES = ["camera", "microphone", "geolocation"];
const FEATURE = /^([a-z*][a-z0-9_.*-]*)(=(.*))?$/;

/**
 * What a Permissions-Policy value grants too widely. It is a structured-field dictionary:
 * a member browsers can't parse voids the whole header, and a repeated feature's last value wins.
 */
export function permissionsGaps(value: string): string[] {
  const members = value.split(",").map((member) => member.trim().toLowerCase());
  const allowlists = new Map<string, string[]>();
  for (const member of members) {
    const match = FEATURE.exec(member);
    if (!match) return [PERMISSIONS_UNPARSED];
    const list = (match[3] ?? "").split(";")[0].trim();
    allowlists.set(match[1], (list.startsWith("(") ? list.slice(1, list.lastIndexOf(")")) : list).split(/\s+/));
  }
  const open = POWERFUL_FEATURES.some((feature) => allowlists.get(feature)?.includes("*"));
  return open ? [PERMISSIONS_OPEN] : [];
}

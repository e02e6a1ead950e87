/**
 * The response headers Cloudflare would set, read from a plan snapshot's
 * `http_response_headers_transform` rulesets and applied the way the edge applies them: rule by
 * rule, in order, each enabled `rewrite` rule whose expression matches the request's host and
 * the origin's response. Only the expression forms paved writes are understood; any other
 * throws, so a new kind of rule can never be skipped unnoticed.
 */
import type { SnapshotResource } from "../../scripts/lib/snapshot";

export interface HeaderOperation { name: string; operation: "set" | "add" | "remove"; value?: string }
export interface EdgeRule { expression: string; headers: HeaderOperation[] }

/** What a rule's expression can see: the request's host and path, and the names of the origin's response headers. */
export interface EdgeRequest { host: string; path?: string; responseHeaderNames: string[] }

/** Cloudflare's `http.request.uri.path.extension`: the last segment's extension, lower-cased, without the dot. */
function extensionOf(path = "/"): string {
  const last = path.split("?")[0].split("/").pop() ?? "";
  const dot = last.lastIndexOf(".");
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : "";
}

/** The planned header-transform rules of a snapshot, in the order Cloudflare runs them. */
export function headerRules(resources: SnapshotResource[]): EdgeRule[] {
  const rulesets = resources.filter((r) => r.type === "cloudflare:index/ruleset:Ruleset" && r.inputs.phase === "http_response_headers_transform");
  return rulesets.flatMap((r) => (r.inputs.rules as Array<Record<string, unknown>>)
    .filter((rule) => rule.enabled !== false && rule.action === "rewrite")
    .map((rule) => ({
      expression: String(rule.expression),
      headers: Object.entries(((rule.actionParameters as Record<string, unknown>)?.headers ?? {}) as Record<string, Record<string, unknown>>)
        .map(([name, spec]) => {
          if (spec.expression !== undefined) throw new Error(`header ${name}: a dynamic value (${String(spec.expression)}) cannot be replayed offline`);
          return { name, operation: spec.operation as HeaderOperation["operation"], value: spec.value as string | undefined };
        }),
    })));
}

/** Evaluates one of the expressions paved writes; throws on anything else. */
export function matches(expression: string, request: EdgeRequest): boolean {
  const e = expression.trim();
  if (e === "true") return true;
  if (e.startsWith("(") && closes(e)) return matches(e.slice(1, -1), request);
  const and = splitTop(e, " and ");
  if (and.length > 1) return and.every((part) => matches(part, request));
  if (e.startsWith("not ")) return !matches(e.slice(4), request);
  const hostIn = /^http\.host in \{((?:\s*"[^"]+")+)\s*\}$/.exec(e);
  if (hostIn) return [...hostIn[1].matchAll(/"([^"]+)"/g)].some((m) => m[1] === request.host);
  const extIn = /^http\.request\.uri\.path\.extension in \{((?:\s*"[^"]+")+)\s*\}$/.exec(e);
  if (extIn) return [...extIn[1].matchAll(/"([^"]+)"/g)].some((m) => m[1] === extensionOf(request.path));
  const hostEq = /^http\.host eq "([^"]+)"$/.exec(e);
  if (hostEq) return hostEq[1] === request.host;
  const sent = /^any\(lower\(http\.response\.headers\.names\[\*\]\)\[\*\] == "([a-z0-9-]+)"\)$/.exec(e);
  if (sent) return request.responseHeaderNames.some((name) => name.toLowerCase() === sent[1]);
  throw new Error(`edge expression not understood: ${expression}`);
}

/** The origin's headers (lower-case names) after every matching rule has run. */
export function applyEdgeRules(rules: EdgeRule[], host: string, origin: Record<string, string>, path = "/"): Record<string, string> {
  const request = { host, path, responseHeaderNames: Object.keys(origin) };
  const out = { ...origin };
  for (const rule of rules) {
    if (!matches(rule.expression, request)) continue;
    for (const h of rule.headers) {
      const key = h.name.toLowerCase();
      if (h.operation === "remove") delete out[key];
      else if (h.operation === "set") out[key] = h.value ?? "";
      else out[key] = out[key] === undefined ? (h.value ?? "") : `${out[key]}, ${h.value ?? ""}`;
    }
  }
  return out;
}

function closes(e: string): boolean {
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")" && --depth === 0) return i === e.length - 1;
  }
  return false;
}

function splitTop(e: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "(" || e[i] === "{") depth++;
    else if (e[i] === ")" || e[i] === "}") depth--;
    else if (depth === 0 && e.startsWith(separator, i)) { parts.push(e.slice(start, i)); start = i + separator.length; }
  }
  parts.push(e.slice(start));
  return parts;
}

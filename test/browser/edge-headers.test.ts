import { describe, expect, it } from "vitest";
import { ORIGIN_SENT_NO_CSP } from "../../components/cdn";
import type { SnapshotResource } from "../../scripts/lib/snapshot";
import { applyEdgeRules, headerRules, matches } from "./edge-headers";

const ruleset = (rules: unknown[], phase = "http_response_headers_transform"): SnapshotResource => ({
  urn: "urn:x", type: "cloudflare:index/ruleset:Ruleset", name: "headers", parent: null, protect: false, retainOnDelete: false,
  dependencies: [], provider: null, inputs: { phase, rules },
});
const setting = (name: string, value: string) => ({ [name]: { operation: "set", value } });

describe("the browser test's replay of planned header rules", () => {
  const rules = headerRules([
    ruleset([{ action: "block", expression: "true", ratelimit: {} }], "http_ratelimit"),
    ruleset([
      { action: "rewrite", expression: "true", enabled: true, actionParameters: { headers: setting("X-Frame-Options", "DENY") } },
      { action: "rewrite", expression: ORIGIN_SENT_NO_CSP, enabled: true, actionParameters: { headers: setting("Content-Security-Policy", "script-src 'self'") } },
      { action: "rewrite", expression: "true", enabled: false, actionParameters: { headers: setting("X-Disabled", "1") } },
    ]),
  ]);

  it("reads only the enabled rewrite rules of the header-transform phase", () => {
    expect(rules.map((r) => r.expression)).toEqual(["true", ORIGIN_SENT_NO_CSP]);
  });

  it("sets the edge's CSP where the origin sends none", () => {
    expect(applyEdgeRules(rules, "app.example.com", { "content-type": "text/html" }))
      .toEqual({ "content-type": "text/html", "x-frame-options": "DENY", "content-security-policy": "script-src 'self'" });
  });

  it("lets an origin's CSP stand, whatever the case of its name", () => {
    expect(applyEdgeRules(rules, "app.example.com", { "Content-Security-Policy": "script-src 'nonce-a'" })["content-security-policy"]).toBeUndefined();
    expect(applyEdgeRules(rules, "app.example.com", { "content-security-policy": "script-src 'nonce-a'" })["content-security-policy"]).toBe("script-src 'nonce-a'");
  });

  it.each<[string, boolean]>([
    ['(http.host in {"app.example.com" "api.example.com"})', true],
    ['(not (http.host in {"app.example.com"}))', false],
    ['http.host eq "www.example.com"', false],
    ['(http.host eq "app.example.com") and not any(lower(http.response.headers.names[*])[*] == "x-a")', true],
  ])("evaluates %s", (expression, expected) => {
    expect(matches(expression, { host: "app.example.com", responseHeaderNames: [] })).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["/assets/index-4f2a.JS", true], ["/fonts/a.woff2?v=3", true], ["/", false], ["/index.html", false], ["/.well-known/x", false],
  ])("matches a static-asset extension rule against the path %s", (path, expected) => {
    expect(matches('(http.request.uri.path.extension in {"js" "css" "woff2"})', { host: "a", path, responseHeaderNames: [] })).toBe(expected);
  });

  it("refuses an expression it cannot evaluate rather than skip the rule", () => {
    expect(() => matches('starts_with(http.request.uri.path, "/x")', { host: "a", responseHeaderNames: [] }))
      .toThrow('edge expression not understood: starts_with(http.request.uri.path, "/x")');
  });

  it("refuses a header whose value is computed at the edge", () => {
    expect(() => headerRules([ruleset([{ action: "rewrite", expression: "true", actionParameters: { headers: { "X-A": { operation: "set", expression: "ip.src" } } } }])]))
      .toThrow("header X-A: a dynamic value (ip.src) cannot be replayed offline");
  });
});

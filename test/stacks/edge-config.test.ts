import { describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../stacks/config";
import { DEFAULT_CSP } from "../../stacks/sections/cdn";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const at = (path: string, value: unknown, base = PRODUCTION) => source(withValue(base, path, value));

describe("paved:cdn.headers.cspSource follows the front end's framework", () => {
  it("the edge writes the CSP for a Vite front end", () => {
    expect(loadEnvironmentConfig(source(PRODUCTION)).cdn?.zone?.headers).toMatchObject({ cspSource: "edge", contentSecurityPolicy: DEFAULT_CSP });
  });

  it("the origin's CSP stands for a Next.js front end", () => {
    expect(loadEnvironmentConfig(at("web.framework", "nextjs")).cdn?.zone?.headers.cspSource).toBe("origin");
  });

  it("rejects an edge CSP of script-src 'self' in front of Next.js", () => {
    expect(problems(at("cdn.headers", { cspSource: "edge" }, withValue(PRODUCTION, "web.framework", "nextjs")))).toEqual([
      "paved:cdn.headers.cspSource: got \"edge\"; expected origin for a nextjs front end, whose inline scripts the default script-src 'self' blocks (or a contentSecurityPolicy of your own that allows them)",
    ]);
  });

  it("accepts an edge CSP of the stack's own in front of Next.js", () => {
    const csp = "default-src 'self'; script-src 'self' 'sha256-abc'";
    const config = loadEnvironmentConfig(at("cdn.headers", { cspSource: "edge", contentSecurityPolicy: csp }, withValue(PRODUCTION, "web.framework", "nextjs")));
    expect(config.cdn?.zone?.headers).toMatchObject({ cspSource: "edge", contentSecurityPolicy: csp });
  });

  it("rejects an unknown source", () => {
    expect(problems(at("cdn.headers", { cspSource: "vercel" }))).toEqual(['paved:cdn.headers.cspSource: got "vercel"; expected edge or origin']);
  });
});

describe("stacks without a custom domain or Cloudflare", () => {
  const platformOnly = withValue(withValue(withValue(PRODUCTION, "domain", undefined), "cdn", undefined), "monitors", undefined);

  it("serve the web on the project's .vercel.app name", () => {
    const config = loadEnvironmentConfig(source(platformOnly));
    expect(config.domain).toBeUndefined();
    expect(config.cdn).toBeUndefined();
    expect(config.web).toMatchObject({ domain: undefined, redirects: [], projectName: "planningos-production" });
  });

  it("still need a domain for Cloudflare", () => {
    expect(problems(source(withValue(PRODUCTION, "domain", undefined)))).toEqual([
      "paved:domain: missing; expected the zone's apex domain, such as example.com (a stack without one leaves out paved:cdn)",
    ]);
  });

  it("never own a zone with no hostnames of their own (its rate limit would fall on other stacks' hosts)", () => {
    const noHosts = withValue(PRODUCTION, "web", undefined);
    expect(problems(source(noHosts))).toEqual([
      "paved:cdn.ownsZone: true in a stack with no hostnames of its own; expected web.domain or api.hostname (its zone-wide rate limit would fall only on other stacks' hosts), or ownsZone: false",
    ]);
    expect(loadEnvironmentConfig(source(withValue(noHosts, "cdn.ownsZone", false))).cdn?.zone).toBeUndefined();
  });
});

describe("paved:web.redirects: more hosts for the same site", () => {
  it("redirect to web.domain", () => {
    const config = loadEnvironmentConfig(at("web", { ...(PRODUCTION.web as object), domain: "planningos.com", redirects: ["www.planningos.com"] }));
    expect(config.web).toMatchObject({ domain: "planningos.com", redirects: ["www.planningos.com"] });
  });

  it.each<[unknown, string[]]>([
    [{ redirects: ["app.planningos.com"] }, ['paved:web.redirects[0]: got "app.planningos.com", which is web.domain itself; expected other hosts only']],
    [{ redirects: ["www.planningos.com", "www.planningos.com"] }, ['paved:web.redirects[1]: got "www.planningos.com" twice; expected each host once']],
    [{ redirects: ["www.example.org"] }, ['paved:web.redirects[0]: got "www.example.org"; expected a host inside the zone planningos.com']],
    [{ redirects: ["WWW"] }, ['paved:web.redirects[0]: got "WWW"; expected a lowercase DNS name such as app.example.com']],
  ])("reject %j", (patch, expected) => {
    expect(problems(at("web", { ...(PRODUCTION.web as object), ...(patch as object) }))).toEqual(expected);
  });

  it("need a custom domain to redirect to", () => {
    const platformOnly = withValue(withValue(withValue(PRODUCTION, "domain", undefined), "cdn", undefined), "monitors", undefined);
    expect(problems(at("web.redirects", ["www.planningos.com"], platformOnly))).toEqual([
      "paved:web.redirects: set without a custom domain; expected paved:web.domain (or paved:domain) for them to redirect to",
    ]);
  });
});

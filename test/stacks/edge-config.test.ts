import { resolve as resolvePath } from "node:path";
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
    const OWNS = "paved:cdn.ownsZone: true in a stack with no hostnames of its own; expected web.domain or api.hostname (its zone-wide rate limit would fall only on other stacks' hosts), or ownsZone: false";
    // With no host there is nothing to watch either, so the alert email and the pager are unused too.
    expect(problems(source(noHosts))).toEqual([
      "paved:monitors.alerts.email: no alert is routed to email; expected it in the route of a tier that fires (none) or removed",
      "paved:monitors.alerts.pagerduty: no alert is routed to pagerduty; expected it in the route of a tier that fires (none) or removed",
      OWNS,
    ]);
    expect(problems(source(withValue(noHosts, "cdn.ownsZone", false)))).not.toContain(OWNS);
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

describe("paved:web.host docker", () => {
  const LIFEOS = {
    ...withValue(PRODUCTION, "web", { host: "docker", framework: "vite", docker: { root: "/srv/web", address: "203.0.113.10" } }),
    api: { host: "docker", image: { digest: `ghcr.io/lifeos/api@sha256:${"a".repeat(64)}` }, docker: { host: "ssh://deploy@lifeos.example.net", address: "203.0.113.10" } },
  };

  it("resolves the container, its engine and the edge's headers with HSTS", () => {
    const web = loadEnvironmentConfig(source(LIFEOS)).web!;
    expect(web).toMatchObject({ host: "docker", domain: "app.planningos.com", docker: { root: "/srv/web", memoryMb: 128, publishPort: 8081, address: "203.0.113.10", containerName: "planningos-web-production" } });
    expect(web.docker!.headers).toMatchObject({ "Content-Security-Policy": DEFAULT_CSP, "X-Content-Type-Options": "nosniff", "Strict-Transport-Security": "max-age=31536000; includeSubDomains" });
  });

  it("is the local stack's web, on the developer's build, without HSTS", () => {
    const local = { kind: "local", repository: "planningos/planningos", secrets: { rotation: "local" }, web: { host: "docker", framework: "vite", docker: { root: "apps/web/dist" } } };
    const web = loadEnvironmentConfig(source(local, { stack: "local" })).web!;
    expect(web.docker!.root).toBe(resolvePath(__dirname, "../../apps/web/dist"));
    expect(web.domain).toBeUndefined();
    expect(web.docker!.headers["Strict-Transport-Security"]).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["no root", withValue(LIFEOS, "web.docker.root", undefined), ["paved:web.docker: has neither root nor image; expected root (the path of a static build on the Docker host, such as /srv/app/web) or image (the front end's server, pinned by digest, such as ghcr.io/owner/web@sha256:<64 hex>)"]],
    ["a Next.js build", withValue(LIFEOS, "web.framework", "nextjs"), ["paved:web.framework: got \"nextjs\" for web.docker.root; expected a front end whose build loads only its own script files, such as vite (nginx serves the build with script-src 'self'), or web.docker.image to run the front end's own server"]],
    ["plain variables", withValue(LIFEOS, "web.env", { VITE_X: "1" }), ["paved:web.env: set while web.host is docker; expected it left out (a static build reads its variables when it is built)"]],
    ["a second engine", withValue(LIFEOS, "web.docker.host", "ssh://deploy@other.example.net"), ['paved:web.docker.host: got "ssh://deploy@other.example.net"; expected the API\'s Docker host "ssh://deploy@lifeos.example.net" (one engine per stack), or leave it out']],
    ["no engine at all", withValue(LIFEOS, "api", undefined), ["paved:web.docker.host: missing; expected the server's Docker host, such as ssh://deploy@host"]],
    ["the API's port", withValue(withValue(LIFEOS, "web.docker.publishPort", 8080), "api.docker.publishPort", 8080), ["paved:web.docker.publishPort: got 8080, the API's port too; expected a port of its own"]],
    ["no address for a routed host", withValue(LIFEOS, "web.docker.address", undefined), ["paved:web.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of app.planningos.com"]],
    ["a bad address", withValue(LIFEOS, "web.docker.address", "lifeos.example.net"), ['paved:web.docker.address: got "lifeos.example.net"; expected an IPv4 or IPv6 address such as 203.0.113.10']],
    ["Vercel without a team", withValue(PRODUCTION, "web.teamId", undefined), ["paved:web.teamId: missing; expected a Vercel team id such as team_abc123 (or web.host: docker)"]],
  ])("rejects %s", (_label, file, expected) => {
    expect(problems(source(file))).toEqual(expected);
  });
});

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

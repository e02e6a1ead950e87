import { describe, expect, it } from "vitest";
import type { WebHostArgs } from "../../components/web";
import { capture, resolve } from "../harness";

const ARGS: WebHostArgs = {
  teamId: "team_plannior", projectName: "plannior-production", framework: "nextjs",
  repository: "plannior/plannior", branch: "main", domain: "plannior.com",
};

async function build(args: Partial<WebHostArgs> = {}) {
  return capture(async () => {
    const { WebHost } = await import("../../components/web");
    return new WebHost("production-web", { ...ARGS, ...args });
  });
}

describe("WebHost domains", () => {
  it("adds each redirecting host as a 308 to the canonical domain", async () => {
    const run = await build({ redirects: ["www.plannior.com"] });
    const host = run.one("paved:web:WebHost");
    const redirect = run.one("vercel:index/projectDomain:ProjectDomain", "production-web-redirect-www-plannior-com");
    expect(redirect.parent).toBe(host.urn);
    expect(redirect.inputs).toMatchObject({ domain: "www.plannior.com", redirect: "plannior.com", redirectStatusCode: 308, teamId: "team_plannior" });
    expect(run.value.redirects).toEqual(["www.plannior.com"]);
    expect((await resolve(run.value.url)).value).toBe("https://plannior.com");
  });

  it("without a custom domain, claims the project's .vercel.app name and serves from it", async () => {
    const run = await build({ domain: undefined });
    expect(run.one("vercel:index/projectDomain:ProjectDomain").inputs).toMatchObject({ domain: "plannior-production.vercel.app" });
    expect(run.value.domain).toBe("plannior-production.vercel.app");
    expect((await resolve(run.value.url)).value).toBe("https://plannior-production.vercel.app");
  });

  it.each<[Partial<WebHostArgs>, string]>([
    [{ domain: undefined, redirects: ["www.plannior.com"] }, 'WebHost "production-web": redirects are set without domain; expected a custom domain to redirect to'],
    [{ redirects: ["plannior.com"] }, 'WebHost "production-web": plannior.com is both domain and a redirect; expected it once'],
    [{ redirects: ["www"] }, 'WebHost "production-web": domain is "www"; expected a hostname such as app.example.com'],
  ])("rejects bad domains (%#)", async (patch, message) => {
    await expect(build(patch)).rejects.toThrow(message);
  });
});

import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import type { WebHostArgs } from "../../components/web";
import { nginxConfig } from "../../components/web-docker";
import { capture, resolve } from "../harness";

const HEADERS = { "Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY" };

async function build(patch: Partial<WebHostArgs> = {}, dockerPatch: object = {}) {
  return capture(async () => {
    const { WebHost } = await import("../../components/web");
    const provider = new docker.Provider("engine", {});
    return new WebHost("local-web", {
      host: "docker", teamId: "", projectName: "planningos-local", framework: "vite", repository: "", branch: "main",
      docker: { containerName: "planningos-web-local", root: "/srv/web", memoryMb: 128, publishPort: 8081, headers: HEADERS, provider, ...dockerPatch },
      ...patch,
    });
  });
}

describe("WebHost on a Docker host", () => {
  it("runs nginx over the built files on the stack's engine, loopback only, and serves from that port", async () => {
    const run = await build();
    const container = run.one("docker:index/container:Container");
    expect(container.parent).toBe(run.one("paved:web:WebHost").urn);
    expect(container.provider).toContain(run.one("pulumi:providers:docker").urn);
    expect(container.inputs).toMatchObject({ name: "planningos-web-local", restart: "unless-stopped", memory: 128, ports: [{ internal: 8080, external: 8081, ip: "127.0.0.1" }] });
    expect(run.all("vercel:index/project:Project")).toEqual([]);
    expect((await resolve(run.value.url)).value).toBe("http://127.0.0.1:8081");
  });

  it("serves https on its custom domain", async () => {
    const run = await build({ domain: "app.lifeos.app" });
    expect((await resolve(run.value.url)).value).toBe("https://app.lifeos.app");
    expect(run.value.domain).toBe("app.lifeos.app");
  });

  it.each<[Partial<WebHostArgs>, object, string]>([
    [{ env: { VITE_X: "1" } }, {}, 'WebHost "local-web": VITE_X given for host docker; expected them in the front end\'s build, which reads its variables when it is built'],
    [{}, { root: "dist" }, 'WebHost "local-web": docker.root is "dist"; expected an absolute path on the Docker host'],
    [{ domain: "app.lifeos.app", redirects: ["www.lifeos.app"] }, {}, 'WebHost "local-web": redirects are set for host docker; expected them on the server\'s reverse proxy'],
  ])("rejects bad args (%#)", async (patch, dockerPatch, message) => {
    await expect(build(patch, dockerPatch)).rejects.toThrow(message);
  });
});

describe("nginxConfig", () => {
  const conf = nginxConfig({ ...HEADERS, "X-Odd": 'a "quoted" \\ value' });
  it("sets every header on every answer, errors included, and again where assets set caching", () => {
    expect(conf.match(/add_header Content-Security-Policy "default-src 'self'" always;/g)).toHaveLength(2);
    expect(conf).toContain('add_header X-Odd "a \\"quoted\\" \\\\ value" always;');
  });
  it("answers its health path and falls back to index.html for the SPA's routes", () => {
    expect(conf).toContain('location = /healthz { access_log off; default_type text/plain; return 200 "ok"; }');
    expect(conf).toContain("location / { try_files $uri $uri/ /index.html; }");
    expect(conf).toContain("listen 8080;");
  });
});

describe("addressRecord", () => {
  it("is an A record for IPv4 and AAAA for IPv6", async () => {
    const { addressRecord } = await import("../../components/api-hosts");
    expect(addressRecord("203.0.113.10").type).toBe("A");
    expect(addressRecord("2001:db8::10").type).toBe("AAAA");
  });
});

import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import type { DockerWebAppArgs, WebHostArgs } from "../../components/web";
import { nginxConfig, nginxProxyConfig } from "../../components/web-docker";
import { capture, resolve, Secret } from "../harness";

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

const DIGEST = `ghcr.io/plannior/web@sha256:${"b".repeat(64)}`;
const APP: DockerWebAppArgs = { image: DIGEST, port: 3000, healthPath: "/", user: "1001:1001", readOnly: true, tmpfs: ["/tmp", "/app/.next/cache"], cspFromApp: true };
const SERVER_HEADERS = { ...HEADERS, "Strict-Transport-Security": "max-age=31536000; includeSubDomains" };

/** A Next.js server behind nginx, optionally on the API's network. */
async function buildApp(patch: Partial<WebHostArgs> = {}, dockerPatch: object = {}) {
  return capture(async () => {
    const { WebHost } = await import("../../components/web");
    const provider = new docker.Provider("engine", {});
    return new WebHost("production-web", {
      host: "docker", teamId: "", projectName: "plannior-production", framework: "nextjs", repository: "", branch: "main", domain: "app.plannior.com",
      docker: { containerName: "plannior-web-production", app: APP, memoryMb: 512, cpus: 1, publishPort: 8081, headers: SERVER_HEADERS, provider, ...dockerPatch },
      env: { NEXT_PUBLIC_API_URL: "https://api.plannior.com" },
      secretEnv: { AUTH_SECRET: pulumi.secret("s3cr3t-value") },
      ...patch,
    });
  });
}

describe("WebHost in front of a front end's own server on Docker", () => {
  const container = (run: Awaited<ReturnType<typeof buildApp>>, name: string) =>
    run.all("docker:index/container:Container").find((c) => c.name === name)!;

  it("runs the app pinned by digest, non-root, on a read-only root with tmpfs where Next.js writes, limited, and publishes no port", async () => {
    const run = await buildApp();
    const app = container(run, "production-web-app");
    expect(app.parent).toBe(run.one("paved:web:WebHost").urn);
    expect(app.provider).toContain(run.one("pulumi:providers:docker").urn);
    expect(app.inputs).toMatchObject({
      name: "plannior-web-production-app", image: DIGEST, user: "1001:1001", readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m", "/app/.next/cache": "rw,noexec,nosuid,size=64m" },
      capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"],
      restart: "unless-stopped", memory: 512, cpus: "1",
      logDriver: "json-file", logOpts: { "max-size": "10m", "max-file": "5" },
    });
    expect(app.inputs.ports).toBeUndefined();
    expect(app.inputs.healthcheck).toEqual({
      tests: ["CMD", "node", "-e", 'fetch("http://127.0.0.1:3000/",{redirect:"manual"}).then((r)=>process.exit(r.status<400?0:1),()=>process.exit(1))'],
      interval: "30s", timeout: "5s", retries: 3, startPeriod: "20s",
    });
  });

  it("puts the app and nginx on a private network of their own, nginx alone published on loopback", async () => {
    const run = await buildApp();
    const network = run.one("docker:index/network:Network");
    expect(network).toMatchObject({ name: "production-web-network", parent: run.one("paved:web:WebHost").urn });
    expect(network.inputs).toMatchObject({ name: "plannior-web-production-private", driver: "bridge" });
    expect(container(run, "production-web-app").inputs.networksAdvanced).toEqual([{ name: "plannior-web-production-private", aliases: ["app"] }]);
    const nginx = container(run, "production-web-container");
    expect(nginx.inputs).toMatchObject({
      name: "plannior-web-production", image: "nginxinc/nginx-unprivileged:1.27-alpine", restart: "unless-stopped", memory: 128, cpus: "0.5",
      networksAdvanced: [{ name: "plannior-web-production-private" }],
      ports: [{ internal: 8080, external: 8081, ip: "127.0.0.1" }],
      healthcheck: { tests: ["CMD-SHELL", "wget -qO- http://127.0.0.1:8080/healthz || exit 1"] },
    });
    expect(nginx.inputs.volumes).toBeUndefined();
    expect((await resolve(run.value.url)).value).toBe("https://app.plannior.com");
  });

  it("joins the API's network too when the stack has one, to reach it as http://api:<port>", async () => {
    const run = await buildApp({}, { network: "production-private" });
    expect(container(run, "production-web-app").inputs.networksAdvanced).toEqual([
      { name: "plannior-web-production-private", aliases: ["app"] }, { name: "production-private" },
    ]);
  });

  it("proxies every request to the app, and leaves the CSP to a front end that sends its own", async () => {
    const run = await buildApp();
    const [upload] = container(run, "production-web-container").inputs.uploads as Array<{ file: string; content: string }>;
    expect(upload.file).toBe("/etc/nginx/conf.d/default.conf");
    expect(upload.content).toBe(nginxProxyConfig(SERVER_HEADERS, { host: "app", port: 3000, cspFromApp: true }));
    expect(upload.content).toContain("set $paved_app http://app:3000;\n    proxy_pass $paved_app;");
  });

  it("hands the app its variables, where it listens, and its secrets as secrets", async () => {
    const run = await buildApp();
    const envs = container(run, "production-web-app").inputs.envs as unknown[];
    expect(envs.filter((e) => typeof e === "string")).toEqual(["HOST=0.0.0.0", "HOSTNAME=0.0.0.0", "NEXT_PUBLIC_API_URL=https://api.plannior.com", "PORT=3000"]);
    const secrets = envs.filter((e): e is Secret => e instanceof Secret);
    expect(secrets.map((s) => s.value)).toEqual(["AUTH_SECRET=s3cr3t-value"]);
    expect(envs).toHaveLength(5);
  });

  it("keeps a secret secret even when it is passed as a plain string", async () => {
    const run = await buildApp({ secretEnv: { AUTH_SECRET: "plain-in-code" } });
    const envs = container(run, "production-web-app").inputs.envs as unknown[];
    expect(envs.some((e) => typeof e === "string" && e.includes("plain-in-code"))).toBe(false);
    expect(envs.filter((e) => e instanceof Secret)).toHaveLength(1);
  });

  it.each<[Partial<WebHostArgs>, object, string]>([
    [{}, { root: "/srv/web" }, 'WebHost "production-web": docker.root and docker.app are both set; expected one (a static build, or the front end\'s own server)'],
    [{}, { app: undefined }, 'WebHost "production-web": docker has neither root nor app; expected one (a static build, or the front end\'s own server)'],
    [{ env: { PORT: "80" } }, {}, 'WebHost "production-web": PORT given for docker.app; expected them left out (the app listens on docker.app.port)'],
    [{ env: { AUTH_SECRET: "x" } }, {}, 'WebHost "production-web": AUTH_SECRET in both env and secretEnv; expected each variable once'],
  ])("rejects bad args (%#)", async (patch, dockerPatch, message) => {
    await expect(buildApp(patch, dockerPatch)).rejects.toThrow(message);
  });
});

describe("nginxProxyConfig", () => {
  const headers = { "Content-Security-Policy": "default-src 'self'; script-src 'self'", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff" };

  it("sets the headers the edge sets on every answer, in place of the app's, and hides what the app runs on", () => {
    const conf = nginxProxyConfig(headers, { host: "app", port: 3000, cspFromApp: false });
    for (const [name, value] of Object.entries(headers)) {
      expect(conf).toContain(`  proxy_hide_header ${name};\n`);
      expect(conf).toContain(`  add_header ${name} "${value}" always;\n`);
    }
    expect(conf).toContain("  proxy_hide_header X-Powered-By;\n");
    expect(conf).not.toContain("$upstream_http_content_security_policy");
  });

  it("adds no CSP of its own where a front end sends its nonce CSP, and the edge's where it sent none", () => {
    const conf = nginxProxyConfig(headers, { host: "app", port: 3000, cspFromApp: true });
    expect(conf).not.toContain('add_header Content-Security-Policy "');
    expect(conf).not.toContain("proxy_hide_header Content-Security-Policy;");
    expect(conf).toContain('map $upstream_http_content_security_policy $paved_csp {\n  "" "default-src \'self\'; script-src \'self\'";\n  default "";\n}');
    expect(conf).toContain("  add_header Content-Security-Policy $paved_csp always;\n");
    expect(conf).toContain('  add_header X-Frame-Options "DENY" always;\n');
  });

  it("finds the app again by name after it is replaced, and tells it the scheme the client asked for", () => {
    const conf = nginxProxyConfig(headers, { host: "app", port: 4321, cspFromApp: false });
    expect(conf).toContain("  resolver 127.0.0.11 valid=10s;\n");
    expect(conf).toContain("    set $paved_app http://app:4321;\n    proxy_pass $paved_app;\n");
    expect(conf).toContain("    proxy_set_header Host $host;\n");
    expect(conf).toContain("    proxy_set_header X-Forwarded-Proto $paved_forwarded_proto;\n");
    expect(conf).toContain('map $http_x_forwarded_proto $paved_forwarded_proto {\n  "" $scheme;\n  default $http_x_forwarded_proto;\n}');
    expect(conf).toContain('  location = /healthz { access_log off; default_type text/plain; return 200 "ok"; }');
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

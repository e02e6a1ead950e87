/** paved:web.docker.image: a server-rendered front end on the Docker host, behind nginx. */
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { loadEnvironmentConfig } from "../../stacks/config";
import { Secret, UNKNOWN } from "../harness";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const IMAGE = `ghcr.io/lifeos/web@sha256:${"c".repeat(64)}`;
const SERVER = {
  ...withValue(PRODUCTION, "web", { host: "docker", framework: "nextjs", docker: { image: IMAGE, address: "203.0.113.10" } }),
  api: { host: "docker", image: { digest: `ghcr.io/lifeos/api@sha256:${"a".repeat(64)}` }, docker: { host: "ssh://deploy@lifeos.example.net", address: "203.0.113.10" } },
};
const NONE = "paved:web.docker: has neither root nor image; expected root (the path of a static build on the Docker host, such as /srv/app/web) or image (the front end's server, pinned by digest, such as ghcr.io/owner/web@sha256:<64 hex>)";
const rootOnly = (key: string) => `paved:web.docker.${key}: set with web.docker.root; expected it only with web.docker.image (nginx serves a static build itself)`;

describe("paved:web.docker.image", () => {
  it("runs a Next.js server with the defaults, nginx leaving the CSP to it", () => {
    const web = loadEnvironmentConfig(source(SERVER)).web!;
    expect(web.docker).toMatchObject({ memoryMb: 512, cpus: 1, publishPort: 8081, containerName: "planningos-web-production" });
    expect(web.docker!.root).toBeUndefined();
    expect(web.docker!.app).toEqual({
      image: IMAGE, port: 3000, healthPath: "/", user: "1001:1001", readOnly: true, tmpfs: ["/tmp", "/app/.next/cache"], cspFromApp: true,
    });
  });

  it("takes the stack file's port, health path, user, root filesystem and writable paths", () => {
    const docker = { image: IMAGE, address: "203.0.113.10", port: 4000, healthPath: "/api/health", user: "1000", readOnly: false, tmpfs: ["/tmp", "/app/cache"], memoryMb: 1024, cpus: 2 };
    const web = loadEnvironmentConfig(source(withValue(SERVER, "web.docker", docker))).web!;
    expect(web.docker).toMatchObject({ memoryMb: 1024, cpus: 2 });
    expect(web.docker!.app).toMatchObject({ port: 4000, healthPath: "/api/health", user: "1000", readOnly: false, tmpfs: ["/tmp", "/app/cache"] });
  });

  it("sets the CSP in nginx for a front end that sends none, and where the zone owner writes one that allows the app's scripts", () => {
    expect(loadEnvironmentConfig(source(withValue(SERVER, "web.framework", "vite"))).web!.docker!.app).toMatchObject({ cspFromApp: false, tmpfs: ["/tmp"] });
    const csp = "default-src 'self'; script-src 'self' 'unsafe-inline'";
    const edge = withValue(SERVER, "cdn.headers", { cspSource: "edge", contentSecurityPolicy: csp });
    const web = loadEnvironmentConfig(source(edge)).web!;
    expect(web.docker!.app!.cspFromApp).toBe(false);
    expect(web.docker!.headers["Content-Security-Policy"]).toBe(csp);
  });

  it("hands the app plain variables and secrets, which a static build refuses", () => {
    const file = withValue(withValue(SERVER, "web.env", { NEXT_PUBLIC_FLAG: "on" }), "web.secretEnv", ["JWT_SECRET"]);
    expect(loadEnvironmentConfig(source(file)).web).toMatchObject({ env: { NEXT_PUBLIC_FLAG: "on" }, secretEnv: ["JWT_SECRET"] });
  });

  const STATIC = withValue(withValue(SERVER, "web.framework", "vite"), "web.docker", { root: "/srv/web", address: "203.0.113.10" });
  it.each<[string, Record<string, unknown>, string[]]>([
    ["both root and image", withValue(SERVER, "web.docker.root", "/srv/web"), [
      `paved:web.docker: got both root "/srv/web" and image "${IMAGE}"; expected exactly one (root for a static build nginx serves, image for the front end's own server)`,
    ]],
    ["neither root nor image", withValue(SERVER, "web.docker.image", undefined), [NONE]],
    ["no docker settings at all", withValue(SERVER, "web.docker", undefined), [NONE, "paved:web.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of app.planningos.com"]],
    ["an image by tag", withValue(SERVER, "web.docker.image", "ghcr.io/lifeos/web:latest"), [
      'paved:web.docker.image: got "ghcr.io/lifeos/web:latest"; expected an image reference pinned by digest, such as ghcr.io/owner/web@sha256:<64 hex>',
    ]],
    ["root as the user", withValue(SERVER, "web.docker.user", "0:0"), ['paved:web.docker.user: got "0:0"; expected a non-root user id such as 1001 or 1001:1001']],
    ["a user by name", withValue(SERVER, "web.docker.user", "root"), ['paved:web.docker.user: got "root"; expected a non-root user id such as 1001 or 1001:1001']],
    ["a relative writable path", withValue(SERVER, "web.docker.tmpfs", ["tmp"]), ['paved:web.docker.tmpfs[0]: got "tmp"; expected an absolute path inside the container, such as /app/.next/cache']],
    ["a health path that is no path", withValue(SERVER, "web.docker.healthPath", "health"), ['paved:web.docker.healthPath: got "health"; expected a URL path such as /health']],
    ["a port out of range", withValue(SERVER, "web.docker.port", 70_000), ["paved:web.docker.port: got 70000; expected a TCP port: a whole number from 1 to 65535"]],
    ["PORT in env", withValue(SERVER, "web.env", { PORT: "80" }), ["paved:web.env.PORT: set by paved itself (the app listens on web.docker.port); expected it left out"]],
    ["HOSTNAME in env", withValue(SERVER, "web.env", { HOSTNAME: "localhost" }), ["paved:web.env.HOSTNAME: set by paved itself (the app listens on web.docker.port); expected it left out"]],
    ["a secret in plain env", withValue(SERVER, "web.env", { AUTH_SECRET: "x" }), ["paved:web.env.AUTH_SECRET: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:web.secretEnv"]],
    ["an unknown secret", withValue(SERVER, "web.secretEnv", ["AUTH_SECRET"]), ['paved:web.secretEnv[0]: got a string (not shown: this field names a secret); expected a secret that paved:secrets generates or reads (fromConfig)']],
    ["redirects", withValue(SERVER, "web.redirects", ["www.planningos.com"]), ["paved:web.redirects: set while web.host is docker; expected it left out (the server's reverse proxy redirects)"]],
    ["secrets for a static build", withValue(STATIC, "web.secretEnv", ["JWT_SECRET"]), ["paved:web.secretEnv: set while web.host is docker; expected it left out (a static build would hand secrets to every browser)"]],
    ["the server's keys with a static build", withValue(withValue(STATIC, "web.docker.port", 3000), "web.docker.tmpfs", ["/tmp"]), [rootOnly("port"), rootOnly("tmpfs")]],
    ["a Next.js static build", withValue(STATIC, "web.framework", "nextjs"), [
      "paved:web.framework: got \"nextjs\" for web.docker.root; expected a front end whose build loads only its own script files, such as vite (nginx serves the build with script-src 'self'), or web.docker.image to run the front end's own server",
    ]],
  ])("rejects %s", (_label, file, expected) => {
    expect(problems(source(file))).toEqual(expected);
  });
});

/** Life-OS with its front end as a Next.js server: the API on the same host, a secret and a plain variable for the app. */
describe("Life-OS with a server-rendered front end", () => {
  let plan: PlanResult;
  beforeAll(async () => {
    const { planStack } = await import("../../scripts/lib/plan");
    const { source: file } = readStackFile("examples/Pulumi.lifeos-production.yaml", resolve(__dirname, "../.."), "production");
    const web = JSON.parse(file.values["paved:web"]);
    const secrets = JSON.parse(file.values["paved:secrets"]);
    plan = await planStack({ ...file, values: {
      ...file.values,
      "paved:web": JSON.stringify({ ...web, framework: "nextjs", env: { NEXT_PUBLIC_FLAG: "on" }, secretEnv: ["SESSION_SECRET"],
        docker: { image: IMAGE, publishPort: web.docker.publishPort, address: web.docker.address } }),
      "paved:secrets": JSON.stringify({ ...secrets, generate: { ...secrets.generate, SESSION_SECRET: { length: 48 } } }),
    } });
  });
  const container = (name: string) => plan.resources.find((r) => r.type === "docker:index/container:Container" && r.name === name)!;

  it("runs the app beside nginx, on the web's network and the API's, publishing no port of its own", () => {
    const app = container("production-web-app");
    expect(app.parent).toBe(plan.resources.find((r) => r.type === "paved:web:WebHost")!.urn);
    expect(app.inputs).toMatchObject({
      name: "lifeos-web-production-app", image: IMAGE, user: "1001:1001", readOnly: true, memory: 512, cpus: "1",
      networksAdvanced: [{ name: "lifeos-web-production-private", aliases: ["app"] }, { name: "production-private" }],
    });
    expect(app.inputs.ports).toBeUndefined();
    expect(container("production-web-container").inputs).toMatchObject({
      networksAdvanced: [{ name: "lifeos-web-production-private" }], ports: [{ internal: 8080, external: 8081, ip: "127.0.0.1" }],
    });
  });

  it("gives the app the API's public URL and its own variables in plain text, and its secrets only as secrets", () => {
    const envs = container("production-web-app").inputs.envs as unknown[];
    expect(envs.filter((e) => typeof e === "string")).toEqual([
      "HOST=0.0.0.0", "HOSTNAME=0.0.0.0", "NEXT_PUBLIC_API_URL=https://os-api.fcy.sh", "NEXT_PUBLIC_FLAG=on", "PORT=3000",
    ]);
    // SESSION_SECRET and the web's Sentry DSN, known at deploy time: secret or unknown, never plain text here.
    expect(envs.filter((e) => e instanceof Secret || e === UNKNOWN)).toHaveLength(2);
    expect(container("production-web-app").inputs.labels).toEqual([{ label: "paved.secret-env", value: "NEXT_PUBLIC_SENTRY_DSN,SESSION_SECRET" }]);
  });

  it("lets the app's nonce CSP stand in nginx and at the edge", () => {
    const [upload] = container("production-web-container").inputs.uploads as Array<{ content: string }>;
    expect(upload.content).toContain("  add_header Content-Security-Policy $paved_csp always;\n");
    expect(upload.content).not.toContain('add_header Content-Security-Policy "');
    const edge = plan.resources.find((r) => r.type === "cloudflare:index/ruleset:Ruleset" && r.inputs.phase === "http_response_headers_transform")!;
    expect((edge.inputs.rules as Array<{ description: string }>)[1].description).toBe("Content-Security-Policy where the origin sends none");
  });
});

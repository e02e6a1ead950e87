/**
 * The proxy config as nginx itself runs it, in front of a stand-in app on loopback: where the
 * app's CSP stands, where nginx's fills in, which of the app's headers nginx replaces. Runs where
 * an nginx binary is installed (NGINX, or /usr/sbin/nginx); skipped elsewhere.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nginxProxyConfig } from "../../components/web-nginx";

const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";
const HEADERS = {
  "Content-Security-Policy": "default-src 'self'; script-src 'self'", "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff", "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
};
const NONCE_CSP = "script-src 'nonce-abc' 'strict-dynamic'";

/** Answers like a Next.js server: its own CSP on /page only, a weaker frame policy everywhere. */
function startApp(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/page")) res.setHeader("Content-Security-Policy", NONCE_CSP);
    res.setHeader("X-Frame-Options", "SAMEORIGIN");
    res.setHeader("X-Powered-By", "Next.js");
    res.end(JSON.stringify({ url: req.url, proto: req.headers["x-forwarded-proto"] }));
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = http.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address() as AddressInfo; s.close(() => r(port)); });
  });
}

/** nginx with the site config paved uploads, the app's address and a free port put in for the container's. */
async function startNginx(appPort: number, cspFromApp: boolean): Promise<{ port: number; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), "paved-nginx-"));
  const port = await freePort();
  // The container's Docker DNS and network alias become the stand-in's loopback address.
  const site = nginxProxyConfig(HEADERS, { host: "127.0.0.1", port: appPort, cspFromApp })
    .replace("listen 8080;", `listen 127.0.0.1:${port};`).replace(/ {2}resolver .*\n/, "");
  writeFileSync(join(dir, "site.conf"), site);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${join(dir, t)};`).join(" ");
  writeFileSync(join(dir, "nginx.conf"),
    `daemon off; pid ${join(dir, "nginx.pid")}; error_log ${join(dir, "error.log")}; events {} http { access_log off; ${temp} include ${join(dir, "site.conf")}; }`);
  execFileSync(NGINX, ["-t", "-q", "-c", join(dir, "nginx.conf")]);
  const child = spawn(NGINX, ["-c", join(dir, "nginx.conf")], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    try { await fetch(`http://127.0.0.1:${port}/healthz`); return { port, child }; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill();
  throw new Error(`nginx did not answer on 127.0.0.1:${port}`);
}

describe.skipIf(!existsSync(NGINX))("nginx in front of a front end's server", () => {
  let app: http.Server;
  const proxies: Record<"own" | "edge", { port: number; child: ChildProcess }> = {} as never;
  beforeAll(async () => {
    app = await startApp();
    const appPort = (app.address() as AddressInfo).port;
    proxies.own = await startNginx(appPort, true);
    proxies.edge = await startNginx(appPort, false);
  });
  afterAll(() => {
    for (const { child } of Object.values(proxies)) child.kill();
    app?.close();
  });
  const get = (which: "own" | "edge", path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${proxies[which].port}${path}`, { headers });

  it("lets the app's nonce CSP stand, and sets the edge's only on answers without one", async () => {
    expect((await get("own", "/page")).headers.get("content-security-policy")).toBe(NONCE_CSP);
    expect((await get("own", "/api/data")).headers.get("content-security-policy")).toBe(HEADERS["Content-Security-Policy"]);
  });

  it("sets its own CSP on every answer for a front end that sends none of its own", async () => {
    expect((await get("edge", "/page")).headers.get("content-security-policy")).toBe(HEADERS["Content-Security-Policy"]);
  });

  it("replaces the app's other security headers with the edge's and hides what the app runs on", async () => {
    const res = await get("own", "/page");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toBe(HEADERS["Strict-Transport-Security"]);
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("passes the path and query through, with the scheme the reverse proxy in front was asked for", async () => {
    expect(await (await get("own", "/page/2?q=1", { "X-Forwarded-Proto": "https" })).json()).toEqual({ url: "/page/2?q=1", proto: "https" });
    expect(await (await get("own", "/")).json()).toEqual({ url: "/", proto: "http" });
  });

  it("answers its own health path without asking the app", async () => {
    const res = await get("own", "/healthz");
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});

/**
 * npm run test:browser: builds a minimal Next.js and a minimal Vite front end (test/browser/apps,
 * installed from its own lockfile), serves each behind a proxy on 127.0.0.1 that sets exactly
 * the response headers the planned Cloudflare rules of a stack would set, loads each page in
 * headless Chromium and fails on any CSP violation or a page whose client code never runs.
 *
 * A control run replays the Next.js stack's rules with the CSP set on every response (the edge
 * overriding the app's nonce CSP with script-src 'self'): it must break, or the check is blind.
 *
 *   CHROMIUM=/usr/bin/chromium npm run test:browser
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import type { Snapshot } from "../../scripts/lib/snapshot";
import { applyEdgeRules, type EdgeRule, headerRules } from "./edge-headers";

const ROOT = resolve(__dirname, "../..");
const APPS = join(__dirname, "apps");
const BIN = join(APPS, "node_modules", ".bin");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };

interface Site { label: string; stackFile: string; app: "next" | "vite"; rules: EdgeRule[]; host: string; expectBroken?: boolean }

const children: ChildProcess[] = [];

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found; install Debian's chromium (apt-get install -y chromium) or set CHROMIUM`);
  install();
  const next = plan("examples/Pulumi.plannior-production.yaml", "production");
  const vite = plan("Pulumi.production.yaml", "production");
  build();
  const origins = { next: await startOrigin("next"), vite: await startOrigin("vite") };
  const sites: Site[] = [
    { label: "Next.js behind Plannior's planned edge", stackFile: "examples/Pulumi.plannior-production.yaml", app: "next", ...next },
    { label: "Vite behind PlanningOS's planned edge", stackFile: "Pulumi.production.yaml", app: "vite", ...vite },
    { label: "control: Next.js with the edge's CSP on every response", stackFile: "examples/Pulumi.plannior-production.yaml", app: "next",
      host: next.host, rules: next.rules.map((r) => (r.headers.some((h) => h.name.toLowerCase() === "content-security-policy") ? { ...r, expression: "true" } : r)),
      expectBroken: true },
  ];
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps"],
  });
  let failures = 0;
  try {
    for (const site of sites) {
      const proxy = await startProxy(origins[site.app], site.rules, site.host);
      const result = await visit(browser, `http://127.0.0.1:${proxy.port}/`);
      proxy.server.close();
      const broken = result.problems.length > 0;
      const ok = broken === !!site.expectBroken;
      if (!ok) failures++;
      console.log(`${ok ? "ok  " : "FAIL"} ${site.label} (${site.stackFile}, host ${site.host})`);
      console.log(`     content-security-policy: ${result.csp ?? "(none)"}`);
      for (const problem of result.problems) console.log(`     ${problem}`);
      if (site.expectBroken && !broken) console.log("     expected CSP violations here: the check cannot see a broken page");
    }
  } finally {
    await browser.close();
  }
  console.log(failures ? `\n${failures} of ${sites.length} browser checks failed` : `\nall ${sites.length} browser checks passed`);
  return failures ? 1 : 0;
}

/** The fixtures' own lockfile, installed as CI's clean clone needs it (npm ci), once. */
function install(): void {
  if (existsSync(join(BIN, "next")) && existsSync(join(BIN, "vite"))) return;
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: APPS, stdio: "inherit", env: { ...process.env, NODE_ENV: "development" } });
}

/** The stack's planned header rules and its canonical web host, from the offline plan's snapshot. */
function plan(stackFile: string, stack: string): { rules: EdgeRule[]; host: string } {
  const out = join(mkdtempSync(join(tmpdir(), "paved-browser-")), "plan.json");
  execFileSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/plan.ts", stackFile, "--stack", stack, "--json", out],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const snapshot = JSON.parse(readFileSync(out, "utf8")) as Snapshot;
  const rules = headerRules(snapshot.resources);
  if (rules.length === 0) throw new Error(`${stackFile}: the plan has no response-header rules to replay`);
  const domain = snapshot.resources.find((r) => r.type === "vercel:index/projectDomain:ProjectDomain" && r.inputs.redirect === undefined);
  if (!domain) throw new Error(`${stackFile}: the plan has no canonical web domain`);
  return { rules, host: String(domain.inputs.domain) };
}

function build(): void {
  execFileSync(join(BIN, "next"), ["build", "next"], { cwd: APPS, stdio: "inherit", env });
  execFileSync(join(BIN, "vite"), ["build", "vite", "--logLevel", "warn"], { cwd: APPS, stdio: "inherit", env });
}

/** `next start` / `vite preview` on a free loopback port; resolves once it answers. */
async function startOrigin(app: "next" | "vite"): Promise<number> {
  const port = await freePort();
  const args = app === "next" ? ["start", "next", "-H", "127.0.0.1", "-p", String(port)] : ["preview", "vite", "--host", "127.0.0.1", "--port", String(port), "--strictPort"];
  const child = spawn(join(BIN, app), args, { cwd: APPS, env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return port;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${app} did not answer on 127.0.0.1:${port}`);
}

/** Forwards to the origin and rewrites each response's headers as the planned rules would. */
async function startProxy(originPort: number, rules: EdgeRule[], host: string): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: "127.0.0.1", port: originPort, method: req.method, path: req.url, headers: req.headers }, (origin) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(origin.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      res.writeHead(origin.statusCode ?? 502, applyEdgeRules(rules, host, headers, req.url));
      origin.pipe(res);
    });
    upstream.on("error", (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Loads the page; every CSP violation, CSP console error, page error, and a page that never hydrates, is a problem. */
async function visit(browser: Browser, url: string): Promise<{ problems: string[]; csp?: string }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const cdp = await page.createCDPSession();
  await cdp.send("Log.enable");
  cdp.on("Log.entryAdded", ({ entry }) => { if (/Content Security Policy/i.test(entry.text)) problems.push(`console: ${entry.text}`); });
  page.on("console", (msg) => { if (/Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${(err as Error).message}`));
  // Page-side code as text: the project compiles without the DOM's types.
  await page.evaluateOnNewDocument(`window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")));`);
  const response = await page.goto(url, { waitUntil: "networkidle0", timeout: 30_000 });
  const hydrated = await page.waitForSelector('#hydration[data-state="hydrated"]', { timeout: 10_000 }).then(() => true, () => false);
  const violations = await page.evaluate("window.__csp") as string[];
  problems.push(...violations.map((v) => `securitypolicyviolation: ${v}`));
  if (!hydrated) problems.push("the client component's effect never ran: the page did not hydrate");
  await page.close();
  return { problems: [...new Set(problems)], csp: response?.headers()["content-security-policy"] };
}

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = http.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address() as AddressInfo; s.close(() => r(port)); });
  });
}

main().then((code) => { process.exitCode = code; }, (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; })
  .finally(() => { for (const child of children) child.kill(); });

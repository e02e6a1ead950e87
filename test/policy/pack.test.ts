import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPackConfig, runPolicies } from "../../policy/offline";
import { allPolicies } from "../../policy/policies";
import { READMES, SOURCES, renderReadme } from "../../policy/readme";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { planned, set } from "./harness";

describe("the pack's policies", () => {
  it("have unique kebab-case names, a description, a default level and a source", () => {
    const names = allPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of allPolicies) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description.length, p.name).toBeGreaterThan(20);
      expect(["advisory", "mandatory"], p.name).toContain(p.enforcementLevel);
      expect(SOURCES[p.name], p.name).toBeTruthy();
    }
    expect(Object.keys(SOURCES).sort()).toEqual([...names].sort());
  });

  it("never echo a property value in a message", () => {
    const canary = "canary-7f3a";
    const resources = [
      planned(T.flySecrets, "s", { app: "a", values: { JWT_SECRET: canary, LOG_LEVEL: `debug-${canary}` } }),
      planned(T.flyMachine, "m", set(set(f.flyMachine, "config.env.CORS_ORIGINS", `http://${canary}.example`), "config.env.API_TOKEN", canary)),
      planned(T.renderService, "r", { ...f.renderService, envVars: { DEBUG: canary, CORS_ORIGINS: `*.${canary}` } }),
      planned(T.dnsRecord, "d", { ...f.dnsRecord, name: `*.${canary}`, content: "10.0.0.1", proxied: false }),
      planned(T.vercelEnv, "v", { ...f.vercelEnv, key: canary, value: canary, sensitive: false }),
      planned(T.zoneSetting, "z", f.zoneSetting("ssl", canary)),
      planned(T.healthcheck, "h", { ...f.healthcheck, address: `${canary}.example.com`, type: "HTTP" }),
    ];
    const found = runPolicies(resources, loadPackConfig("production"));
    expect(found.length).toBeGreaterThan(10);
    for (const v of found) expect(v.message, v.policy).not.toContain(canary);
  });

  it.each(READMES)("keeps the policy table of %s in step with the pack", (file) => {
    const current = fs.readFileSync(file, "utf8");
    expect(current, `${file} is stale: run \`npx tsx policy/readme.ts\``).toBe(renderReadme(current));
    for (const p of allPolicies) expect(current).toContain(`| \`${p.name}\` |`);
  });
});

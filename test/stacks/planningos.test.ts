/**
 * PlanningOS's guide, value by value, on the resources its two stack files plan (the other
 * systems have their own test/stacks/<system>.test.ts).
 */
import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";

const production = planOnce("production");
const staging = planOnce("staging");
/* eslint-disable @typescript-eslint/no-explicit-any -- nested provider inputs, asserted field by field */
const machines = (plan: typeof production) => plan.ofType("paved:fly:Machine").filter((m) => (m.inputs.config as any).services);
const configOf = (plan: typeof production) => machines(plan)[0].inputs.config as any;

describe("PlanningOS, as its guide deploys it", () => {
  it.each([["production", production], ["staging", staging]] as const)("%s: the web installs and builds with pnpm", (_, plan) => {
    expect(plan.ofType("vercel:index/project:Project")[0].inputs).toMatchObject({
      installCommand: "pnpm install --frozen-lockfile", buildCommand: "pnpm run build", rootDirectory: "apps/web", framework: "vite",
    });
  });

  it("builds the API from docker/Dockerfile.api in staging, which production promotes", () => {
    expect(staging.ofType("docker:index/image:Image")[0].inputs).toMatchObject({ build: { context: ".", dockerfile: "docker/Dockerfile.api" } });
    expect(production.ofType("docker:index/image:Image")).toEqual([]);
  });

  it.each([["production", production, "warn"], ["staging", staging, "info"]] as const)(
    "%s: the API listens on 0.0.0.0:3001, knows its environment, logs at RUST_LOG %s, and is checked every 30 s with a 5 s timeout and 10 s grace",
    (kind, plan, rustLog) => {
      const config = configOf(plan);
      expect(config.env).toMatchObject({ HOST: "0.0.0.0", PORT: "3001", ENVIRONMENT: kind, RUST_LOG: rustLog });
      expect(config.checks.health).toEqual({ type: "http", port: 3001, path: "/health", method: "GET", interval: "30s", timeout: "5s", grace_period: "10s" });
    },
  );

  it("keeps a machine running in staging too (min_machines_running = 1), and two in production", () => {
    expect(machines(staging).map((m) => (m.inputs.config as any).services[0].min_machines_running)).toEqual([1]);
    expect(machines(production)).toHaveLength(2);
  });

  it.each([["production", production], ["staging", staging]] as const)("%s: runs sqlx's migrations before the machines take the new image", (_, plan) => {
    const [migration] = plan.ofType("paved:fly:Migration");
    expect(migration.inputs).toMatchObject({ command: "sqlx migrate run", region: "cdg" });
    for (const m of machines(plan)) expect(m.dependencies).toContain(migration.urn);
  });

  it.each([["production", production], ["staging", staging]] as const)("%s: Postgres 16 on Neon", (_, plan) => {
    expect(plan.ofType("paved:neon:Project").map((p) => p.inputs.pgVersion)).toEqual([16]);
  });

  it("frames the app from its own origin only, and keeps hashed assets a year, immutable", () => {
    const rulesets = production.ofType("cloudflare:index/ruleset:Ruleset");
    const headers = rulesets.find((r) => r.inputs.phase === "http_response_headers_transform")!.inputs.rules as any[];
    expect(headers[0].actionParameters.headers["X-Frame-Options"]).toEqual({ operation: "set", value: "SAMEORIGIN" });
    expect(headers.at(-1).actionParameters.headers["Cache-Control"]).toEqual({ operation: "set", value: "public, max-age=31536000, immutable" });
    const cache = rulesets.find((r) => r.inputs.phase === "http_request_cache_settings")!.inputs.rules as any[];
    expect(cache[0].actionParameters.browserTtl).toEqual({ mode: "override_origin", default: 31_536_000 });
  });
});

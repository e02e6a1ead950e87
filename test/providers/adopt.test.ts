/**
 * Adoption: a resource registered with `import: <id>` is read, checked and diffed by the
 * engine, never created. This drives the providers through that sequence against the fake
 * Render API, where the objects were made beforehand (as ProjectFlo's were, by hand).
 */
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderKeyValueProvider, renderPostgresProvider, renderServiceProvider } from "../../components/providers/render";
import { clientFromEnv } from "../../components/providers/http";
import { RENDER_ENV } from "../../components/providers/render-api";
import { useFastEnv } from "../fakes/env";
import { FakeRender } from "../fakes/render";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Provider = Required<pulumi.dynamic.ResourceProvider<any, any>>;

const TOKEN = "adopt_TEST_TOKEN_7d2f";
const render = new FakeRender(TOKEN);
beforeAll(async () => useFastEnv({ RENDER_API_KEY: TOKEN, RENDER_API_URL: await render.start() }));
afterAll(() => render.stop());
afterEach(() => render.assertClean());

/** What `pulumi up` does for a resource with an import id: read it, check the program's inputs, diff. */
async function adopt(provider: Provider, id: string, program: Record<string, unknown>) {
  const read = await provider.read(id, {});
  expect(read.id).toBe(id);
  const checked = await provider.check(read.inputs ?? {}, program);
  expect(checked.failures ?? []).toEqual([]);
  return { read, diff: await provider.diff(id, read.props, checked.inputs) };
}

/** Makes the objects beforehand, as a person would; patient, since the fake compiles its schemas on the first check. */
const byHand = () => clientFromEnv(RENDER_ENV, { timeoutMs: 20_000 });

const mutations = () => ["POST", "PATCH", "PUT", "DELETE"].reduce((n, m) => n + render.count(m, /./), 0);

describe("adopting what already runs on Render", () => {
  it("Postgres: reads the existing instance by id, matches the program, and sends no create", async () => {
    const existing = await byHand().request<{ id: string }>("POST", "/postgres", {
      body: { ownerId: "tea-projectflo01", name: "projectflo-production", plan: "pro_4gb", version: "16", region: "frankfurt",
        diskSizeGB: 20, enableHighAvailability: true, ipAllowList: [], databaseName: "app", databaseUser: "app" },
    });
    const before = mutations();
    const { read, diff } = await adopt(renderPostgresProvider as Provider, existing.id, {
      ownerId: "tea-projectflo01", name: "projectflo-production", plan: "pro_4gb", version: "16", region: "frankfurt",
      diskSizeGB: 20, enableHighAvailability: true, ipAllowList: [], databaseName: "app", databaseUser: "app",
    });
    expect(diff.changes).toBe(false);
    expect(read.props).toMatchObject({ postgresId: existing.id, internalConnectionString: expect.stringContaining(existing.id) });
    expect(mutations()).toBe(before);
    expect(render.count("POST", /^\/postgres$/)).toBe(1); // the one made by hand beforehand
  });

  it("Key Value: reads the existing instance by id and sends no create", async () => {
    const existing = await byHand().request<{ id: string }>("POST", "/key-value", {
      body: { ownerId: "tea-1", name: "flightpro-production", plan: "starter", region: "oregon", maxmemoryPolicy: "allkeys_lru", ipAllowList: [] },
    });
    const before = mutations();
    const { diff } = await adopt(renderKeyValueProvider as Provider, existing.id, { ownerId: "tea-1", name: "flightpro-production", plan: "starter" });
    expect(diff.changes).toBe(false);
    expect(mutations()).toBe(before);
  });

  it("web service: reads the existing service, its env vars and domains, and sends no create", async () => {
    const c = byHand();
    const { service } = await c.request<{ service: { id: string } }>("POST", "/services", {
      body: { type: "web_service", name: "projectflo-api-production", ownerId: "tea-projectflo01", repo: "https://github.com/projectflo/projectflo",
        branch: "master", rootDir: "packages/backend", autoDeploy: "yes", envVars: [{ key: "LOG_LEVEL", value: "info" }],
        serviceDetails: { runtime: "node", plan: "standard", region: "frankfurt", numInstances: 2, healthCheckPath: "/health",
          envSpecificDetails: { buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js" } } },
    });
    const before = mutations();
    const { diff } = await adopt(renderServiceProvider as Provider, service.id, {
      ownerId: "tea-projectflo01", name: "projectflo-api-production", repo: "https://github.com/projectflo/projectflo", branch: "master",
      rootDir: "packages/backend", runtime: "node", plan: "standard", region: "frankfurt", numInstances: 2, healthCheckPath: "/health",
      buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", envVars: { LOG_LEVEL: "info" },
    });
    expect(diff.changes).toBe(false);
    expect(mutations()).toBe(before);
  });

  it("shows what the program would change on an adopted object as a diff, never a create", async () => {
    const existing = await byHand().request<{ id: string }>("POST", "/key-value", {
      body: { ownerId: "tea-1", name: "cache-by-hand", plan: "free", ipAllowList: [] },
    });
    const before = mutations();
    const { diff } = await adopt(renderKeyValueProvider as Provider, existing.id, { ownerId: "tea-1", name: "cache-by-hand", plan: "starter" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    expect(mutations()).toBe(before);
  });

  it("fails the adoption of an id that does not exist: read reports it gone", async () => {
    const read = await (renderPostgresProvider as Provider).read("dpg-missing", {});
    expect(read.id).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { renderTree } from "../../scripts/lib/render";
import { planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const planned = planOnce("examples/Pulumi.projectflo-production.yaml", "production");
const ofType = planned.ofType;

describe("ProjectFlo: api.host render, database.provider render", () => {
  it("plans a Render web service built from packages/backend", () => {
    const [service] = ofType("pulumi-nodejs:dynamic/render:Service");
    expect(service.inputs).toMatchObject({
      name: "projectflo-api-production", region: "frankfurt", plan: "standard", numInstances: 2, runtime: "node",
      repo: "https://github.com/projectflo/projectflo", branch: "master", rootDir: "packages/backend",
      buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", healthCheckPath: "/health",
      preDeployCommand: "npm run migrate", customDomains: ["api.projectflo.app"],
    });
    const env = service.inputs.envVars as Record<string, unknown>;
    // Known only at deploy time, and never plain text in the plan.
    for (const key of ["DATABASE_URL", "JWT_SECRET"]) expect(env[key] instanceof Secret || env[key] === UNKNOWN, key).toBe(true);
    expect(service.additionalSecretOutputs).toContain("envVars");
    expect(env.CORS_ORIGINS).toBe("https://app.projectflo.app");
    expect(ofType("docker:index/image:Image")).toEqual([]);
  });

  it("plans Render Postgres with no public IP access, high availability and protection", () => {
    const [pg] = ofType("pulumi-nodejs:dynamic/render:Postgres");
    expect(pg.inputs).toMatchObject({ name: "projectflo-production", plan: "pro_4gb", version: "16", region: "frankfurt",
      diskSizeGB: 20, enableHighAvailability: true, ipAllowList: [] });
    expect(pg).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("gives the Next.js app the API URL as NEXT_PUBLIC_API_URL", () => {
    const keys = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").map((v) => v.inputs.key);
    expect(keys).toContain("NEXT_PUBLIC_API_URL");
  });

  it("adopts the service and database that already run, by their Render ids, instead of creating them", () => {
    const [service] = ofType("pulumi-nodejs:dynamic/render:Service");
    const [pg] = ofType("pulumi-nodejs:dynamic/render:Postgres");
    expect(service.importId).toBe("srv-d0projectfloapi7x2");
    expect(pg).toMatchObject({ importId: "dpg-d0projectflodb9k4-a", protect: true, retainOnDelete: true });
    expect(planned.plan.resources.filter((r) => r.importId).map((r) => r.name).sort()).toEqual(["production-api-service", "production-database-postgres"]);
    // The plan says so, beside the protection flags.
    const tree = renderTree(planned.plan.resources);
    expect(tree).toContain("pulumi-nodejs:dynamic/render:Service  production-api-service  [import srv-d0projectfloapi7x2]");
    expect(tree).toContain("pulumi-nodejs:dynamic/render:Postgres  production-database-postgres  [import dpg-d0projectflodb9k4-a] [protect] [retainOnDelete]");
  });
});

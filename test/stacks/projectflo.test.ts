import { describe, expect, it } from "vitest";
import { checkPolicies } from "../../scripts/lib/policy";
import { renderTree } from "../../scripts/lib/render";
import { alertRouting, planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const planned = planOnce("examples/Pulumi.projectflo-production.yaml", "production");
const ofType = planned.ofType;

describe("ProjectFlo: api.host render, database.provider render", () => {
  it("plans a Render web service built from packages/backend", () => {
    const [service] = ofType("paved:render:Service");
    expect(service.inputs).toMatchObject({
      name: "projectflo-api-production", region: "frankfurt", plan: "standard", numInstances: 2, runtime: "node",
      repo: "https://github.com/DHutchinson1991/ProjectFlo", branch: "master", rootDir: "packages/backend",
      buildCommand: "corepack enable && pnpm install --frozen-lockfile && pnpm run build", startCommand: "node dist/src/main.js", healthCheckPath: "/health",
      preDeployCommand: "npm run migrate", customDomains: [],
    });
    const env = service.inputs.envVars as Record<string, unknown>;
    // Known only at deploy time, and never plain text in the plan.
    for (const key of ["DATABASE_URL", "JWT_SECRET"]) expect(env[key] instanceof Secret || env[key] === UNKNOWN, key).toBe(true);
    expect(service.additionalSecretOutputs).toContain("envVars");
    expect(env.CORS_ORIGINS).toBe("https://projectflo-production.vercel.app");
    expect(ofType("docker:index/image:Image")).toEqual([]);
  });

  it("plans Render Postgres with no public IP access, high availability and protection", () => {
    const [pg] = ofType("paved:render:Postgres");
    expect(pg.inputs).toMatchObject({ name: "projectflo-production", plan: "pro_4gb", version: "16", region: "frankfurt",
      diskSizeGB: 20, enableHighAvailability: true, ipAllowList: [] });
    expect(pg).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("gives the Next.js app the API's onrender.com URL as NEXT_PUBLIC_API_URL, known once Render names the service", () => {
    const variable = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").find((v) => v.inputs.key === "NEXT_PUBLIC_API_URL")!;
    expect(variable.inputs).toMatchObject({ value: UNKNOWN, sensitive: false });
    const [service] = ofType("paved:render:Service");
    expect(variable.dependencies).toContain(service.urn);
  });

  it("serves the web on its own .vercel.app name, claimed by the project", () => {
    const [domain] = ofType("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs).toMatchObject({ domain: "projectflo-production.vercel.app", teamId: "team_projectflo" });
    expect(domain.inputs.redirect).toBeUndefined();
  });

  it("creates nothing in Cloudflare, and says once, as an advisory, what a zone would add", () => {
    expect(planned.plan.resources.filter((r) => r.type.startsWith("cloudflare:"))).toEqual([]);
    const report = checkPolicies(planned.plan.resources, "production");
    expect(report.violations.filter((v) => v.policy === "edge-zone-present")).toEqual([{
      policy: "edge-zone-present", level: "advisory", urn: undefined,
      message: "Put the stack's hosts behind a Cloudflare zone (paved:domain and paved:cdn): without one they have no edge rate limit, no security-header rule and no zone TLS settings.",
    }]);
    expect(report.mandatory).toBe(0);
  });

  it("adopts the service and database that already run, by their Render ids, instead of creating them", () => {
    const [service] = ofType("paved:render:Service");
    const [pg] = ofType("paved:render:Postgres");
    expect(service.importId).toBe("srv-d0projectfloapi7x2");
    expect(pg).toMatchObject({ importId: "dpg-d0projectflodb9k4-a", protect: true, retainOnDelete: true });
    expect(planned.plan.resources.filter((r) => r.importId).map((r) => r.name).sort()).toEqual(["production-api-service", "production-database-postgres"]);
    // The plan says so, beside the protection flags.
    const tree = renderTree(planned.plan.resources);
    expect(tree).toContain("paved:render:Service  production-api-service  [import srv-d0projectfloapi7x2]");
    expect(tree).toContain("paved:render:Postgres  production-database-postgres  [import dpg-d0projectflodb9k4-a] [protect] [retainOnDelete]");
  });
});

describe("ProjectFlo: alerts on the platforms' own names", () => {
  it("probes the web's vercel.app name and the API's onrender.com /health every minute, and pages for either", () => {
    const checks = ofType("checkly:index/check:Check");
    const [service] = ofType("paved:render:Service");
    const byName = Object.fromEntries(checks.map((c) => [c.inputs.name, c]));
    expect(Object.keys(byName).sort()).toEqual(["production-uptime api (P1)", "production-uptime api-post-api-auth-login (P1)", "production-uptime web (P1)"]);
    expect((byName["production-uptime web (P1)"].inputs.request as { url: unknown }).url).toBe("https://projectflo-production.vercel.app/");
    // Render names the service when it creates it: the check reads its URL from the service.
    const api = byName["production-uptime api (P1)"];
    expect((api.inputs.request as { url: unknown }).url).toBe(UNKNOWN);
    expect(api.propertyDependencies.request).toContain(service.urn);
    // "Every minute with immediate alerting": the first failed run alerts, once another region has retried it.
    for (const c of checks) {
      expect(c.inputs).toMatchObject({ frequency: 1, locations: ["eu-central-1", "us-east-1"], doubleCheck: true,
        alertSettings: { escalationType: "RUN_BASED", runBasedEscalations: [{ failedRunThreshold: 1 }] } });
      expect((c.inputs.alertSettings as object)).not.toHaveProperty("timeBasedEscalations");
    }
    expect(alertRouting(planned).checks).toEqual({
      "production-uptime api (P1)": ["email-0", "pagerduty-p1"], "production-uptime api-post-api-auth-login (P1)": ["email-0", "pagerduty-p1"],
      "production-uptime web (P1)": ["email-0", "pagerduty-p1"],
    });
  });

  it("pages P1 on a login that stops answering as it should: a POST of a wrong password to the API must get its 401", () => {
    const [service] = ofType("paved:render:Service");
    const login = ofType("checkly:index/check:Check").find((c) => c.name === "production-uptime-api-post-api-auth-login")!;
    expect(login.inputs.request).toEqual({
      url: UNKNOWN, method: "POST", followRedirects: false, skipSsl: false,
      body: '{"email":"uptime-probe@projectflo.app","password":"not-the-password"}', bodyType: "JSON",
      assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "401" }],
    });
    expect(login.propertyDependencies.request).toContain(service.urn);
    expect(planned.plan.config.monitors!.report.find((r) => r.row === "P1 phone on login/payment failure"))
      .toEqual({ row: "P1 phone on login/payment failure", kind: "uptime", planned: ["checkly:Check production-uptime-api-post-api-auth-login"] });
  });

  it("sends P3 (new issues) to Slack #projectflo-dev through Sentry's Slack integration", () => {
    const { sentry } = alertRouting(planned);
    expect(sentry["P3 · api new issue"]).toEqual(["slack #projectflo-dev"]);
    expect(sentry["P1 · api error rate > 1 % for 5 min"]).toEqual(["pagerduty 51120", "email 4506002"]);
  });
});

describe("ProjectFlo staging: develop, on the platforms' names, never paging", () => {
  const staging = planOnce("examples/Pulumi.projectflo-staging.yaml", "staging");

  it("plans one starter Render instance built from packages/backend on develop, and a basic Render Postgres", () => {
    const [service] = staging.ofType("paved:render:Service");
    expect(service.inputs).toMatchObject({
      name: "projectflo-api-staging", plan: "starter", numInstances: 1, branch: "develop", rootDir: "packages/backend",
      buildCommand: "corepack enable && pnpm install --frozen-lockfile && pnpm run build", startCommand: "node dist/src/main.js", healthCheckPath: "/health",
    });
    expect(service.importId).toBeUndefined();
    const [pg] = staging.ofType("paved:render:Postgres");
    expect(pg.inputs).toMatchObject({ name: "projectflo-staging", plan: "basic_1gb", ipAllowList: [] });
    expect(staging.plan.resources.filter((r) => r.type.startsWith("cloudflare:"))).toEqual([]);
  });

  it("serves the web at projectflo-staging.vercel.app and protects develop with status checks", () => {
    const [domain] = staging.ofType("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs.domain).toBe("projectflo-staging.vercel.app");
    const [branch] = staging.ofType("github:index/branchProtection:BranchProtection");
    expect(branch.inputs).toMatchObject({ pattern: "develop", requiredStatusChecks: [{ strict: true, contexts: ["test", "build"] }] });
  });

  it("emails P2 (either host down, error rate, p99) and posts new issues to #projectflo-dev", () => {
    const { checks, sentry } = alertRouting(staging);
    expect(checks).toEqual({ "staging-uptime api (P2)": ["email-0"], "staging-uptime api-post-api-auth-login (P2)": ["email-0"], "staging-uptime web (P2)": ["email-0"] });
    expect(sentry["P3 · api new issue"]).toEqual(["slack #projectflo-dev"]);
    expect(staging.ofType("pagerduty:index/service:Service")).toEqual([]);
  });
});

describe("ProjectFlo: query statistics", () => {
  it("asks for pg_stat_statements, which its migrations create on the Render Postgres", async () => {
    const { renderBackups } = await import("../../scripts/lib/backups");
    const { readStackFile } = await import("../../scripts/lib/stack-file");
    const { loadEnvironmentConfig } = await import("../../stacks/config");
    const { ROOT } = await import("../engine/run-program");
    const config = loadEnvironmentConfig(readStackFile("examples/Pulumi.projectflo-production.yaml", ROOT, "production").source);
    expect(config.database?.extensions).toEqual(["pg_stat_statements"]);
    expect(renderBackups(config)?.split("\n")).toContain(
      "      extensions: pg_stat_statements; Render loads them, and its API creates none; the app's migrations create them: CREATE EXTENSION IF NOT EXISTS pg_stat_statements;");
  });
});

describe("ProjectFlo: logs aggregated on Render", () => {
  it("leaves each service's logs with its platform, and the plan says so", async () => {
    const { renderLogs } = await import("../../scripts/lib/logs");
    const { readStackFile } = await import("../../scripts/lib/stack-file");
    const { loadEnvironmentConfig } = await import("../../stacks/config");
    const { ROOT } = await import("../engine/run-program");
    const config = loadEnvironmentConfig(readStackFile("examples/Pulumi.projectflo-production.yaml", ROOT, "production").source);
    expect(renderLogs(config)?.split("\n")).toEqual([
      "Logs:",
      "  sink: each host's own (paved:logs.sink host); paved sets no retention there",
      "  web (vercel): kept by vercel, for as long as its plan keeps them",
      "  api (render): kept by render, for as long as its plan keeps them",
    ]);
    expect(ofType("paved:axiom:Dataset")).toEqual([]);
  });
});

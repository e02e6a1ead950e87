import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";
import { UNKNOWN } from "../harness";
import { visibleInputs } from "../../scripts/lib/snapshot";

const planned = planOnce("production");
const ofType = planned.ofType;

describe("the default production stack (PlanningOS)", () => {
  it("plans the web host, its domain, variables, DNS, zone settings, rulesets and secrets", () => {
    const counts = Object.fromEntries([...new Set(planned.plan.resources.map((r) => r.type))].map((t) => [t, ofType(t).length]));
    expect(counts).toEqual({
      "paved:environment:Environment": 1, "paved:secrets:Secrets": 1, "paved:web:WebHost": 1, "paved:cdn:Cdn": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "vercel:index/project:Project": 1, "vercel:index/projectDomain:ProjectDomain": 1,
      "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": 2,
      "cloudflare:index/dnsRecord:DnsRecord": 2, "cloudflare:index/zoneSetting:ZoneSetting": 5, "cloudflare:index/ruleset:Ruleset": 3,
      "paved:api:ApiApp": 1, "pulumi:pulumi:StackReference": 1,
      "pulumi-nodejs:dynamic/fly:App": 1, "pulumi-nodejs:dynamic/fly:Machine": 2, "pulumi-nodejs:dynamic/fly:Secrets": 1,
      "pulumi-nodejs:dynamic/fly:Certificate": 1, "pulumi-nodejs:dynamic/fly:IpAddress": 2,
      "paved:database:Database": 1, "pulumi-nodejs:dynamic/neon:Project": 1, "pulumi-nodejs:dynamic/neon:Role": 1,
      "pulumi-nodejs:dynamic/neon:Database": 1,
      "paved:github:Repository": 1, "github:index/repository:Repository": 1,
      "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts": 1,
      "github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates": 1,
      "github:index/branchProtection:BranchProtection": 1, "github:index/repositoryEnvironment:RepositoryEnvironment": 1,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": 1,
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": 2,
      "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": 1,
      "paved:monitors:Monitors": 1, "cloudflare:index/healthcheck:Healthcheck": 2,
      "cloudflare:index/notificationPolicy:NotificationPolicy": 2,
    });
  });

  it("runs the API on two Fly.io machines in cdg, from the image staging ran", () => {
    const machines = ofType("pulumi-nodejs:dynamic/fly:Machine");
    expect(machines.map((m) => [m.inputs.name, m.inputs.region])).toEqual([
      ["planningos-api-production-cdg-1", "cdg"], ["planningos-api-production-cdg-2", "cdg"],
    ]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested provider config, asserted field by field
    const config = machines[0].inputs.config as Record<string, any>;
    expect(config.services[0]).toMatchObject({ internal_port: 3001, autostart: true, min_machines_running: 1 });
    expect(config.services[0].ports[0]).toMatchObject({ port: 80, force_https: true });
    expect(config.checks.health).toMatchObject({ type: "http", port: 3001, path: "/health" });
    expect(config.env).toMatchObject({
      APP_ENV: "production", LOG_LEVEL: "info", DEBUG: "false", CORS_ORIGINS: "https://app.planningos.com", PORT: "3001",
    });
    const [ref] = ofType("pulumi:pulumi:StackReference");
    expect(ref.inputs.name).toBe("organization/paved/staging");
    expect(config.image).toBe(UNKNOWN);
  });

  it("passes DATABASE_URL and JWT_SECRET to the API only as Fly secrets", () => {
    const [secrets] = ofType("pulumi-nodejs:dynamic/fly:Secrets");
    expect(Object.keys(secrets.inputs.values as object).sort()).toEqual(["DATABASE_URL", "JWT_SECRET"]);
    expect(secrets.additionalSecretOutputs).toContain("values");
    const env = (ofType("pulumi-nodejs:dynamic/fly:Machine")[0].inputs.config as { env: object }).env;
    expect(Object.keys(env)).not.toContain("DATABASE_URL");
  });

  it("certifies api.planningos.com, points a proxied AAAA at the Fly app's IPv6, and gives the web host the API URL", () => {
    expect(ofType("pulumi-nodejs:dynamic/fly:Certificate")[0].inputs.hostname).toBe("api.planningos.com");
    expect(ofType("pulumi-nodejs:dynamic/fly:IpAddress").map((ip) => ip.inputs.type).sort()).toEqual(["shared_v4", "v6"]);
    const record = ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.name === "production-cdn-api")!;
    expect(record.inputs).toMatchObject({ name: "api.planningos.com", type: "AAAA", content: UNKNOWN, proxied: true });
    const ipv6 = ofType("pulumi-nodejs:dynamic/fly:IpAddress").find((ip) => ip.inputs.type === "v6")!;
    expect(record.propertyDependencies.content).toEqual([ipv6.urn]);
    const apiUrl = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").find((v) => v.inputs.key === "VITE_API_URL")!;
    expect(apiUrl.inputs.sensitive).toBe(false);
  });

  it("keeps seven days of Neon history and protects the data from deletion", () => {
    const [project] = ofType("pulumi-nodejs:dynamic/neon:Project");
    expect(project.inputs).toMatchObject({ name: "planningos-production", regionId: "aws-eu-central-1", pgVersion: 17, historyRetentionSeconds: 604_800 });
    expect(project).toMatchObject({ protect: true, retainOnDelete: true });
    expect(ofType("pulumi-nodejs:dynamic/neon:Database")[0]).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("serves app.planningos.com from main, through a protected, proxied record", () => {
    const [project] = ofType("vercel:index/project:Project");
    expect(project.inputs.gitRepository).toEqual({ type: "github", repo: "planningos/planningos", productionBranch: "main" });
    const [record] = ofType("cloudflare:index/dnsRecord:DnsRecord");
    expect(record.inputs).toMatchObject({ name: "app.planningos.com", proxied: true });
    expect(record.protect).toBe(true);
    expect(planned.plan.outputs.webUrl).toBe("https://app.planningos.com");
  });

  it("generates a 64-character JWT secret", () => {
    const [jwt] = ofType("random:index/randomPassword:RandomPassword");
    expect(jwt.inputs).toMatchObject({ length: 64, keepers: { rotation: "2026-11" } });
  });

  it("parents every child to its component, with a name that starts with the component's", () => {
    const byUrn = new Map(planned.plan.resources.map((r) => [r.urn, r]));
    for (const r of planned.plan.resources) {
      if (r.type === "paved:environment:Environment") {
        expect(r.parent).toBeNull();
        continue;
      }
      const parent = byUrn.get(r.parent!);
      expect(parent, `${r.name} has a parent`).toBeDefined();
      expect(r.name.startsWith(`${parent!.name}-`), `${r.name} starts with ${parent!.name}-`).toBe(true);
    }
  });

  it("plans computed values as unknown, secrets as secret and plain variables in clear", () => {
    const [domain] = ofType("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs.projectId).toBe(UNKNOWN);
    const variables = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable");
    expect(Object.fromEntries(variables.map((v) => [v.inputs.key, v.inputs.value]))).toEqual({
      VITE_APP_ENV: "production", VITE_API_URL: "https://api.planningos.com",
    });
    // DATABASE_URL is unknown until Neon answers; the provider keeps it secret, so the plan masks it.
    const [secret] = ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    expect(visibleInputs(secret).value).toBe("[secret]");
  });

  it("guards main: reviewed pull requests, strict checks, admins included, scoring 8/10", async () => {
    const [protection] = ofType("github:index/branchProtection:BranchProtection");
    expect(protection.inputs).toMatchObject({
      repositoryId: "planningos", pattern: "main", enforceAdmins: true, allowsForcePushes: false, allowsDeletions: false,
      requiredLinearHistory: true, requireConversationResolution: true,
      requiredStatusChecks: [{ strict: true, contexts: ["ci/test", "ci/build"] }],
      requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireLastPushApproval: true, requireCodeOwnerReviews: false }],
    });
    const { scoreCapturedProtections } = await import("../../scripts/lib/scorecard");
    expect(scoreCapturedProtections(planned.plan.resources, false)).toEqual([{
      branch: "main", score: 8,
      next: ["set paved:github.approvals to 2", "set paved:github.codeOwnerReview to true", "add a CODEOWNERS file and set paved:github.codeOwners to true"],
    }]);
  });

  it("deploys only main, after a reviewer other than the author approves", () => {
    const [environment] = ofType("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environment.inputs).toMatchObject({
      environment: "production", reviewers: [{ users: [], teams: [9182736] }], preventSelfReview: true, canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const [policy] = ofType("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policy.inputs).toMatchObject({ environment: "production", branchPattern: "main" });
  });

  it("owns the repository's settings, adopted and never deleted", () => {
    const [repository] = ofType("github:index/repository:Repository");
    expect(repository.inputs).toMatchObject({ name: "planningos", allowMergeCommit: false, deleteBranchOnMerge: true });
    expect(repository).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("pages PagerDuty and email when api.planningos.com is down, and emails when the web app is", () => {
    const checks = ofType("cloudflare:index/healthcheck:Healthcheck");
    const api = checks.find((c) => c.inputs.address === "api.planningos.com")!;
    const web = checks.find((c) => c.inputs.address === "app.planningos.com")!;
    expect(api.inputs).toMatchObject({ type: "HTTPS", interval: 60, timeout: 10, consecutiveFails: 5, httpConfig: { path: "/health" } });
    expect(web.inputs).toMatchObject({ type: "HTTPS", interval: 60, timeout: 10 });
    const policies = Object.fromEntries(ofType("cloudflare:index/notificationPolicy:NotificationPolicy").map((p) => [p.name, p]));
    expect(Object.keys(policies).sort()).toEqual(["production-monitors-p1", "production-monitors-p2"]);
    expect(policies["production-monitors-p1"].inputs.mechanisms).toEqual({
      emails: [{ id: "oncall@planningos.com" }], pagerduties: [{ id: "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7" }],
    });
    expect(policies["production-monitors-p1"].propertyDependencies.filters).toEqual([api.urn]);
    expect(policies["production-monitors-p2"].propertyDependencies.filters).toEqual([web.urn]);
  });
});

/**
 * A deliberately insecure production stack, built from the providers' own resource classes
 * under the mock runtime, must trip every mandatory policy of production.json, each named.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPackConfig, levelOf } from "../../policy/offline";
import { allPolicies } from "../../policy/policies";
import type { PolicyReport } from "../../scripts/lib/policy";
import { capture } from "../harness";

const ZONE = "5f0c8a1e2b3d4c5e6f708192a3b4c5d6";
let report: PolicyReport;

beforeAll(async () => {
  const run = await capture(async () => {
    const cloudflare = await import("@pulumi/cloudflare");
    const vercel = await import("@pulumiverse/vercel");
    const github = await import("@pulumi/github");
    const random = await import("@pulumi/random");
    const docker = await import("@pulumi/docker");
    const { FlyMachine } = await import("../../components/resources/fly");
    const { NeonProject } = await import("../../components/resources/neon");
    const { RenderPostgres } = await import("../../components/resources/render");
    const { RailwayService, RailwayServiceDomain } = await import("../../components/resources/railway");

    // Zone: weak TLS, no HSTS, one setting missing, no header or cache rules, a loose rate limit.
    new cloudflare.ZoneSetting("ssl", { zoneId: ZONE, settingId: "ssl", value: "flexible" });
    new cloudflare.ZoneSetting("tls", { zoneId: ZONE, settingId: "min_tls_version", value: "1.0" });
    new cloudflare.ZoneSetting("https", { zoneId: ZONE, settingId: "always_use_https", value: "off" });
    new cloudflare.ZoneSetting("hsts", { zoneId: ZONE, settingId: "security_header", value: { strict_transport_security: { enabled: false } } });
    new cloudflare.Ruleset("limits", { zoneId: ZONE, kind: "zone", phase: "http_ratelimit", name: "limits", rules: [{
      action: "block", expression: "true", enabled: false,
      ratelimit: { characteristics: ["ip.src"], period: 10, requestsPerPeriod: 100_000, mitigationTimeout: 10 } }] });
    new cloudflare.DnsRecord("app", { zoneId: ZONE, name: "app.example.com", type: "A", content: "10.0.0.5", proxied: false, ttl: 300 });
    new cloudflare.DnsRecord("any", { zoneId: ZONE, name: "*.example.com", type: "CNAME", content: "app.example.com", proxied: true, ttl: 1 });
    new cloudflare.Healthcheck("probe", { zoneId: ZONE, name: "probe", address: "other.example.com", type: "HTTP",
      httpConfig: { path: "/", allowInsecure: true }, interval: 600, timeout: 30 });

    // Web: no protection, a secret in a plain variable.
    new vercel.Project("web", { name: "web", teamId: "team_x", vercelAuthentication: { deploymentType: "none" }, gitForkProtection: false });
    new vercel.ProjectEnvironmentVariable("web-secret", { projectId: "p", key: "STRIPE_SECRET_KEY", value: "sk_live", sensitive: false, targets: ["production"] });

    // API: debug on, wide CORS, a default JWT secret in plain env, no health check.
    new FlyMachine("api", { app: "api", name: "api-1", region: "cdg", config: {
      image: "ghcr.io/x/api@sha256:0", env: { DEBUG: "true", LOG_LEVEL: "debug", CORS_ORIGINS: "*", JWT_SECRET: "changeme" },
      services: [{ protocol: "tcp", internal_port: 8080, ports: [{ port: 80, handlers: ["http"] }] }] } });
    new docker.Container("worker", { image: "ghcr.io/x/worker", privileged: true });
    // A Postgres published on every interface, archiving no WAL; a base-backup job keeping a day.
    new docker.Container("db", { image: "postgres:17", ports: [{ internal: 5432, external: 5432 }] });
    new docker.Container("db-basebackup", { image: "postgres:17", entrypoints: ["sh", "-c", "backup"], envs: ["KEEP_DAYS=1"], networkMode: "container:db" });
    // A Redis with no password, its port on loopback.
    new docker.Container("cache", { image: "redis:7-alpine", ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }] });
    new random.RandomPassword("short", { length: 8 });
    // A Railway Redis with a password, but a public domain.
    const redis = new RailwayService("redis", { projectId: "p", environmentId: "e", name: "redis", image: "docker.io/library/redis:7.4-alpine", startCommand: "redis-server --requirepass x" });
    new RailwayServiceDomain("redis-domain", { projectId: "p", environmentId: "e", serviceId: redis.serviceId, targetPort: 6379 });

    // Data: no history, open to the internet, unprotected.
    new NeonProject("neon", { name: "db", regionId: "aws-eu-central-1", historyRetentionSeconds: 0 });
    new RenderPostgres("pg", { ownerId: "tea-x", name: "pg", plan: "free", version: "16", ipAllowList: [{ cidrBlock: "0.0.0.0/0", description: "anyone" }] });

    // Delivery: a bare branch rule, an unguarded production environment, plaintext Actions secrets.
    const repo = new github.Repository("repo", { name: "app", allowMergeCommit: true });
    new github.Repository("unguarded", { name: "tools" });
    new github.BranchProtection("release", { repositoryId: repo.nodeId, pattern: "release", allowsForcePushes: true, allowsDeletions: true });
    new github.BranchProtection("main", { repositoryId: repo.nodeId, pattern: "main", requiredStatusChecks: [{ strict: false, contexts: [] }] });
    new github.RepositoryEnvironment("production", { repository: "app", environment: "production", canAdminsBypass: true });
    new github.ActionsEnvironmentSecret("token", { repository: "app", environment: "production", secretName: "DEPLOY_TOKEN", plaintextValue: "t" });
    new github.ActionsEnvironmentVariable("leak", { repository: "app", environment: "production", variableName: "DEPLOY_TOKEN", value: "t" });

    // A dynamic resource without its own type token.
    class Bare extends pulumi.dynamic.Resource {}
    new Bare({ async create() { return { id: "x" }; } }, "bare", {});
  });
  const { checkPolicies } = await import("../../scripts/lib/policy");
  report = checkPolicies(run.resources, "production");
});

describe("an insecure production stack", () => {
  const mandatory = allPolicies.filter((p) => levelOf(p, loadPackConfig("production")) === "mandatory").map((p) => p.name).sort();

  it("trips every mandatory policy", () => {
    const tripped = [...new Set(report.violations.filter((v) => v.level === "mandatory").map((v) => v.policy))].sort();
    expect(mandatory.filter((p) => !tripped.includes(p))).toEqual([]);
    expect(tripped).toEqual(mandatory);
  });

  it("never echoes a value it read", () => {
    const text = report.violations.map((v) => v.message).join("\n");
    for (const value of ["sk_live", "changeme", "10.0.0.5", "0.0.0.0/0"]) expect(text).not.toContain(value);
  });
});

import { describe, expect, it } from "vitest";
import { visibleInputs } from "../../scripts/lib/snapshot";
import { alertRouting, planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const staging = planOnce("examples/Pulumi.flightpro-staging.yaml", "staging");
const production = planOnce("examples/Pulumi.flightpro-production.yaml", "production");
const R = "paved:railway:";
/** A secret, or a secret output not known until deploy: never plain text. */
const hiddenValue = (v: unknown) => v instanceof Secret || v === UNKNOWN;

describe("FlightPro: the API on Railway, staging and production as two environments of one project", () => {
  it("staging creates the project flightpro, whose first environment is staging, and keeps it when destroyed", () => {
    const [project] = staging.ofType(`${R}Project`);
    expect(project.inputs).toMatchObject({ name: "flightpro", defaultEnvironmentName: "staging" });
    expect(project).toMatchObject({ retainOnDelete: true });
    expect(staging.ofType(`${R}Environment`)).toEqual([]);
    expect(staging.ofType("pulumi:pulumi:StackReference")).toEqual([]);
  });

  it("production joins staging's project as its own environment, running the image staging ran", () => {
    expect(production.ofType(`${R}Project`)).toEqual([]);
    const [env] = production.ofType(`${R}Environment`);
    expect(env.inputs).toMatchObject({ name: "production", projectId: UNKNOWN });
    expect(production.ofType("pulumi:pulumi:StackReference").map((r) => [r.name, r.inputs.name]).sort()).toEqual([
      ["production-api-project", "organization/paved/staging"], ["production-api-promoted", "organization/paved/staging"],
    ]);
    expect(production.ofType("docker:index/image:Image")).toEqual([]);
  });

  it.each([
    [staging, "flightpro-api-staging", 1, "staging-api.flightpro.com"],
    [production, "flightpro-api-production", 2, "api.flightpro.com"],
  ])("runs %#: service %s with %i replicas in us-east4, /health, secrets as secret variables, and the hostname %s", (planned, name, replicas, host) => {
    const service = planned.ofType(`${R}Service`).find((s) => s.inputs.name === name)!;
    expect(service.inputs).toMatchObject({ name, numReplicas: replicas, region: "us-east4", healthcheckPath: "/health", image: UNKNOWN });
    const vars = service.inputs.variables as Record<string, unknown>;
    for (const key of ["DATABASE_URL", "JWT_SECRET"]) expect(vars[key] instanceof Secret || vars[key] === UNKNOWN, key).toBe(true);
    expect(vars).toMatchObject({ PORT: "8080", LOG_LEVEL: "info", DEBUG: "false" });
    expect(service.additionalSecretOutputs).toContain("variables");
    const [domain] = planned.ofType(`${R}CustomDomain`);
    expect(domain.inputs).toMatchObject({ domain: host, targetPort: 8080 });
    expect(planned.ofType(`${R}ServiceDomain`)).toHaveLength(1);
    const record = planned.ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.inputs.name === host)!;
    expect(record.inputs).toMatchObject({ type: "CNAME", proxied: true, content: UNKNOWN });
  });

  const plans = { staging, production };
  it.each([["staging", false], ["production", true]] as const)("%s runs Redis beside the API in its project and environment, its data on a volume; protected: %s", (stack, kept) => {
    const planned = plans[stack];
    const [api] = planned.ofType(`${R}Service`).filter((s) => s.name.endsWith("-api-service"));
    const redis = planned.ofType(`${R}Service`).find((s) => s.name === `${stack}-cache-redis`)!;
    expect(redis.inputs).toMatchObject({
      name: `flightpro-redis-${stack}`, image: "docker.io/library/redis:7.4-alpine", numReplicas: 1, region: "us-east4",
      startCommand: '/bin/sh -c "exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --appendonly yes --dir /data --maxmemory 256mb"',
    });
    expect(visibleInputs(redis).variables).toEqual({ REDIS_PASSWORD: "[secret]" });
    // The same project and environment as the API: its inputs come from the same resources.
    for (const key of ["projectId", "environmentId"]) {
      expect(api.propertyDependencies[key], key).not.toEqual([]);
      expect(redis.propertyDependencies[key], key).toEqual(expect.arrayContaining(api.propertyDependencies[key]));
    }
    expect(redis).toMatchObject({ protect: kept, retainOnDelete: kept });
    const [volume] = planned.ofType(`${R}Volume`);
    expect(volume.inputs).toMatchObject({ name: `flightpro-redis-${stack}-data`, mountPath: "/data", region: "us-east4" });
    expect(volume.propertyDependencies.serviceId).toEqual([redis.urn]);
    expect(volume.propertyDependencies.environmentId).toEqual(expect.arrayContaining(api.propertyDependencies.environmentId));
    expect(volume).toMatchObject({ protect: kept, retainOnDelete: kept });
  });

  it.each(["staging", "production"] as const)("%s hands REDIS_URL to the API as a secret Railway variable, from the cache's password; Redis gets no domain", (stack) => {
    const planned = plans[stack];
    const api = planned.ofType(`${R}Service`).find((s) => s.name === `${stack}-api-service`)!;
    expect(visibleInputs(api).variables).toMatchObject({ REDIS_URL: "[secret]" });
    const vars = api.inputs.variables as Record<string, unknown>;
    expect(vars.REDIS_URL instanceof Secret || vars.REDIS_URL === UNKNOWN).toBe(true);
    const [password] = planned.ofType("random:index/randomPassword:RandomPassword").filter((r) => r.name === `${stack}-cache-password`);
    expect(api.propertyDependencies.variables).toContain(password.urn);
    const redis = planned.ofType(`${R}Service`).find((s) => s.name === `${stack}-cache-redis`)!;
    const domains = [...planned.ofType(`${R}ServiceDomain`), ...planned.ofType(`${R}CustomDomain`)];
    expect(domains.flatMap((d) => d.propertyDependencies.serviceId)).not.toContain(redis.urn);
  });

  it("builds the image in staging, from apps/api/Dockerfile", () => {
    const [image] = staging.ofType("docker:index/image:Image");
    expect(image.inputs).toMatchObject({ build: { context: ".", dockerfile: "apps/api/Dockerfile" }, imageName: "ghcr.io/flightpro/flightpro-api:staging" });
  });

  it("keeps the data in managed Neon Postgres: seven days of history and protection in production", () => {
    const [prod] = production.ofType("paved:neon:Project");
    expect(prod.inputs).toMatchObject({ name: "flightpro-production", regionId: "aws-us-east-1", historyRetentionSeconds: 7 * 86_400 });
    expect(prod).toMatchObject({ protect: true, retainOnDelete: true });
    const [stage] = staging.ofType("paved:neon:Project");
    expect(stage.inputs).toMatchObject({ name: "flightpro-staging", regionId: "aws-us-east-1", historyRetentionSeconds: 86_400 });
  });

  it("goes staging -> main with an approval, and rotates the JWT secret every 90 days", () => {
    const [stageBranch] = staging.ofType("github:index/branchProtection:BranchProtection");
    expect(stageBranch.inputs).toMatchObject({ pattern: "staging", requiredPullRequestReviews: [] });
    const [mainBranch] = production.ofType("github:index/branchProtection:BranchProtection");
    expect(mainBranch.inputs).toMatchObject({ pattern: "main", requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1 }] });
    const [env] = production.ofType("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(env.inputs).toMatchObject({ environment: "production", reviewers: [{ users: [3141592] }] });
    for (const planned of [staging, production]) {
      const [jwt] = planned.ofType("random:index/randomPassword:RandomPassword").filter((r) => r.name.endsWith("-jwt-secret"));
      expect(jwt.inputs).toMatchObject({ length: 64, keepers: { rotation: "2026-11" } });
    }
  });

  it("alerts as FlightPro's guide says: error rate > 2 % for 5 min pages, p95 > 1 s for 10 min warns", () => {
    const alerts = production.ofType("sentry:index/sentryMetricAlert:SentryMetricAlert");
    const byName = (name: string) => alerts.find((a) => a.inputs.name === name);
    expect(byName("P1 · api error rate > 2 % for 5 min")?.inputs).toMatchObject({ aggregate: "failure_rate()", timeWindow: 5 });
    expect(byName("P2 · api p95 > 1000 ms for 10 min")?.inputs).toMatchObject({ aggregate: "p95(transaction.duration)", timeWindow: 10 });
  });
});

describe("FlightPro: the guide's addresses", () => {
  it("serves staging's web at app-staging.flightpro.com and production's at app.flightpro.com", () => {
    expect(staging.ofType("vercel:index/projectDomain:ProjectDomain").map((d) => d.inputs.domain)).toEqual(["app-staging.flightpro.com"]);
    expect(production.ofType("vercel:index/projectDomain:ProjectDomain").map((d) => d.inputs.domain)).toEqual(["app.flightpro.com"]);
  });
});

describe("FlightPro: Critical -> PagerDuty, Warning -> Slack #alerts, Info (deploys) -> Slack #deploys", () => {
  it("pages for production's critical alerts and posts its warnings to #alerts", () => {
    const { checks, sentry, slack } = alertRouting(production);
    expect(slack).toEqual({ "slack-alerts": { channel: "#alerts", url: "[secret]" } });
    expect(checks).toEqual({ "production-uptime api (P1)": ["pagerduty-p1"], "production-uptime web (P2)": ["slack-alerts"] });
    expect(sentry).toEqual({
      "P1 · api error rate > 2 % for 5 min": ["pagerduty 88312"], "P1 · web error rate > 2 % for 5 min": ["pagerduty 88312"],
      "P2 · api p95 > 1000 ms for 10 min": ["slack #alerts"], "P2 · api new issue": ["slack #alerts"], "P2 · web new issue": ["slack #alerts"],
    });
  });

  it.each([[staging, "staging"], [production, "production"]])("hands the deploy job of %# its #deploys webhook as a secret of its GitHub environment", (planned, env) => {
    const secrets = planned.ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").filter((s) => s.inputs.secretName === "PAVED_DEPLOY_WEBHOOKS");
    expect(secrets).toHaveLength(1);
    expect(secrets[0].inputs).toMatchObject({ environment: env, repository: "flightpro" });
    expect(secrets[0].inputs.value).toBeInstanceOf(Secret);
  });

  it("pages production's P1 for a failed deploy: a PagerDuty key of the deploy job's own, kept as a secret of its GitHub environment", () => {
    const [integration] = production.ofType("pagerduty:index/serviceIntegration:ServiceIntegration").filter((i) => i.name === "production-paging-p1-deploys");
    expect(integration.inputs).toMatchObject({ name: "paved deploy job (failed deploys)", type: "events_api_v2_inbound_integration" });
    expect(integration.additionalSecretOutputs).toEqual(["integrationKey"]);
    const [p1] = production.ofType("pagerduty:index/service:Service").filter((s) => s.name === "production-paging-p1");
    expect(integration.propertyDependencies.service).toEqual([p1.urn]);
    const [key] = production.ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").filter((s) => s.inputs.secretName === "PAVED_DEPLOY_PAGERDUTY_KEY");
    expect(key.inputs).toMatchObject({ environment: "production", repository: "flightpro" });
    expect(hiddenValue(key.inputs.value)).toBe(true);
    expect(staging.ofType("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").map((s) => s.inputs.secretName)).not.toContain("PAVED_DEPLOY_PAGERDUTY_KEY");
  });

  it("never pages from staging: its warnings go to #alerts", () => {
    const { checks } = alertRouting(staging);
    expect(checks).toEqual({ "staging-uptime api (P2)": ["slack-alerts"], "staging-uptime web (P2)": ["slack-alerts"] });
    expect(staging.ofType("pagerduty:index/service:Service")).toEqual([]);
  });
});

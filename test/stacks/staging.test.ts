import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";

const planned = planOnce("staging");
const ofType = planned.ofType;

describe("the default staging stack (PlanningOS)", () => {
  it("serves staging.planningos.com from develop", () => {
    const [project] = ofType("vercel:index/project:Project");
    expect(project.inputs).toMatchObject({ name: "planningos-staging", gitRepository: { productionBranch: "develop" } });
    const record = ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.name === "staging-cdn-web")!;
    expect(record.inputs).toMatchObject({ name: "staging.planningos.com", proxied: true });
  });

  it("runs one Fly.io machine, builds the image, and keeps one day of Neon history", () => {
    expect(ofType("paved:fly:Machine").filter((m) => !m.parent?.includes("paved:logs:Logs"))).toHaveLength(1);
    const [image] = ofType("docker:index/image:Image");
    expect(image.inputs).toMatchObject({ imageName: "ghcr.io/planningos/planningos-api:staging", build: { context: ".", dockerfile: "docker/Dockerfile.api" } });
    const [project] = ofType("paved:neon:Project");
    expect(project.inputs.historyRetentionSeconds).toBe(86_400);
    expect(project.protect).toBe(false);
    const record = ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.name === "staging-cdn-api")!;
    expect(record.inputs.name).toBe("api-staging.planningos.com");
  });

  it("leaves zone-wide settings to production and protects nothing", () => {
    expect(ofType("cloudflare:index/zoneSetting:ZoneSetting")).toHaveLength(0);
    expect(ofType("cloudflare:index/ruleset:Ruleset")).toHaveLength(0);
    expect(planned.plan.resources.filter((r) => r.protect)).toEqual([]);
  });

  it("guards develop with required checks only, and leaves repository settings to production", () => {
    const [protection] = ofType("github:index/branchProtection:BranchProtection");
    expect(protection.inputs).toMatchObject({
      pattern: "develop", allowsForcePushes: false, allowsDeletions: false,
      requiredStatusChecks: [{ strict: true, contexts: ["ci/test", "ci/build"] }], requiredPullRequestReviews: [],
    });
    expect(ofType("github:index/repository:Repository")).toHaveLength(0);
    expect(ofType("github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts")).toHaveLength(0);
  });

  it("deploys the staging environment from develop only, with no reviewers", () => {
    const [environment] = ofType("github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environment.inputs).toMatchObject({ environment: "staging", reviewers: [] });
    const [policy] = ofType("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policy.inputs).toMatchObject({ environment: "staging", branchPattern: "develop" });
  });

  it("routes staging's uptime and Sentry alerts to email, never paging", () => {
    expect(ofType("pagerduty:index/service:Service")).toEqual([]);
    expect(ofType("checkly:index/alertChannel:AlertChannel").map((c) => c.inputs.email)).toEqual([{ address: "dev@planningos.com" }]);
    const alerts = ofType("sentry:index/sentryMetricAlert:SentryMetricAlert").map((a) => a.inputs.name);
    expect(alerts).toEqual(["P2 · api error rate > 1 % for 5 min", "P2 · api p99 > 500 ms for 5 min", "P2 · web error rate > 1 % for 5 min"]);
  });

  it("alerts through Grafana on the staging machine's memory (> 80 %) and CPU (> 70 % for 10 min), emailing the team at P2", () => {
    const [source] = ofType("grafana:oss/dataSource:DataSource");
    expect(source.inputs).toMatchObject({ name: "planningos staging Fly.io Prometheus", url: "https://api.fly.io/prometheus/planningos/" });
    const [group] = ofType("grafana:alerting/ruleGroup:RuleGroup");
    const rules = group.inputs.rules as Array<{ name: string; notificationSettings: { contactPoint: string }; datas: Array<{ model: string }> }>;
    expect(rules.map((r) => [r.name, r.notificationSettings.contactPoint])).toEqual([
      ["P2 · api memory > 80 % for 5 min", "planningos staging P2"], ["P2 · api cpu > 70 % for 10 min", "planningos staging P2"],
    ]);
    expect(JSON.parse(rules[0].datas[0].model).expr).toContain('{app="planningos-api-staging"}');
    expect(ofType("grafana:alerting/contactPoint:ContactPoint").map((c) => c.inputs)).toEqual([
      { name: "planningos staging P2", emails: [{ addresses: ["dev@planningos.com"], singleEmail: true }] },
    ]);
    // The stack file turns the connections row off: Grafana's query every minute would keep staging's compute awake.
    expect(planned.plan.config.monitors!.report.filter((r) => !r.planned)).toEqual([
      { row: "DB connections > 80 % of the pool", kind: "db-connections", off: "paved:monitors.grafana.dbConnections is false" },
    ]);
  });
});

describe("the default staging stack's Sentry projects", () => {
  it("are not protected: staging's error history is not production's", () => {
    const projects = planned.ofType("sentry:index/sentryProject:SentryProject");
    expect(projects.length).toBe(2);
    for (const p of projects) expect(p).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";
import { visibleInputs } from "../../scripts/lib/snapshot";

const planned = planOnce("production");
const ofType = planned.ofType;
/** A value made by another resource: a secret, or (in a preview) not known yet, never plain text. */
const hidden = (v: unknown) => v instanceof Secret || v === UNKNOWN;

describe("the default production stack (PlanningOS)", () => {
  it("plans the web host, its domain, variables, DNS, zone settings, rulesets and secrets", () => {
    const counts = Object.fromEntries([...new Set(planned.plan.resources.map((r) => r.type))].map((t) => [t, ofType(t).length]));
    expect(counts).toEqual({
      "paved:environment:Environment": 1, "paved:secrets:Secrets": 1, "paved:web:WebHost": 1, "paved:cdn:Cdn": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "vercel:index/project:Project": 1, "vercel:index/projectDomain:ProjectDomain": 1,
      "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": 3,
      "cloudflare:index/dnsRecord:DnsRecord": 2, "cloudflare:index/zoneSetting:ZoneSetting": 5, "cloudflare:index/ruleset:Ruleset": 3,
      "paved:api:ApiApp": 1, "pulumi:pulumi:StackReference": 1,
      "paved:fly:App": 2, "paved:fly:Machine": 3, "paved:fly:Migration": 1, "paved:fly:Secrets": 2,
      "paved:fly:Certificate": 1, "paved:fly:IpAddress": 2,
      "paved:database:Database": 1, "paved:neon:Project": 1, "paved:neon:Role": 1,
      "paved:neon:Database": 1,
      "paved:github:Repository": 1, "github:index/repository:Repository": 1,
      "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts": 1,
      "github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates": 1,
      "github:index/branchProtection:BranchProtection": 1, "github:index/repositoryEnvironment:RepositoryEnvironment": 1,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": 1,
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": 2,
      "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": 1,
      "paved:monitors:Paging": 1, "pagerduty:index/escalationPolicy:EscalationPolicy": 1, "pagerduty:index/service:Service": 1,
      "pagerduty:index/serviceIntegration:ServiceIntegration": 2,
      "paved:monitors:ErrorTracking": 1, "sentry:index/sentryProject:SentryProject": 2, "sentry:index/sentryKey:SentryKey": 2,
      "sentry:index/sentryMetricAlert:SentryMetricAlert": 3, "sentry:index/sentryIssueAlert:SentryIssueAlert": 2,
      "paved:monitors:Uptime": 1, "checkly:index/check:Check": 2, "checkly:index/alertChannel:AlertChannel": 3,
      "paved:monitors:ResourceAlerts": 1, "grafana:oss/dataSource:DataSource": 2, "grafana:oss/folder:Folder": 1,
      "grafana:alerting/ruleGroup:RuleGroup": 1, "grafana:alerting/contactPoint:ContactPoint": 1,
      "paved:logs:Logs": 1, "paved:axiom:Dataset": 1, "vercel:index/logDrain:LogDrain": 1,
      "paved:secrets:DopplerSecrets": 1, "doppler:index/secret:Secret": 6,
    });
  });

  it("runs the API on two Fly.io machines in cdg, from the image staging ran", () => {
    // The log shipper's machine is the Logs component's (test/stacks/planningos-logs.test.ts).
    const machines = ofType("paved:fly:Machine").filter((m) => !m.parent?.includes("paved:logs:Logs"));
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
    const [secrets] = ofType("paved:fly:Secrets").filter((s) => !s.parent?.includes("paved:logs:Logs"));
    expect(Object.keys(secrets.inputs.values as object).sort()).toEqual(["DATABASE_URL", "JWT_SECRET", "SENTRY_DSN"]);
    expect(hidden((secrets.inputs.values as Record<string, unknown>).SENTRY_DSN)).toBe(true);
    expect(secrets.additionalSecretOutputs).toContain("values");
    const env = (ofType("paved:fly:Machine")[0].inputs.config as { env: object }).env;
    expect(Object.keys(env)).not.toContain("DATABASE_URL");
  });

  it("certifies api-production.planningos.com, points a proxied AAAA at the Fly app's IPv6, and gives the web host the API URL", () => {
    expect(ofType("paved:fly:Certificate")[0].inputs.hostname).toBe("api-production.planningos.com");
    expect(ofType("paved:fly:IpAddress").map((ip) => ip.inputs.type).sort()).toEqual(["shared_v4", "v6"]);
    const record = ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.name === "production-cdn-api")!;
    expect(record.inputs).toMatchObject({ name: "api-production.planningos.com", type: "AAAA", content: UNKNOWN, proxied: true });
    const ipv6 = ofType("paved:fly:IpAddress").find((ip) => ip.inputs.type === "v6")!;
    expect(record.propertyDependencies.content).toEqual([ipv6.urn]);
    const apiUrl = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").find((v) => v.inputs.key === "VITE_API_URL")!;
    expect(apiUrl.inputs.sensitive).toBe(false);
  });

  it("keeps seven days of Neon history and protects the data from deletion", () => {
    const [project] = ofType("paved:neon:Project");
    expect(project.inputs).toMatchObject({ name: "planningos-production", regionId: "aws-eu-central-1", pgVersion: 16, historyRetentionSeconds: 604_800 });
    expect(project).toMatchObject({ protect: true, retainOnDelete: true });
    expect(ofType("paved:neon:Database")[0]).toMatchObject({ protect: true, retainOnDelete: true });
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
      // Sentry's DSN is the key's output: unknown until Sentry has made it.
      VITE_APP_ENV: "production", VITE_API_URL: "https://api-production.planningos.com", VITE_SENTRY_DSN: UNKNOWN,
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

  it("checks api./health and app. every minute from two regions; API down 5 min pages PagerDuty P1 through its uptime key", () => {
    const checks = Object.fromEntries(ofType("checkly:index/check:Check").map((c) => [c.name, c]));
    const api = checks["production-uptime-api"], web = checks["production-uptime-web"];
    expect(api.inputs).toMatchObject({
      type: "API", activated: true, frequency: 1, locations: ["eu-central-1", "us-east-1"], maxResponseTime: 10000,
      request: { url: "https://api-production.planningos.com/health", method: "GET", assertions: [{ source: "STATUS_CODE", comparison: "EQUALS", target: "200" }] },
      alertSettings: { escalationType: "TIME_BASED", timeBasedEscalations: [{ minutesFailingThreshold: 5 }] },
    });
    expect(web.inputs).toMatchObject({ request: { url: "https://app.planningos.com/" } });
    const channels = Object.fromEntries(ofType("checkly:index/alertChannel:AlertChannel").map((c) => [c.name, c]));
    const pager = channels["production-uptime-pagerduty-p1"], email = channels["production-uptime-email-0"], slack = channels["production-uptime-slack-team"];
    const uptimeKey = ofType("pagerduty:index/serviceIntegration:ServiceIntegration").find((i) => i.name === "production-paging-p1-uptime")!;
    expect(uptimeKey.inputs).toMatchObject({ type: "events_api_v2_inbound_integration" });
    expect(uptimeKey.additionalSecretOutputs).toEqual(["integrationKey"]);
    expect(pager.propertyDependencies.pagerduty).toEqual([uptimeKey.urn]);
    expect(hidden((pager.inputs.pagerduty as { serviceKey: unknown }).serviceKey)).toBe(true);
    expect(email.inputs).toMatchObject({ email: { address: "oncall@planningos.com" } });
    expect(api.propertyDependencies.alertChannelSubscriptions).toEqual([pager.urn, email.urn].sort());
    // The web is P2: email and the team's Slack channel, its webhook a secret.
    expect(web.propertyDependencies.alertChannelSubscriptions).toEqual([email.urn, slack.urn].sort());
    expect(slack.inputs.slack).toEqual({ channel: "#planningos-alerts", url: expect.any(Secret) });
    const [service] = ofType("pagerduty:index/service:Service");
    expect(service.inputs).toMatchObject({ name: "planningos production P1", incidentUrgencyRule: { type: "constant", urgency: "high" } });
    expect(service.propertyDependencies.escalationPolicy).toEqual([ofType("pagerduty:index/escalationPolicy:EscalationPolicy")[0].urn]);
  });

  it("gives the API and the web their Sentry DSNs as secrets and alerts on error rate and p99 with the guide's thresholds", () => {
    const dsn = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").find((v) => v.inputs.key === "VITE_SENTRY_DSN")!;
    expect(dsn.inputs).toMatchObject({ sensitive: true });
    expect(hidden(dsn.inputs.value)).toBe(true);
    const alerts = Object.fromEntries(ofType("sentry:index/sentryMetricAlert:SentryMetricAlert").map((a) => [a.name, a.inputs]));
    expect(alerts["production-errors-api-error-rate"]).toMatchObject({
      name: "P1 · api error rate > 1 % for 5 min", aggregate: "failure_rate()", timeWindow: 5, environment: "production",
      triggers: [{ alertThreshold: 0.01, actions: [
        { type: "pagerduty", targetType: "specific", integrationId: 104257, targetIdentifier: "88231" },
        { type: "email", targetType: "team", targetIdentifier: "4508123" },
      ] }],
    });
    expect(alerts["production-errors-api-latency"]).toMatchObject({
      name: "P2 · api p99 > 500 ms for 5 min", aggregate: "p99(transaction.duration)", triggers: [{ alertThreshold: 500 }],
    });
    const issue = ofType("sentry:index/sentryIssueAlert:SentryIssueAlert").find((a) => a.name === "production-errors-api-new-issues")!;
    // P3 posts to the team's Slack channel through Sentry's Slack integration.
    expect(issue.inputs).toMatchObject({ name: "P3 · api new issue", actions: [{ id: "sentry.integrations.slack.notify_action.SlackNotifyServiceAction", workspace: "104258", channel: "#planningos-alerts" }] });
  });

  it("alerts through Grafana when a Fly.io machine's memory passes 80 % for 5 min or its CPU 70 % for 10 min, emailing on-call at P2", () => {
    const [source] = ofType("grafana:oss/dataSource:DataSource").filter((s) => s.inputs.type === "prometheus");
    expect(source.inputs).toMatchObject({ type: "prometheus", url: "https://api.fly.io/prometheus/planningos/" });
    // The token is an encrypted stack value: the plan holds only its secret placeholder.
    expect(source.inputs.secureJsonDataEncoded).toBeInstanceOf(Secret);
    const [group] = ofType("grafana:alerting/ruleGroup:RuleGroup");
    const rules = group.inputs.rules as Array<{ name: string; for: string; notificationSettings: { contactPoint: string }; datas: Array<{ model: string }> }>;
    expect(rules.map((r) => [r.name, r.for, r.notificationSettings.contactPoint])).toEqual([
      ["P2 · api memory > 80 % for 5 min", "5m", "planningos production P2"],
      ["P2 · api cpu > 70 % for 10 min", "10m", "planningos production P2"],
      ["P2 · database connections > 80 % of max_connections for 5 min", "5m", "planningos production P2"],
    ]);
    expect(rules.map((r) => JSON.parse(r.datas[1].model).conditions[0].evaluator.params)).toEqual([[80], [70], [80]]);
    expect(rules.slice(0, 2).map((r) => JSON.parse(r.datas[0].model).expr)).toEqual([
      expect.stringContaining('fly_instance_memory_mem_available{app="planningos-api-production"}'),
      expect.stringContaining('fly_instance_cpu{app="planningos-api-production", mode="idle"}'),
    ]);
    const [contact] = ofType("grafana:alerting/contactPoint:ContactPoint");
    expect(contact.inputs).toEqual({
      name: "planningos production P2", emails: [{ addresses: ["oncall@planningos.com"], singleEmail: true }],
      slacks: [{ recipient: "#planningos-alerts", url: expect.any(Secret) }],
    });
    // P2 is not paged, so Grafana needs no PagerDuty key.
    expect(ofType("pagerduty:index/serviceIntegration:ServiceIntegration").map((i) => i.name).sort()).toEqual(["production-paging-p1-sentry", "production-paging-p1-uptime"]);
  });

  it("alerts through Grafana when the Neon database's client connections pass 80 % of max_connections, reading it as the app role over TLS", () => {
    const source = ofType("grafana:oss/dataSource:DataSource").find((s) => s.inputs.type === "grafana-postgresql-datasource")!;
    expect(source.name).toBe("production-grafana-postgres");
    expect(source.inputs).toMatchObject({ name: "planningos production Postgres", isDefault: false });
    // The Neon database's URI is known once it exists: the plan shows its parts as unknown, all read from that database.
    const [neon] = ofType("paved:neon:Database");
    for (const key of ["url", "username", "jsonDataEncoded", "secureJsonDataEncoded"]) expect(source.propertyDependencies[key]).toEqual([neon.urn]);
    expect(source.additionalSecretOutputs).toContain("secureJsonDataEncoded");
    const rule = (ofType("grafana:alerting/ruleGroup:RuleGroup")[0].inputs.rules as Array<{ labels: Record<string, string>; datas: Array<{ model: string }> }>)
      .find((r) => r.labels.kind === "db-connections")!;
    expect(JSON.parse(rule.datas[0].model).rawSql).toBe("SELECT 100.0 * count(*) / current_setting('max_connections')::int AS percent FROM pg_stat_activity WHERE backend_type = 'client backend'");
    expect(planned.plan.config.monitors!.rules.find((r) => r.kind === "db-connections")).toEqual({
      kind: "db-connections", service: "database",
      watches: "Neon database app of planningos-production, client backends in pg_stat_activity (Grafana over PostgreSQL)",
      threshold: "client connections > 80 % of max_connections", window: "5 min (evaluated every 60 s)", tier: "P2",
      resource: "grafana:RuleGroup production-grafana-rules",
    });
  });

  it("plans every row of its table, logs to Axiom by its dataset", () => {
    expect(planned.plan.config.monitors!.report.filter((r) => !r.planned)).toEqual([]);
    expect(planned.plan.config.monitors!.report.find((r) => r.kind === "logs")).toEqual({ row: "logs to Axiom", kind: "logs", planned: ["paved:axiom:Dataset production-logs-dataset"] });
  });
});

describe("the default production stack keeps its Sentry projects", () => {
  it("protects each Sentry project and keeps it on destroy: it holds the error history", () => {
    const projects = planned.ofType("sentry:index/sentryProject:SentryProject");
    expect(projects.map((p) => [p.inputs.slug, p.protect, p.retainOnDelete])).toEqual([
      ["planningos-api-production", true, true], ["planningos-web-production", true, true],
    ]);
  });
});

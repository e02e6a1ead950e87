import { describe, expect, it } from "vitest";
import { checkPolicies } from "../../scripts/lib/policy";
import { alertRouting, planOnce } from "./fixtures";

const planned = planOnce("examples/Pulumi.plannior-production.yaml", "production");
const ofType = planned.ofType;

describe("Plannior: the apex is the site, www redirects to it", () => {
  it("adds both hosts to the Vercel project, www as a permanent redirect to the apex", () => {
    const domains = ofType("vercel:index/projectDomain:ProjectDomain").map((d) => d.inputs);
    expect(domains.map((d) => [d.domain, d.redirect, d.redirectStatusCode])).toEqual([
      ["plannior.com", undefined, undefined],
      ["www.plannior.com", "plannior.com", 308],
    ]);
  });

  it("routes both hosts through Cloudflare and rate-limits them as this stack's own", () => {
    const records = ofType("cloudflare:index/dnsRecord:DnsRecord").map((r) => [r.name, r.inputs.name, r.inputs.type, r.inputs.proxied]);
    expect(records).toEqual(expect.arrayContaining([
      ["production-cdn-web", "plannior.com", "CNAME", true],
      ["production-cdn-web-www-plannior-com", "www.plannior.com", "CNAME", true],
    ]));
    const limits = ofType("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_ratelimit")!;
    expect((limits.inputs.rules as Array<{ expression: string }>)[0].expression)
      .toBe('(http.host in {"plannior.com" "www.plannior.com" "api.plannior.com"})');
  });

  it("allows only the canonical origin to call the API", () => {
    const [service] = ofType("paved:render:Service");
    expect((service.inputs.envVars as Record<string, unknown>).CORS_ORIGINS).toBe("https://plannior.com");
  });

  it("probes the apex for 200 and www for its redirect, without following it", () => {
    type Request = { url: string; followRedirects: boolean; assertions: Array<{ target: string }> };
    const checks = Object.fromEntries(ofType("checkly:index/check:Check").map((c) => {
      const request = c.inputs.request as Request;
      return [request.url, { followRedirects: request.followRedirects, status: request.assertions[0].target }];
    }));
    expect(Object.keys(checks).sort()).toEqual(["https://api.plannior.com/health", "https://plannior.com/", "https://www.plannior.com/"]);
    expect(checks["https://plannior.com/"]).toEqual({ followRedirects: false, status: "200" });
    expect(checks["https://www.plannior.com/"]).toEqual({ followRedirects: false, status: "308" });
  });

  it("lets the Next.js app's own nonce CSP stand, and passes production policy", () => {
    const headers = ofType("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_response_headers_transform")!;
    const csp = (headers.inputs.rules as Array<{ expression: string; actionParameters: { headers: object } }>)
      .find((rule) => "Content-Security-Policy" in rule.actionParameters.headers)!;
    expect(csp.expression).toBe('not any(lower(http.response.headers.names[*])[*] == "content-security-policy")');
    expect(checkPolicies(planned.plan.resources, "production").mandatory).toBe(0);
  });
});

describe("Plannior: the API on Render", () => {
  it("runs the image Plannior's CI built, pinned by digest: one environment, nothing to promote from", () => {
    const [service] = ofType("paved:render:Service");
    expect((service.inputs.image as { imagePath: string }).imagePath).toMatch(/^ghcr\.io\/plannior\/plannior-api@sha256:[0-9a-f]{64}$/);
    expect(ofType("pulumi:pulumi:StackReference")).toEqual([]);
  });

  it("hands the API its log level in the case the application reads", () => {
    const [service] = ofType("paved:render:Service");
    expect((service.inputs.envVars as Record<string, unknown>).LOG_LEVEL).toBe("INFO");
  });
});

describe("Plannior: the guide's routes", () => {
  it("pages and emails for P1, and posts p95 > 7 s (P3, as the guide tiers it) and error rate > 5 % (P2) to Slack, its webhook a secret", () => {
    const { checks, sentry, slack } = alertRouting(planned);
    expect(slack).toEqual({ "slack-team": { channel: "#plannior-alerts", url: "[secret]" } });
    expect(checks["production-uptime api (P1)"]).toEqual(["email-0", "pagerduty-p1"]);
    expect(checks["production-uptime web (P2)"]).toEqual(["slack-team"]);
    expect(sentry["P3 · api p95 > 7000 ms for 10 min"]).toEqual(["slack #plannior-alerts"]);
    expect(sentry["P2 · api error rate > 5 % for 5 min"]).toEqual(["slack #plannior-alerts"]);
  });
});

describe("Plannior: PagerDuty keys only for what pages", () => {
  it("gives the P1 service Checkly's key and Grafana's: no Sentry alert of Plannior's pages, so no Sentry key and no pagerdutySentryKeys output", () => {
    const integrations = planned.ofType("pagerduty:index/serviceIntegration:ServiceIntegration");
    expect(integrations.map((i) => [i.name, i.inputs.name])).toEqual([
      ["production-paging-p1-uptime", "paved uptime checks (Checkly)"], ["production-paging-p1-grafana", "paved resource alerts (Grafana)"],
    ]);
    expect(planned.plan.outputs).toHaveProperty("kind", "production");
    expect(planned.plan.outputs).not.toHaveProperty("pagerdutySentryKeys");
  });
});

describe("Plannior: DB connections > 20 -> P1, through Grafana over the Neon database", () => {
  it("plans a PostgreSQL data source and one rule, with no Prometheus: the API is on Render", () => {
    expect(planned.ofType("grafana:oss/dataSource:DataSource").map((s) => [s.name, s.inputs.type])).toEqual([
      ["production-grafana-postgres", "grafana-postgresql-datasource"],
    ]);
    const [group] = planned.ofType("grafana:alerting/ruleGroup:RuleGroup");
    const rules = group.inputs.rules as Array<{ name: string; for: string; notificationSettings: { contactPoint: string }; datas: Array<{ model: string }> }>;
    expect(rules.map((r) => [r.name, r.for, r.notificationSettings.contactPoint])).toEqual([["P1 · database connections > 20 for 5 min", "5m", "plannior production P1"]]);
    expect(JSON.parse(rules[0].datas[0].model).rawSql).toBe("SELECT count(*) AS connections FROM pg_stat_activity WHERE backend_type = 'client backend'");
    expect(JSON.parse(rules[0].datas[1].model).conditions).toEqual([{ evaluator: { type: "gt", params: [20] } }]);
    const [contact] = planned.ofType("grafana:alerting/contactPoint:ContactPoint");
    const grafanaKey = planned.ofType("pagerduty:index/serviceIntegration:ServiceIntegration").find((i) => i.name === "production-paging-p1-grafana")!;
    expect(contact.propertyDependencies.pagerduties).toEqual([grafanaKey.urn]);
    expect(contact.inputs.emails).toEqual([{ addresses: ["alerts@plannior.com"], singleEmail: true }]);
  });

  it("reports the row as planned by the rule group", () => {
    expect(planned.plan.config.monitors!.report.find((r) => r.row === "DB connections > 20 -> P1"))
      .toEqual({ row: "DB connections > 20 -> P1", kind: "db-connections", planned: ["grafana:RuleGroup production-grafana-rules"] });
  });
});

describe("Plannior: the API as its guide runs it", () => {
  it("listens on 8000 and gets the OpenRouter key only as a secret, beside its rotated API key", () => {
    const [service] = ofType("paved:render:Service");
    const env = service.inputs.envVars as Record<string, unknown>;
    expect(env.PORT).toBe("8000");
    expect(Object.keys(env)).toEqual(expect.arrayContaining(["API_KEY", "OPENROUTER_API_KEY", "JWT_SECRET"]));
    for (const key of ["API_KEY", "OPENROUTER_API_KEY"]) expect(typeof env[key], key).not.toBe("string");
  });

  it("scales automatically: Render's autoscaling between 2 and 4 instances on CPU 70 % and memory 80 %", () => {
    const [service] = ofType("paved:render:Service");
    expect(service.inputs.autoscaling).toEqual({ min: 2, max: 4, cpuPercent: 70, memoryPercent: 80 });
  });
});

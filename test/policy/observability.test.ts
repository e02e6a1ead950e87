import { describe, expect, it } from "vitest";
import {
  apiHealthCheck, errorLatencyAlerts, healthCheckAlertRoute, healthCheckSettings, noDebugInProduction, publicEndpointHealthCheck, resourceAlerts,
} from "../../policy/observability";
import { UNKNOWN } from "../../policy/offline";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { check, checkStack, planned, set, violations } from "./harness";

describe("health-check-settings", () => {
  const hc = (path: string, value: unknown) => check(healthCheckSettings, T.healthcheck, set(f.healthcheck, path, value));
  it("passes every 60 s, timeout 10 s, alert after 5 minutes", () => expect(hc("name", "api")).toEqual([]));
  it("passes Cloudflare's defaults", () => {
    expect(check(healthCheckSettings, T.healthcheck, { zoneId: f.ZONE, name: "api", address: "api.example.com", type: "HTTPS" })).toEqual([]);
  });
  it("fails plain HTTP", () => expect(hc("type", "HTTP")).toEqual(["Check the endpoint over HTTPS."]));
  it("fails an unverified certificate", () => expect(hc("httpConfig.allowInsecure", true)).toEqual(["Verify the endpoint's certificate (allowInsecure off)."]));
  it("fails a suspended check", () => expect(hc("suspended", true)).toEqual(["Resume the suspended health check."]));
  it("fails a slow interval", () => {
    expect(hc("interval", 120)).toEqual([
      "Check at least every 60 seconds.",
      "Alert within 300 seconds of failure: lower the interval or consecutive fails.",
    ]);
  });
  it("fails a long timeout", () => expect(hc("timeout", 30)).toEqual(["Time the check out within 10 seconds."]));
  it("fails a late alert", () => {
    expect(hc("consecutiveFails", 10)).toEqual(["Alert within 300 seconds of failure: lower the interval or consecutive fails."]);
  });
});

describe("health-check-alert-route", () => {
  const check1 = planned(T.healthcheck, "api-health", f.healthcheck);
  const route = (props: object, link: "filters" | "dependency" | "none" = "filters") => planned(T.notificationPolicy, "api-alert",
    { ...props, filters: { healthCheckIds: [UNKNOWN] } },
    link === "filters" ? { propertyDependencies: { filters: [check1.urn] } } : link === "dependency" ? { dependencies: [check1.urn] } : {});
  it("passes a check linked through its filter", () => expect(checkStack(healthCheckAlertRoute, [check1, route(f.notificationPolicy)])).toEqual([]));
  it("passes a check linked as a dependency", () => {
    expect(checkStack(healthCheckAlertRoute, [check1, route(f.notificationPolicy, "dependency")])).toEqual([]);
  });
  it("fails a check nobody is told about", () => {
    expect(checkStack(healthCheckAlertRoute, [check1, route(f.notificationPolicy, "none")]))
      .toEqual(["Route the health check's failures to a notification policy."]);
  });
  it("fails a route of another alert type", () => {
    expect(checkStack(healthCheckAlertRoute, [check1, route({ ...f.notificationPolicy, alertType: "load_balancing_health_alert" })]))
      .toEqual(["Route the health check's failures to a notification policy."]);
  });
  const dead = "Enable the health check's notification policy and give it an email, webhook or PagerDuty route.";
  it("fails a disabled route", () => {
    expect(checkStack(healthCheckAlertRoute, [check1, route({ ...f.notificationPolicy, enabled: false })])).toEqual([dead]);
  });
  it("fails a route with no mechanism", () => {
    expect(checkStack(healthCheckAlertRoute, [check1, route({ ...f.notificationPolicy, mechanisms: { emails: [] } })])).toEqual([dead]);
  });
});

describe("public-endpoint-health-check", () => {
  const api = planned(T.dnsRecord, "api", { ...f.dnsRecord, name: "api.example.com" });
  const hc = planned(T.healthcheck, "api-health", f.healthcheck);
  it("passes a monitored host", () => expect(checkStack(publicEndpointHealthCheck, [api, hc])).toEqual([]));
  it("matches a zone-relative record name", () => {
    expect(checkStack(publicEndpointHealthCheck, [planned(T.dnsRecord, "api", { ...f.dnsRecord, name: "api" }), hc])).toEqual([]);
  });
  it("ignores unproxied and non-web records", () => {
    const txt = planned(T.dnsRecord, "txt", { ...f.dnsRecord, type: "TXT", proxied: false });
    expect(checkStack(publicEndpointHealthCheck, [txt])).toEqual([]);
  });
  it("honours unmonitoredNames", () => {
    expect(checkStack(publicEndpointHealthCheck, [api], { unmonitoredNames: ["api.example.com"] })).toEqual([]);
  });
  it("fails an unmonitored host", () => {
    const app = planned(T.dnsRecord, "app", f.dnsRecord);
    expect(checkStack(publicEndpointHealthCheck, [app, hc])).toEqual(["Add a health check for the public hostname."]);
  });
  const checkly = (props: object) => planned(T.checklyCheck, "api-uptime", { activated: true, muted: false, request: { url: "https://api.example.com/health" }, ...props });
  it("passes a host an external uptime check (Checkly) watches", () => {
    expect(checkStack(publicEndpointHealthCheck, [api, checkly({})])).toEqual([]);
  });
  it.each([["deactivated", { activated: false }], ["muted", { muted: true }]])("fails a host whose Checkly check is %s", (_label, props) => {
    expect(checkStack(publicEndpointHealthCheck, [api, checkly(props)])).toEqual(["Add a health check for the public hostname."]);
  });
  it("fails a host a Checkly check of another host watches", () => {
    expect(checkStack(publicEndpointHealthCheck, [api, checkly({ request: { url: "https://app.example.com/" } })])).toEqual(["Add a health check for the public hostname."]);
  });

  const HOST = "Add a health check for the public hostname.";
  const PLATFORM = "Add an uptime check of the service's own URL on its platform's domain.";
  it("fails a Vercel project domain no check watches, and passes one a Checkly check probes", () => {
    const domain = planned(T.vercelProjectDomain, "web-domain", { domain: "acme-production.vercel.app" });
    expect(checkStack(publicEndpointHealthCheck, [domain])).toEqual([HOST]);
    expect(checkStack(publicEndpointHealthCheck, [domain, checkly({ request: { url: "https://acme-production.vercel.app/" } })])).toEqual([]);
  });

  it("fails a Fly app served only on its fly.dev name with no check of it; a certificate for a hostname of ours moves the check there", () => {
    const app = planned(T.flyApp, "api-app", { name: "acme-api" });
    const ip = planned(T.flyIpAddress, "api-ipv6", { app: UNKNOWN, type: "v6" }, { propertyDependencies: { app: [app.urn] } });
    expect(checkStack(publicEndpointHealthCheck, [app, ip])).toEqual([HOST]);
    expect(checkStack(publicEndpointHealthCheck, [app, ip, checkly({ request: { url: "https://acme-api.fly.dev/health" } })])).toEqual([]);
    const cert = planned(T.flyCertificate, "api-cert", { app: UNKNOWN, hostname: "api.example.com" }, { propertyDependencies: { app: [app.urn] } });
    expect(checkStack(publicEndpointHealthCheck, [app, ip, cert])).toEqual([]);
  });

  it("passes a Fly app with no public address: it has no fly.dev name to check (a log shipper)", () => {
    expect(checkStack(publicEndpointHealthCheck, [planned(T.flyApp, "logs-fly-app", { name: "acme-api-logs" })])).toEqual([]);
  });

  it("fails a Render service on its onrender.com name alone unless a Checkly check reads its URL from it", () => {
    const service = planned(T.renderService, "api-service", { name: "acme-api", customDomains: [] });
    expect(checkStack(publicEndpointHealthCheck, [service])).toEqual([PLATFORM]);
    const reading = checkly({ request: { url: UNKNOWN } });
    expect(checkStack(publicEndpointHealthCheck, [service, { ...reading, propertyDependencies: { request: [service.urn] } }])).toEqual([]);
    expect(checkStack(publicEndpointHealthCheck, [service, reading])).toEqual([PLATFORM]);
    expect(checkStack(publicEndpointHealthCheck, [{ ...service, props: { ...service.props, customDomains: [{ name: "api.example.com" }] } }])).toEqual([]);
  });

  it("fails a Railway service domain with no custom domain beside it unless a Checkly check reads its URL from it", () => {
    const svc = planned(T.railwayService, "api-service", { name: "acme-api" });
    const own = planned(T.railwayServiceDomain, "api-railway-domain", { serviceId: UNKNOWN }, { propertyDependencies: { serviceId: [svc.urn] } });
    expect(checkStack(publicEndpointHealthCheck, [svc, own])).toEqual([PLATFORM]);
    const reading = { ...checkly({ request: { url: UNKNOWN } }), dependencies: [own.urn] };
    expect(checkStack(publicEndpointHealthCheck, [svc, own, reading])).toEqual([]);
    const custom = planned(T.railwayCustomDomain, "api-domain", { serviceId: UNKNOWN, domain: "api.example.com" }, { propertyDependencies: { serviceId: [svc.urn] } });
    expect(checkStack(publicEndpointHealthCheck, [svc, own, custom])).toEqual([]);
  });
});

describe("error-latency-alerts", () => {
  const app = planned(T.flyMachine, "api-cdg-1", f.flyMachine);
  const PAGE = { type: "pagerduty", targetType: "specific", integrationId: 104257, targetIdentifier: "88231" };
  const SLACK = { type: "slack", targetType: "specific", integrationId: 104258, targetIdentifier: "#alerts" };
  const alert = (name: string, aggregate: string, actions: unknown[] = [PAGE]) =>
    planned(T.sentryMetricAlert, name.replace(/\W+/g, "-"), { name, aggregate, triggers: [{ label: "critical", actions }] });
  const errors = alert("P1 · api error rate > 1 % for 5 min", "failure_rate()");
  const latency = alert("P2 · api p95 > 500 ms for 10 min", "p95(transaction.duration)");
  const ERROR = "Add a Sentry error-rate alert.";
  const LATENCY = "Add a Sentry p95 or p99 latency alert.";
  const UNROUTED = (what: string) => `Route the Sentry ${what} alert to PagerDuty, email or Slack: its actions reach no one.`;
  it("passes an app with a paged error-rate alert and a paged latency alert", () => {
    expect(checkStack(errorLatencyAlerts, [app, errors, latency])).toEqual([]);
  });
  it("passes an error count and a p99 latency alert", () => {
    expect(checkStack(errorLatencyAlerts, [app, alert("P1 · errors > 10/min", "count()"), alert("P1 · p99 > 1 s", "p99(transaction.duration)")])).toEqual([]);
  });
  it("passes alerts at P3 that post to Slack: the tier is the team's call", () => {
    expect(checkStack(errorLatencyAlerts, [app, alert("P3 · api error rate", "failure_rate()", [SLACK]), alert("P3 · api p95", "p95(transaction.duration)", [SLACK])])).toEqual([]);
  });
  it("passes alerts that email a team", () => {
    const email = { type: "email", targetType: "team", targetIdentifier: "4508123" };
    expect(checkStack(errorLatencyAlerts, [app, alert("P2 · api error rate", "failure_rate()", [email]), alert("P2 · api p99", "p99(transaction.duration)", [email])])).toEqual([]);
  });
  const EMAIL = { type: "email", targetType: "team", targetIdentifier: "4508123" };
  it.each([
    ["P1", "paged", PAGE], ["P2", "emailed", EMAIL], ["P3", "posted to Slack", SLACK],
  ])("passes error-rate and latency alerts at %s %s", (tier, _how, action) => {
    expect(checkStack(errorLatencyAlerts, [app, alert(`${tier} · api error rate`, "failure_rate()", [action]), alert(`${tier} · api p99`, "p99(transaction.duration)", [action])])).toEqual([]);
  });
  it("passes when one of two alerts of a kind reaches someone", () => {
    expect(checkStack(errorLatencyAlerts, [app, alert("P3 · web error rate", "failure_rate()", []), errors, latency])).toEqual([]);
  });
  it("fails an app with a latency alert and no error alert", () => expect(checkStack(errorLatencyAlerts, [app, latency])).toEqual([ERROR]));
  it("fails an app with an error alert and no latency alert", () => expect(checkStack(errorLatencyAlerts, [app, errors])).toEqual([LATENCY]));
  it("fails alerts whose actions go to no destination a person reads (a Sentry app, an action with no type)", () => {
    const sentryApp = { type: "sentry_app", targetType: "sentry_app", targetIdentifier: "12" };
    expect(checkStack(errorLatencyAlerts, [app, alert("P1 · api error rate", "failure_rate()", [sentryApp]), alert("P2 · api p99", "p99(transaction.duration)", [{ targetIdentifier: "88231" }])]))
      .toEqual([UNROUTED("error-rate"), UNROUTED("p95 or p99 latency")]);
  });
  it("passes a stack that runs no app", () => expect(checkStack(errorLatencyAlerts, [])).toEqual([]));
  it("fails an app without alerts", () => expect(checkStack(errorLatencyAlerts, [app])).toEqual([ERROR, LATENCY]));
  it("fails alerts that tell no one", () => {
    expect(checkStack(errorLatencyAlerts, [app, alert(errors.props.name as string, "failure_rate()", []), latency])).toEqual([UNROUTED("error-rate")]);
    expect(checkStack(errorLatencyAlerts, [app, errors, alert(latency.props.name as string, "p95(transaction.duration)", [])])).toEqual([UNROUTED("p95 or p99 latency")]);
  });
  it("fails alerts whose action names no target (a Slack action with no channel)", () => {
    const noChannel = { ...SLACK, targetIdentifier: "" };
    expect(checkStack(errorLatencyAlerts, [app, alert("P3 · api error rate", "failure_rate()", [noChannel]), latency])).toEqual([UNROUTED("error-rate")]);
  });
  it("fails a p50 latency alert", () => {
    expect(checkStack(errorLatencyAlerts, [app, errors, alert("P1 · api p50", "p50(transaction.duration)")])).toEqual([LATENCY]);
  });
  // paved plans latency alerts for APIs: a front end alone has page loads, whose durations no API threshold fits.
  const web = planned(T.vercelProject, "web-project", { name: "acme-production" });
  const webProject = planned(T.sentryProject, "errors-web", { platform: "javascript-nextjs" });
  it("passes a front end alone with an error-rate alert and no latency alert", () => {
    expect(checkStack(errorLatencyAlerts, [web, webProject, errors])).toEqual([]);
    expect(checkStack(errorLatencyAlerts, [web, webProject])).toEqual([ERROR]);
  });
  it.each([
    ["a Render service", planned(T.renderService, "api-service", { name: "acme-api" })],
    ["a Railway service", planned(T.railwayService, "api-service", { name: "acme-api", healthcheckPath: "/health" })],
    ["a Sentry project of a server platform (a Docker API)", planned(T.sentryProject, "errors-api", { platform: "node" })],
  ])("fails %s without a latency alert", (_label, api) => {
    expect(checkStack(errorLatencyAlerts, [web, api, errors])).toEqual([LATENCY]);
  });
  it("does not count a Railway Redis as an API", () => {
    const redis = planned(T.railwayService, "cache-redis", { name: "acme-redis", startCommand: "redis-server --requirepass x" });
    expect(checkStack(errorLatencyAlerts, [web, redis, errors])).toEqual([]);
  });
});

describe("resource-alerts", () => {
  const machine = planned(T.flyMachine, "api-machine", f.flyMachine);
  const rule = f.grafanaRule, MEMORY = f.FLY_MEMORY, CPU = f.FLY_CPU;
  // In a plan the rules' data source uid is Grafana's to assign: unknown, and never read.
  const group = (...rules: object[]) => planned(T.grafanaRuleGroup, "api-rules", {
    ...f.grafanaRuleGroup, folderUid: UNKNOWN, rules: rules.map((r) => set(r, "datas.0.datasourceUid", UNKNOWN)),
  });
  const ADD_MEMORY = "Add a Grafana alert on the Fly.io machines' memory (paved:monitors.grafana).";
  const ADD_CPU = "Add a Grafana alert on the Fly.io machines' CPU (paved:monitors.grafana).";
  it("passes routed memory and held CPU alerts on the machines", () => {
    expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY), rule(CPU))])).toEqual([]);
  });
  it("passes a stack with no Fly.io machine", () => expect(checkStack(resourceAlerts, [])).toEqual([]));
  it("fails Fly.io machines with no rule group", () => expect(checkStack(resourceAlerts, [machine])).toEqual([ADD_MEMORY, ADD_CPU]));
  it("fails a group with no memory alert", () => expect(checkStack(resourceAlerts, [machine, group(rule(CPU))])).toEqual([ADD_MEMORY]));
  it("fails a group with no CPU alert", () => expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY))])).toEqual([ADD_CPU]));
  it("fails a rule whose query is not JSON", () => {
    const broken = { ...rule(CPU), datas: [{ refId: "A", model: "fly_instance_cpu" }] };
    expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY), broken)])).toEqual([ADD_CPU]);
  });
  it("fails a paused alert", () => {
    expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY, { isPaused: true }), rule(CPU))]))
      .toEqual(["Unpause the Grafana memory alert and route it to a contact point."]);
  });
  it("fails an alert routed to no contact point", () => {
    expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY), rule(CPU, { notificationSettings: undefined }))]))
      .toEqual(["Unpause the Grafana CPU alert and route it to a contact point."]);
  });
  it.each([["no for", undefined], ["for 0s", "0s"]])("fails a CPU alert with %s, which fires on a burst", (_label, held) => {
    expect(checkStack(resourceAlerts, [machine, group(rule(MEMORY), rule(CPU, { for: held }))]))
      .toEqual(["Hold the Grafana CPU alert for some minutes before it fires (for), so a burst is not an alert."]);
  });
});

describe("api-health-check", () => {
  it("passes a Fly machine with checks", () => expect(check(apiHealthCheck, T.flyMachine, f.flyMachine)).toEqual([]));
  it("passes a Render service with a path", () => expect(check(apiHealthCheck, T.renderService, f.renderService)).toEqual([]));
  it("passes service-level checks", () => {
    const props = set(set(f.flyMachine, "config.checks", undefined), "config.services.0.checks", [{ type: "http", path: "/health" }]);
    expect(check(apiHealthCheck, T.flyMachine, props)).toEqual([]);
  });
  it("passes a machine without public services", () => {
    expect(check(apiHealthCheck, T.flyMachine, set(set(f.flyMachine, "config.checks", undefined), "config.services", []))).toEqual([]);
  });
  it("fails a public machine without checks", () => {
    expect(check(apiHealthCheck, T.flyMachine, set(f.flyMachine, "config.checks", {}))).toEqual(["Add a health check to the machine's config."]);
  });
  it("passes a Railway service with a path", () => expect(check(apiHealthCheck, T.railwayService, f.railwayService)).toEqual([]));
  it("passes a Railway Redis, which serves no HTTP to probe", () => expect(check(apiHealthCheck, T.railwayService, f.railwayRedis)).toEqual([]));
  it("still fails a Railway service without a path whose image is Redis but whose start command is not", () => {
    expect(check(apiHealthCheck, T.railwayService, { ...f.railwayRedis, startCommand: undefined })).toEqual(["Set a health check path for the service."]);
  });
  it("fails a Railway service without a path", () => {
    expect(check(apiHealthCheck, T.railwayService, set(f.railwayService, "healthcheckPath", undefined))).toEqual(["Set a health check path for the service."]);
  });
  it("fails a Render service without a path", () => {
    expect(check(apiHealthCheck, T.renderService, { ...f.renderService, healthCheckPath: "" })).toEqual(["Set a health check path for the service."]);
  });
});

describe("no-debug-in-production", () => {
  const DEBUG = "Turn debug switches off (DEBUG, APP_DEBUG, FLASK_DEBUG and the like).";
  const DEVELOPMENT = "Run the app in production mode, not development (NODE_ENV, RAILS_ENV, APP_ENV and the like).";
  const VERBOSE = "Log at info or quieter, not debug or trace.";
  it("passes info logging", () => expect(check(noDebugInProduction, T.flyMachine, f.flyMachine)).toEqual([]));
  it.each(["0", "false", "off", "no", "", "express:router"])("passes DEBUG=%s", (value) => {
    expect(check(noDebugInProduction, T.renderService, set(f.renderService, "envVars.DEBUG", value))).toEqual([]);
  });
  it.each(["1", "true", "TRUE", "Yes", "on", "*"])("fails DEBUG=%s", (value) => {
    expect(check(noDebugInProduction, T.container, set(f.container, "envs", [`DEBUG=${value}`]))).toEqual([DEBUG]);
  });
  it.each(["APP_DEBUG", "FLASK_DEBUG", "DJANGO_DEBUG"])("fails %s=true", (key) => {
    expect(check(noDebugInProduction, T.flyMachine, set(f.flyMachine, `config.env.${key}`, "true"))).toEqual([DEBUG]);
  });
  it.each([
    ["NODE_ENV", "development"], ["RAILS_ENV", "development"], ["RACK_ENV", "development"],
    ["ASPNETCORE_ENVIRONMENT", "Development"], ["APP_ENV", "local"], ["APP_ENV", "dev"], ["APP_ENV", "development"], ["GIN_MODE", "debug"],
  ])("fails %s=%s", (key, value) => {
    expect(check(noDebugInProduction, T.renderService, set(f.renderService, `envVars.${key}`, value))).toEqual([DEVELOPMENT]);
  });
  it.each([["NODE_ENV", "production"], ["RAILS_ENV", "production"], ["ASPNETCORE_ENVIRONMENT", "Production"], ["APP_ENV", "production"], ["GIN_MODE", "release"]])(
    "passes %s=%s", (key, value) => {
      expect(check(noDebugInProduction, T.renderService, set(f.renderService, `envVars.${key}`, value))).toEqual([]);
    });
  // A container's entry unknown in a preview (a secret built from a generated value) has no key: the known ones are still checked.
  it("checks a container's known entries beside one a preview cannot know, instead of giving up on all of them", () => {
    expect(check(noDebugInProduction, T.container, set(f.container, "envs", ["DEBUG=true", UNKNOWN]))).toEqual([DEBUG]);
    expect(check(noDebugInProduction, T.container, set(f.container, "envs", ["DEBUG=false", UNKNOWN, "LOG_LEVEL=info"]))).toEqual([]);
  });
  it("still cannot check a Render service whose DEBUG itself is unknown", () => {
    const report = violations(noDebugInProduction, [planned(T.renderService, "api", set(f.renderService, "envVars.DEBUG", UNKNOWN))]);
    expect(report.map((v) => v.message)).toEqual([expect.stringContaining("can't be checked until deploy")]);
  });
  it("reads no value but the ones it judges: an unknown secret beside them leaves a verdict", () => {
    expect(check(noDebugInProduction, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", UNKNOWN))).toEqual([]);
  });
  it.each([["LOG_LEVEL", "debug"], ["LOG_LEVEL", "TRACE"], ["APP_LOG_LEVEL", "debug"], ["LOGLEVEL", "debug"], ["RUST_LOG", "info,tower_http=debug"], ["RUST_LOG", "trace"]])(
    "fails %s=%s", (key, value) => {
      expect(check(noDebugInProduction, T.flySecrets, set(f.flySecrets, `values.${key}`, value))).toEqual([VERBOSE]);
    });
  it("reads a Railway service's variables", () => {
    expect(check(noDebugInProduction, T.railwayService, f.railwayService)).toEqual([]);
    expect(check(noDebugInProduction, T.railwayService, set(f.railwayService, "variables.DEBUG", "true"))).toEqual([DEBUG]);
  });
  it("reads Vercel variables", () => {
    expect(check(noDebugInProduction, T.vercelEnv, { ...f.vercelEnv, key: "DEBUG", value: "true" })).toEqual([DEBUG]);
    expect(check(noDebugInProduction, T.vercelEnv, { ...f.vercelEnv, key: "NODE_ENV", value: "development" })).toEqual([DEVELOPMENT]);
  });
  it("leaves a Vercel variable of another name unread, even where a preview does not know its value", () => {
    expect(violations(noDebugInProduction, [planned(T.vercelEnv, "dsn", { ...f.vercelEnv, key: "VITE_SENTRY_DSN", value: UNKNOWN })])).toEqual([]);
  });
});

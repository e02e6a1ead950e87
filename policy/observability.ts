import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ENV_TYPES, type Props, eachEnvValue, T, envOf, forTypes, list, obj, readsFrom, reportOnce, startsRedis, whenKnown } from "./util";

/** Cloudflare's values when a health check leaves them out. */
const CF_DEFAULTS = { interval: 60, timeout: 5, consecutiveFails: 1 };

export const healthCheckSettings: ResourceValidationPolicy = {
  name: "health-check-settings",
  description: "Health checks run over verified HTTPS, at least every `maxIntervalSeconds`, time out within `maxTimeoutSeconds` and alert within `maxSecondsToAlert`.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxIntervalSeconds: { type: "integer", minimum: 5, default: 60 },
      maxTimeoutSeconds: { type: "integer", minimum: 1, default: 10 },
      maxSecondsToAlert: { type: "integer", minimum: 60, default: 300 },
    },
  },
  validateResource: forTypes([T.healthcheck], (props, args, report) => {
    const cfg = args.getConfig<{ maxIntervalSeconds: number; maxTimeoutSeconds: number; maxSecondsToAlert: number }>();
    const interval = Number(props.interval ?? CF_DEFAULTS.interval);
    const timeout = Number(props.timeout ?? CF_DEFAULTS.timeout);
    const fails = Math.max(1, Number(props.consecutiveFails ?? CF_DEFAULTS.consecutiveFails));
    if (props.type !== "HTTPS") report("Check the endpoint over HTTPS.");
    if (obj(props.httpConfig)?.allowInsecure === true) report("Verify the endpoint's certificate (allowInsecure off).");
    if (props.suspended === true) report("Resume the suspended health check.");
    if (interval > cfg.maxIntervalSeconds) report(`Check at least every ${cfg.maxIntervalSeconds} seconds.`);
    if (timeout > cfg.maxTimeoutSeconds) report(`Time the check out within ${cfg.maxTimeoutSeconds} seconds.`);
    if (interval * fails > cfg.maxSecondsToAlert) {
      report(`Alert within ${cfg.maxSecondsToAlert} seconds of failure: lower the interval or consecutive fails.`);
    }
  }),
};

function hasMechanism(policy: PolicyResource): boolean {
  const mechanisms = obj(policy.props.mechanisms) ?? {};
  return ["emails", "webhooks", "pagerduties"].some((kind) => list(mechanisms[kind]).length > 0);
}

export const healthCheckAlertRoute: StackValidationPolicy = {
  name: "health-check-alert-route",
  description: "Every health check feeds an enabled health-check notification policy with at least one mechanism.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const routes = args.resources.filter((r) =>
      r.type === T.notificationPolicy && r.props.alertType === "health_check_status_notification");
    for (const check of args.resources.filter((r) => r.type === T.healthcheck)) {
      // Health check ids are unknown until deploy, so the link is the dependency the program declared.
      const linked = routes.filter((route) => readsFrom(route, check));
      if (linked.length === 0) {
        reportViolation("Route the health check's failures to a notification policy.", check.urn);
      } else if (!linked.some((route) => route.props.enabled !== false && hasMechanism(route))) {
        reportViolation("Enable the health check's notification policy and give it an email, webhook or PagerDuty route.", check.urn);
      }
    }
  },
};

export const publicEndpointHealthCheck: StackValidationPolicy = {
  name: "public-endpoint-health-check",
  description: "Every public hostname the stack serves has a health check, the platforms' own names (vercel.app, onrender.com, up.railway.app, fly.dev) included.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { unmonitoredNames: { type: "array", items: { type: "string" }, default: [] } } },
  validateStack: (args, reportViolation) => {
    const { unmonitoredNames } = args.getConfig<{ unmonitoredNames: string[] }>();
    // An external uptime check (Checkly) counts when it is on and alerts someone.
    const checkly = args.resources.filter((r) => r.type === T.checklyCheck && r.props.activated !== false && r.props.muted !== true);
    const addresses = [
      ...args.resources.filter((r) => r.type === T.healthcheck).map((r) => String(r.props.address)),
      // A check whose URL comes from a platform's name for a service counts through its dependency instead.
      ...checkly.map((r) => whenKnown(() => hostOf(obj(r.props.request)?.url)) ?? ""),
    ];
    const watched = (name: string) => addresses.some((address) => address === name || address.startsWith(`${name}.`));
    // Hosts known in the plan: the Vercel project's domains, and a Fly app's fly.dev name when it has no hostname of ours.
    const certificates = args.resources.filter((r) => r.type === T.flyCertificate);
    // A Fly app answers on fly.dev only through a public address (a log shipper has none).
    const addressed = (app: PolicyResource) => args.resources.some((ip) => ip.type === T.flyIpAddress && readsFrom(ip, app));
    const named = [
      ...args.resources.filter((r) => r.type === T.vercelProjectDomain).map((r) => ({ r, name: String(r.props.domain) })),
      ...args.resources.filter((r) => r.type === T.flyApp && addressed(r) && !certificates.some((c) => readsFrom(c, r))).map((r) => ({ r, name: `${String(r.props.name)}.fly.dev` })),
    ];
    for (const { r, name } of named) {
      if (!unmonitoredNames.includes(name) && !watched(name)) reportViolation("Add a health check for the public hostname.", r.urn);
    }
    // Names the platform gives when it creates the service: a check of one reads its URL from the resource.
    const platformNamed = [
      ...args.resources.filter((r) => r.type === T.renderService && list(r.props.customDomains).length === 0),
      ...args.resources.filter((r) => r.type === T.railwayServiceDomain && !args.resources.some((c) => c.type === T.railwayCustomDomain &&
        args.resources.some((svc) => svc.type === T.railwayService && readsFrom(r, svc) && readsFrom(c, svc)))),
    ];
    for (const r of platformNamed) {
      if (!checkly.some((c) => readsFrom(c, r))) reportViolation("Add an uptime check of the service's own URL on its platform's domain.", r.urn);
    }
    const hosts = args.resources.filter((r) => (r.type === T.dnsRecord || r.type === T.legacyRecord) &&
      ["A", "AAAA", "CNAME"].includes(String(r.props.type)) && r.props.proxied === true);
    for (const host of hosts) {
      const name = String(host.props.name);
      if (unmonitoredNames.includes(name)) continue;
      // A record's name may be relative to its zone ("api") or fully qualified ("api.example.com").
      if (!watched(name)) {
        reportViolation("Add a health check for the public hostname.", host.urn);
      }
    }
  },
};

function hostOf(url: unknown): string {
  const m = /^https?:\/\/([^/:]+)/.exec(String(url ?? ""));
  return m ? m[1] : "";
}

/** An action that reaches a person: a destination Sentry sends to and the target it names there (a service, a team, a channel). */
const REACHING = ["pagerduty", "email", "slack", "msteams", "opsgenie", "discord"];
const reaches = (action: unknown) => REACHING.includes(String(obj(action)?.type)) && String(obj(action)?.targetIdentifier ?? "") !== "";
const routed = (alert: PolicyResource) => list(alert.props.triggers).some((t) => list(obj(t)?.actions).some(reaches));
const APP_TYPES: readonly string[] = [T.flyMachine, T.renderService, T.vercelProject, T.container];

/**
 * Whether the stack runs an API, whose request latency an alert can watch: an API host's service, or
 * a Sentry project of a server platform (a Docker API). A front end alone has page loads, not requests.
 */
function runsApi(resources: PolicyResource[]): boolean {
  return resources.some((r) => r.type === T.flyMachine || r.type === T.renderService || (r.type === T.railwayService && !startsRedis(r.props)) ||
    (r.type === T.sentryProject && !/^javascript/.test(String(r.props.platform ?? ""))));
}

export const errorLatencyAlerts: StackValidationPolicy = {
  name: "error-latency-alerts",
  description: "A stack that runs an app has a Sentry error-rate alert, and one that runs an API a latency alert, each sending to a destination a person reads (PagerDuty, email, Slack); the tier is the team's.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    if (!args.resources.some((r) => APP_TYPES.includes(r.type))) return;
    const alerts = args.resources.filter((r) => r.type === T.sentryMetricAlert);
    const check = (test: RegExp, what: string) => {
      const watching = alerts.filter((a) => test.test(String(a.props.aggregate)));
      if (watching.length === 0) reportViolation(`Add a Sentry ${what} alert.`);
      else if (!watching.some(routed)) reportViolation(`Route the Sentry ${what} alert to PagerDuty, email or Slack: its actions reach no one.`);
    };
    check(/^(failure_rate\(\)|count\(\))$/, "error-rate");
    if (runsApi(args.resources)) check(/^p(95|99)\(transaction\.duration\)$/, "p95 or p99 latency");
  },
};

/** The PromQL of each query stage of a Grafana rule; a model that is not JSON has none. */
function queriesOf(rule: Props): string[] {
  return list(rule.datas).map((d) => {
    try {
      return String(obj(JSON.parse(String(obj(d)?.model)))?.expr ?? "");
    } catch {
      return "";
    }
  });
}
const routedRule = (rule: Props) => rule.isPaused !== true && String(obj(rule.notificationSettings)?.contactPoint ?? "") !== "";
/** Grafana durations: `10m`, `1h30m`, `0s`; none held means it fires on the first evaluation over the line. */
const heldFor = (rule: Props) => /[1-9]/.test(String(rule.for ?? ""));

export const resourceAlerts: StackValidationPolicy = {
  name: "resource-alerts",
  description: "A stack that runs its API on Fly.io machines has Grafana alerts on their memory and their sustained CPU, each unpaused and routed to a contact point.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    if (!args.resources.some((r) => r.type === T.flyMachine)) return;
    const rules = args.resources.filter((r) => r.type === T.grafanaRuleGroup).flatMap((g) => list(g.props.rules).map(obj).filter((r) => r !== undefined));
    for (const [metric, what] of [["fly_instance_memory_", "memory"], ["fly_instance_cpu", "CPU"]] as const) {
      const watching = rules.filter((r) => queriesOf(r).some((expr) => expr.includes(metric)));
      if (watching.length === 0) reportViolation(`Add a Grafana alert on the Fly.io machines' ${what} (paved:monitors.grafana).`);
      else if (!watching.some(routedRule)) reportViolation(`Unpause the Grafana ${what} alert and route it to a contact point.`);
      else if (what === "CPU" && !watching.some((r) => routedRule(r) && heldFor(r))) {
        reportViolation("Hold the Grafana CPU alert for some minutes before it fires (for), so a burst is not an alert.");
      }
    }
  },
};

export const apiHealthCheck: ResourceValidationPolicy = {
  name: "api-health-check",
  description: "API hosts probe the service's health endpoint, so failing instances stop taking traffic.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.flyMachine, T.renderService, T.railwayService], (props, args, report) => {
    // A Redis beside the API serves no HTTP, and Railway's health checks are HTTP only.
    if (args.type === T.railwayService && startsRedis(props)) return;
    if (args.type !== T.flyMachine) {
      const path = args.type === T.renderService ? props.healthCheckPath : props.healthcheckPath;
      if (typeof path !== "string" || path === "") report("Set a health check path for the service.");
      return;
    }
    const config = obj(props.config) ?? {};
    const services = list(config.services).map(obj);
    const serviceChecks = services.some((s) => list(s?.checks).length + list(s?.http_checks).length > 0);
    if (services.length > 0 && Object.keys(obj(config.checks) ?? {}).length === 0 && !serviceChecks) {
      report("Add a health check to the machine's config.");
    }
  }),
};

/** A debug switch, whatever the framework calls it: DEBUG, APP_DEBUG (Laravel), FLASK_DEBUG, DJANGO_DEBUG… */
const DEBUG_KEY = /(^|_)DEBUG$/i;
/** Values that turn a switch on; `*` is what turns on every namespace of Node's `debug`. */
const ON = ["true", "1", "yes", "on", "*"];
/** Variables that pick a framework's mode, and the values that pick its development mode. */
const DEVELOPMENT_MODES: ReadonlyMap<string, readonly string[]> = new Map([
  ["NODE_ENV", ["development", "dev"]],
  ["RAILS_ENV", ["development"]],
  ["RACK_ENV", ["development"]],
  ["FLASK_ENV", ["development"]],
  ["ASPNETCORE_ENVIRONMENT", ["development"]],
  ["DOTNET_ENVIRONMENT", ["development"]],
  ["APP_ENV", ["local", "dev", "development"]],
  ["GIN_MODE", ["debug"]],
]);
/** Log level variables: LOG_LEVEL and its prefixed forms, LOGLEVEL, RUST_LOG (whose directives may name debug per crate). */
const LOG_KEY = /^(RUST_LOG|LOGLEVEL)$|(^|_)LOG_LEVEL$/i;

export const noDebugInProduction: ResourceValidationPolicy = {
  name: "no-debug-in-production",
  description: "Production runs with every debug switch off (DEBUG, APP_DEBUG, FLASK_DEBUG…), no framework in development mode (NODE_ENV, RAILS_ENV, APP_ENV, GIN_MODE…) and logs at info or quieter.",
  enforcementLevel: "mandatory",
  validateResource: forTypes(ENV_TYPES, (props, args, report) => {
    const once = reportOnce(report);
    const wanted = (key: string) => DEBUG_KEY.test(key) || LOG_KEY.test(key) || DEVELOPMENT_MODES.has(key.toUpperCase());
    eachEnvValue(envOf(args.type, props) ?? {}, wanted, (key, raw) => {
      const value = String(raw).trim().toLowerCase();
      if (DEBUG_KEY.test(key) && ON.includes(value)) once("Turn debug switches off (DEBUG, APP_DEBUG, FLASK_DEBUG and the like).");
      if (DEVELOPMENT_MODES.get(key.toUpperCase())?.includes(value)) {
        once("Run the app in production mode, not development (NODE_ENV, RAILS_ENV, APP_ENV and the like).");
      }
      if (LOG_KEY.test(key) && /\b(debug|trace)\b/.test(value)) once("Log at info or quieter, not debug or trace.");
    });
  }),
};

export const observabilityPolicies = [
  healthCheckSettings, healthCheckAlertRoute, publicEndpointHealthCheck, errorLatencyAlerts, resourceAlerts, apiHealthCheck, noDebugInProduction,
];

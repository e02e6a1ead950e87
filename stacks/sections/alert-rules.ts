/** The alerts a stack's monitors config plans, one rule per thing watched, as the plan prints them. */
import type { AlertRule, UptimeCheck } from "../../components/alerting";
import { flyAppHost } from "../../components/api";
import { vercelAppHost } from "../../components/web";
import type { ApiConfig, DatabaseConfig, GithubConfig, Kind, LogsConfig, MonitorsConfig, SecretsConfig, WebConfig } from "../../components/environment-config";

/** What the monitors section reads of the rest of the stack's resolved config. */
export interface MonitorsContext {
  kind: Kind; stack: string; product: string; secrets: SecretsConfig;
  web?: WebConfig; api?: ApiConfig; database?: DatabaseConfig; github?: GithubConfig;
  /** Where the stack's logs go (`paved:logs`): the table's logs row is planned by it. */
  logs?: LogsConfig;
}

export function alertRules(config: MonitorsConfig, ctx: MonitorsContext, checks: UptimeCheck[]): AlertRule[] {
  return [...uptimeRules(config, ctx, checks), ...sentryRules(config, ctx), ...resourceRules(config, ctx), ...deployRules(config, ctx)];
}

/** Why the API gets no uptime check, where it has a hostname but serves nothing on it. */
export function unservedApi(api: ApiConfig | undefined): string | undefined {
  if (api?.host === "docker" && api.hostname && api.docker?.publishPort === undefined) {
    return `the Docker API publishes no port (paved:api.docker.publishPort unset), so ${api.hostname} serves nothing to probe`;
  }
  return undefined;
}

/** The deploy job of the stack's GitHub environment reports how each deploy ended. */
function deployRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  if (!config.deploys || !ctx.github) return [];
  const watches = `the paved deploy job of GitHub environment ${ctx.github.environment}`;
  const { tier, failedTier } = config.deploys;
  return [{
    kind: "deploys", service: "stack", watches, threshold: "every deploy: succeeded, failed or cancelled", window: "when the job ends", tier,
    resource: `github:ActionsEnvironmentSecret ${ctx.stack}-github-secret-paved-deploy-webhooks`,
  }, ...(failedTier ? [{
    kind: "deploys" as const, service: "stack" as const, watches, threshold: "a failed deploy, rolled back or not", window: "when the job ends", tier: failedTier,
    resource: `github:ActionsEnvironmentSecret ${ctx.stack}-github-secret-paved-deploy-pagerduty-key`,
  }] : [])];
}

function uptimeRules(config: MonitorsConfig, ctx: MonitorsContext, checks: UptimeCheck[]): AlertRule[] {
  const { uptime, tiers } = config;
  const checkly = uptime.provider === "checkly";
  const within = checkly ? `within 10 s, from ${uptime.locations.join(", ")}` : "within 10 s";
  const window = !checkly ? `${config.consecutiveFails} failed probes (every 60 s)`
    : uptime.failedRuns ? `${uptime.failedRuns} failed run${uptime.failedRuns > 1 ? "s" : ""} in a row (every 60 s${uptime.retry ? ", each retried from another region" : ""})`
      : `down ${uptime.downMinutes} min (probed every 60 s${uptime.retry ? ", each failure retried from another region" : ""})`;
  // Checkly's checks are named by role; Cloudflare's name a redirecting host's `redirect-<host>`.
  const resource = (role: string, healthcheck = role) => (checkly ? `checkly:Check ${ctx.stack}-uptime-${role}` : `cloudflare:Healthcheck ${ctx.stack}-monitors-${healthcheck}`);
  const rules: AlertRule[] = [];
  // Cloudflare health checks probe only hosts in the zone; Checkly probes a platform's own names too.
  const apiBase = unservedApi(ctx.api) ? undefined : ctx.api?.hostname ? `https://${ctx.api.hostname}` : checkly && ctx.api ? platformBase(ctx.api) : undefined;
  const platformUrl = ctx.api?.hostname ? {} : { platformUrl: true };
  if (apiBase) {
    rules.push({ kind: "uptime", service: "api", role: "api", watches: `${apiBase}${ctx.api!.healthPath}`, threshold: `HTTP 200 not answered ${within}`, window, tier: tiers.api, resource: resource("api"), ...platformUrl });
  }
  // Without a public API the web is the whole product, so it takes the API's tier.
  const web = ctx.web && (ctx.web.domain ?? (ctx.web.host === "vercel" ? vercelAppHost(ctx.web.projectName) : undefined));
  const webTier = apiBase ? tiers.web : tiers.api;
  if (ctx.web && web) {
    rules.push({ kind: "uptime", service: "web", role: "web", watches: `https://${web}/`, threshold: `HTTP 200 not answered ${within}`, window, tier: webTier, resource: resource("web") });
    // A host that redirects to the canonical one is up when it answers its redirect.
    for (const host of ctx.web.redirects) {
      const dashed = host.replace(/\./g, "-");
      rules.push({ kind: "uptime", service: "web", role: `web-${dashed}`, watches: `https://${host}/`, threshold: `HTTP 308 not answered ${within}`, window, tier: webTier, status: 308, resource: resource(`web-${dashed}`, `redirect-${dashed}`) });
    }
  }
  // The table's API checks: a request beside the health check, on the same public URL.
  for (const check of checks) {
    const base = check.service === "api" ? apiBase : web && `https://${web}`;
    if (!base) continue;
    const role = `${check.service}-${check.method.toLowerCase()}${check.path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "").toLowerCase()}`;
    const answer = `HTTP ${check.status}${check.contains ? ` with "${check.contains}"` : ""}`;
    rules.push({
      kind: "uptime", service: check.service, role, watches: `${check.method} ${base}${check.path}`, threshold: `${answer} not answered ${within}`, window,
      tier: check.tier ?? (check.service === "api" ? tiers.api : webTier), status: check.status, check, resource: resource(role),
      ...(check.service === "api" ? platformUrl : {}),
    });
  }
  return rules;
}

/** The API's public origin on its platform's own domain, when it has no hostname of ours (a Docker API is never public without one). */
function platformBase(api: ApiConfig): string | undefined {
  if (api.host === "fly" && api.fly) return `https://${flyAppHost(api.fly.appName)}`;
  if (api.host === "render") return "https://<the Render service's onrender.com name>";
  if (api.host === "railway") return "https://<the Railway service's up.railway.app name>";
  return undefined;
}

function sentryRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  const s = config.sentry;
  if (!s) return [];
  const rules: AlertRule[] = [];
  for (const [role, project] of Object.entries(s.projects) as Array<["api" | "web", { slug: string }]>) {
    const watches = `Sentry project ${project.slug}`;
    const resource = (suffix: string) => `sentry:${suffix === "new-issues" ? "SentryIssueAlert" : "SentryMetricAlert"} ${ctx.stack}-errors-${role}-${suffix}`;
    if (s.errorRate) {
      rules.push({ kind: "error-rate", service: role, watches, threshold: `failed transactions > ${s.errorRate.percent} %`, window: `${s.errorRate.windowMinutes} min`, tier: s.errorRate.tier, resource: resource("error-rate") });
    }
    if (s.errorCount) rules.push({ kind: "error-count", service: role, watches, threshold: `errors > ${s.errorCount.perMinute}`, window: "1 min", tier: s.errorCount.tier, resource: resource("error-count") });
    if (s.latency && role === "api") {
      rules.push({ kind: "latency", service: role, watches, threshold: `${s.latency.percentile} transaction duration > ${s.latency.ms} ms`, window: `${s.latency.windowMinutes} min`, tier: s.latency.tier, resource: resource("latency") });
    }
    if (s.newIssues) rules.push({ kind: "new-issues", service: role, watches, threshold: "a new issue", window: "first seen", tier: s.newIssues.tier, resource: resource("new-issues") });
  }
  return rules;
}

/** Grafana's rules over Fly.io's Prometheus (one series per machine, each alerting on its own) and over the database. */
function resourceRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  const g = config.grafana;
  if (!g) return [];
  const watches = `Fly.io app ${g.flyApp}, each machine (Grafana over Fly.io Prometheus)`;
  const window = (minutes: number) => `${minutes} min (evaluated every 60 s)`;
  const resource = `grafana:RuleGroup ${ctx.stack}-grafana-rules`;
  const rules: AlertRule[] = [];
  if (g.memory) rules.push({ kind: "memory", service: "api", watches, threshold: `memory used > ${g.memory.percent} %`, window: window(g.memory.forMinutes), tier: g.memory.tier, resource });
  if (g.cpu) rules.push({ kind: "cpu", service: "api", watches, threshold: `CPU busy > ${g.cpu.percent} % (5-min rate)`, window: window(g.cpu.forMinutes), tier: g.cpu.tier, resource });
  const db = g.dbConnections;
  if (db) {
    rules.push({
      kind: "db-connections", service: "database",
      watches: `Neon database ${ctx.database!.name} of ${ctx.database!.instanceName}, client backends in pg_stat_activity (Grafana over PostgreSQL)`,
      threshold: db.percent !== undefined ? `client connections > ${db.percent} % of max_connections` : `client connections > ${db.max}`,
      window: window(db.forMinutes), tier: db.tier, resource,
    });
  }
  return rules;
}

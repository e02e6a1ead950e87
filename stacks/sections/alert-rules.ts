/** The alerts a stack's monitors config plans, one rule per thing watched, as the plan prints them. */
import type { AlertRule } from "../../components/alerting";
import { flyAppHost } from "../../components/api";
import { vercelAppHost } from "../../components/web";
import type { ApiConfig, DatabaseConfig, GithubConfig, Kind, MonitorsConfig, SecretsConfig, WebConfig } from "../../components/environment-config";

/** What the monitors section reads of the rest of the stack's resolved config. */
export interface MonitorsContext {
  kind: Kind; stack: string; product: string; secrets: SecretsConfig;
  web?: WebConfig; api?: ApiConfig; database?: DatabaseConfig; github?: GithubConfig;
}

export function alertRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  return [...uptimeRules(config, ctx), ...sentryRules(config), ...resourceRules(config, ctx), ...deployRules(config, ctx)];
}

/** The deploy job of the stack's GitHub environment reports how each deploy ended. */
function deployRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  if (!config.deploys || !ctx.github) return [];
  return [{
    kind: "deploys", service: "stack", watches: `the paved deploy job of GitHub environment ${ctx.github.environment}`,
    threshold: "every deploy: succeeded, failed or cancelled", window: "when the job ends", tier: config.deploys.tier,
  }];
}

function uptimeRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  const { uptime, tiers } = config;
  const checkly = uptime.provider === "checkly";
  const threshold = checkly ? `HTTP 200 not answered within 10 s, from ${uptime.locations.join(", ")}` : "HTTP 200 not answered within 10 s";
  const window = checkly ? `down ${uptime.downMinutes} min (probed every 60 s)` : `${config.consecutiveFails} failed probes (every 60 s)`;
  const rules: AlertRule[] = [];
  // Cloudflare health checks probe only hosts in the zone; Checkly probes a platform's own names too.
  const api = ctx.api?.hostname ? `https://${ctx.api.hostname}${ctx.api.healthPath}` : checkly && ctx.api ? platformUrl(ctx.api) : undefined;
  if (api) {
    rules.push({ kind: "uptime", service: "api", watches: api, threshold, window, tier: tiers.api, ...(ctx.api?.hostname ? {} : { platformUrl: true }) });
  }
  // Without a public API the web is the whole product, so it takes the API's tier.
  const web = ctx.web && (ctx.web.domain ?? (ctx.web.host === "vercel" ? vercelAppHost(ctx.web.projectName) : undefined));
  if (ctx.web && web) {
    const tier = api ? tiers.web : tiers.api;
    rules.push({ kind: "uptime", service: "web", watches: `https://${web}/`, threshold, window, tier });
    // A host that redirects to the canonical one is up when it answers its redirect.
    for (const host of ctx.web.redirects) {
      rules.push({ kind: "uptime", service: "web", watches: `https://${host}/`, threshold: threshold.replace("HTTP 200", "HTTP 308"), window, tier, status: 308 });
    }
  }
  return rules;
}

/** The API's public URL on its platform's own domain, when it has no hostname of ours (a Docker API is never public without one). */
function platformUrl(api: ApiConfig): string | undefined {
  if (api.host === "fly" && api.fly) return `https://${flyAppHost(api.fly.appName)}${api.healthPath}`;
  if (api.host === "render") return `https://<the Render service's onrender.com name>${api.healthPath}`;
  if (api.host === "railway") return `https://<the Railway service's up.railway.app name>${api.healthPath}`;
  return undefined;
}

function sentryRules(config: MonitorsConfig): AlertRule[] {
  const s = config.sentry;
  if (!s) return [];
  const rules: AlertRule[] = [];
  for (const [role, project] of Object.entries(s.projects) as Array<["api" | "web", { slug: string }]>) {
    const watches = `Sentry project ${project.slug}`;
    if (s.errorRate) {
      rules.push({ kind: "error-rate", service: role, watches, threshold: `failed transactions > ${s.errorRate.percent} %`, window: `${s.errorRate.windowMinutes} min`, tier: s.errorRate.tier });
    }
    if (s.errorCount) rules.push({ kind: "error-count", service: role, watches, threshold: `errors > ${s.errorCount.perMinute}`, window: "1 min", tier: s.errorCount.tier });
    if (s.latency && role === "api") {
      rules.push({ kind: "latency", service: role, watches, threshold: `${s.latency.percentile} transaction duration > ${s.latency.ms} ms`, window: `${s.latency.windowMinutes} min`, tier: s.latency.tier });
    }
    if (s.newIssues) rules.push({ kind: "new-issues", service: role, watches, threshold: "a new issue", window: "first seen", tier: s.newIssues.tier });
  }
  return rules;
}

/** Grafana's rules over Fly.io's Prometheus (one series per machine, each alerting on its own) and over the database. */
function resourceRules(config: MonitorsConfig, ctx: MonitorsContext): AlertRule[] {
  const g = config.grafana;
  if (!g) return [];
  const watches = `Fly.io app ${g.flyApp}, each machine (Grafana over Fly.io Prometheus)`;
  const window = (minutes: number) => `${minutes} min (evaluated every 60 s)`;
  const rules: AlertRule[] = [];
  if (g.memory) rules.push({ kind: "memory", service: "api", watches, threshold: `memory used > ${g.memory.percent} %`, window: window(g.memory.forMinutes), tier: g.memory.tier });
  if (g.cpu) rules.push({ kind: "cpu", service: "api", watches, threshold: `CPU busy > ${g.cpu.percent} % (5-min rate)`, window: window(g.cpu.forMinutes), tier: g.cpu.tier });
  const db = g.dbConnections;
  if (db) {
    rules.push({
      kind: "db-connections", service: "database",
      watches: `Neon database ${ctx.database!.name} of ${ctx.database!.instanceName}, client backends in pg_stat_activity (Grafana over PostgreSQL)`,
      threshold: db.percent !== undefined ? `client connections > ${db.percent} % of max_connections` : `client connections > ${db.max}`,
      window: window(db.forMinutes), tier: db.tier,
    });
  }
  return rules;
}

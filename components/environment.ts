import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "./environment-config";
import { ApiApp } from "./api";
import { addressRecord } from "./api-hosts";
import { Cache } from "./cache";
import { Cdn, type CdnRecord } from "./cdn";
import { Database } from "./database";
import { ALERT_SENDER, DEPLOY_PAGERDUTY_SECRET, DEPLOY_WEBHOOKS_SECRET, PAGED_TIERS, type Tier } from "./alerting";
import { PavedInputError } from "./errors";
import { DopplerSecrets } from "./doppler";
import { ErrorTracking } from "./error-tracking";
import { Logs } from "./logs";
import { Monitors, type MonitorsArgs } from "./monitors";
import { Paging, type Sender } from "./paging";
import { Repository } from "./repository";
import { ResourceAlerts } from "./resource-alerts";
import { Secrets } from "./secrets";
import { Uptime } from "./uptime";
import { vercelAppHost, WebHost, type WebHostArgs } from "./web";

/** Where a Vercel-hosted custom domain points. */
export const VERCEL_CNAME_TARGET = "cname.vercel-dns.com";

/** The build-time variable a framework exposes to browser code for the API's URL. */
const API_URL_VARIABLE: Record<string, string> = { nextjs: "NEXT_PUBLIC_API_URL", vite: "VITE_API_URL", astro: "PUBLIC_API_URL", "sveltekit-1": "PUBLIC_API_URL" };
/** The build-time variable the framework's Sentry SDK reads its DSN from in browser code. */
const SENTRY_DSN_VARIABLE: Record<string, string> = { nextjs: "NEXT_PUBLIC_SENTRY_DSN", vite: "VITE_SENTRY_DSN", astro: "PUBLIC_SENTRY_DSN", "sveltekit-1": "PUBLIC_SENTRY_DSN" };

/** How PagerDuty services and Grafana objects name the environment, e.g. `planningos production`. */
const environmentLabel = (config: EnvironmentConfig) => `${config.repository?.split("/")[1] ?? config.project} ${config.stack}`;

/** The origin browsers load the front end from: its custom domain, its .vercel.app name, or the local container's port. */
function webOrigin(web: NonNullable<EnvironmentConfig["web"]>): string {
  if (web.domain) return `https://${web.domain}`;
  return web.host === "docker" ? `http://127.0.0.1:${web.docker!.publishPort}` : `https://${vercelAppHost(web.projectName)}`;
}

/** The Railway project and environment a stack's services share. */
interface RailwayPlace { projectId: string; environmentId: string }

/** Pairings a component alone cannot see: stack config reports them first, with the config key. */
function validate(name: string, config: EnvironmentConfig): void {
  if (config.cache?.provider === "railway" && config.api?.host !== "railway") {
    throw new PavedInputError([
      `Environment "${name}": cache.provider is railway but api.host is ${config.api?.host ?? "not set"}; expected api.host railway, whose project and environment the Redis joins`,
    ]);
  }
}

export interface EnvironmentArgs {
  /** The validated config of this stack. */
  config: EnvironmentConfig;
}

/** Everything one environment (one stack) runs on, wired together. */
export class Environment extends pulumi.ComponentResource {
  static readonly TYPE = "paved:environment:Environment";
  readonly secrets: Secrets;
  readonly database?: Database;
  readonly cache?: Cache;
  readonly api?: ApiApp;
  readonly web?: WebHost;
  readonly cdn?: Cdn;
  readonly repository?: Repository;
  readonly monitors?: Monitors;
  readonly paging?: Paging;
  readonly errorTracking?: ErrorTracking;
  readonly uptime?: Uptime;
  readonly resourceAlerts?: ResourceAlerts;
  readonly logs?: Logs;
  readonly doppler?: DopplerSecrets;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args.config); // before super(): a bad argument must not register anything
    super(Environment.TYPE, name, {}, opts);
    const { config } = args;
    this.secrets = this.createSecrets(name, config);
    const engine = this.createDockerEngine(name, config);
    this.database = config.database && this.createDatabase(name, config, engine);
    this.paging = this.createPaging(name, config);
    this.errorTracking = config.monitors?.sentry && this.createErrorTracking(name, config);
    // A Railway cache joins the project and environment the ApiApp makes, and the ApiApp needs the
    // cache's URL first: the cache takes them as a deferred output, settled once the API exists.
    const railway = config.cache?.provider === "railway" ? pulumi.deferredOutput<RailwayPlace>() : undefined;
    this.cache = config.cache && this.createCache(name, config, engine, railway?.[0]);
    this.api = config.api && this.createApi(name, config, engine);
    if (railway) {
      const api = this.api!;
      railway[1](pulumi.all([api.railwayProjectId!, api.railwayEnvironmentId!]).apply(([projectId, environmentId]) => ({ projectId, environmentId })));
    }
    this.web = config.web && this.createWeb(name, config, engine);
    this.cdn = config.cdn && this.createCdn(name, config);
    this.repository = config.github && this.createRepository(name, config);
    const uptime = config.monitors?.uptime.provider;
    this.monitors = uptime === "cloudflare" ? this.createMonitors(name, config) : undefined;
    this.uptime = uptime === "checkly" && config.monitors!.rules.some((r) => r.kind === "uptime") ? this.createUptime(name, config) : undefined;
    this.resourceAlerts = config.monitors?.grafana && this.createResourceAlerts(name, config);
    this.logs = config.logs?.sink === "axiom" ? this.createLogs(name, config, engine) : undefined;
    this.doppler = config.doppler && this.createDoppler(name, config);
    this.registerOutputs({ webUrl: this.web?.url, apiUrl: this.api?.url, secretNames: this.secrets.names });
  }

  private createSecrets(name: string, config: EnvironmentConfig): Secrets {
    return new Secrets(`${name}-secrets`, {
      generate: config.secrets.generate,
      provided: config.secrets.provided,
    }, { parent: this });
  }

  /** One engine and one private network for every container of the stack. */
  private createDockerEngine(name: string, config: EnvironmentConfig) {
    const usesDocker = config.api?.host === "docker" || config.database?.provider === "docker" || config.cache?.provider === "docker" || config.web?.host === "docker";
    if (!usesDocker) return undefined;
    const provider = new docker.Provider(`${name}-docker`, { host: config.api?.docker?.host ?? config.web?.docker?.host }, { parent: this });
    const network = new docker.Network(`${name}-network`, { name: `${config.stack}-private`, driver: "bridge" }, { parent: this, provider });
    return { provider, network: network.name };
  }

  private createDatabase(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): Database {
    const db = config.database!;
    return new Database(`${name}-database`, {
      ...db,
      docker: db.docker && engine && { ...db.docker, ...engine },
      protect: config.protect,
      // Previews branch from staging's project: staging's destroy must not take their branches.
      shared: config.kind === "staging",
      rotation: config.secrets.rotation,
    }, { parent: this });
  }

  private createCache(
    name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>, railwayPlace?: pulumi.Output<RailwayPlace>,
  ): Cache {
    const cache = config.cache!;
    return new Cache(`${name}-cache`, {
      ...cache,
      docker: cache.docker && engine && { ...cache.docker, ...engine },
      railway: cache.railway && railwayPlace && {
        ...cache.railway, region: config.api?.railway?.region,
        projectId: railwayPlace.apply((p) => p.projectId), environmentId: railwayPlace.apply((p) => p.environmentId),
      },
      protect: config.protect,
      rotation: config.secrets.rotation,
    }, { parent: this });
  }

  private createApi(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): ApiApp {
    const api = config.api!;
    // The web's own origin: redirecting hosts never serve the app, so they never call the API.
    const origins = [...(config.web ? [webOrigin(config.web)] : []), ...api.corsOrigins];
    const secretEnv: Record<string, pulumi.Input<string>> = {};
    if (this.database) secretEnv.DATABASE_URL = this.database.connectionString;
    if (this.cache) secretEnv.REDIS_URL = this.cache.url;
    if (this.secrets.names.includes("JWT_SECRET")) secretEnv.JWT_SECRET = this.secrets.get("JWT_SECRET");
    for (const secret of api.secretEnv) secretEnv[secret] = this.secrets.get(secret);
    const dsn = this.errorTracking?.dsn.api;
    if (dsn) secretEnv.SENTRY_DSN = dsn;
    const image = api.image?.kind === "build"
      ? { ...api.image, skipPush: config.kind === "local", registry: api.image.registry && { ...api.image.registry, password: this.secrets.get(api.image.registry.passwordSecret) } }
      : api.image;
    return new ApiApp(`${name}-api`, {
      host: api.host, hostname: api.hostname, port: api.port, healthPath: api.healthPath, image,
      env: {
        ...api.env,
        APP_ENV: config.kind,
        PORT: String(api.port),
        LOG_LEVEL: api.logLevel,
        DEBUG: String(api.debug),
        CORS_ORIGINS: origins.join(","),
      },
      secretEnv,
      fly: api.fly, render: api.render, railway: api.railway,
      docker: api.docker && engine && { ...api.docker, ...engine },
      repository: config.repository, branch: config.branch, migrate: api.migrate,
    }, { parent: this });
  }

  /**
   * The framework's API URL variable: the API's public URL, unless the stack file sets it. A
   * value the stack file gives is kept as written; one that is a path (`/api`) is appended to
   * the API's URL.
   */
  private apiUrlVariable(variable: string, given: string | undefined): Record<string, pulumi.Input<string>> {
    const url = this.api?.publicUrl;
    if (!url || (given !== undefined && !given.startsWith("/"))) return {};
    return { [variable]: given === undefined ? url : pulumi.interpolate`${url}${given}` };
  }

  private createWeb(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): WebHost {
    const web = config.web!;
    if (web.host === "docker") {
      // A front-end server reads its variables when it starts (a static build has them built in);
      // on the API's network it reaches the API as http://api:<port>.
      return new WebHost(`${name}-web`, {
        host: "docker", docker: { ...web.docker!, provider: engine!.provider, network: config.api?.host === "docker" ? engine!.network : undefined },
        teamId: web.teamId, projectName: web.projectName, framework: web.framework,
        repository: config.repository ?? "", branch: config.branch, domain: web.domain,
        ...(web.docker!.app ? this.webVariables(web) : {}),
      }, { parent: this });
    }
    return new WebHost(`${name}-web`, {
      teamId: web.teamId,
      projectName: web.projectName,
      framework: web.framework,
      repository: config.repository!,
      branch: config.branch,
      domain: web.domain,
      redirects: web.redirects,
      rootDirectory: web.rootDirectory,
      buildCommand: web.buildCommand,
      installCommand: web.installCommand,
      outputDirectory: web.outputDirectory,
      nodeVersion: web.nodeVersion,
      ...this.webVariables(web),
      protection: web.protection,
    }, { parent: this });
  }

  /** The web's variables: the stack file's, the framework's API URL and Sentry DSN, and its secrets. */
  private webVariables(web: NonNullable<EnvironmentConfig["web"]>): Pick<WebHostArgs, "env" | "secretEnv"> {
    const apiVariable = API_URL_VARIABLE[web.framework] ?? "API_URL";
    return {
      env: { ...web.env, ...this.apiUrlVariable(apiVariable, web.env[apiVariable]) },
      secretEnv: {
        ...Object.fromEntries(web.secretEnv.map((secret) => [secret, this.secrets.get(secret)])),
        ...(this.errorTracking?.dsn.web ? { [SENTRY_DSN_VARIABLE[web.framework] ?? "SENTRY_DSN"]: this.errorTracking.dsn.web } : {}),
      },
    };
  }

  private createCdn(name: string, config: EnvironmentConfig): Cdn {
    const cdn = config.cdn!;
    const records: CdnRecord[] = [];
    // A web on its .vercel.app name has no host in this zone.
    if (this.web && config.web?.domain && config.web.host === "docker") {
      const address = config.web.docker?.address;
      if (address) records.push({ role: "web", host: this.web.domain, ...addressRecord(address) });
    } else if (this.web && config.web?.domain) {
      records.push({ role: "web", host: this.web.domain, type: "CNAME", content: VERCEL_CNAME_TARGET });
      for (const host of this.web.redirects) records.push({ role: `web-${host.replace(/\./g, "-")}`, host, type: "CNAME", content: VERCEL_CNAME_TARGET });
    }
    if (this.api?.hostname && this.api.record) {
      records.push({ role: "api", host: this.api.hostname, ...this.api.record });
    }
    return new Cdn(`${name}-cdn`, {
      zoneId: cdn.zoneId,
      records,
      zone: cdn.zone,
      protect: config.protect,
    }, { parent: this });
  }

  private createRepository(name: string, config: EnvironmentConfig): Repository {
    const gh = config.github!;
    // What the app's own deploy workflows read from their GitHub environment.
    const variables: Record<string, pulumi.Input<string>> = {};
    if (this.web) variables.APP_URL = this.web.url;
    if (this.api?.publicUrl) variables.API_URL = this.api.publicUrl;
    const secrets = Object.fromEntries(gh.actionsSecrets.map((secret) => [secret, this.secrets.get(secret)]));
    // Migrations run from CI against the environment's own database.
    if (this.database) secrets.DATABASE_URL = this.database.connectionString;
    // The deploy job posts how it ended to these Slack webhooks, one per line.
    const deploys = config.monitors?.deploys;
    if (deploys?.webhookSecrets.length) {
      secrets[DEPLOY_WEBHOOKS_SECRET] = pulumi.secret(pulumi.all(deploys.webhookSecrets.map((s) => this.secrets.get(s))).apply((urls) => urls.join("\n")));
    }
    // ...and pages the failed ones through this Events API key of the paged tier's service.
    const deployKey = deploys?.failedTier && this.paging?.integrationKeys[deploys.failedTier]?.deploys;
    if (deployKey) secrets[DEPLOY_PAGERDUTY_SECRET] = deployKey;
    return new Repository(`${name}-github`, {
      repository: gh.repository,
      branch: config.branch,
      environment: gh.environment,
      protection: gh.protection,
      reviewers: gh.reviewers,
      variables,
      secrets,
      manageRepository: gh.ownsRepository,
    }, { parent: this });
  }

  private createMonitors(name: string, config: EnvironmentConfig): Monitors {
    const m = config.monitors!;
    const routed = (host: string) => this.cdn?.hosts.includes(host) ?? false;
    const slack = m.alerts.slackWebhookSecret;
    return new Monitors(`${name}-monitors`, {
      zoneId: m.zoneId,
      accountId: m.accountId,
      // Only hosts this stack routes: a probe of a hostname with no record only ever alerts.
      web: this.web && routed(this.web.domain) ? { host: this.web.domain, path: "/" } : undefined,
      redirects: this.web?.redirects.filter(routed).map((host) => ({ host, path: "/", expectedCodes: ["308"] })),
      api: this.api?.hostname && routed(this.api.hostname) ? { host: this.api.hostname, path: this.api.healthPath } : undefined,
      tiers: m.tiers,
      // Cloudflare stacks route only to pagerduty, email and slack; the config refuses named Slack destinations there.
      routes: m.routes as MonitorsArgs["routes"],
      alerts: {
        emails: m.alerts.emails,
        pagerdutyIntegrationId: m.alerts.pagerdutyIntegrationId,
        slackWebhookUrl: slack ? this.secrets.get(slack) : undefined,
      },
      consecutiveFails: m.consecutiveFails,
    }, { parent: this });
  }

  /** PagerDuty for each paged tier (P1, P2) an alert fires at and routes to pagerduty. */
  private createPaging(name: string, config: EnvironmentConfig): Paging | undefined {
    const m = config.monitors;
    const pd = m?.alerts.pagerduty;
    if (!m || !pd) return undefined;
    const firing = new Set(m.rules.map((r) => r.tier));
    // Each sender gets a key only on the tiers where its alerts page: no key nobody sends to.
    // Cloudflare health checks page through the service connected to the account, not a key of paved's.
    const sendersAt = (t: Tier): Sender[] => [...new Set(m.rules.filter((r) => r.tier === t).flatMap((r) => ALERT_SENDER[r.kind] ?? []))]
      .filter((sender) => sender !== "uptime" || m.uptime.provider === "checkly");
    const tiers = Object.fromEntries(PAGED_TIERS.filter((t) => firing.has(t) && m.routes[t].includes("pagerduty") && sendersAt(t).length)
      .map((t) => [t, { serviceId: pd.services[t], senders: sendersAt(t) }]));
    if (Object.keys(tiers).length === 0) return undefined;
    return new Paging(`${name}-paging`, { tiers, escalateTo: pd.escalateTo, label: environmentLabel(config) }, { parent: this });
  }

  private createErrorTracking(name: string, config: EnvironmentConfig): ErrorTracking {
    const m = config.monitors!;
    const s = m.sentry!;
    const webPlatform = config.web?.framework === "nextjs" ? "javascript-nextjs" : config.web?.framework === "vite" ? "javascript-react" : "javascript";
    return new ErrorTracking(`${name}-errors`, {
      organization: s.organization, team: s.team, environment: config.kind,
      services: (["api", "web"] as const).filter((role) => s.projects[role]).map((role) => ({
        role, platform: role === "api" ? s.platform : webPlatform, slug: s.projects[role]!.slug, existing: s.projects[role]!.existing,
      })),
      errorRate: s.errorRate, errorCount: s.errorCount, latency: s.latency, newIssues: s.newIssues,
      routes: m.routes,
      actions: {
        pagerduty: s.pagerduty, slackIntegrationId: s.slackIntegrationId, emailTeamId: s.teamId,
        slackChannels: Object.fromEntries(Object.entries(m.alerts.slack).map(([n, d]) => [n, d.channel])),
      },
      protect: config.protect,
    }, { parent: this });
  }

  /** Checkly checks on every public URL the monitors config lists, alerting through PagerDuty, email and Slack. */
  private createUptime(name: string, config: EnvironmentConfig): Uptime {
    const m = config.monitors!;
    const keys = this.paging?.integrationKeys ?? {};
    return new Uptime(`${name}-uptime`, {
      targets: m.rules.filter((r) => r.kind === "uptime").map((r) => ({
        role: r.role!, tier: r.tier, status: r.status,
        // Render and Railway name a service's host when it is created.
        url: r.platformUrl && this.api?.publicUrl ? pulumi.interpolate`${this.api.publicUrl}${r.check?.path ?? this.api.healthPath}` : r.watches.replace(/^[A-Z]+ /, ""),
        request: r.check && { method: r.check.method, body: r.check.body, contains: r.check.contains },
      })),
      routes: m.routes,
      locations: m.uptime.locations,
      ...(m.uptime.failedRuns ? { failedRuns: m.uptime.failedRuns } : { downMinutes: m.uptime.downMinutes }),
      retry: m.uptime.retry,
      channels: {
        emails: m.alerts.emails,
        pagerduty: Object.fromEntries(Object.entries(keys).map(([t, k]) => [t, k.uptime])),
        slack: this.slackDestinations(config),
      },
    }, { parent: this });
  }

  /** Each named Slack destination, its webhook read from the secrets. */
  private slackDestinations(config: EnvironmentConfig) {
    return Object.fromEntries(Object.entries(config.monitors!.alerts.slack).map(([n, d]) => [n, { channel: d.channel, webhookUrl: this.secrets.get(d.webhookSecret) }]));
  }

  /** Every secret the stack makes, reads or hands out, copied to its Doppler config. */
  private createDoppler(name: string, config: EnvironmentConfig): DopplerSecrets {
    const values: Record<string, pulumi.Input<string>> = { ...this.secrets.values };
    if (this.database) values.DATABASE_URL = this.database.connectionString;
    if (this.cache) values.REDIS_URL = this.cache.url;
    return new DopplerSecrets(`${name}-doppler`, { ...config.doppler!, values }, { parent: this });
  }

  /** The Axiom dataset and a drain from each host that can send to it; secrets from the stack's own. */
  private createLogs(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): Logs {
    const logs = config.logs as Extract<NonNullable<EnvironmentConfig["logs"]>, { sink: "axiom" }>;
    const { web, api } = config;
    const containers = [
      ...(api?.docker ? [api.docker.containerName] : []),
      ...(web?.docker ? [web.docker.containerName, ...(web.docker.app ? [`${web.docker.containerName}-app`] : [])] : []),
    ];
    return new Logs(`${name}-logs`, {
      dataset: logs.dataset, retentionDays: logs.retentionDays, ingestToken: this.secrets.get(logs.ingestTokenSecret), protect: config.protect,
      vercel: web?.host === "vercel" && this.web ? { teamId: web.teamId, projectId: this.web.projectId } : undefined,
      fly: api?.fly && logs.fly ? {
        org: api.fly.org, sourceApp: api.fly.appName, appName: `${api.fly.appName}-logs`, region: api.fly.regions[0],
        accessToken: this.secrets.get(logs.fly.accessTokenSecret), image: logs.fly.image,
      } : undefined,
      docker: engine && containers.length ? { provider: engine.provider, containerName: `${logs.dataset}-logs`, containers } : undefined,
    }, { parent: this });
  }

  /** Grafana memory and CPU alerts on the API's Fly.io machines and connections on the database, to the same destinations as every other alert of their tier. */
  private createResourceAlerts(name: string, config: EnvironmentConfig): ResourceAlerts {
    const m = config.monitors!;
    const g = m.grafana!;
    const keys = this.paging?.integrationKeys ?? {};
    return new ResourceAlerts(`${name}-grafana`, {
      flyOrg: g.flyOrg, flyApp: g.flyApp, metricsToken: g.metricsTokenSecret ? this.secrets.get(g.metricsTokenSecret) : undefined,
      databaseUrl: g.dbConnections && this.database!.connectionString,
      label: environmentLabel(config), folder: g.folder, memory: g.memory, cpu: g.cpu, dbConnections: g.dbConnections,
      routes: m.routes,
      channels: {
        emails: m.alerts.emails,
        pagerduty: Object.fromEntries(Object.entries(keys).map(([t, k]) => [t, k.grafana])),
        slack: this.slackDestinations(config),
      },
    }, { parent: this });
  }
}

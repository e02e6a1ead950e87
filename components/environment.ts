import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "./environment-config";
import { ApiApp } from "./api";
import { addressRecord } from "./api-hosts";
import { Cdn, type CdnRecord } from "./cdn";
import { Database } from "./database";
import { Monitors } from "./monitors";
import { Repository } from "./repository";
import { Secrets } from "./secrets";
import { vercelAppHost, WebHost } from "./web";

/** Where a Vercel-hosted custom domain points. */
export const VERCEL_CNAME_TARGET = "cname.vercel-dns.com";

/** The build-time variable a framework exposes to browser code for the API's URL. */
const API_URL_VARIABLE: Record<string, string> = { nextjs: "NEXT_PUBLIC_API_URL", vite: "VITE_API_URL", astro: "PUBLIC_API_URL", "sveltekit-1": "PUBLIC_API_URL" };

/** The origin browsers load the front end from: its custom domain, its .vercel.app name, or the local container's port. */
function webOrigin(web: NonNullable<EnvironmentConfig["web"]>): string {
  if (web.domain) return `https://${web.domain}`;
  return web.host === "docker" ? `http://127.0.0.1:${web.docker!.publishPort}` : `https://${vercelAppHost(web.projectName)}`;
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
  readonly api?: ApiApp;
  readonly web?: WebHost;
  readonly cdn?: Cdn;
  readonly repository?: Repository;
  readonly monitors?: Monitors;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Environment.TYPE, name, {}, opts);
    const { config } = args;
    this.secrets = this.createSecrets(name, config);
    const engine = this.createDockerEngine(name, config);
    this.database = config.database && this.createDatabase(name, config, engine);
    this.api = config.api && this.createApi(name, config, engine);
    this.web = config.web && this.createWeb(name, config, engine);
    this.cdn = config.cdn && this.createCdn(name, config);
    this.repository = config.github && this.createRepository(name, config);
    this.monitors = config.monitors && this.createMonitors(name, config);
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
    const usesDocker = config.api?.host === "docker" || config.database?.provider === "docker" || config.web?.host === "docker";
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
      rotation: config.secrets.rotation,
    }, { parent: this });
  }

  private createApi(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): ApiApp {
    const api = config.api!;
    // The web's own origin: redirecting hosts never serve the app, so they never call the API.
    const origins = [...(config.web ? [webOrigin(config.web)] : []), ...api.corsOrigins];
    const secretEnv: Record<string, pulumi.Input<string>> = {};
    if (this.database) secretEnv.DATABASE_URL = this.database.connectionString;
    if (this.secrets.names.includes("JWT_SECRET")) secretEnv.JWT_SECRET = this.secrets.get("JWT_SECRET");
    for (const secret of api.secretEnv) secretEnv[secret] = this.secrets.get(secret);
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
      fly: api.fly, render: api.render,
      docker: api.docker && engine && { ...api.docker, ...engine },
      repository: config.repository, branch: config.branch,
    }, { parent: this });
  }

  private createWeb(name: string, config: EnvironmentConfig, engine: ReturnType<Environment["createDockerEngine"]>): WebHost {
    const web = config.web!;
    const apiVariable = API_URL_VARIABLE[web.framework] ?? "API_URL";
    if (web.host === "docker") {
      return new WebHost(`${name}-web`, {
        host: "docker", docker: { ...web.docker!, provider: engine!.provider },
        teamId: web.teamId, projectName: web.projectName, framework: web.framework,
        repository: config.repository ?? "", branch: config.branch, domain: web.domain,
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
      env: { ...web.env, ...(this.api?.publicUrl ? { [apiVariable]: this.api.publicUrl } : {}) },
      secretEnv: Object.fromEntries(web.secretEnv.map((secret) => [secret, this.secrets.get(secret)])),
      protection: web.protection,
    }, { parent: this });
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
      routes: m.routes,
      alerts: {
        emails: m.alerts.emails,
        pagerdutyIntegrationId: m.alerts.pagerdutyIntegrationId,
        slackWebhookUrl: slack ? this.secrets.get(slack) : undefined,
      },
      consecutiveFails: m.consecutiveFails,
    }, { parent: this });
  }
}

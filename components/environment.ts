import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "../stacks/config";
import { Cdn, type CdnRecord } from "./cdn";
import { Monitors } from "./monitors";
import { Repository } from "./repository";
import { Secrets } from "./secrets";
import { WebHost } from "./web";

/** Where a Vercel-hosted custom domain points. */
export const VERCEL_CNAME_TARGET = "cname.vercel-dns.com";

export interface EnvironmentArgs {
  /** The validated config of this stack. */
  config: EnvironmentConfig;
}

/** Everything one environment (one stack) runs on, wired together. */
export class Environment extends pulumi.ComponentResource {
  static readonly TYPE = "paved:environment:Environment";
  readonly secrets: Secrets;
  readonly web?: WebHost;
  readonly cdn?: Cdn;
  readonly repository?: Repository;
  readonly monitors?: Monitors;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Environment.TYPE, name, {}, opts);
    const { config } = args;
    this.secrets = this.createSecrets(name, config);
    this.web = config.web && this.createWeb(name, config);
    this.cdn = config.cdn && this.createCdn(name, config);
    this.repository = config.github && this.createRepository(name, config);
    this.monitors = config.monitors && this.createMonitors(name, config);
    this.registerOutputs({ webUrl: this.web?.url, secretNames: this.secrets.names });
  }

  private createSecrets(name: string, config: EnvironmentConfig): Secrets {
    return new Secrets(`${name}-secrets`, {
      generate: config.secrets.generate,
      provided: config.secrets.provided,
    }, { parent: this });
  }

  private createWeb(name: string, config: EnvironmentConfig): WebHost {
    const web = config.web!;
    return new WebHost(`${name}-web`, {
      teamId: web.teamId,
      projectName: web.projectName,
      framework: web.framework,
      repository: config.repository!,
      branch: config.branch,
      domain: web.domain,
      rootDirectory: web.rootDirectory,
      buildCommand: web.buildCommand,
      installCommand: web.installCommand,
      outputDirectory: web.outputDirectory,
      nodeVersion: web.nodeVersion,
      env: web.env,
      secretEnv: Object.fromEntries(web.secretEnv.map((secret) => [secret, this.secrets.get(secret)])),
      protection: web.protection,
    }, { parent: this });
  }

  private createCdn(name: string, config: EnvironmentConfig): Cdn {
    const cdn = config.cdn!;
    const records: CdnRecord[] = [];
    if (this.web) records.push({ role: "web", host: this.web.domain, type: "CNAME", content: VERCEL_CNAME_TARGET });
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
    return new Repository(`${name}-github`, {
      repository: gh.repository,
      branch: config.branch,
      environment: gh.environment,
      protection: gh.protection,
      reviewers: gh.reviewers,
      variables,
      secrets: Object.fromEntries(gh.actionsSecrets.map((secret) => [secret, this.secrets.get(secret)])),
      manageRepository: gh.ownsRepository,
    }, { parent: this });
  }

  private createMonitors(name: string, config: EnvironmentConfig): Monitors {
    const m = config.monitors!;
    const slack = m.alerts.slackWebhookSecret;
    return new Monitors(`${name}-monitors`, {
      zoneId: m.zoneId,
      accountId: m.accountId,
      web: this.web && { host: this.web.domain, path: "/" },
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

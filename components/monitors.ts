import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { PavedInputError } from "./errors";

/** Alert tiers: P1 pages someone, P2 is read within hours, P3 is for the team channel. */
export const TIERS = ["P1", "P2", "P3"] as const;
export type Tier = (typeof TIERS)[number];
export const DESTINATIONS = ["pagerduty", "email", "slack"] as const;
export type Destination = (typeof DESTINATIONS)[number];

/** A public endpoint to probe over HTTPS. */
export interface MonitorTarget {
  /** Hostname, e.g. `api.planningos.com`. */
  host: string;
  /** Path that answers 200 when healthy, e.g. `/health`. */
  path: string;
  /** Status codes that count as healthy, e.g. `["308"]` for a host that redirects. @default ["200"] */
  expectedCodes?: string[];
}

export interface MonitorsArgs {
  /** Cloudflare zone the health checks belong to. */
  zoneId: string;
  /** Cloudflare account that holds the notification policies. */
  accountId: string;
  /** The web front end; probed at its root. @default not probed */
  web?: MonitorTarget;
  /** The API's health endpoint. @default not probed */
  api?: MonitorTarget;
  /** Hosts that redirect to the web front end; probed at the web's tier for their redirect. @default [] */
  redirects?: MonitorTarget[];
  /** Tier of each target; without an API the web takes the API's tier, as it is then the whole product. */
  tiers: { api: Tier; web: Tier };
  /** Where each tier's alerts go. Tiers left out alert nobody. */
  routes: Partial<Record<Tier, Destination[]>>;
  /** The destinations themselves. */
  alerts: {
    /** Addresses for the `email` destination. @default [] */
    emails?: string[];
    /** Id of the PagerDuty service already connected to the Cloudflare account (connecting needs OAuth in the dashboard). */
    pagerdutyIntegrationId?: string;
    /** Slack incoming-webhook URL; passed on as secret. */
    slackWebhookUrl?: pulumi.Input<string>;
  };
  /** Failed probes in a row before a target counts as down; at one probe a minute, 5 is about 5 minutes. @default 5 */
  consecutiveFails?: number;
}

/** Probe cadence: once a minute, 10 s to answer, two immediate retries on a timeout. */
const INTERVAL = 60;
const TIMEOUT = 10;
const RETRIES = 2;

/** Health checks on an environment's public endpoints and the alert routes, tier by tier, that watch them. */
export class Monitors extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:Monitors";
  /** Cloudflare health check id per target (`web`, `api`). */
  readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: MonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Monitors.TYPE, name, {}, opts);
    const targets = this.targets(args);
    const checks = targets.map((t) => ({ ...t, check: this.createHealthCheck(name, args, t.role, t.target) }));
    const slack = this.needsSlack(args) ? this.createSlackDestination(name, args) : undefined;
    for (const tier of TIERS) {
      const watched = checks.filter((c) => c.tier === tier);
      const route = args.routes[tier] ?? [];
      if (watched.length && route.length) this.createPolicy(name, args, tier, route, watched.map((c) => c.check), slack);
    }
    this.healthCheckIds = Object.fromEntries(checks.map((c) => [c.role, c.check.id]));
    this.registerOutputs({ healthCheckIds: this.healthCheckIds });
  }

  private targets(args: MonitorsArgs) {
    const list: Array<{ role: string; target: MonitorTarget; tier: Tier }> = [];
    if (args.api) list.push({ role: "api", target: args.api, tier: args.tiers.api });
    const webTier = args.api ? args.tiers.web : args.tiers.api;
    if (args.web) list.push({ role: "web", target: args.web, tier: webTier });
    for (const target of args.redirects ?? []) list.push({ role: `redirect-${target.host.replace(/\./g, "-")}`, target, tier: webTier });
    return list;
  }

  private createHealthCheck(name: string, args: MonitorsArgs, role: string, target: MonitorTarget): cloudflare.Healthcheck {
    return new cloudflare.Healthcheck(`${name}-${role}`, {
      zoneId: args.zoneId,
      name: `${name}-${role}`,
      description: `paved: https://${target.host}${target.path}`,
      address: target.host,
      type: "HTTPS",
      interval: INTERVAL,
      timeout: TIMEOUT,
      retries: RETRIES,
      consecutiveFails: args.consecutiveFails ?? 5,
      consecutiveSuccesses: 2,
      suspended: false,
      httpConfig: {
        method: "GET", path: target.path, port: 443, expectedCodes: target.expectedCodes ?? ["200"],
        followRedirects: false, allowInsecure: false, header: { Host: [target.host] },
      },
    }, { parent: this });
  }

  private needsSlack(args: MonitorsArgs): boolean {
    return Object.values(args.routes).some((route) => route?.includes("slack"));
  }

  private createSlackDestination(name: string, args: MonitorsArgs): cloudflare.NotificationPolicyWebhooks {
    return new cloudflare.NotificationPolicyWebhooks(`${name}-slack`, {
      accountId: args.accountId,
      name: `${name} Slack`,
      url: pulumi.secret(args.alerts.slackWebhookUrl!),
    }, { parent: this });
  }

  private createPolicy(
    name: string, args: MonitorsArgs, tier: Tier, route: Destination[],
    checks: cloudflare.Healthcheck[], slack?: cloudflare.NotificationPolicyWebhooks,
  ): void {
    new cloudflare.NotificationPolicy(`${name}-${tier.toLowerCase()}`, {
      accountId: args.accountId,
      name: `${name} ${tier}`,
      description: `paved: ${tier} health check alerts`,
      alertType: "health_check_status_notification",
      enabled: true,
      mechanisms: {
        emails: route.includes("email") ? (args.alerts.emails ?? []).map((id) => ({ id })) : undefined,
        pagerduties: route.includes("pagerduty") ? [{ id: args.alerts.pagerdutyIntegrationId! }] : undefined,
        webhooks: route.includes("slack") && slack ? [{ id: slack.id }] : undefined,
      },
      filters: { healthCheckIds: checks.map((c) => c.id) },
    }, { parent: this });
  }
}

function validate(name: string, args: MonitorsArgs): void {
  const problems: string[] = [];
  const where = `Monitors "${name}"`;
  for (const [key, id] of [["zoneId", args.zoneId], ["accountId", args.accountId]] as const) {
    if (!/^[0-9a-f]{32}$/.test(id)) problems.push(`${where}: ${key} is "${id}"; expected a 32-character hex id`);
  }
  for (const role of ["web", "api"] as const) {
    const path = args[role]?.path;
    if (path !== undefined && !path.startsWith("/")) problems.push(`${where}: ${role}.path is "${path}"; expected a path starting with /`);
  }
  const configured: Record<Destination, boolean> = {
    email: (args.alerts.emails ?? []).length > 0,
    pagerduty: !!args.alerts.pagerdutyIntegrationId,
    slack: args.alerts.slackWebhookUrl !== undefined,
  };
  for (const tier of TIERS) {
    for (const destination of args.routes[tier] ?? []) {
      if (!configured[destination]) problems.push(`${where}: routes.${tier} has ${destination}; expected alerts to configure ${destination}`);
    }
  }
  const fails = args.consecutiveFails;
  if (fails !== undefined && !(Number.isInteger(fails) && fails >= 1 && fails <= 10)) {
    problems.push(`${where}: consecutiveFails is ${fails}; expected a whole number from 1 to 10`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

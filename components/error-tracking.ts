import * as pulumi from "@pulumi/pulumi";
import * as sentry from "@pulumiverse/sentry";
import {
  type Destination, type ErrorCountAlert, type ErrorRateAlert, isSlack, type LatencyAlert, type PagedTier, slackName, type Tier,
} from "./alerting";
import { PavedInputError } from "./errors";

/** A service that reports to Sentry: a project paved creates, or an existing one by slug. */
export interface SentryService {
  role: "api" | "web";
  /** Sentry's platform id, e.g. `rust`, `node`, `javascript-react`. */
  platform: string;
  /** Slug of the project paved creates, e.g. `planningos-api-production`. */
  slug: string;
  /** The project exists already; paved adds a key and alerts to it. @default false */
  existing?: boolean;
}

/** How Sentry reaches each destination: its organization's PagerDuty and Slack integrations, the team it emails. */
export interface SentryActions {
  /** Sentry's PagerDuty integration, and the id it gives each tier's PagerDuty service. */
  pagerduty?: { integrationId: number; services: Partial<Record<PagedTier, string>> };
  /** Sentry's Slack integration id. */
  slackIntegrationId?: number;
  /** The Slack channel of each named Slack destination. */
  slackChannels: Record<string, string>;
  /** Numeric id of the Sentry team the `email` destination mails. */
  emailTeamId?: string;
}

export interface ErrorTrackingArgs {
  organization: string;
  /** Slug of the team new projects belong to. */
  team: string;
  services: SentryService[];
  /** Sentry's environment tag the alerts filter on, e.g. `production`. */
  environment: string;
  errorRate?: ErrorRateAlert;
  errorCount?: ErrorCountAlert;
  latency?: LatencyAlert;
  /** An issue alert on every new issue. @default none */
  newIssues?: { tier: Tier };
  routes: Record<Tier, Destination[]>;
  actions: SentryActions;
  /** Protect the projects paved creates, and keep them if the stack is destroyed: a project holds the error history. @default false */
  protect?: boolean;
}

/** Sentry's metric-alert windows, in minutes. */
export const SENTRY_WINDOWS = [1, 5, 10, 15, 30, 60, 120, 240, 1440] as const;
const ABOVE = 0;

type MetricAction = sentry.types.input.SentryMetricAlertTriggerAction;

/** Sentry for an environment: a project and DSN per service, metric alerts for errors and latency, an issue alert for new issues. */
export class ErrorTracking extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:ErrorTracking";
  /** The DSN each service reports to, by role; secret. */
  readonly dsn: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ErrorTrackingArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super(ErrorTracking.TYPE, name, {}, opts);
    const dsn: Record<string, pulumi.Output<string>> = {};
    for (const service of args.services) {
      const project = this.createProject(name, args, service);
      dsn[service.role] = this.createKey(name, args, service, project);
      this.createMetricAlerts(name, args, service, project);
      if (args.newIssues) this.createIssueAlert(name, args, service, project, args.newIssues.tier);
    }
    this.dsn = dsn;
    this.registerOutputs({ dsn });
  }

  private createProject(name: string, args: ErrorTrackingArgs, service: SentryService): pulumi.Input<string> {
    if (service.existing) return service.slug;
    return new sentry.SentryProject(`${name}-${service.role}`, {
      organization: args.organization, teams: [args.team], name: service.slug, slug: service.slug, platform: service.platform,
    }, { parent: this, protect: args.protect, retainOnDelete: args.protect }).slug;
  }

  private createKey(name: string, args: ErrorTrackingArgs, service: SentryService, project: pulumi.Input<string>) {
    const key = new sentry.SentryKey(`${name}-${service.role}-key`, {
      organization: args.organization, project, name: `paved ${args.environment}`,
    }, { parent: this, additionalSecretOutputs: ["dsnPublic", "dsnCsp"] });
    // The public DSN is safe in a browser bundle, but it still lets anyone send events: it travels as a secret.
    return pulumi.secret(key.dsnPublic);
  }

  private createMetricAlerts(name: string, args: ErrorTrackingArgs, service: SentryService, project: pulumi.Input<string>): void {
    const alert = (suffix: string, label: string, tier: Tier, spec: { dataset: string; query: string; aggregate: string; window: number; threshold: number }) =>
      new sentry.SentryMetricAlert(`${name}-${service.role}-${suffix}`, {
        organization: args.organization, project, environment: args.environment,
        name: `${tier} · ${service.role} ${label}`,
        dataset: spec.dataset, query: spec.query, aggregate: spec.aggregate, timeWindow: spec.window, thresholdType: ABOVE,
        triggers: [{ label: "critical", thresholdType: ABOVE, alertThreshold: spec.threshold, actions: this.metricActions(args, tier) }],
      }, { parent: this });
    const { errorRate, errorCount, latency } = args;
    if (errorRate) {
      // failure_rate() is a ratio; Sentry's UI shows it as a percentage.
      alert("error-rate", `error rate > ${errorRate.percent} % for ${errorRate.windowMinutes} min`, errorRate.tier,
        { dataset: "transactions", query: "", aggregate: "failure_rate()", window: errorRate.windowMinutes, threshold: errorRate.percent / 100 });
    }
    if (errorCount) {
      alert("error-count", `errors > ${errorCount.perMinute}/min`, errorCount.tier,
        { dataset: "events", query: "event.type:error", aggregate: "count()", window: 1, threshold: errorCount.perMinute });
    }
    if (latency && service.role === "api") {
      alert("latency", `${latency.percentile} > ${latency.ms} ms for ${latency.windowMinutes} min`, latency.tier,
        { dataset: "transactions", query: "", aggregate: `${latency.percentile}(transaction.duration)`, window: latency.windowMinutes, threshold: latency.ms });
    }
  }

  private metricActions(args: ErrorTrackingArgs, tier: Tier): MetricAction[] {
    const { actions } = args;
    return args.routes[tier].map((d): MetricAction => {
      if (d === "pagerduty") {
        return { type: "pagerduty", targetType: "specific", integrationId: actions.pagerduty!.integrationId, targetIdentifier: actions.pagerduty!.services[tier as PagedTier] };
      }
      if (d === "email") return { type: "email", targetType: "team", targetIdentifier: actions.emailTeamId };
      return { type: "slack", targetType: "specific", integrationId: actions.slackIntegrationId, targetIdentifier: actions.slackChannels[slackName(d)] };
    });
  }

  private createIssueAlert(name: string, args: ErrorTrackingArgs, service: SentryService, project: pulumi.Input<string>, tier: Tier): void {
    const { actions } = args;
    new sentry.SentryIssueAlert(`${name}-${service.role}-new-issues`, {
      organization: args.organization, project, environment: args.environment,
      name: `${tier} · ${service.role} new issue`,
      actionMatch: "any", filterMatch: "all", frequency: 30,
      conditions: [{ id: "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition" }],
      actions: args.routes[tier].map((d): Record<string, string> => {
        if (d === "pagerduty") {
          return { id: "sentry.integrations.pagerduty.notify_action.PagerDutyNotifyServiceAction",
            account: String(actions.pagerduty!.integrationId), service: actions.pagerduty!.services[tier as PagedTier]! };
        }
        if (d === "email") return { id: "sentry.mail.actions.NotifyEmailAction", targetType: "Team", targetIdentifier: actions.emailTeamId! };
        return { id: "sentry.integrations.slack.notify_action.SlackNotifyServiceAction",
          workspace: String(actions.slackIntegrationId), channel: actions.slackChannels[slackName(d)] };
      }),
    }, { parent: this });
  }
}

function validate(name: string, args: ErrorTrackingArgs): void {
  const problems: string[] = [];
  const where = `ErrorTracking "${name}"`;
  for (const [key, alert] of [["errorRate", args.errorRate], ["latency", args.latency]] as const) {
    if (alert && !(SENTRY_WINDOWS as readonly number[]).includes(alert.windowMinutes)) {
      problems.push(`${where}: ${key}.windowMinutes is ${alert.windowMinutes}; expected one of ${SENTRY_WINDOWS.join(", ")}`);
    }
  }
  // Latency is alerted on for the API only: without one, its tier fires nothing and needs no route.
  const latency = args.services.some((s) => s.role === "api") ? args.latency : undefined;
  const tiers = [args.errorRate, args.errorCount, latency, args.newIssues].filter((a) => a).map((a) => a!.tier);
  const { actions } = args;
  for (const tier of new Set(tiers)) {
    if (args.routes[tier].length === 0) problems.push(`${where}: routes.${tier} is empty; expected a destination for Sentry's ${tier} alerts`);
    for (const d of args.routes[tier]) {
      const missing = d === "pagerduty" ? !actions.pagerduty?.services[tier as PagedTier]
        : d === "email" ? !actions.emailTeamId
          : isSlack(d) && (actions.slackIntegrationId === undefined || !actions.slackChannels[slackName(d)]);
      if (missing) problems.push(`${where}: routes.${tier} has ${d}; expected actions to configure ${d}${d === "pagerduty" ? ` for ${tier}` : ""}`);
    }
  }
  if (problems.length) throw new PavedInputError(problems);
}

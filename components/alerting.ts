/**
 * What an environment's alerts are, as plain data: the tiers, where each tier goes, and one
 * rule per thing watched. stacks/ resolves them from the stack file; the Paging, Uptime,
 * ErrorTracking and ResourceAlerts components create them; the offline plan prints them.
 */

/** Alert tiers: P1 pages someone now, P2 is read within hours, P3 is for the team channel. */
export const TIERS = ["P1", "P2", "P3"] as const;
export type Tier = (typeof TIERS)[number];

/** `slack` is the one webhook of `alerts.slackWebhookSecret`; `slack:<name>` one of `alerts.slack`. */
export type Destination = "pagerduty" | "email" | "slack" | `slack:${string}`;

export type AlertKind = "uptime" | "error-rate" | "error-count" | "latency" | "new-issues"
  | "memory" | "cpu" | "disk" | "db-connections" | "db-cpu" | "logs" | "metrics" | "deploys" | "vulnerabilities";

/** The service that evaluates and sends each kind of alert paved plans; the others come from elsewhere or nowhere. */
export const ALERT_SENDER: Partial<Record<AlertKind, "uptime" | "sentry" | "grafana" | "deploys">> = {
  uptime: "uptime", "error-rate": "sentry", "error-count": "sentry", latency: "sentry", "new-issues": "sentry",
  memory: "grafana", cpu: "grafana", "db-connections": "grafana", deploys: "deploys",
};

/** One alert the environment plans. */
export interface AlertRule {
  kind: AlertKind;
  /** The service watched; `stack` for what concerns the whole environment (its deploys). */
  service: "api" | "web" | "database" | "stack";
  /** What is watched, e.g. `https://api.example.com/health` or `Sentry project acme-api-production`. */
  watches: string;
  /** When it fires, e.g. `down`, `p99 > 500 ms`. */
  threshold: string;
  /** How long the condition must hold, e.g. `5 min`. */
  window: string;
  tier: Tier;
  /** For an uptime check, the HTTP status that means up when not 200 (a redirecting host's 308). */
  status?: number;
  /** For an uptime check of the API with no hostname of its own: its URL is the platform's name for it, known once deployed. */
  platformUrl?: boolean;
  /** For an uptime check, its name within the stack's checks, e.g. `api`, `web-www-example-com`, `api-post-auth-login`. */
  role?: string;
  /** For an API check of a row of the table: the request it makes and the answer it expects. */
  check?: UptimeCheck;
  /** The resource that evaluates the alert, as the plan names it, e.g. `checkly:Check production-uptime-api`. */
  resource: string;
}

/** An API check a row of the table declares beside the health checks: a request and the answer that means up. */
export interface UptimeCheck {
  service: "api" | "web";
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** The request body, sent as JSON when it parses as JSON. @default none */
  body?: string;
  /** The HTTP status that means up. @default 200 */
  status: number;
  /** Text the answer's body must hold. @default none */
  contains?: string;
  /** The check's tier. @default the service's tier (paved:monitors.tiers) */
  tier?: Tier;
}

/** A row of the stack's monitoring table: the resources that cover it, or why none does. */
export interface RowReport {
  row: string;
  kind: AlertKind;
  /** The resources planned for the row. */
  planned?: string[];
  /** Planned, but part of what the row watches is off in this stack file's settings, and why. */
  partly?: string;
  /** Not planned because of this stack file's settings, which say how to turn it on. */
  off?: string;
  /** Not planned because nothing paved plans on these hosts can express it. */
  never?: string;
}

/** Sentry metric alert settings: the threshold, the window in minutes and the tier. */
export interface ErrorRateAlert { percent: number; windowMinutes: number; tier: Tier }
export interface ErrorCountAlert { perMinute: number; tier: Tier }
export interface LatencyAlert { percentile: "p95" | "p99"; ms: number; windowMinutes: number; tier: Tier }
/** A machine resource alert (memory, CPU): fires when the percentage stays above `percent` for `forMinutes`. */
export interface ResourceAlert { percent: number; forMinutes: number; tier: Tier }
/** A database-connections alert: client connections above `max`, or above `percent` of `max_connections`, for `forMinutes`. */
export type DbConnectionsAlert = { forMinutes: number; tier: Tier } & ({ max: number; percent?: undefined } | { percent: number; max?: undefined });

/** The PagerDuty service a tier pages: an existing one by id, or one paved creates. */
export const PAGED_TIERS = ["P1", "P2"] as const;
export type PagedTier = (typeof PAGED_TIERS)[number];

/** A Slack destination: the channel and the incoming-webhook URL (a secret). */
export interface SlackDestination<T = string> { channel: string; webhookUrl: T }

/** The Actions secret of a stack's GitHub environment that holds its deploy-status webhooks, one per line. */
export const DEPLOY_WEBHOOKS_SECRET = "PAVED_DEPLOY_WEBHOOKS";
/** The Actions secret that holds the Events API key a failed deploy pages with (`paved:monitors.deploys.failedTier`). */
export const DEPLOY_PAGERDUTY_SECRET = "PAVED_DEPLOY_PAGERDUTY_KEY";

export const slackName = (d: Destination) => (d === "slack" ? "default" : d.slice("slack:".length));
export const isSlack = (d: Destination) => d === "slack" || d.startsWith("slack:");

/** What a component holds to reach each destination: addresses, a PagerDuty key per paged tier, named Slack webhooks. */
export interface DestinationChannels {
  emails: string[];
  pagerduty: Partial<Record<PagedTier, unknown>>;
  slack: Record<string, unknown>;
}

/** One problem per destination of `tier`'s route that `channels` cannot reach, and one if the route is empty. */
export function routeProblems(where: string, tier: Tier, subject: string, route: Destination[], channels: DestinationChannels): string[] {
  if (route.length === 0) return [`${where}: routes.${tier} is empty; expected a destination for ${subject}`];
  return route.flatMap((d) => {
    const missing = d === "email" ? channels.emails.length === 0
      : d === "pagerduty" ? (tier === "P3" || channels.pagerduty[tier] === undefined)
        : isSlack(d) && !channels.slack[slackName(d)];
    return missing ? [`${where}: routes.${tier} has ${d}; expected channels to configure ${d}${d === "pagerduty" ? ` for ${tier}` : ""}`] : [];
  });
}

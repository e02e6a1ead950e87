import * as checkly from "@checkly/pulumi";
import * as pulumi from "@pulumi/pulumi";
import { type Destination, type PagedTier, routeProblems, slackName, type SlackDestination, type Tier, TIERS } from "./alerting";
import { PavedInputError } from "./errors";

/** A public URL to probe, and the tier its downtime is. */
export interface UptimeTarget {
  /** `api` or `web`; names the check. */
  role: string;
  /** e.g. `https://api.example.com/health`; an Output where the platform names the host (a Render service's onrender.com name). */
  url: pulumi.Input<string>;
  tier: Tier;
  /** The HTTP status that means up. @default 200 */
  status?: number;
  /** The request, where it is more than a GET: method, body (sent as JSON when it parses as JSON), and text the answer must hold. @default GET, no body */
  request?: { method: string; body?: string; contains?: string };
}

export interface UptimeArgs {
  targets: UptimeTarget[];
  /** Where each tier's alerts go. */
  routes: Record<Tier, Destination[]>;
  /** Checkly locations to probe from; at least two, so one region's outage is not the product's. */
  locations: string[];
  /** Minutes a target must fail before anyone is alerted: 5, 10, 15 or 30 (Checkly's steps). @default 5 */
  downMinutes?: number;
  /** Alert after this many failed runs in a row instead (Checkly's run-based escalation), 1 to 5; one run a minute. @default time-based */
  failedRuns?: number;
  /** Retry a failed run from another region before it counts as failed (Checkly's double check). @default false */
  retry?: boolean;
  /** The destinations: email addresses, the PagerDuty integration key per paged tier (secret), named Slack webhooks (secret). */
  channels: {
    emails: string[];
    pagerduty: Partial<Record<PagedTier, pulumi.Input<string>>>;
    slack: Record<string, SlackDestination<pulumi.Input<string>>>;
  };
}

/** Once a minute, a 10 s budget to answer, as the guides ask. */
const FREQUENCY_MINUTES = 1;
const MAX_RESPONSE_MS = 10_000;
export const DOWN_MINUTES = [5, 10, 15, 30] as const;
/** Checkly's run-based escalation alerts after 1 to 5 failed runs. */
export const FAILED_RUNS_MAX = 5;

/** External uptime checks (Checkly) on an environment's public URLs, alerting each tier's destinations. */
export class Uptime extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:Uptime";
  /** Checkly check id per target role. */
  readonly checkIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: UptimeArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super(Uptime.TYPE, name, {}, opts);
    const channels = this.createChannels(name, args);
    const checks = args.targets.map((t) => [t.role, this.createCheck(name, args, t, channels)] as const);
    this.checkIds = Object.fromEntries(checks.map(([role, check]) => [role, check.id]));
    this.registerOutputs({ checkIds: this.checkIds });
  }

  /** One alert channel per destination a firing tier uses, shared by the tier's checks. */
  private createChannels(name: string, args: UptimeArgs): Map<string, checkly.AlertChannel[]> {
    const byDestination = new Map<string, checkly.AlertChannel[]>();
    const channel = (suffix: string, props: checkly.AlertChannelArgs) =>
      new checkly.AlertChannel(`${name}-${suffix}`, { sendFailure: true, sendRecovery: true, sendDegraded: false, ...props }, { parent: this });
    for (const tier of TIERS) {
      if (!args.targets.some((t) => t.tier === tier)) continue;
      for (const d of args.routes[tier]) {
        const key = d === "pagerduty" ? `pagerduty:${tier}` : d;
        if (byDestination.has(key)) continue;
        if (d === "email") byDestination.set(key, args.channels.emails.map((address, i) => channel(`email-${i}`, { email: { address } })));
        else if (d === "pagerduty") {
          byDestination.set(key, [channel(`pagerduty-${tier.toLowerCase()}`, {
            pagerduty: { serviceKey: pulumi.secret(args.channels.pagerduty[tier as PagedTier]!), serviceName: `${name} ${tier}` },
          })]);
        } else {
          const slack = args.channels.slack[slackName(d)];
          byDestination.set(key, [channel(`slack-${slackName(d)}`, { slack: { channel: slack.channel, url: pulumi.secret(slack.webhookUrl) } })]);
        }
      }
    }
    return byDestination;
  }

  private createCheck(name: string, args: UptimeArgs, target: UptimeTarget, channels: Map<string, checkly.AlertChannel[]>): checkly.Check {
    const subscribed = args.routes[target.tier].flatMap((d) => channels.get(d === "pagerduty" ? `pagerduty:${target.tier}` : d) ?? []);
    return new checkly.Check(`${name}-${target.role}`, {
      name: `${name} ${target.role} (${target.tier})`,
      type: "API",
      activated: true,
      muted: false,
      frequency: FREQUENCY_MINUTES,
      locations: args.locations,
      maxResponseTime: MAX_RESPONSE_MS,
      degradedResponseTime: MAX_RESPONSE_MS / 2,
      shouldFail: false,
      tags: ["paved", target.tier],
      request: this.request(target),
      doubleCheck: args.retry ?? false,
      useGlobalAlertSettings: false,
      alertSettings: {
        ...(args.failedRuns
          ? { escalationType: "RUN_BASED", runBasedEscalations: [{ failedRunThreshold: args.failedRuns }] }
          : { escalationType: "TIME_BASED", timeBasedEscalations: [{ minutesFailingThreshold: args.downMinutes ?? 5 }] }),
        reminders: [{ amount: 0, interval: 5 }],
      },
      // Checkly's ids are numbers; the provider reports them as strings.
      alertChannelSubscriptions: subscribed.map((c) => ({ channelId: c.id.apply(Number), activated: true })),
    }, { parent: this });
  }

  /** A GET of the URL expecting its status, or the target's own request and the text its answer must hold. */
  private request(target: UptimeTarget): checkly.types.input.CheckRequest {
    const r = target.request;
    const assertions = [{ source: "STATUS_CODE", comparison: "EQUALS", target: String(target.status ?? 200) }];
    if (r?.contains) assertions.push({ source: "TEXT_BODY", comparison: "CONTAINS", target: r.contains });
    return {
      url: target.url, method: r?.method ?? "GET", followRedirects: false, skipSsl: false, assertions,
      ...(r?.body ? { body: r.body, bodyType: bodyType(r.body) } : {}),
    };
  }
}

/** A JSON body goes as JSON, anything else as raw text. */
const bodyType = (body: string) => {
  try {
    JSON.parse(body);
    return "JSON";
  } catch {
    return "RAW";
  }
};

function validate(name: string, args: UptimeArgs): void {
  const problems: string[] = [];
  const where = `Uptime "${name}"`;
  if (new Set(args.locations).size < 2) problems.push(`${where}: locations is ${JSON.stringify(args.locations)}; expected at least two Checkly locations`);
  const down = args.downMinutes;
  if (down !== undefined && !(DOWN_MINUTES as readonly number[]).includes(down)) {
    problems.push(`${where}: downMinutes is ${down}; expected one of ${DOWN_MINUTES.join(", ")}`);
  }
  const runs = args.failedRuns;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= FAILED_RUNS_MAX)) {
    problems.push(`${where}: failedRuns is ${runs}; expected a whole number from 1 to ${FAILED_RUNS_MAX}`);
  }
  if (runs !== undefined && down !== undefined) problems.push(`${where}: downMinutes and failedRuns are both set; expected one of them`);
  for (const t of args.targets) {
    if (typeof t.url === "string" && !/^https:\/\/[^/]+\//.test(t.url)) problems.push(`${where}: ${t.role}.url is "${t.url}"; expected an https:// URL with a path`);
    problems.push(...routeProblems(where, t.tier, `the ${t.role} check's tier`, args.routes[t.tier], args.channels));
  }
  if (problems.length) throw new PavedInputError([...new Set(problems)]);
}

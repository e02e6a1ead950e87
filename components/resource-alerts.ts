import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { type Destination, isSlack, type PagedTier, type ResourceAlert, routeProblems, slackName, type SlackDestination, type Tier, TIERS } from "./alerting";
import { PavedInputError } from "./errors";
import { cpuQuery, flyAuthorization, memoryQuery } from "./resource-queries";

export interface ResourceAlertsArgs {
  /** Slug of the Fly.io organization whose managed Prometheus holds the machines' metrics, e.g. `planningos`. */
  flyOrg: string;
  /** The Fly app whose machines are watched, e.g. `planningos-api-production`. */
  flyApp: string;
  /** A Fly.io token that reads the organization's metrics (`FlyV1 fm2_…` or a bearer token); passed on as secret. */
  metricsToken: pulumi.Input<string>;
  /** Names the data source, rule group and contact points, e.g. `planningos production`. */
  label: string;
  /** Title of the folder the rules live in. @default label */
  folder?: string;
  /** Memory used per machine. @default no memory alert */
  memory?: ResourceAlert;
  /** CPU busy per machine; `forMinutes` is what makes it "sustained". @default no CPU alert */
  cpu?: ResourceAlert;
  /** Where each tier's alerts go. */
  routes: Record<Tier, Destination[]>;
  /** The destinations: email addresses, Grafana's PagerDuty integration key per paged tier (secret), named Slack webhooks (secret). */
  channels: {
    emails: string[];
    pagerduty: Partial<Record<PagedTier, pulumi.Input<string>>>;
    slack: Record<string, SlackDestination<pulumi.Input<string>>>;
  };
}

/** Grafana evaluates the group once a minute; Fly.io scrapes every 15 s. */
const INTERVAL_SECONDS = 60;
/** Grafana's server-side expressions, as a rule's data source. */
const EXPRESSIONS = "__expr__";
const SEVERITY: Record<PagedTier, string> = { P1: "critical", P2: "warning" };

type Watched = { kind: "memory" | "cpu"; alert: ResourceAlert; what: string; expr: string };

/**
 * Memory and CPU alerts on an API's Fly.io machines: a Grafana data source on Fly.io's managed
 * Prometheus, a folder, one rule group, and a contact point per tier the rules fire at. Each rule
 * names its contact point (simplified routing), so the stack never touches the organization's
 * notification policy, which other stacks and people share.
 */
export class ResourceAlerts extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:ResourceAlerts";
  /** Uid of the Prometheus data source Grafana queries. */
  readonly dataSourceUid: pulumi.Output<string>;
  /** Uid of the folder that holds the rules. */
  readonly folderUid: pulumi.Output<string>;

  constructor(name: string, args: ResourceAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super(ResourceAlerts.TYPE, name, {}, opts);
    const watched = this.watched(args);
    const source = this.createDataSource(name, args);
    const folder = new grafana.oss.Folder(`${name}-folder`, { title: args.folder ?? args.label }, { parent: this });
    const contactPoints = new Map<Tier, grafana.alerting.ContactPoint>();
    for (const tier of TIERS.filter((t) => watched.some((w) => w.alert.tier === t))) contactPoints.set(tier, this.createContactPoint(name, args, tier));
    this.createRuleGroup(name, args, watched, source, folder, contactPoints);
    this.dataSourceUid = source.uid;
    this.folderUid = folder.uid;
    this.registerOutputs({ dataSourceUid: this.dataSourceUid, folderUid: this.folderUid });
  }

  private watched(args: ResourceAlertsArgs): Watched[] {
    const list: Watched[] = [];
    if (args.memory) list.push({ kind: "memory", alert: args.memory, what: "memory used", expr: memoryQuery(args.flyApp) });
    if (args.cpu) list.push({ kind: "cpu", alert: args.cpu, what: "CPU busy", expr: cpuQuery(args.flyApp) });
    return list;
  }

  private createDataSource(name: string, args: ResourceAlertsArgs): grafana.oss.DataSource {
    return new grafana.oss.DataSource(`${name}-prometheus`, {
      type: "prometheus",
      name: `${args.label} Fly.io Prometheus`,
      url: `https://api.fly.io/prometheus/${args.flyOrg}/`,
      accessMode: "proxy",
      isDefault: false,
      // Grafana's custom-header pair: the name is plain settings, the value (the token) secure settings.
      jsonDataEncoded: JSON.stringify({ httpMethod: "POST", timeInterval: "15s", httpHeaderName1: "Authorization" }),
      secureJsonDataEncoded: pulumi.secret(pulumi.output(args.metricsToken).apply((token) => JSON.stringify({ httpHeaderValue1: flyAuthorization(token) }))),
    }, { parent: this });
  }

  /** One contact point per tier, with an integration for each destination the tier routes to: a rule names exactly one. */
  private createContactPoint(name: string, args: ResourceAlertsArgs, tier: Tier): grafana.alerting.ContactPoint {
    const route = args.routes[tier];
    const slacks = route.filter(isSlack).map((d) => args.channels.slack[slackName(d)]);
    return new grafana.alerting.ContactPoint(`${name}-${tier.toLowerCase()}`, {
      name: `${args.label} ${tier}`,
      emails: route.includes("email") ? [{ addresses: args.channels.emails, singleEmail: true }] : undefined,
      pagerduties: route.includes("pagerduty")
        ? [{ integrationKey: pulumi.secret(args.channels.pagerduty[tier as PagedTier]!), severity: SEVERITY[tier as PagedTier], class: "resources", component: args.flyApp }]
        : undefined,
      slacks: slacks.length ? slacks.map((s) => ({ url: pulumi.secret(s.webhookUrl), recipient: s.channel })) : undefined,
    }, { parent: this, additionalSecretOutputs: ["pagerduties", "slacks"] });
  }

  private createRuleGroup(
    name: string, args: ResourceAlertsArgs, watched: Watched[], source: grafana.oss.DataSource,
    folder: grafana.oss.Folder, contactPoints: Map<Tier, grafana.alerting.ContactPoint>,
  ): grafana.alerting.RuleGroup {
    return new grafana.alerting.RuleGroup(`${name}-rules`, {
      name: `${args.label} resources`,
      folderUid: folder.uid,
      intervalSeconds: INTERVAL_SECONDS,
      rules: watched.map(({ kind, alert, what, expr }) => ({
        name: `${alert.tier} · api ${kind} > ${alert.percent} % for ${alert.forMinutes} min`,
        condition: "B",
        for: `${alert.forMinutes}m`,
        // A stopped machine reports nothing, which is not a resource problem; a query that fails is, so it alerts.
        noDataState: "OK",
        execErrState: "Error",
        isPaused: false,
        labels: { tier: alert.tier, service: "api", kind },
        annotations: { summary: `${what} above ${alert.percent} % on Fly.io machine {{ $labels.instance }} (${args.flyApp}, {{ $labels.region }})` },
        notificationSettings: { contactPoint: contactPoints.get(alert.tier)!.name },
        datas: [
          { refId: "A", datasourceUid: source.uid, relativeTimeRange: { from: 600, to: 0 },
            model: JSON.stringify({ refId: "A", expr, instant: true, range: false, intervalMs: INTERVAL_SECONDS * 1000, maxDataPoints: 43200 }) },
          { refId: "B", datasourceUid: EXPRESSIONS, relativeTimeRange: { from: 0, to: 0 },
            model: JSON.stringify({ refId: "B", type: "threshold", expression: "A", datasource: { type: EXPRESSIONS, uid: EXPRESSIONS },
              conditions: [{ evaluator: { type: "gt", params: [alert.percent] } }] }) },
        ],
      })),
    }, { parent: this });
  }
}

function validate(name: string, args: ResourceAlertsArgs): void {
  const problems: string[] = [];
  const where = `ResourceAlerts "${name}"`;
  for (const [key, value] of [["flyOrg", args.flyOrg], ["flyApp", args.flyApp]] as const) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(value)) problems.push(`${where}: ${key} is "${value}"; expected a Fly.io ${key === "flyOrg" ? "organization slug" : "app name"} (lowercase letters, digits, -)`);
  }
  if (!args.memory && !args.cpu) problems.push(`${where}: memory and cpu are both unset; expected at least one alert`);
  for (const [key, alert] of [["memory", args.memory], ["cpu", args.cpu]] as const) {
    if (!alert) continue;
    if (!(alert.percent > 0 && alert.percent <= 100)) problems.push(`${where}: ${key}.percent is ${alert.percent}; expected a percentage above 0 and at most 100`);
    if (!(Number.isInteger(alert.forMinutes) && alert.forMinutes >= 1 && alert.forMinutes <= 1440)) {
      problems.push(`${where}: ${key}.forMinutes is ${alert.forMinutes}; expected a whole number of minutes from 1 to 1440`);
    }
    problems.push(...routeProblems(where, alert.tier, `the ${key} alert's tier`, args.routes[alert.tier], args.channels));
  }
  if (problems.length) throw new PavedInputError([...new Set(problems)]);
}

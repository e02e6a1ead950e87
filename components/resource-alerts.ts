import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import {
  type DbConnectionsAlert, type Destination, isSlack, type PagedTier, type ResourceAlert, routeProblems, slackName, type SlackDestination, type Tier, TIERS,
} from "./alerting";
import { PavedInputError } from "./errors";
import { connectionsQuery, cpuQuery, flyAuthorization, memoryQuery, postgresParts } from "./resource-queries";

export interface ResourceAlertsArgs {
  /** Slug of the Fly.io organization whose managed Prometheus holds the machines' metrics, e.g. `planningos`; required with memory or cpu. @default none */
  flyOrg?: string;
  /** The Fly app whose machines are watched, e.g. `planningos-api-production`; required with memory or cpu. @default none */
  flyApp?: string;
  /** A Fly.io token that reads the organization's metrics (`FlyV1 fm2_…` or a bearer token); passed on as secret; required with memory or cpu. @default none */
  metricsToken?: pulumi.Input<string>;
  /** The `postgresql://` connection string Grafana queries the database with (secret); required with dbConnections. @default none */
  databaseUrl?: pulumi.Input<string>;
  /** Names the data source, rule group and contact points, e.g. `planningos production`. */
  label: string;
  /** Title of the folder the rules live in. @default label */
  folder?: string;
  /** Memory used per machine. @default no memory alert */
  memory?: ResourceAlert;
  /** CPU busy per machine; `forMinutes` is what makes it "sustained". @default no CPU alert */
  cpu?: ResourceAlert;
  /** Client connections to the database, as a count (`max`) or a share of `max_connections` (`percent`). @default no connections alert */
  dbConnections?: DbConnectionsAlert;
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
const POSTGRES = "grafana-postgresql-datasource";

/** One rule: what it watches, the value it compares with, and the query of refId A on its data source. */
type Watched = { kind: "memory" | "cpu" | "db-connections"; service: "api" | "database"; alert: { forMinutes: number; tier: Tier };
  name: string; threshold: number; summary: string; source: "prometheus" | "postgres"; query: Record<string, unknown> };

/**
 * Memory and CPU alerts on an API's Fly.io machines and a connections alert on its Postgres: a Grafana
 * data source on Fly.io's managed Prometheus and one on the database, a folder, one rule group, and a
 * contact point per tier the rules fire at. Each rule
 * names its contact point (simplified routing), so the stack never touches the organization's
 * notification policy, which other stacks and people share.
 */
export class ResourceAlerts extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:ResourceAlerts";
  /** Uid of the Prometheus data source Grafana queries, with memory or cpu. */
  readonly dataSourceUid?: pulumi.Output<string>;
  /** Uid of the PostgreSQL data source Grafana queries, with dbConnections. */
  readonly postgresDataSourceUid?: pulumi.Output<string>;
  /** Uid of the folder that holds the rules. */
  readonly folderUid: pulumi.Output<string>;

  constructor(name: string, args: ResourceAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super(ResourceAlerts.TYPE, name, {}, opts);
    const watched = this.watched(args);
    const sources = {
      prometheus: watched.some((w) => w.source === "prometheus") ? this.createDataSource(name, args) : undefined,
      postgres: args.dbConnections ? this.createPostgresSource(name, args) : undefined,
    };
    const folder = new grafana.oss.Folder(`${name}-folder`, { title: args.folder ?? args.label }, { parent: this });
    const contactPoints = new Map<Tier, grafana.alerting.ContactPoint>();
    for (const tier of TIERS.filter((t) => watched.some((w) => w.alert.tier === t))) contactPoints.set(tier, this.createContactPoint(name, args, tier));
    this.createRuleGroup(name, args, watched, sources, folder, contactPoints);
    this.dataSourceUid = sources.prometheus?.uid;
    this.postgresDataSourceUid = sources.postgres?.uid;
    this.folderUid = folder.uid;
    this.registerOutputs({ dataSourceUid: this.dataSourceUid, postgresDataSourceUid: this.postgresDataSourceUid, folderUid: this.folderUid });
  }

  private watched(args: ResourceAlertsArgs): Watched[] {
    const list: Watched[] = [];
    const prometheus = (alert: ResourceAlert, kind: "memory" | "cpu", what: string, expr: string): Watched => ({
      kind, service: "api", alert, name: `api ${kind} > ${alert.percent} %`, threshold: alert.percent, source: "prometheus",
      summary: `${what} above ${alert.percent} % on Fly.io machine {{ $labels.instance }} (${args.flyApp}, {{ $labels.region }})`,
      query: { expr, instant: true, range: false },
    });
    if (args.memory) list.push(prometheus(args.memory, "memory", "memory used", memoryQuery(args.flyApp!)));
    if (args.cpu) list.push(prometheus(args.cpu, "cpu", "CPU busy", cpuQuery(args.flyApp!)));
    const db = args.dbConnections;
    if (db) {
      const percent = db.percent !== undefined;
      const shown = percent ? `${db.percent} % of max_connections` : `${db.max}`;
      list.push({
        kind: "db-connections", service: "database", alert: db, name: `database connections > ${shown}`, threshold: percent ? db.percent! : db.max!,
        source: "postgres", summary: `client connections to the database above ${shown} ({{ $values.A }})`,
        query: { rawSql: connectionsQuery(percent ? "percent" : "count"), rawQuery: true, editorMode: "code", format: "table" },
      });
    }
    return list;
  }

  /**
   * Grafana's PostgreSQL data source on the stack's database, over TLS. Host, database and user are
   * plain settings (unsecret: they name, not open, the database); the password only the secure ones.
   */
  private createPostgresSource(name: string, args: ResourceAlertsArgs): grafana.oss.DataSource {
    const parts = pulumi.output(args.databaseUrl!).apply(postgresParts);
    return new grafana.oss.DataSource(`${name}-postgres`, {
      type: POSTGRES,
      name: `${args.label} Postgres`,
      url: pulumi.unsecret(parts.url),
      username: pulumi.unsecret(parts.user),
      isDefault: false,
      // The alert's own connection is one of those it counts: Grafana keeps at most one open.
      jsonDataEncoded: pulumi.unsecret(parts.database.apply((database) => JSON.stringify({ database, sslmode: "require", maxOpenConns: 1, maxIdleConns: 1 }))),
      secureJsonDataEncoded: pulumi.secret(parts.password.apply((password) => JSON.stringify({ password }))),
    }, { parent: this, additionalSecretOutputs: ["secureJsonDataEncoded"] });
  }

  private createDataSource(name: string, args: ResourceAlertsArgs): grafana.oss.DataSource {
    return new grafana.oss.DataSource(`${name}-prometheus`, {
      type: "prometheus",
      name: `${args.label} Fly.io Prometheus`,
      url: `https://api.fly.io/prometheus/${args.flyOrg!}/`,
      accessMode: "proxy",
      isDefault: false,
      // Grafana's custom-header pair: the name is plain settings, the value (the token) secure settings.
      jsonDataEncoded: JSON.stringify({ httpMethod: "POST", timeInterval: "15s", httpHeaderName1: "Authorization" }),
      secureJsonDataEncoded: pulumi.secret(pulumi.output(args.metricsToken!).apply((token) => JSON.stringify({ httpHeaderValue1: flyAuthorization(token) }))),
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
        ? [{ integrationKey: pulumi.secret(args.channels.pagerduty[tier as PagedTier]!), severity: SEVERITY[tier as PagedTier], class: "resources", component: args.flyApp ?? args.label }]
        : undefined,
      slacks: slacks.length ? slacks.map((s) => ({ url: pulumi.secret(s.webhookUrl), recipient: s.channel })) : undefined,
    }, { parent: this, additionalSecretOutputs: ["pagerduties", "slacks"] });
  }

  private createRuleGroup(
    name: string, args: ResourceAlertsArgs, watched: Watched[], sources: Record<Watched["source"], grafana.oss.DataSource | undefined>,
    folder: grafana.oss.Folder, contactPoints: Map<Tier, grafana.alerting.ContactPoint>,
  ): grafana.alerting.RuleGroup {
    return new grafana.alerting.RuleGroup(`${name}-rules`, {
      name: `${args.label} resources`,
      folderUid: folder.uid,
      intervalSeconds: INTERVAL_SECONDS,
      rules: watched.map(({ kind, service, alert, name: what, threshold, summary, source, query }) => ({
        name: `${alert.tier} · ${what} for ${alert.forMinutes} min`,
        condition: "B",
        for: `${alert.forMinutes}m`,
        // A stopped machine reports nothing, which is not a resource problem; a query that fails is, so it alerts.
        noDataState: "OK",
        execErrState: "Error",
        isPaused: false,
        labels: { tier: alert.tier, service, kind },
        annotations: { summary },
        notificationSettings: { contactPoint: contactPoints.get(alert.tier)!.name },
        datas: [
          { refId: "A", datasourceUid: sources[source]!.uid, relativeTimeRange: { from: 600, to: 0 },
            model: JSON.stringify({ refId: "A", ...query, intervalMs: INTERVAL_SECONDS * 1000, maxDataPoints: 43200 }) },
          { refId: "B", datasourceUid: EXPRESSIONS, relativeTimeRange: { from: 0, to: 0 },
            model: JSON.stringify({ refId: "B", type: "threshold", expression: "A", datasource: { type: EXPRESSIONS, uid: EXPRESSIONS },
              conditions: [{ evaluator: { type: "gt", params: [threshold] } }] }) },
        ],
      })),
    }, { parent: this });
  }
}

function validate(name: string, args: ResourceAlertsArgs): void {
  const problems: string[] = [];
  const where = `ResourceAlerts "${name}"`;
  const fly = !!(args.memory || args.cpu);
  for (const [key, value] of [["flyOrg", args.flyOrg], ["flyApp", args.flyApp]] as const) {
    const what = `a Fly.io ${key === "flyOrg" ? "organization slug" : "app name"}`;
    if (value === undefined) {
      if (fly) problems.push(`${where}: ${key} is unset; expected ${what} for the memory and cpu alerts`);
    } else if (!/^[a-z0-9][a-z0-9-]*$/.test(value)) problems.push(`${where}: ${key} is "${value}"; expected ${what} (lowercase letters, digits, -)`);
  }
  if (fly && args.metricsToken === undefined) problems.push(`${where}: metricsToken is unset; expected a Fly.io token that reads the organization's metrics, for the memory and cpu alerts`);
  if (!args.memory && !args.cpu && !args.dbConnections) problems.push(`${where}: memory, cpu and dbConnections are all unset; expected at least one alert`);
  const db = args.dbConnections;
  if (db) {
    if (args.databaseUrl === undefined) problems.push(`${where}: databaseUrl is unset; expected the database's connection string for the dbConnections alert`);
    if ((db.max === undefined) === (db.percent === undefined)) problems.push(`${where}: dbConnections has ${db.max === undefined ? "neither" : "both"} max and percent; expected exactly one`);
    if (db.max !== undefined && !(Number.isInteger(db.max) && db.max >= 1)) problems.push(`${where}: dbConnections.max is ${db.max}; expected a whole number of connections, at least 1`);
    if (db.percent !== undefined && !(db.percent > 0 && db.percent <= 100)) problems.push(`${where}: dbConnections.percent is ${db.percent}; expected a percentage above 0 and at most 100`);
  }
  for (const [key, alert] of [["memory", args.memory], ["cpu", args.cpu], ["dbConnections", args.dbConnections]] as const) {
    if (!alert) continue;
    if (key !== "dbConnections" && !(alert.percent! > 0 && alert.percent! <= 100)) problems.push(`${where}: ${key}.percent is ${alert.percent}; expected a percentage above 0 and at most 100`);
    if (!(Number.isInteger(alert.forMinutes) && alert.forMinutes >= 1 && alert.forMinutes <= 1440)) {
      problems.push(`${where}: ${key}.forMinutes is ${alert.forMinutes}; expected a whole number of minutes from 1 to 1440`);
    }
    problems.push(...routeProblems(where, alert.tier, `the ${key} alert's tier`, args.routes[alert.tier], args.channels));
  }
  if (problems.length) throw new PavedInputError([...new Set(problems)]);
}

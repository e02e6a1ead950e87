import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import { PAGED_TIERS, type PagedTier } from "./alerting";
import { PavedInputError } from "./errors";

/** Who a service paved creates pages: PagerDuty user and schedule ids. */
export interface EscalationTargets {
  users: string[];
  schedules: string[];
}

export interface PagingArgs {
  /**
   * The tiers that page, each through an existing service (`serviceId`) or one paved creates,
   * and the senders that get an integration key on it. @default senders ["uptime", "sentry"]
   */
  tiers: Partial<Record<PagedTier, { serviceId?: string; senders?: readonly Sender[] }>>;
  /** Whom the created services page; required when a tier has no `serviceId`. */
  escalateTo?: EscalationTargets;
  /** Names services and policies, e.g. `planningos production`. */
  label: string;
  /** Minutes before an unacknowledged page goes to the next target. @default 15 */
  escalationDelayMinutes?: number;
}

/** P1 pages at high urgency (phone), P2 at low urgency (push and email, in working hours as PagerDuty's users set it). */
const URGENCY: Record<PagedTier, "high" | "low"> = { P1: "high", P2: "low" };
/** The senders a paged tier takes events from; each gets its own Events API v2 key. */
export const SENDERS = ["uptime", "sentry", "grafana", "deploys"] as const;
export type Sender = (typeof SENDERS)[number];
/** Checkly and Sentry keys exist on every paged tier (Sentry's is added to Sentry by hand); Grafana's where it pages. */
const DEFAULT_SENDERS: readonly Sender[] = ["uptime", "sentry"];
const INTEGRATION_NAME: Record<Sender, string> = {
  uptime: "paved uptime checks (Checkly)", sentry: "paved Sentry alerts", grafana: "paved resource alerts (Grafana)",
  deploys: "paved deploy job (failed deploys)",
};

/** PagerDuty for an environment: a service per paged tier, its escalation policy and the integrations uptime, Sentry and Grafana send to. */
export class Paging extends pulumi.ComponentResource {
  static readonly TYPE = "paved:monitors:Paging";
  /** The service each paged tier opens incidents on. */
  readonly serviceIds: Partial<Record<PagedTier, pulumi.Output<string>>>;
  /** Events API v2 integration keys per tier and sender; secret. */
  readonly integrationKeys: Partial<Record<PagedTier, Partial<Record<Sender, pulumi.Output<string>>>>>;

  constructor(name: string, args: PagingArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super(Paging.TYPE, name, {}, opts);
    const tiers = PAGED_TIERS.filter((t) => args.tiers[t]);
    const needsPolicy = tiers.some((t) => !args.tiers[t]!.serviceId);
    const policy = needsPolicy ? this.createEscalationPolicy(name, args) : undefined;
    this.serviceIds = {};
    this.integrationKeys = {};
    for (const tier of tiers) {
      const service = args.tiers[tier]!.serviceId ?? this.createService(name, args, tier, policy!.id);
      this.serviceIds[tier] = pulumi.output(service);
      const senders = SENDERS.filter((s) => (args.tiers[tier]!.senders ?? DEFAULT_SENDERS).includes(s));
      this.integrationKeys[tier] = Object.fromEntries(senders.map((sender) => [sender, this.createIntegration(name, tier, sender, service)]));
    }
    this.registerOutputs({ serviceIds: this.serviceIds, integrationKeys: this.integrationKeys });
  }

  private createEscalationPolicy(name: string, args: PagingArgs): pagerduty.EscalationPolicy {
    const { users, schedules } = args.escalateTo!;
    return new pagerduty.EscalationPolicy(`${name}-escalation`, {
      name: `${args.label} on-call`,
      description: "paved: who is paged for this environment",
      numLoops: 2,
      rules: [{
        escalationDelayInMinutes: args.escalationDelayMinutes ?? 15,
        targets: [
          ...schedules.map((id) => ({ type: "schedule_reference", id })),
          ...users.map((id) => ({ type: "user_reference", id })),
        ],
      }],
    }, { parent: this });
  }

  private createService(name: string, args: PagingArgs, tier: PagedTier, policy: pulumi.Input<string>): pulumi.Output<string> {
    return new pagerduty.Service(`${name}-${tier.toLowerCase()}`, {
      name: `${args.label} ${tier}`,
      description: `paved: ${tier} alerts, ${URGENCY[tier]} urgency`,
      escalationPolicy: policy,
      incidentUrgencyRule: { type: "constant", urgency: URGENCY[tier] },
      alertCreation: "create_alerts_and_incidents",
      autoResolveTimeout: "null",
      acknowledgementTimeout: "1800",
    }, { parent: this }).id;
  }

  private createIntegration(name: string, tier: PagedTier, sender: Sender, service: pulumi.Input<string>): pulumi.Output<string> {
    const integration = new pagerduty.ServiceIntegration(`${name}-${tier.toLowerCase()}-${sender}`, {
      service,
      name: INTEGRATION_NAME[sender],
      type: "events_api_v2_inbound_integration",
    }, { parent: this, additionalSecretOutputs: ["integrationKey"] });
    return pulumi.secret(integration.integrationKey);
  }
}

function validate(name: string, args: PagingArgs): void {
  const problems: string[] = [];
  const where = `Paging "${name}"`;
  const created = PAGED_TIERS.filter((t) => args.tiers[t] && !args.tiers[t]!.serviceId);
  const targets = (args.escalateTo?.users.length ?? 0) + (args.escalateTo?.schedules.length ?? 0);
  if (created.length && targets === 0) {
    problems.push(`${where}: escalateTo has no user or schedule; expected whom ${created.join(" and ")} pages (or a serviceId per tier)`);
  }
  for (const tier of PAGED_TIERS) {
    const id = args.tiers[tier]?.serviceId;
    if (id !== undefined && !/^[A-Z0-9]{7}$/.test(id)) problems.push(`${where}: tiers.${tier}.serviceId is "${id}"; expected a 7-character PagerDuty id such as PABC123`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

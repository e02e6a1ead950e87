/** The plan's "Alerts" section: each alert, its tier and who it reaches, and each row of the monitoring table, planned or not. */
import { ALERT_SENDER, type AlertKind, type Destination, slackName, type Tier, TIERS } from "../../components/alerting";
import type { MonitorsConfig } from "../../stacks/config";

const URGENCY: Partial<Record<Tier, string>> = { P1: "high urgency", P2: "low urgency" };

/**
 * Who a destination reaches at this tier for alerts of `kind`, in words. Cloudflare health checks page
 * through the service connected to the account; every other sender through the tier's service of paved's.
 */
export function describeDestination(m: MonitorsConfig, tier: Tier, d: Destination, kind?: AlertKind): string {
  if (d === "email") return `email ${m.alerts.emails.join(", ")}`;
  if (d === "pagerduty") {
    if (m.uptime.provider === "cloudflare" && kind && ALERT_SENDER[kind] === "uptime") return "PagerDuty (connected to Cloudflare)";
    const existing = m.alerts.pagerduty?.services[tier as "P1" | "P2"];
    return `PagerDuty ${existing ? `service ${existing}` : `${tier} service`} (${URGENCY[tier]})`;
  }
  return `Slack ${m.alerts.slack[slackName(d)]?.channel ?? d}`;
}

/** A tier's route in words: a destination that reaches people differently per sender says each way once. */
function describeRoute(m: MonitorsConfig, tier: Tier): string {
  const kinds = [...new Set(m.rules.filter((r) => r.tier === tier).map((r) => r.kind))];
  return m.routes[tier].flatMap((d) => [...new Set(kinds.map((k) => describeDestination(m, tier, d, k)))]).join("; ");
}

export function renderAlerts(m: MonitorsConfig | undefined): string {
  if (!m) return "Alerts: none (no paved:monitors section)";
  const by = [`uptime by ${m.uptime.provider === "checkly" ? "Checkly" : "Cloudflare health checks"}`,
    ...(m.grafana?.memory || m.grafana?.cpu ? ["machine resources by Grafana"] : []), ...(m.grafana?.dbConnections ? ["database connections by Grafana"] : [])];
  const lines = [`Alerts (${by.join("; ")}):`];
  for (const r of m.rules) {
    lines.push(`  ${r.tier} ${r.service} ${r.kind}: ${r.watches} · ${r.threshold} · ${r.window}`);
    lines.push(`      -> ${m.routes[r.tier].map((d) => describeDestination(m, r.tier, d, r.kind)).join("; ")}`);
  }
  if (m.rules.length === 0) lines.push("  none planned");
  lines.push("", "Routes:");
  const firing = new Set(m.rules.map((r) => r.tier));
  for (const t of TIERS) {
    if (firing.has(t)) lines.push(`  ${t} -> ${describeRoute(m, t)}`);
  }
  return [...lines, "", ...renderTable(m)].join("\n");
}

/** Each row of the table as planned, off in this stack, or not plannable; then the rows paved cannot plan on these hosts. */
function renderTable(m: MonitorsConfig): string[] {
  const lines = [`Monitoring table (${m.tableStated ? "paved:monitors.table" : "the checklist's: no paved:monitors.table"}):`];
  for (const r of m.report) {
    if (r.planned) lines.push(`  planned: ${r.row} (by ${r.planned.join(", ")})${r.partly ? `; off in this stack: ${r.partly}` : ""}`);
    else if (r.off) lines.push(`  off in this stack: ${r.row}: ${r.off}`);
    else lines.push(`  not plannable: ${r.row}`);
  }
  const never = m.report.filter((r) => r.never);
  lines.push("", "Not covered:");
  if (never.length === 0) {
    const off = m.report.filter((r) => r.off || r.partly).length;
    lines.push(off ? `  none that paved cannot plan; ${off} row${off > 1 ? "s are" : " is"} off in this stack (above)` : "  every row of the monitoring table is planned");
  }
  for (const r of never) lines.push(`  ${r.row}: ${r.never}`);
  return lines;
}

/** The plan's "Alerts" section: each alert, its tier and who it reaches, and the guide rows left uncovered. */
import { type Destination, slackName, type Tier, TIERS } from "../../components/alerting";
import type { MonitorsConfig } from "../../stacks/config";

const URGENCY: Partial<Record<Tier, string>> = { P1: "high urgency", P2: "low urgency" };

/** Who a destination reaches at this tier, in words. */
export function describeDestination(m: MonitorsConfig, tier: Tier, d: Destination): string {
  if (d === "email") return `email ${m.alerts.emails.join(", ")}`;
  if (d === "pagerduty") {
    if (m.uptime.provider === "cloudflare") return "PagerDuty (connected to Cloudflare)";
    const existing = m.alerts.pagerduty?.services[tier as "P1" | "P2"];
    return `PagerDuty ${existing ? `service ${existing}` : `${tier} service`} (${URGENCY[tier]})`;
  }
  return `Slack ${m.alerts.slack[slackName(d)]?.channel ?? d}`;
}

export function renderAlerts(m: MonitorsConfig | undefined): string {
  if (!m) return "Alerts: none (no paved:monitors section)";
  const by = [`uptime by ${m.uptime.provider === "checkly" ? "Checkly" : "Cloudflare health checks"}`, 
    ...(m.grafana?.memory || m.grafana?.cpu ? ["machine resources by Grafana"] : []), ...(m.grafana?.dbConnections ? ["database connections by Grafana"] : [])];
  const lines = [`Alerts (guide ${m.guide}; ${by.join("; ")}):`];
  for (const r of m.rules) {
    lines.push(`  ${r.tier} ${r.service} ${r.kind}: ${r.watches} · ${r.threshold} · ${r.window}`);
    lines.push(`      -> ${m.routes[r.tier].map((d) => describeDestination(m, r.tier, d)).join("; ")}`);
  }
  if (m.rules.length === 0) lines.push("  none planned");
  lines.push("", "Routes:");
  const firing = new Set(m.rules.map((r) => r.tier));
  for (const t of TIERS) {
    if (!firing.has(t)) continue;
    lines.push(`  ${t} -> ${m.routes[t].map((d) => describeDestination(m, t, d)).join("; ")}`);
  }
  lines.push("", `Not covered (guide ${m.guide}):`);
  if (m.uncovered.length === 0) lines.push("  every row of the guide's monitoring table is planned");
  for (const u of m.uncovered) lines.push(`  ${u.row}: ${u.why}`);
  return lines.join("\n");
}

/**
 * PlanningOS production's Cost section over a fixed price table: a line for each billed service
 * of its guide's cost table that paved plans, the total and the table's date.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateCost, renderCost } from "../../scripts/lib/cost";
import type { PlanResult } from "../../scripts/lib/plan";
import { checkPolicies } from "../../scripts/lib/policy";
import type { PriceTable } from "../../scripts/lib/prices";
import { readStackFile } from "../../scripts/lib/stack-file";

const at = (usd: number | null, id: string) => ({ id, service: id, item: id, unit: "month", usd, source: "https://prices.example/", read: "2026-11-20", ...(usd === null ? { missing: "not on the page" } : {}) });
const TABLE: PriceTable = { currency: "USD", entries: [
  at(20, "vercel.pro.seat"), at(4, "fly.machine.shared-1x-512mb"), at(2, "fly.machine.shared-1x-256mb"), at(0, "fly.ipv4.shared"), at(0, "fly.ipv6"),
  at(0.1, "neon.launch.compute"), at(0.5, "neon.launch.storage"), at(25, "cloudflare.pro"), at(0.0001, "checkly.api-run"),
  at(null, "checkly.plan"), at(null, "sentry.plan"), at(null, "pagerduty.plan"), at(null, "grafana.cloud"), at(30, "doppler.plan"), at(25, "axiom.plan"),
] };

describe("PlanningOS production's cost", async () => {
  const { planStack } = await import("../../scripts/lib/plan");
  const plan: PlanResult = await planStack(readStackFile("production", resolve(__dirname, "../..")).source);
  const cost = plan.config.cost!;
  const estimate = estimateCost(plan.resources, plan.config.kind, cost, TABLE);

  it("prints a line per billed service, the total and the table's date", () => {
    expect(renderCost(estimate, "production", cost, new Date("2026-12-06T00:00:00Z")).split("\n")).toEqual([
      "Cost (a month, USD; prices read 2026-11-20, cost/prices.json):",
      "  Axiom          organization plan and ingest (shared by the product's stacks, counted here): $25.00",
      "  Checkly        2 × API check every 1 min: $8.76 (43800 runs a month, none retried)",
      "  Checkly        account plan (shared by the product's stacks, counted here): not priced: not on the page",
      "  Cloudflare     pro zone plan (this stack owns the zone): $25.00",
      "  Doppler        workplace plan (shared by the product's stacks, counted here): $30.00",
      "  Fly.io         fly.ipv4.shared: $0.00",
      "  Fly.io         fly.ipv6: $0.00",
      "  Fly.io         machine shared-cpu-1x 256 MB: $2.00",
      "  Fly.io         machine shared-cpu-1x 512 MB: $4.00",
      "  Fly.io         machine shared-cpu-1x 512 MB (stops when idle): $4.00 (runs 24 h a day up to all month, paved:cost.assume.activeHoursPerDay)",
      "  Grafana Cloud  stack plan and active users (shared by the product's stacks, counted here): not priced: not on the page",
      "  Neon           launch compute 0.25–2 CU: $18.25–$146.00 (active 24 h a day, at the smallest to the largest size it scales to, paved:cost.assume.activeHoursPerDay)",
      "  Neon           launch storage: $0.50 (1 GB stored, paved:cost.assume.databaseGb)",
      "  PagerDuty      professional plan, 1 user (shared by the product's stacks, counted here): not priced: not on the page",
      "  Sentry         team plan (shared by the product's stacks, counted here): not priced: not on the page",
      "  Vercel         Pro team, 1 seat (shared by the product's stacks, counted here): $20.00",
      "  Total: $137.51–$265.26 a month (+ 4 lines not priced)",
      "  Budget: $300.00 a month (paved:cost.budgetMonthlyUsd, advisory)",
      "  Assumed where the stack file is silent: pagerduty.plan professional (state them in paved:cost)",
    ]);
  });

  it("reports no budget finding while the estimate stays under paved:cost.budgetMonthlyUsd", () => {
    expect(checkPolicies(plan.resources, "production", plan.config).violations.filter((v) => v.policy === "cost-budget")).toEqual([]);
  });
});

/** The estimate's arithmetic over a fixed price table, so a change of prices never moves these figures. */
import { describe, expect, it } from "vitest";
import { type CostResource, estimateCost, perDay, renderCost, usd } from "../../scripts/lib/cost";
import type { PriceTable } from "../../scripts/lib/prices";
import { resolveCost } from "../../stacks/sections/cost";

const at = (usdValue: number | null, id: string) => ({ id, service: id.split(".")[0], item: id, unit: "month", usd: usdValue, source: "https://prices.example/", read: "2026-10-01", ...(usdValue === null ? { missing: "no page gives it" } : {}) });
const TABLE: PriceTable = { currency: "USD", entries: [
  at(4, "fly.machine.shared-1x-512mb"), at(2, "fly.ipv4.dedicated"), at(0, "fly.ipv4.shared"), at(0, "fly.ipv6"),
  at(0.1, "neon.launch.compute"), at(0.5, "neon.launch.storage"), at(20, "vercel.pro.seat"), at(0, "vercel.hobby"),
  at(10, "render.service.standard"), at(null, "render.postgres"), at(null, "render.postgres.disk"),
  at(10, "railway.memory"), at(20, "railway.vcpu"), at(5, "railway.hobby"), at(25, "cloudflare.pro"),
  at(0.0001, "checkly.api-run"), at(null, "checkly.plan"), at(null, "sentry.plan"),
] };

let n = 0;
const res = (type: string, inputs: Record<string, unknown>, parent: string | null = "urn:app"): CostResource =>
  ({ urn: `urn:${type}:${++n}`, type, name: `r${n}`, parent, inputs });
const machine = (min: number) => res("paved:fly:Machine", { config: { guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
  services: [{ autostop: "stop", min_machines_running: min }] } });

describe("the cost estimate", () => {
  it("prices a production stack: kept machines all month, the shared team counted here, usage from its assumptions", () => {
    const cost = resolveCost({ vercel: { plan: "pro", seats: 3 }, cloudflare: { plan: "pro" }, assume: { databaseGb: 10 } }, "production");
    const estimate = estimateCost([
      machine(1), machine(1), res("paved:fly:IpAddress", { type: "v4" }), res("paved:fly:IpAddress", { type: "v6" }),
      res("paved:neon:Project", { autoscalingLimitMinCu: 0.25, autoscalingLimitMaxCu: 2 }),
      res("vercel:index/project:Project", {}), res("cloudflare:index/zoneSetting:ZoneSetting", {}), res("cloudflare:index/zoneSetting:ZoneSetting", {}),
      res("checkly:index/check:Check", { type: "API", frequency: 1, locations: ["a", "b"] }),
      res("sentry:index/sentryProject:SentryProject", {}), res("paved:api:ApiApp", {}),
    ], "production", cost, TABLE);
    // 2 × 4 (the kept machine, and the other at 24 h a day) + 2 (IPv4) + 0.25..2 CU × 730 h × 0.1 + 10 GB × 0.5 + 3 × 20 + 25 + 43800 runs × 0.0001
    expect(estimate.low).toBe(8 + 2 + 18.25 + 5 + 60 + 25 + 4.38);
    expect(estimate.high).toBe(8 + 2 + 146 + 5 + 60 + 25 + 4.38);
    expect(estimate.unpriced).toBe(2);
    expect(estimate.tableDate).toBe("2026-10-01");
    expect(estimate.lines.map((l) => `${l.service}: ${l.what}: ${l.countedIn ?? l.unpriced ?? usd(l.low, l.high)}`)).toEqual([
      "Checkly: account plan (shared by the product's stacks, counted here): no page gives it",
      "Checkly: API check every 1 min: $4.38",
      "Cloudflare: pro zone plan (this stack owns the zone): $25.00",
      "Fly.io: fly.ipv4.dedicated: $2.00",
      "Fly.io: fly.ipv6: $0.00",
      "Fly.io: machine shared-cpu-1x 512 MB: $4.00",
      "Fly.io: machine shared-cpu-1x 512 MB (stops when idle): $4.00",
      "Neon: launch compute 0.25–2 CU: $18.25–$146.00",
      "Neon: launch storage: $5.00",
      "Sentry: team plan (shared by the product's stacks, counted here): no page gives it",
      "Vercel: Pro team, 3 seats (shared by the product's stacks, counted here): $60.00",
    ]);
  });

  it("counts a product's shared plans in its production stack only, and a stopping machine by the hours it runs", () => {
    const cost = resolveCost(undefined, "preview");
    const estimate = estimateCost([machine(0), res("vercel:index/project:Project", {}), res("paved:neon:Branch", {}),
      res("checkly:index/check:Check", { type: "API", frequency: 10, locations: ["a", "b"], runParallel: true })], "preview", cost, TABLE);
    // The machine runs 8 of 24 hours at least; the branch's 0.25 CU runs 8 h a day: 0.25 × 243.33 h × 0.1.
    expect(estimate.lines.find((l) => l.service === "Fly.io")).toMatchObject({ low: 4 / 3, high: 4, what: "machine shared-cpu-1x 512 MB (stops when idle)" });
    expect(estimate.lines.find((l) => l.service === "Vercel")).toMatchObject({ low: 0, high: 0, countedIn: "the product's production stack" });
    expect(estimate.lines.find((l) => l.what.startsWith("API check"))?.assumption).toBe("8760 runs a month, one per location, none retried");
    expect(estimate.low).toBe(8.29);
    expect(estimate.high).toBe(10.96);
    expect(perDay(estimate.high)).toBe(0.36);
  });

  it("prices Render and Railway per instance and leaves a plan no page priced out of the total, saying why", () => {
    const cost = resolveCost({ assume: { railwayMemoryGb: 1, railwayVcpu: 0.5 } }, "production");
    const estimate = estimateCost([
      res("paved:render:Service", { plan: "standard", numInstances: 2 }),
      res("paved:render:Postgres", { plan: "pro_4gb", diskSizeGB: 20, enableHighAvailability: true }),
      res("paved:railway:Service", { numReplicas: 3 }),
    ], "production", cost, TABLE);
    expect(estimate.low).toBe(20 + 3 * (10 + 10) + 5);
    expect(estimate.unpriced).toBe(2);
    expect(estimate.lines.filter((l) => l.unpriced).map((l) => l.what)).toEqual(["Postgres disk 20 GB", "Postgres pro_4gb with a standby"]);
  });

  it("prices a Render service that scales itself between its fewest and most instances", () => {
    const estimate = estimateCost([res("paved:render:Service", { plan: "standard", numInstances: 2, autoscaling: { min: 2, max: 4, cpuPercent: 70 } })],
      "production", resolveCost(undefined, "production"), TABLE);
    expect(estimate.lines).toEqual([{ service: "Render", what: "web service standard, 2–4 instances", low: 20, high: 40,
      assumption: "Render scales it between its fewest and most instances on load", urns: [expect.stringMatching(/^urn:paved:render:Service:/)] }]);
  });

  it("prints a line per service, the total, the table's date, and warns when the table is over 90 days old", () => {
    const cost = resolveCost({ budgetMonthlyUsd: 40, vercel: { plan: "pro" }, cloudflare: { plan: "free" } }, "preview");
    const estimate = estimateCost([machine(0), res("vercel:index/project:Project", {})], "preview", cost, TABLE);
    expect(renderCost(estimate, "preview", cost, new Date("2027-01-15T00:00:00Z")).split("\n")).toEqual([
      "Cost (a month, USD; prices read 2026-10-01, cost/prices.json):",
      "  Fly.io  machine shared-cpu-1x 512 MB (stops when idle): $1.33–$4.00 (runs 8 h a day up to all month, paved:cost.assume.activeHoursPerDay)",
      "  Vercel  Pro team, 1 seat: counted in the product's production stack",
      "  Total: $1.33–$4.00 a month",
      "  While the pull request stays open: $0.04–$0.13 a day",
      "  Budget: $40.00 a month (paved:cost.budgetMonthlyUsd, advisory)",
      "  Assumed where the stack file is silent: sentry.plan team, pagerduty.plan professional (state them in paved:cost)",
      "  ⚠ the price table is 106 days old (over 90): read the sources again and update cost/prices.json",
    ]);
    expect(renderCost(estimate, "preview", cost, new Date("2026-12-30T00:00:00Z"))).not.toContain("⚠");
  });
});

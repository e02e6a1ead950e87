/**
 * What a stack costs a month: fixed prices of the plans it is on plus usage-based ones under
 * stated assumptions, from the planned resources and `paved:cost`, priced by `cost/prices.json`.
 * One pass over the resources with a lookup per billed one: no I/O, so the plan stays as fast.
 */
import type { CostConfig, Kind } from "../../components/environment-config";
import { PRICES, type PriceEntry, type PriceTable, STALE_AFTER_DAYS, tableDate } from "./prices";

/** What the estimate reads of a resource: a planned one or a snapshot's. */
export interface CostResource { urn: string; type: string; name: string; parent: string | null; inputs: Record<string, unknown> }

export interface CostLine {
  service: string;
  /** What is billed, with its count: `2 × machine shared-cpu-1x 512 MB`. */
  what: string;
  /** US dollars a month, the low and high ends of the assumption (equal for a fixed price). */
  low: number;
  high: number;
  assumption?: string;
  /** Why the line is not in the total: the table has no figure for it. */
  unpriced?: string;
  /** A subscription the product shares, counted in another stack. */
  countedIn?: string;
  urns: string[];
}

export interface CostEstimate {
  lines: CostLine[];
  low: number;
  high: number;
  /** Lines left out of the total for want of a price. */
  unpriced: number;
  tableDate: string;
  /** The stack's kind: a preview's estimate is also shown per day open. */
  kind: Kind;
}

export const HOURS_PER_MONTH = 730;
const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;
/** Where a subscription every stack of a product shares is counted, once. */
export const SHARED_IN: Kind = "production";

interface Ctx { kind: Kind; cost: CostConfig; prices: Map<string, PriceEntry>; lines: Map<string, CostLine & { count: number; label: string }> }

type Billing = (r: CostResource, ctx: Ctx, siblings: CostResource[]) => void;

/** Each billed type and how it is priced; the table's entry ids it uses are in {@link BILLED_ENTRIES}. */
const BILLING: Record<string, Billing> = {
  "paved:fly:Machine": flyMachine,
  "paved:fly:IpAddress": (r, ctx) => {
    const type = str(r.inputs.type);
    const id = type === "v4" ? "fly.ipv4.dedicated" : type === "shared_v4" ? "fly.ipv4.shared" : "fly.ipv6";
    add(ctx, r, { service: "Fly.io", label: entryOf(ctx, id)?.item ?? `address ${type}`, price: price(ctx, id) });
  },
  "paved:neon:Project": (r, ctx) => neonCompute(r, ctx, num(r.inputs.autoscalingLimitMinCu) ?? 0.25, num(r.inputs.autoscalingLimitMaxCu) ?? 0.25, true),
  "paved:neon:Branch": (r, ctx) => neonCompute(r, ctx, 0.25, 0.25, false),
  "paved:render:Service": (r, ctx) => {
    const plan = str(r.inputs.plan) ?? "starter";
    const n = num(r.inputs.numInstances) ?? 1;
    const id = ["free", "starter", "standard"].includes(plan) ? `render.service.${plan}` : "render.service.other";
    const scaling = obj(r.inputs.autoscaling);
    const min = num(scaling?.min), max = num(scaling?.max);
    if (min === undefined || max === undefined) return add(ctx, r, { service: "Render", label: `web service ${plan}`, price: price(ctx, id), count: n });
    add(ctx, r, { service: "Render", label: `web service ${plan}, ${min}–${max} instances`, price: price(ctx, id, max), low: price(ctx, id, min),
      assumption: "Render scales it between its fewest and most instances on load" });
  },
  "paved:render:Postgres": (r, ctx) => {
    const plan = str(r.inputs.plan) ?? "";
    add(ctx, r, { service: "Render", label: `Postgres ${plan}${r.inputs.enableHighAvailability === true ? " with a standby" : ""}`, price: price(ctx, "render.postgres") });
    const disk = num(r.inputs.diskSizeGB);
    if (disk) add(ctx, r, { service: "Render", label: `Postgres disk ${disk} GB`, price: price(ctx, "render.postgres.disk", disk) });
  },
  "paved:render:KeyValue": (r, ctx) => add(ctx, r, { service: "Render", label: `Key Value ${str(r.inputs.plan) ?? ""}`.trim(), price: price(ctx, "render.keyvalue") }),
  "paved:railway:Service": (r, ctx) => {
    const { railwayMemoryGb: gb, railwayVcpu: vcpu } = ctx.cost.assume;
    const n = num(r.inputs.numReplicas) ?? 1;
    const each = sum(price(ctx, "railway.memory", gb), price(ctx, "railway.vcpu", vcpu));
    add(ctx, r, { service: "Railway", label: "service replica", price: each, count: n, assumption: `each replica uses ${gb} GB of memory and ${vcpu} vCPU all month, paved:cost.assume` });
    shared(ctx, r, "Railway", `${ctx.cost.railway.plan} subscription (the workspace's; usage above it is billed)`, price(ctx, `railway.${ctx.cost.railway.plan}`));
  },
  "paved:railway:Volume": (r, ctx) => add(ctx, r, { service: "Railway", label: "volume", price: price(ctx, "railway.volume") }),
  "vercel:index/project:Project": (r, ctx) => {
    const { plan, seats } = ctx.cost.vercel;
    shared(ctx, r, "Vercel", plan === "pro" ? `Pro team, ${seats} seat${seats === 1 ? "" : "s"}` : "Hobby team",
      plan === "pro" ? price(ctx, "vercel.pro.seat", seats) : price(ctx, "vercel.hobby"));
  },
  "cloudflare:index/zoneSetting:ZoneSetting": (r, ctx) => {
    const plan = ctx.cost.cloudflare.plan;
    once(ctx, r, "Cloudflare", `${plan} zone plan (this stack owns the zone)`, price(ctx, `cloudflare.${plan}`));
  },
  "checkly:index/check:Check": (r, ctx) => {
    const browser = str(r.inputs.type) === "BROWSER";
    const frequency = num(r.inputs.frequency) || 10;
    const locations = r.inputs.runParallel === true && Array.isArray(r.inputs.locations) ? r.inputs.locations.length : 1;
    const runs = (MINUTES_PER_MONTH / frequency) * locations;
    add(ctx, r, { service: "Checkly", label: `${browser ? "browser" : "API"} check every ${frequency} min`, price: price(ctx, browser ? "checkly.browser-run" : "checkly.api-run", runs),
      assumption: `${Math.round(runs)} runs a month${locations > 1 ? ", one per location" : ""}, none retried` });
    shared(ctx, r, "Checkly", "account plan", price(ctx, "checkly.plan"));
  },
  "sentry:index/sentryProject:SentryProject": (r, ctx) => shared(ctx, r, "Sentry", `${ctx.cost.sentry.plan} plan`, price(ctx, "sentry.plan")),
  "pagerduty:index/service:Service": (r, ctx) => {
    const { plan, users } = ctx.cost.pagerduty;
    shared(ctx, r, "PagerDuty", `${plan} plan, ${users} user${users === 1 ? "" : "s"}`, price(ctx, "pagerduty.plan", users));
  },
  "grafana:alerting/ruleGroup:RuleGroup": (r, ctx) => shared(ctx, r, "Grafana Cloud", "stack plan and active users", price(ctx, "grafana.cloud")),
  "doppler:index/secret:Secret": (r, ctx) => shared(ctx, r, "Doppler", "workplace plan", price(ctx, "doppler.plan")),
  "paved:axiom:Dataset": (r, ctx) => shared(ctx, r, "Axiom", "organization plan and ingest", price(ctx, "axiom.plan")),
  "docker:index/container:Container": (r, ctx) => once(ctx, r, "Docker host", "the server that runs the containers", price(ctx, "docker.host")),
};

/** The table entries each billed type is priced by (a test holds every planned billed type to an entry). */
export const BILLED_ENTRIES: Record<string, string[]> = {
  "paved:fly:Machine": ["fly.machine.shared-1x-256mb", "fly.machine.shared-1x-512mb", "fly.machine.shared-1x-1024mb", "fly.machine.performance"],
  "paved:fly:IpAddress": ["fly.ipv4.dedicated", "fly.ipv4.shared", "fly.ipv6"],
  "paved:neon:Project": ["neon.free", "neon.launch.compute", "neon.launch.storage", "neon.scale.compute", "neon.scale.storage"],
  "paved:neon:Branch": ["neon.free", "neon.launch.compute", "neon.scale.compute"],
  "paved:render:Service": ["render.service.free", "render.service.starter", "render.service.standard", "render.service.other"],
  "paved:render:Postgres": ["render.postgres", "render.postgres.disk"],
  "paved:render:KeyValue": ["render.keyvalue"],
  "paved:railway:Service": ["railway.memory", "railway.vcpu", "railway.hobby", "railway.pro"],
  "paved:railway:Volume": ["railway.volume"],
  "vercel:index/project:Project": ["vercel.hobby", "vercel.pro.seat"],
  "cloudflare:index/zoneSetting:ZoneSetting": ["cloudflare.free", "cloudflare.pro", "cloudflare.business"],
  "checkly:index/check:Check": ["checkly.api-run", "checkly.browser-run", "checkly.plan"],
  "sentry:index/sentryProject:SentryProject": ["sentry.plan"],
  "pagerduty:index/service:Service": ["pagerduty.plan"],
  "grafana:alerting/ruleGroup:RuleGroup": ["grafana.cloud"],
  "doppler:index/secret:Secret": ["doppler.plan"],
  "paved:axiom:Dataset": ["axiom.plan"],
  "docker:index/container:Container": ["docker.host"],
};

export const isBilled = (type: string) => type in BILLING;

/** The stack's estimate. `resources` are the plan's (or a snapshot's); `cost` is `paved:cost` resolved. */
export function estimateCost(resources: readonly CostResource[], kind: Kind, cost: CostConfig, table: PriceTable = PRICES): CostEstimate {
  const ctx: Ctx = { kind, cost, prices: indexOf(table), lines: new Map() };
  const byParent = new Map<string | null, CostResource[]>();
  for (const r of resources) if (r.type === "paved:fly:Machine") byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
  for (const r of resources) BILLING[r.type]?.(r, ctx, byParent.get(r.parent) ?? []);
  const lines: CostLine[] = [...ctx.lines.values()]
    .map(({ count, label, ...line }) => ({ ...line, what: count > 1 ? `${count} × ${label}` : label }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.what.localeCompare(b.what));
  const counted = lines.filter((l) => !l.unpriced && !l.countedIn);
  return {
    lines,
    low: round(counted.reduce((s, l) => s + l.low, 0)),
    high: round(counted.reduce((s, l) => s + l.high, 0)),
    unpriced: lines.filter((l) => l.unpriced && !l.countedIn).length,
    tableDate: tableDate(table),
    kind,
  };
}

const tables = new WeakMap<PriceTable, Map<string, PriceEntry>>();
function indexOf(table: PriceTable): Map<string, PriceEntry> {
  let index = tables.get(table);
  if (!index) tables.set(table, index = new Map(table.entries.map((e) => [e.id, e])));
  return index;
}

/** A price for `quantity` units of an entry, or why there is none. */
type Price = { usd: number } | { missing: string };
const entryOf = (ctx: Ctx, id: string) => ctx.prices.get(id);
function price(ctx: Ctx, id: string, quantity = 1): Price {
  const entry = entryOf(ctx, id);
  if (!entry) return { missing: `no entry ${id} in cost/prices.json` };
  if (entry.usd === null) return { missing: entry.missing ?? "no figure" };
  return { usd: entry.usd * quantity };
}
const sum = (a: Price, b: Price): Price => ("usd" in a && "usd" in b ? { usd: a.usd + b.usd } : "missing" in a ? a : b);

function add(ctx: Ctx, r: CostResource, item: { service: string; label: string; price: Price; low?: Price; count?: number; assumption?: string }): void {
  const count = item.count ?? 1;
  const key = `${item.service}|${item.label}|${item.assumption ?? ""}`;
  const high = "usd" in item.price ? item.price.usd * count : 0;
  const low = item.low && "usd" in item.low ? item.low.usd * count : high;
  const line = ctx.lines.get(key);
  if (line) {
    line.low += low; line.high += high; line.count += count; line.urns.push(r.urn);
    return;
  }
  ctx.lines.set(key, {
    service: item.service, label: item.label, what: item.label, count, low, high, urns: [r.urn],
    ...(item.assumption ? { assumption: item.assumption } : {}),
    ...("missing" in item.price ? { unpriced: item.price.missing } : {}),
  });
}

/** A subscription the product's stacks share: counted once, in its production stack. */
function shared(ctx: Ctx, r: CostResource, service: string, label: string, p: Price): void {
  if (ctx.kind === SHARED_IN) return once(ctx, r, service, `${label} (shared by the product's stacks, counted here)`, p);
  once(ctx, r, service, label, { usd: 0 });
  ctx.lines.get(`${service}|${label}|`)!.countedIn = `the product's ${SHARED_IN} stack`;
}

/** A line that stays one line however many resources bring it. */
function once(ctx: Ctx, r: CostResource, service: string, label: string, p: Price): void {
  const line = ctx.lines.get(`${service}|${label}|`);
  if (line) line.urns.push(r.urn);
  else add(ctx, r, { service, label, price: p });
}

function flyMachine(r: CostResource, ctx: Ctx, siblings: CostResource[]): void {
  const config = obj(r.inputs.config);
  const guest = obj(config?.guest);
  const kind = str(guest?.cpu_kind) ?? "shared", cpus = num(guest?.cpus) ?? 1, mb = num(guest?.memory_mb) ?? 256;
  const service = Array.isArray(config?.services) ? obj(config.services[0]) : undefined;
  const stops = service !== undefined && service.autostop !== false && service.autostop !== "off";
  const kept = num(service?.min_machines_running) ?? 0;
  // The app keeps its first `min_machines_running` machines running; the rest stop when idle.
  const alwaysOn = !stops || siblings.indexOf(r) < kept;
  const id = kind === "performance" ? "fly.machine.performance" : cpus === 1 ? `fly.machine.shared-1x-${mb}mb` : "";
  const full = id ? price(ctx, id) : { missing: `no price for shared-cpu-${cpus}x ${mb} MB in cost/prices.json` };
  const label = `machine ${kind}-cpu-${cpus}x ${mb} MB${alwaysOn ? "" : " (stops when idle)"}`;
  if (alwaysOn) return add(ctx, r, { service: "Fly.io", label, price: full });
  const hours = ctx.cost.assume.activeHoursPerDay;
  add(ctx, r, { service: "Fly.io", label, price: full, low: "usd" in full ? { usd: (full.usd * hours) / 24 } : full,
    assumption: `runs ${hours} h a day up to all month, paved:cost.assume.activeHoursPerDay` });
}

function neonCompute(r: CostResource, ctx: Ctx, minCu: number, maxCu: number, storage: boolean): void {
  const plan = ctx.cost.neon.plan;
  const hours = ctx.cost.assume.activeHoursPerDay * (HOURS_PER_MONTH / 24);
  if (plan === "free") return add(ctx, r, { service: "Neon", label: "Free plan", price: price(ctx, "neon.free") });
  add(ctx, r, { service: "Neon", label: `${plan} compute ${minCu === maxCu ? minCu : `${minCu}–${maxCu}`} CU`, price: price(ctx, `neon.${plan}.compute`, maxCu * hours),
    low: price(ctx, `neon.${plan}.compute`, minCu * hours),
    assumption: `active ${ctx.cost.assume.activeHoursPerDay} h a day${minCu === maxCu ? "" : ", at the smallest to the largest size it scales to"}, paved:cost.assume.activeHoursPerDay` });
  if (storage) {
    const gb = ctx.cost.assume.databaseGb;
    add(ctx, r, { service: "Neon", label: `${plan} storage`, price: price(ctx, `neon.${plan}.storage`, gb), assumption: `${gb} GB stored, paved:cost.assume.databaseGb` });
  }
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);
const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** `$12.40`, or `$1.27–$3.81` for a range. */
export const usd = (low: number, high = low) =>
  round(low) === round(high) ? `$${round(high).toFixed(2)}` : `$${round(low).toFixed(2)}–$${round(high).toFixed(2)}`;

/** A month's estimate as the cost of one day (a pull-request stack's, while it stays open). */
export const perDay = (monthly: number) => round((monthly * 24) / HOURS_PER_MONTH);

/** The plan's Cost section. */
export function renderCost(estimate: CostEstimate, kind: Kind, cost: CostConfig, now = new Date()): string {
  const out = [`Cost (a month, USD; prices read ${estimate.tableDate}, cost/prices.json):`];
  const width = Math.max(...estimate.lines.map((l) => l.service.length), 0);
  for (const l of estimate.lines) {
    const figure = l.countedIn ? `counted in ${l.countedIn}` : l.unpriced ? `not priced: ${l.unpriced}` : usd(l.low, l.high);
    out.push(`  ${l.service.padEnd(width)}  ${l.what}: ${figure}${l.assumption && !l.countedIn && !l.unpriced ? ` (${l.assumption})` : ""}`);
  }
  const unpriced = estimate.unpriced ? ` (+ ${estimate.unpriced} line${estimate.unpriced === 1 ? "" : "s"} not priced)` : "";
  out.push(`  Total: ${usd(estimate.low, estimate.high)} a month${unpriced}`);
  if (kind === "preview") out.push(`  While the pull request stays open: ${usd(perDay(estimate.low), perDay(estimate.high))} a day`);
  if (cost.budgetMonthlyUsd !== undefined) out.push(`  Budget: $${cost.budgetMonthlyUsd.toFixed(2)} a month (paved:cost.budgetMonthlyUsd, ${cost.budgetLevel})`);
  const assumed = ["vercel.plan", "cloudflare.plan", "sentry.plan", "pagerduty.plan"].filter((k) => !cost.stated.includes(k));
  if (assumed.length) out.push(`  Assumed where the stack file is silent: ${assumed.map((k) => `${k} ${planOf(cost, k)}`).join(", ")} (state them in paved:cost)`);
  const age = Math.floor((now.getTime() - Date.parse(`${estimate.tableDate}T00:00:00Z`)) / 86_400_000);
  if (age > STALE_AFTER_DAYS) out.push(`  ⚠ the price table is ${age} days old (over ${STALE_AFTER_DAYS}): read the sources again and update cost/prices.json`);
  return out.join("\n");
}

const planOf = (cost: CostConfig, key: string) => (cost[key.split(".")[0] as "vercel" | "cloudflare" | "sentry" | "pagerduty"]).plan;

/**
 * `paved:cost`: what the cost estimate cannot read from the planned resources — the plans a
 * product is on (Vercel team and seats, the Cloudflare zone, Sentry, PagerDuty, Neon, Railway),
 * the assumptions behind usage-based prices, and the stack's monthly budget.
 */
import { z } from "zod";
import type { CostConfig, Kind } from "../../components/environment-config";
import { expected, int } from "../fields";

const plan = <T extends readonly [string, ...string[]]>(plans: T) => z.enum(plans, expected(`one of ${plans.join(", ")}`));
const usd = (what: string, max: number) =>
  z.number(expected(`${what}: a number of US dollars from 0 to ${max}`))
    .min(0, expected(`${what}: a number of US dollars from 0 to ${max}`))
    .max(max, expected(`${what}: a number of US dollars from 0 to ${max}`));
const amount = (what: string, min: number, max: number) =>
  z.number(expected(`${what}: a number from ${min} to ${max}`))
    .min(min, expected(`${what}: a number from ${min} to ${max}`))
    .max(max, expected(`${what}: a number from ${min} to ${max}`));

export const cost = z.strictObject({
  budgetMonthlyUsd: usd("a monthly budget", 1_000_000).optional(),
  budgetLevel: plan(["advisory", "mandatory"] as const).optional(),
  vercel: z.strictObject({ plan: plan(["hobby", "pro"] as const), seats: int("seats", 1, 1000).optional() },
    expected("a map with plan (hobby or pro) and seats")).optional(),
  cloudflare: z.strictObject({ plan: plan(["free", "pro", "business"] as const) }, expected("a map with plan")).optional(),
  sentry: z.strictObject({ plan: plan(["developer", "team", "business"] as const) }, expected("a map with plan")).optional(),
  pagerduty: z.strictObject({ plan: plan(["free", "professional", "business"] as const), users: int("users", 1, 10_000).optional() },
    expected("a map with plan and users")).optional(),
  neon: z.strictObject({ plan: plan(["free", "launch", "scale"] as const) }, expected("a map with plan")).optional(),
  railway: z.strictObject({ plan: plan(["hobby", "pro"] as const) }, expected("a map with plan")).optional(),
  assume: z.strictObject({
    activeHoursPerDay: amount("hours a day a compute that stops when idle runs", 0, 24).optional(),
    databaseGb: amount("GB the database stores", 0, 100_000).optional(),
    railwayMemoryGb: amount("GB of memory each Railway replica uses", 0, 1024).optional(),
    railwayVcpu: amount("vCPUs each Railway replica uses", 0, 64).optional(),
  }, expected("a map with activeHoursPerDay, databaseGb, railwayMemoryGb and railwayVcpu")).optional(),
}, expected("a map with budgetMonthlyUsd, budgetLevel, vercel, cloudflare, sentry, pagerduty, neon, railway and assume"));

export type CostSection = z.infer<typeof cost>;

/** Hours a day a compute that stops when idle is assumed to run, by kind: previews and staging work hours. */
export const ACTIVE_HOURS_PER_DAY: Record<Kind, number> = { production: 24, staging: 8, preview: 8, local: 0 };
/** The cap a pull-request stack gets when its stack file states no budget. */
export const PREVIEW_BUDGET_USD = 50;

/** The section with every default filled in; `stated` lists what the stack file said itself. */
export function resolveCost(section: CostSection | undefined, kind: Kind): CostConfig {
  const s = section ?? {};
  const stated = Object.keys(s).flatMap((key) => {
    const value = (s as Record<string, unknown>)[key];
    return value && typeof value === "object" ? Object.keys(value).map((k) => `${key}.${k}`) : [key];
  });
  return {
    budgetMonthlyUsd: s.budgetMonthlyUsd ?? (kind === "preview" ? PREVIEW_BUDGET_USD : undefined),
    budgetLevel: s.budgetLevel ?? "advisory",
    vercel: { plan: s.vercel?.plan ?? "pro", seats: s.vercel?.seats ?? 1 },
    cloudflare: { plan: s.cloudflare?.plan ?? "free" },
    sentry: { plan: s.sentry?.plan ?? "team" },
    pagerduty: { plan: s.pagerduty?.plan ?? "professional", users: s.pagerduty?.users ?? 1 },
    neon: { plan: s.neon?.plan ?? "launch" },
    railway: { plan: s.railway?.plan ?? "hobby" },
    assume: {
      activeHoursPerDay: s.assume?.activeHoursPerDay ?? ACTIVE_HOURS_PER_DAY[kind],
      databaseGb: s.assume?.databaseGb ?? 1,
      railwayMemoryGb: s.assume?.railwayMemoryGb ?? 0.5,
      railwayVcpu: s.assume?.railwayVcpu ?? 0.25,
    },
    stated,
  };
}

import { describe, expect, it } from "vitest";
import { PavedInputError } from "../../components/errors";
import { budgetViolation } from "../../policy/cost";
import { loadEnvironmentConfig } from "../../stacks/config";
import { PREVIEW_BUDGET_USD, resolveCost } from "../../stacks/sections/cost";
import { PRODUCTION, source } from "../stacks/fixtures";

const ok = { estimateUsd: 80, budgetMonthlyUsd: 100, budgetLevel: "advisory" as const };

describe("cost-budget", () => {
  it("passes an estimate within the budget, and a stack with no budget", () => {
    expect(budgetViolation(ok)).toBeUndefined();
    expect(budgetViolation({ ...ok, estimateUsd: 100 })).toBeUndefined();
    expect(budgetViolation({ ...ok, estimateUsd: 10_000, budgetMonthlyUsd: undefined })).toBeUndefined();
  });

  it("reports an estimate over budget, advisory by default", () => {
    expect(budgetViolation({ ...ok, estimateUsd: 120.5 })).toEqual({
      policy: "cost-budget", level: "advisory",
      message: "Keep the stack within its budget: the estimate reaches $120.50 a month, over $100.00 (paved:cost.budgetMonthlyUsd); plan less or raise the budget.",
    });
  });

  it("reports it mandatory where the stack file says so", () => {
    expect(budgetViolation({ ...ok, estimateUsd: 120.5, budgetLevel: "mandatory" })?.level).toBe("mandatory");
  });

  it("caps a pull-request stack by default, and only previews", () => {
    expect(resolveCost(undefined, "preview").budgetMonthlyUsd).toBe(PREVIEW_BUDGET_USD);
    expect(resolveCost({ budgetMonthlyUsd: 10 }, "preview").budgetMonthlyUsd).toBe(10);
    expect(resolveCost(undefined, "staging").budgetMonthlyUsd).toBeUndefined();
    expect(budgetViolation({ ...resolveCost(undefined, "preview"), estimateUsd: 50.01 })?.message).toContain("over $50.00");
  });
});

describe("paved:cost", () => {
  const problems = (cost: unknown) => {
    try {
      loadEnvironmentConfig(source({ ...PRODUCTION, cost }));
      return [];
    } catch (e) {
      return (e as PavedInputError).problems.filter((p) => p.startsWith("paved:cost"));
    }
  };

  it.each([
    [{ budgetMonthlyUsd: -5 }, "paved:cost.budgetMonthlyUsd: got -5; expected a monthly budget: a number of US dollars from 0 to 1000000"],
    [{ budgetLevel: "strict" }, "paved:cost.budgetLevel: got \"strict\"; expected one of advisory, mandatory"],
    [{ vercel: { plan: "enterprise" } }, "paved:cost.vercel.plan: got \"enterprise\"; expected one of hobby, pro"],
    [{ vercel: { plan: "pro", seats: 0 } }, "paved:cost.vercel.seats: got 0; expected seats: a whole number from 1 to 1000"],
    [{ cloudflare: { plan: "enterprise" } }, "paved:cost.cloudflare.plan: got \"enterprise\"; expected one of free, pro, business"],
    [{ assume: { activeHoursPerDay: 25 } }, "paved:cost.assume.activeHoursPerDay: got 25; expected hours a day a compute that stops when idle runs: a number from 0 to 24"],
    [{ budget: 5 }, "paved:cost.budget: unknown key; expected one of budgetMonthlyUsd, budgetLevel, vercel, cloudflare, sentry, pagerduty, neon, railway, assume"],
  ])("refuses %j naming the key, the value and what is expected", (cost, problem) => {
    expect(problems(cost)).toEqual([problem]);
  });

  it("fills in the kind's defaults and records what the stack file stated", () => {
    expect(resolveCost({ budgetMonthlyUsd: 200, cloudflare: { plan: "pro" } }, "production")).toEqual({
      budgetMonthlyUsd: 200, budgetLevel: "advisory",
      vercel: { plan: "pro", seats: 1 }, cloudflare: { plan: "pro" }, sentry: { plan: "team" },
      pagerduty: { plan: "professional", users: 1 }, neon: { plan: "launch" }, railway: { plan: "hobby" },
      assume: { activeHoursPerDay: 24, databaseGb: 1, railwayMemoryGb: 0.5, railwayVcpu: 0.25 },
      stated: ["budgetMonthlyUsd", "cloudflare.plan"],
    });
  });
});

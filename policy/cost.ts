/**
 * The stack's budget: an estimate over `paved:cost.budgetMonthlyUsd` is reported, advisory
 * unless the stack file sets `budgetLevel: mandatory`; pull-request stacks have a default cap.
 * A stack-level rule of the offline plan, like the config rules: the budget, its level and
 * the plans no resource states live in the stack file, which the pack's policies never see,
 * and a level the stack file chooses is not one a pack config file can set.
 */
import type { Violation } from "./violation";

export const COST_BUDGET = "cost-budget";

export interface BudgetInput {
  /** The estimate's high end, US dollars a month. */
  estimateUsd: number;
  budgetMonthlyUsd?: number;
  budgetLevel: "advisory" | "mandatory";
}

/** The finding for an estimate over budget, or none. */
export function budgetViolation({ estimateUsd, budgetMonthlyUsd, budgetLevel }: BudgetInput): Violation | undefined {
  if (budgetMonthlyUsd === undefined || estimateUsd <= budgetMonthlyUsd) return undefined;
  return {
    policy: COST_BUDGET,
    level: budgetLevel,
    message: `Keep the stack within its budget: the estimate reaches $${estimateUsd.toFixed(2)} a month, over $${budgetMonthlyUsd.toFixed(2)} (paved:cost.budgetMonthlyUsd); plan less or raise the budget.`,
  };
}

import { describe, expect, it } from "vitest";
import { checkTable, PRICES, type PriceTable, tableDate } from "../../scripts/lib/prices";

const entry = { id: "x.plan", service: "X", item: "plan", unit: "month", usd: 1, source: "https://x.example/pricing", read: "2026-12-06" };
const table = (...entries: Record<string, unknown>[]) => ({ currency: "USD", entries }) as unknown as PriceTable;

describe("the price table", () => {
  it("gives every entry a source, the day it was read, a unit and a figure or why there is none", () => {
    expect(checkTable(PRICES)).toEqual([]);
    expect(PRICES.entries.length).toBeGreaterThan(30);
  });

  it("is dated by its oldest entry", () => {
    expect(tableDate(table(entry, { ...entry, id: "y", read: "2026-09-01" }))).toBe("2026-09-01");
  });

  it.each([
    [{ source: undefined }, "cost/prices.json: x.plan: source is undefined; expected the https URL of the page the figure was read from"],
    [{ source: "x.example/pricing" }, "cost/prices.json: x.plan: source is \"x.example/pricing\"; expected the https URL of the page the figure was read from"],
    [{ read: undefined }, "cost/prices.json: x.plan: read is undefined; expected the day it was read, such as 2026-12-06"],
    [{ read: "Dec 2026" }, "cost/prices.json: x.plan: read is \"Dec 2026\"; expected the day it was read, such as 2026-12-06"],
    [{ unit: "" }, "cost/prices.json: x.plan: no unit; expected what one price buys, such as GB-month"],
    [{ usd: null }, "cost/prices.json: x.plan: usd is null with no reason; expected missing: why no page gave the figure"],
    [{ usd: -1 }, "cost/prices.json: x.plan: usd is -1; expected a price in US dollars, or null with missing"],
  ])("refuses an entry with %j", (change, problem) => {
    expect(checkTable(table({ ...entry, ...change }))).toEqual([problem]);
  });

  it("refuses an id listed twice and takes a figure no page gave when it says why", () => {
    expect(checkTable(table(entry, entry))).toEqual(["cost/prices.json: x.plan: listed twice"]);
    expect(checkTable(table({ ...entry, usd: null, missing: "no page gives it" }))).toEqual([]);
  });
});

/**
 * The price table (`cost/prices.json`): one entry per billed thing paved plans, each with its
 * unit, the public page it was read from and when. An entry whose figure no page gave has
 * `usd: null` and says so in `missing`; the estimate shows such a line apart from the total.
 */
import table from "../../cost/prices.json";

export interface PriceEntry {
  id: string;
  service: string;
  item: string;
  unit: string;
  /** US dollars per unit; null where no public page gave the figure. */
  usd: number | null;
  source: string;
  /** The day the source was read, `YYYY-MM-DD`. */
  read: string;
  note?: string;
  /** Why there is no figure (required when `usd` is null). */
  missing?: string;
}

export interface PriceTable { currency: string; entries: PriceEntry[] }

export const PRICES: PriceTable = table as PriceTable;

/** Days after which the plan warns that the table should be read again. */
export const STALE_AFTER_DAYS = 90;

/** The table's date: the oldest day any of its entries was read. */
export const tableDate = (t: PriceTable): string => t.entries.map((e) => e.read).sort()[0] ?? "";

/** One line per entry that cannot be used: no source, no date, no figure and no reason. */
export function checkTable(t: PriceTable): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of t.entries) {
    const at = `cost/prices.json: ${e.id || "(an entry without id)"}`;
    if (seen.has(e.id)) problems.push(`${at}: listed twice`);
    seen.add(e.id);
    if (typeof e.source !== "string" || !/^https:\/\/\S+$/.test(e.source)) problems.push(`${at}: source is ${JSON.stringify(e.source)}; expected the https URL of the page the figure was read from`);
    if (typeof e.read !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(e.read) || Number.isNaN(Date.parse(e.read))) problems.push(`${at}: read is ${JSON.stringify(e.read)}; expected the day it was read, such as 2026-12-06`);
    if (!e.unit) problems.push(`${at}: no unit; expected what one price buys, such as GB-month`);
    if (e.usd === null) {
      if (!e.missing) problems.push(`${at}: usd is null with no reason; expected missing: why no page gave the figure`);
    } else if (typeof e.usd !== "number" || !(e.usd >= 0)) {
      problems.push(`${at}: usd is ${JSON.stringify(e.usd)}; expected a price in US dollars, or null with missing`);
    }
  }
  return problems;
}

/**
 * The cost part of the pull-request comment: the monthly change for its first line, and what
 * moved it, resource by resource, from the estimates the two snapshots carry.
 */
import { perDay, usd } from "./cost";
import type { Snapshot } from "./snapshot";

/** `+$12.40/mo`, `-$3.81/mo`, `+$1.27–$3.81/mo`; `±$0.00/mo` when nothing moved. */
export function monthlyChange(base: Snapshot, head: Snapshot): string | undefined {
  if (!base.cost || !head.cost) return undefined;
  return signed(head.cost.low - base.cost.low, head.cost.high - base.cost.high);
}

/** The comment's Cost section: the totals, each resource whose share moved, and a preview's cost per day open. */
export function renderCostChange(base: Snapshot, head: Snapshot): string | undefined {
  if (!head.cost) return undefined;
  const out = [`#### Cost (a month, USD; prices read ${head.cost.tableDate})`, ""];
  if (base.cost) out.push(`${usd(base.cost.low, base.cost.high)} → **${usd(head.cost.low, head.cost.high)}** a month (${monthlyChange(base, head)}).`);
  else out.push(`**${usd(head.cost.low, head.cost.high)}** a month; the base snapshot carries no estimate to compare with.`);
  if (head.cost.kind === "preview") out.push("", `While this pull request stays open its stack costs ${usd(perDay(head.cost.low), perDay(head.cost.high))} a day.`);
  const before = new Map(base.resources.map((r) => [r.urn, r.cost]));
  const after = new Map(head.resources.map((r) => [r.urn, r.cost]));
  const moved = [...new Set([...before.keys(), ...after.keys()])].flatMap((urn) => {
    const b = before.get(urn) ?? { low: 0, high: 0 }, a = after.get(urn) ?? { low: 0, high: 0 };
    const low = a.low - b.low, high = a.high - b.high;
    if (Math.abs(low) < 0.005 && Math.abs(high) < 0.005) return [];
    const r = head.resources.find((x) => x.urn === urn) ?? base.resources.find((x) => x.urn === urn)!;
    const how = !before.has(urn) ? "new" : !after.has(urn) ? "removed" : "changed";
    return [{ line: `- \`${r.name}\` \`${r.type}\` (${how}): ${signed(low, high)}`, size: Math.abs(high) }];
  }).sort((x, y) => y.size - x.size || x.line.localeCompare(y.line));
  if (moved.length) out.push("", "What moved it:", "", ...moved.map((m) => m.line));
  const unpriced = head.cost.lines.filter((l) => l.unpriced && !l.countedIn).map((l) => `${l.service} ${l.what}`);
  if (unpriced.length) out.push("", `Not priced (no public figure in \`cost/prices.json\`): ${unpriced.join(", ")}.`);
  return out.join("\n");
}

function signed(low: number, high: number): string {
  const sign = (v: number) => (Math.round(v * 100) === 0 ? "±" : v > 0 ? "+" : "-");
  const abs = (v: number) => `$${Math.abs(Math.round(v * 100) / 100).toFixed(2)}`;
  if (Math.round(low * 100) === Math.round(high * 100)) return `${sign(high)}${abs(high)}/mo`;
  return `${sign(low)}${abs(low)}–${sign(high)}${abs(high)}/mo`;
}

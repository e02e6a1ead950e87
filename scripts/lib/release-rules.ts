/**
 * The release rules of `paved:delivery`, as the workflows apply them through the stack CLI: may a
 * pull request merge, may a deploy start now, did a smoke check pass. The program never runs these.
 */
import { DAYS, type DeliverySection } from "../../stacks/sections/delivery";

/** The stack's local day and time at `at`, in its window's zone. */
function localTime(at: Date, zone: string): { day: (typeof DAYS)[number]; time: string; date: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(at).map((p) => [p.type, p.value]));
  return { day: parts.weekday.toLowerCase().slice(0, 3) as (typeof DAYS)[number], time: `${parts.hour}:${parts.minute}`, date: `${parts.year}-${parts.month}-${parts.day}` };
}

/** Why a deploy may not start at `at`, or undefined when it may. */
export function deployRefusal(section: DeliverySection | undefined, at: Date): string | undefined {
  const zone = section?.windows?.timezone ?? "UTC";
  const local = localTime(at, zone);
  const freeze = section?.freezes?.find((f) => f.from <= local.date && local.date <= f.to);
  if (freeze) return `a deploy freeze from ${freeze.from} to ${freeze.to} (${freeze.reason})`;
  const w = section?.windows;
  if (!w) return undefined;
  const [start, end] = w.hours.split("-");
  if (!w.days.includes(local.day) || local.time < start || local.time >= end) {
    return `outside the deploy window (${w.days.join(", ")} ${w.hours} ${w.timezone}; it is ${local.day} ${local.time} there)`;
  }
  return undefined;
}

/** Why a pull request from `head` may not merge into the stack's branch, or undefined when it may. */
export function mergeRefusal(section: DeliverySection | undefined, head: string): string | undefined {
  const allowed = section?.mergeFrom;
  if (!allowed || allowed.includes(head)) return undefined;
  return `only pull requests from ${allowed.join(" or ")} may merge into it; this one is from ${head}`;
}

export type SmokeCheck = NonNullable<DeliverySection["smoke"]>[number];

/** One smoke check against the deployed stack: undefined when it passes, else what went wrong. */
export async function smokeFailure(check: SmokeCheck, base: string): Promise<string | undefined> {
  const url = new URL(check.path, base).toString();
  const want = check.status ?? 200;
  try {
    const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    if (res.status !== want) return `${url}: answered ${res.status}; expected ${want}`;
    if (check.contains && !body.includes(check.contains)) return `${url}: the body lacks "${check.contains}"`;
    return undefined;
  } catch (err) {
    return `${url}: no answer (${(err as Error).message})`;
  }
}

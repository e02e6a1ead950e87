/**
 * `paved:delivery`: the release rules a team states for a stack. Which branches may merge into the
 * stack's branch (Life-OS: `main` only accepts merges from `staging`), when deploys may start
 * (FlightPro: Tuesdays and Thursdays 10:00–14:00 EST) and when they may not (freezes). The
 * workflows enforce them (`npm run -s stack -- merge-check`, `... window`, `... smoke`, with
 * scripts/lib/release-rules.ts); the program only validates them, before anything is created.
 */
import { z } from "zod";
import { BRANCH, expected, text } from "../fields";

/** How long a pull request's stack outlives a quiet pull request, unless the preview template says. */
export const EXPIRE_AFTER_DAYS = 7;

/** The status check pull-request.yml reports for `mergeFrom`; a stack that sets it requires it on its branch. */
export const MERGE_CHECK = "paved merge source";

export const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

const date = (what: string) => z.string(expected(what)).regex(DATE, expected(what));

export const delivery = z.strictObject({
  mergeFrom: z.array(z.string(expected("a branch name such as staging")).regex(BRANCH, expected("a branch name such as staging")),
    expected("a list of branches whose pull requests may merge into this stack's branch")).min(1, expected("at least one branch")).optional(),
  windows: z.strictObject({
    timezone: z.string(expected("an IANA time zone such as America/New_York")).refine(validZone, expected("an IANA time zone such as America/New_York")),
    days: z.array(z.enum(DAYS, expected(`a day: ${DAYS.join(", ")}`)), expected("a list of days")).min(1, expected("at least one day")),
    hours: z.string(expected("a span of the day such as 10:00-14:00")).regex(HOURS, expected("a span of the day such as 10:00-14:00")),
  }, expected("an object with timezone, days and hours")).optional(),
  expireAfterDays: z.number(expected("days: a whole number from 1 to 90")).int(expected("days: a whole number from 1 to 90")).min(1, expected("days: a whole number from 1 to 90")).max(90, expected("days: a whole number from 1 to 90")).optional(),
  smoke: z.array(z.strictObject({
    service: z.enum(["api", "web"], expected("api or web: whose public URL the path is on")),
    path: z.string(expected("a URL path such as /health")).regex(/^\/\S*$/, expected("a URL path such as /health")),
    status: z.number(expected("an HTTP status such as 200")).int(expected("an HTTP status such as 200")).min(100, expected("an HTTP status such as 200")).max(599, expected("an HTTP status such as 200")).optional(),
    contains: text("text the body must hold, such as ok").optional(),
  }, expected("an object with service, path, and optionally status and contains")), expected("a list of smoke checks")).min(1, expected("at least one check")).optional(),
  freezes: z.array(z.strictObject({
    from: date("the first day, such as 2026-12-20"),
    to: date("the last day, such as 2027-01-02"),
    reason: text("why deploys stop, such as the launch week"),
  }, expected("an object with from, to and reason")), expected("a list of freezes")).optional(),
}, expected("a map with mergeFrom, windows, freezes and smoke"));

export type DeliverySection = z.infer<typeof delivery>;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Problems the schema cannot see: a freeze that ends before it starts, a window of no time. */
export function checkDelivery(section: DeliverySection | undefined, problems: string[]): void {
  section?.freezes?.forEach((f, i) => {
    if (f.to < f.from) problems.push(`paved:delivery.freezes[${i}].to: got "${f.to}", before its from "${f.from}"; expected the last day of the freeze`);
  });
  const hours = section?.windows?.hours;
  if (hours) {
    const [start, end] = hours.split("-");
    if (end <= start) problems.push(`paved:delivery.windows.hours: got "${hours}"; expected a start before the end, within one day`);
  }
}

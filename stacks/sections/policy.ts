/** `paved:policy`: the findings a stack file acknowledges, each with its resource, reason and expiry. */
import { z } from "zod";
import { type Acknowledgement, CONFIG_RULES, MAX_ACKNOWLEDGE_DAYS } from "../../policy/acknowledge";
import { allPolicies } from "../../policy/policies";
import { expected, text } from "../fields";
import { quote } from "../redact";

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const policy = z.strictObject({
  acknowledge: z.array(z.strictObject({
    policy: text("a policy name such as security-headers"),
    resource: text("a resource name or URN, or * for the whole stack"),
    reason: z.string(expected("why the finding is accepted, in a sentence")).min(12, expected("why the finding is accepted, in a sentence")),
    expires: z.string(expected("the last day it holds, such as 2027-03-31")).regex(DATE, expected("the last day it holds, such as 2027-03-31")),
  }, expected("an object with policy, resource, reason and expires")), expected("a list of acknowledgements")).optional(),
}, expected("a map with acknowledge"));

/** `2027-02-30` parses (as March 2nd); a real date reads back the same. */
const realDate = (date: string) => !Number.isNaN(Date.parse(date)) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;

export type PolicySection = z.infer<typeof policy>;

/** Checks each acknowledgement names a rule there is and runs out within a year. */
export function resolvePolicy(section: PolicySection | undefined, problems: string[], now = new Date()): Acknowledgement[] {
  const acks = section?.acknowledge ?? [];
  const known = new Set([...allPolicies.map((p) => p.name), ...Object.keys(CONFIG_RULES)]);
  const latest = new Date(now.getTime() + MAX_ACKNOWLEDGE_DAYS * 86_400_000).toISOString().slice(0, 10);
  acks.forEach((ack, i) => {
    const at = `paved:policy.acknowledge[${i}]`;
    if (!known.has(ack.policy)) {
      problems.push(`${at}.policy: got ${quote(`${at}.policy`, ack.policy)}; expected a policy of the pack or one of the config rules ${Object.keys(CONFIG_RULES).join(", ")}`);
    }
    if (!realDate(ack.expires)) {
      problems.push(`${at}.expires: got ${quote(`${at}.expires`, ack.expires)}; expected a real date such as 2027-03-31`);
    } else if (ack.expires > latest) {
      problems.push(`${at}.expires: got ${quote(`${at}.expires`, ack.expires)}; expected a date at most ${MAX_ACKNOWLEDGE_DAYS} days away (by ${latest}), so the exception is looked at again`);
    }
  });
  return acks;
}

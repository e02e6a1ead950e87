/**
 * Acknowledged findings: deliberate exceptions a team states in the stack file under review,
 * `paved:policy.acknowledge`, each naming the policy (or config rule), the resource it excuses
 * (or `*`), why, and until when. An acknowledged finding is still shown, as acknowledged; once
 * its date has passed it counts again. Read by the config layer, the offline plan and the pack.
 */

export interface Acknowledgement {
  /** A policy of the pack, or a config rule that can be acknowledged (see {@link CONFIG_RULES}). */
  policy: string;
  /** The resource's name or URN, or `*` for every resource of the stack. */
  resource: string;
  reason: string;
  /** The last day it holds, `YYYY-MM-DD` (UTC). */
  expires: string;
}

/** Config rules a stack file may acknowledge, with what each one guards. */
export const CONFIG_RULES: Record<string, string> = {
  "stack-kind": "a stack named as production (or staging) runs as a weaker kind",
  "zone-owner-only": "a stack other than production writes the zone's settings",
  "cors-origins": "the API allows an origin that is not one of the stack's own",
  "promote-digest": "production builds its own image instead of promoting staging's digest",
};

/** The config key acknowledgements are read from, as the engine hands it to the pack. */
export const ACKNOWLEDGE_KEY = "paved:policy";

/** The longest an acknowledgement may run: a year, so every exception is looked at again. */
export const MAX_ACKNOWLEDGE_DAYS = 366;

const today = (now: Date) => now.toISOString().slice(0, 10);

/** Whether it still holds on this day (inclusive of its expiry date). */
export function inForce(ack: Acknowledgement, now = new Date()): boolean {
  return ack.expires >= today(now);
}

/** Whether an acknowledgement covers this finding; the resource matches by name, URN or `*`. */
export function covers(ack: Acknowledgement, finding: { policy: string; urn?: string; resource?: string }): boolean {
  if (ack.policy !== finding.policy) return false;
  if (ack.resource === "*") return true;
  const name = finding.urn?.split("::").pop();
  return ack.resource === finding.urn || ack.resource === name || ack.resource === finding.resource;
}

/** A finding's message once its acknowledgement has run out: it counts again, and says why. */
export const expiredMessage = (message: string, ack: Acknowledgement) => `${message} (its acknowledgement expired ${ack.expires})`;

export type AckState = { ack: Acknowledgement; expired: boolean } | undefined;

/** The acknowledgement that covers a finding (one in force first), if any. */
export function acknowledgementOf(
  acks: readonly Acknowledgement[], finding: { policy: string; urn?: string; resource?: string }, now = new Date(),
): AckState {
  const matching = acks.filter((a) => covers(a, finding));
  const live = matching.find((a) => inForce(a, now));
  if (live) return { ack: live, expired: false };
  return matching[0] && { ack: matching[0], expired: true };
}

/** Reads acknowledgements from the `paved:policy` value; anything malformed counts as none (the config layer reports it). */
export function parseAcknowledgements(value: string | undefined): Acknowledgement[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as { acknowledge?: unknown };
    const list = Array.isArray(parsed?.acknowledge) ? parsed.acknowledge : [];
    return list.filter((a): a is Acknowledgement => !!a && typeof a === "object"
      && ["policy", "resource", "reason", "expires"].every((k) => typeof (a as Record<string, unknown>)[k] === "string"));
  } catch {
    return [];
  }
}

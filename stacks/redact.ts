/**
 * What a problem message may show of a value. Stack-file problems land in CI logs and
 * pull-request comments, and the value a user typed into a field that wants a secret's name is
 * often the secret itself: such a field, a field that holds a secret, and any value that looks
 * like a credential are described by their shape only. Every other value is quoted as typed.
 */
import { credentialKind } from "../components/credentials";
import { envName, looksSecret } from "./fields";

/** Fields whose value names a secret (`webhookSecret`, `secretEnv`, `secrets.generate.<NAME>`, ...). */
const NAMES_SECRET = /([a-z]Secrets?|^secretEnv|^fromConfig|^generate|^rotated)$/i;
/** Fields whose value can be a secret. */
const HOLDS_SECRET = /(webhook|passw|token|key$)/i;
/** Alert addresses: a webhook URL or a token lands here by mistake, and an address is a person's. */
const ADDRESSES = /^emails?$/i;
/** A secret's counts and flags: numbers and booleans there are settings, never the secret. */
const SPEC_SETTINGS = new Set(["length", "special", "rotateEveryDays"]);

/** Stands in for a map key that must not be shown, in a key path. */
const UNSHOWN_KEY = "<not shown>";

/**
 * `"value"` as JSON, or what kind of value it is when `key` (a config key path as messages print
 * it, `paved:web.secretEnv[0]`, `github:owner`) holds or names a secret, or the value looks like a
 * credential; `secretKeys` are the stack's secret config keys.
 */
export function quote(key: string, value: unknown, secretKeys?: ReadonlySet<string>): string {
  return unshown(key, value, secretKeys) ?? JSON.stringify(value);
}

/** What to say instead of the value, `a string (not shown: ...)`, or undefined when it may be shown. */
export function unshown(key: string, value: unknown, secretKeys?: ReadonlySet<string>): string | undefined {
  const reason = credentialIn(value) ?? secretField(key, value, secretKeys);
  return reason && `${shapeOf(value)} (not shown: ${reason})`;
}

/**
 * A map key as a key path may print it: not when it looks like a credential, nor when it sits in
 * a map of secret names (`generate`, `rotated`) without being a valid name.
 */
export function shownKey(parent: string | number | undefined, key: string | number): string | number {
  if (typeof key === "number") return key;
  if (credentialKind(key)) return UNSHOWN_KEY;
  return typeof parent === "string" && NAMES_SECRET.test(parent) && !envName.safeParse(key).success ? UNSHOWN_KEY : key;
}

function secretField(key: string, value: unknown, secretKeys?: ReadonlySet<string>): string | undefined {
  if (secretKeys?.has(key.split(/[.[]/)[0])) return "this key is a secret";
  const segments = key.slice(key.indexOf(":") + 1).split(/[.[\]]+/).filter(Boolean);
  if (SPEC_SETTINGS.has(segments[segments.length - 1]) && (typeof value === "number" || typeof value === "boolean")) return undefined;
  const field = segments.map((segment) => !/^\d+$/.test(segment)).lastIndexOf(true);
  for (const [i, segment] of segments.entries()) {
    // An environment variable's name says whether its value is a secret, as paved:<section>.env judges it.
    if (segments[i - 1] === "env") {
      if (looksSecret(segment)) return "this variable holds a secret";
    } else if (NAMES_SECRET.test(segment)) return i === field ? "this field names a secret" : "this field belongs to a secret";
    else if (HOLDS_SECRET.test(segment)) return "this field can hold a secret";
    else if (ADDRESSES.test(segment)) return "this field holds addresses";
  }
  return undefined;
}

/** The kind of credential found anywhere in the value, its keys included. */
function credentialIn(value: unknown): string | undefined {
  if (typeof value === "string") {
    const kind = credentialKind(value);
    return kind && `it looks like ${kind}`;
  }
  if (Array.isArray(value)) return value.map(credentialIn).find(Boolean);
  if (value && typeof value === "object") return Object.entries(value).flat().map(credentialIn).find(Boolean);
  return undefined;
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a map";
  return `a ${typeof value}`;
}

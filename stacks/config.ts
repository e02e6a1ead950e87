/**
 * Stack config -> validated `EnvironmentConfig`. The only place paved reads config; every
 * problem in a stack file is reported at once, one line each, before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PavedInputError } from "../components/errors";
import type { EnvironmentConfig, Kind, SecretsConfig } from "../components/environment-config";
import { stackFile, KINDS, type StackFile } from "./schema";
import { resolveApi } from "./sections/api";
import { resolveCache } from "./sections/cache";
import { defaultCspSource, originHeaders, resolveCdn } from "./sections/cdn";
import { resolveCost } from "./sections/cost";
import { resolveDatabase } from "./sections/database";
import { checkDelivery, MERGE_CHECK } from "./sections/delivery";
import { checkDockerHosts } from "./sections/docker-hosts";
import { resolveDoppler } from "./sections/doppler";
import { resolveGithub } from "./sections/github";
import { resolveLogs } from "./sections/logs";
import { resolveMonitors } from "./sections/monitors";
import { resolvePolicy } from "./sections/policy";
import { resolveWeb } from "./sections/web";
import { checkPlainCredentials, guard, impliedKind, PASSWORD_LIKE } from "./guard";
import { quote, shownKey, unshown } from "./redact";
import type { ConfigSource } from "./source";

export type {
  ApiConfig, CacheConfig, CdnConfig, DatabaseConfig, EnvironmentConfig, GithubConfig, Kind, MonitorsConfig, SecretsConfig, WebConfig,
} from "../components/environment-config";
export type { ConfigSource } from "./source";


/** Per environment kind: the branch it deploys and whether its data is protected. */
export const KIND_DEFAULTS: Record<Kind, { branch?: string; protect: boolean }> = {
  production: { branch: "main", protect: true },
  staging: { branch: "develop", protect: false },
  preview: { protect: false },
  local: { branch: "main", protect: false },
};

/** A generated secret everyone needs; `secrets.generate` replaces it when given. */
export const DEFAULT_GENERATED = { JWT_SECRET: { length: 64 } };
/** How often generated secrets should rotate, as the guides ask for API keys (database passwords: 180). */
export const ROTATE_EVERY_DAYS = 90;
/** How often a supplied password (or a URL that carries one) should rotate. */
export const PASSWORD_ROTATE_EVERY_DAYS = 180;
/** The shortest JWT signing secret paved accepts. */
export const MIN_JWT_LENGTH = 48;

/** Validates a stack's config; throws one PavedInputError listing every problem. */
export function loadEnvironmentConfig(source: ConfigSource): EnvironmentConfig {
  const problems: string[] = [];
  const raw = readNamespace(source, problems);
  // Each section is parsed on its own so a mistake in one still lets the others be checked.
  const file: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, schema] of Object.entries(stackFile.shape)) {
    if (raw[key] === undefined) continue;
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success) file[key] = parsed.data;
    else {
      invalid.add(key);
      problems.push(...parsed.error.issues.map((issue) => describe({ ...issue, path: [key, ...issue.path] } as z.core.$ZodIssue, raw, source)));
    }
  }
  checkPlainCredentials(source, raw, problems);
  checkUnknownKeys(source, raw, problems);
  const kind = (file as StackFile).kind ?? impliedKind(source.stack);
  if (!kind && !invalid.has("kind")) {
    problems.push(`paved:kind: missing, and stack name "${source.stack}" implies none; expected one of ${KINDS.join(", ")}`);
  }
  if (kind) {
    const config = resolve(source, raw, file as StackFile, kind, invalid, problems);
    if (problems.length === 0) return config;
  }
  throw new PavedInputError(problems);
}

function readNamespace(source: ConfigSource, problems: string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source.values)) {
    if (!key.startsWith("paved:")) continue;
    const name = key.slice("paved:".length);
    // Anything else under paved: is a secret named in secrets.fromConfig (or a typo).
    if (!(name in stackFile.shape)) continue;
    if (source.secretKeys.has(key) || source.opaqueKeys?.has(key)) {
      problems.push(`${key}: holds a secret value; expected plain settings here, with each secret as its own key (paved:<NAME>, listed in paved:secrets.fromConfig)`);
      continue;
    }
    try {
      raw[name] = value.trim().startsWith("{") || value.trim().startsWith("[") ? JSON.parse(value) : value;
    } catch {
      problems.push(`${key}: got text that is not valid JSON; expected a structured value`);
    }
  }
  return raw;
}

/** A `paved:` key that is neither a setting nor a declared secret is a typo. */
function checkUnknownKeys(source: ConfigSource, raw: Record<string, unknown>, problems: string[]): void {
  const fromConfig = (raw.secrets as { fromConfig?: unknown } | undefined)?.fromConfig;
  const declared = new Set(Array.isArray(fromConfig) ? fromConfig.map(String) : []);
  for (const key of Object.keys(source.values)) {
    const name = key.slice("paved:".length);
    if (key.startsWith("paved:") && !(name in stackFile.shape) && !declared.has(name)) {
      problems.push(`paved:${shownKey(undefined, name)}: unknown key; expected one of ${Object.keys(stackFile.shape).join(", ")}, or a secret named in paved:secrets.fromConfig`);
    }
  }
}

function describe(issue: z.core.$ZodIssue, raw: Record<string, unknown>, source: ConfigSource): string {
  const path = issue.path.map((p) => String(p));
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${keyPath([...path, k])}: unknown key; ${knownKeysHint(path)}`).join("\n");
  }
  if (issue.code === "invalid_key") {
    const key = path[path.length - 1];
    return `${keyPath(path)}: got ${quote(keyPath(path), key, source.secretKeys)}; expected ${issue.issues[0]?.message ?? "a valid key"}`;
  }
  if (issue.code === "invalid_union") {
    // `false` or an object: a value that is an object fails inside it, and that is the problem to name.
    const inside = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0 || i.code === "unrecognized_keys"));
    if (inside.length === 1) return inside[0].map((i) => describe({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, raw, source)).join("\n");
  }
  const value = lookup(raw, path);
  const got = value === undefined ? "missing" : `got ${unshown(keyPath(path), value, source.secretKeys) ?? show(value)}`;
  return `${keyPath(path)}: ${got}; expected ${issue.message}`;
}

/** `paved:web.domain`, `paved:web.secretEnv[0]`; a map key that must not be shown reads `<not shown>`. */
export function keyPath(path: readonly (string | number)[]): string {
  const [head, ...rest] = path;
  return `paved:${String(head ?? "")}` + rest.map((p, i) => (/^\d+$/.test(String(p)) ? `[${p}]` : `.${String(shownKey(path[i], p))}`)).join("");
}

function knownKeysHint(path: string[]): string {
  let shape: z.ZodType = stackFile;
  for (const p of path) {
    const def = (shape as unknown as { shape?: Record<string, z.ZodType> }).shape;
    let next = def?.[p];
    while (next && "unwrap" in next && typeof (next as { unwrap?: unknown }).unwrap === "function") {
      next = (next as unknown as { unwrap(): z.ZodType }).unwrap();
    }
    // A union of `false` and an object: the object's keys are the ones to offer.
    const options = (next as unknown as { options?: z.ZodType[] } | undefined)?.options;
    if (options) next = options.find((o) => (o as unknown as { shape?: object }).shape) ?? next;
    if (!next) break;
    shape = next;
  }
  const keys = Object.keys((shape as unknown as { shape?: object }).shape ?? {});
  return keys.length ? `expected one of ${keys.join(", ")}` : "expected no such key";
}

function lookup(raw: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, p) => (v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined), raw);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function resolve(
  source: ConfigSource, raw: Record<string, unknown>, file: StackFile, kind: Kind, invalid: Set<string>, problems: string[],
): EnvironmentConfig {
  const given = (key: keyof StackFile) => file[key] !== undefined || invalid.has(key);
  const defaults = KIND_DEFAULTS[kind];
  const branch = file.branch ?? defaults.branch;
  if (!branch) problems.push(`paved:branch: missing; expected the pull request's branch (required for ${kind} stacks)`);
  const secrets = resolveSecrets(source, file, problems);
  const product = productName(source, file);
  const secretNames = new Set([...Object.keys(secrets.generate), ...(secrets.declared ?? [])]);
  const web = file.web && resolveWeb(file.web, { kind, stack: source.stack, product, domain: file.domain, secretNames }, problems);
  const cdn = file.cdn && resolveCdn(file.cdn, { kind, domain: file.domain, framework: file.web?.framework }, problems);
  const api = file.api && resolveApi(file.api, { kind, stack: source.stack, product, domain: file.domain, repository: file.repository, secretNames }, problems);
  const database = file.database && resolveDatabase(file.database, { kind, stack: source.stack, product }, problems);
  const cache = file.cache && resolveCache(file.cache, { kind, stack: source.stack, product, apiHost: given("api") ? file.api?.host ?? "" : undefined }, problems);
  if (api?.hostname && file.domain && !inZone(api.hostname, file.domain)) {
    problems.push(`paved:api.hostname: got ${quote("paved:api.hostname", api.hostname)}; expected a host inside the zone ${file.domain}`);
  }
  const github = resolveGithub(source, file, kind, secrets, problems, given);
  checkDelivery(file.delivery, problems);
  // The merge rule is a required check of the stack's branch, or it would only advise.
  if (file.delivery?.mergeFrom && github?.protection && !github.protection.requiredChecks.includes(MERGE_CHECK)) {
    github.protection.requiredChecks.push(MERGE_CHECK);
  }
  const logs = file.logs && resolveLogs(file.logs, { kind, stack: source.stack, product, declared: secrets.declared ?? [], web, api }, problems);
  const monitors = resolveMonitors(file, { kind, stack: source.stack, product, secrets, web, api, database, github, logs }, problems, given);
  if (kind === "local") {
    if (given("web") && web?.host !== "docker") problems.push(`paved:web.host: not available as vercel for local stacks (they run in the local Docker engine); expected docker`);
    if (given("cdn")) problems.push(`paved:cdn: not available for local stacks (no public hosts); expected no cdn section`);
  }
  if (given("web") && web?.host !== "docker" && !given("repository")) problems.push(`paved:repository: missing; expected owner/name of the GitHub repository Vercel builds from`);
  if (given("cdn") && !given("domain")) problems.push(`paved:domain: missing; expected the zone's apex domain, such as example.com (a stack without one leaves out paved:cdn)`);
  if (web?.domain && file.domain && !inZone(web.domain, file.domain)) {
    problems.push(`paved:web.domain: got ${quote("paved:web.domain", web.domain)}; expected a host inside the zone ${file.domain}`);
  }
  web?.redirects.forEach((host, i) => {
    if (file.domain && !inZone(host, file.domain)) problems.push(`paved:web.redirects[${i}]: got ${quote(`paved:web.redirects[${i}]`, host)}; expected a host inside the zone ${file.domain}`);
  });
  checkDockerHosts(kind, web, api, given("cdn"), problems);
  if (web?.docker) web.docker.headers = originHeaders(cdn?.zone, !!web.domain);
  // As at the edge: a front end that sends its own CSP keeps it; nginx fills in only where it sent none.
  if (web?.docker?.app) web.docker.app.cspFromApp = (cdn?.zone?.headers.cspSource ?? defaultCspSource(web.framework)) === "origin";
  // Only judged once web and api were read: a section that failed to parse says nothing of its hosts.
  const unread = (["web", "api", "domain"] as const).some((key) => `paved:${key}` in source.values && file[key] === undefined);
  if (cdn?.ownsZone && file.domain && !web?.domain && !api?.hostname && !unread) {
    problems.push("paved:cdn.ownsZone: true in a stack with no hostnames of its own; expected web.domain or api.hostname (its zone-wide rate limit would fall only on other stacks' hosts), or ownsZone: false");
  }
  const doppler = file.doppler && resolveDoppler(file.doppler, kind, problems);
  const acknowledgements = resolvePolicy(file.policy, problems);
  const acknowledged = guard({ source, raw, file, kind, web, api, secrets, monitors, acks: acknowledgements }, problems);
  return {
    project: source.project, stack: source.stack, kind, branch: branch ?? "",
    domain: file.domain, repository: file.repository, protect: defaults.protect,
    web, cdn, secrets, api, database, cache, github, monitors, logs, doppler, acknowledgements, acknowledged,
    cost: resolveCost(file.cost, kind),
  };
}

/** The product's short name, from the repository (`planningos/planningos` -> `planningos`). */
const productName = (source: ConfigSource, file: StackFile) =>
  (file.repository?.split("/")[1] ?? source.project).toLowerCase().replace(/[^a-z0-9-]/g, "-");

const inZone = (host: string, zone: string) => host === zone || host.endsWith(`.${zone}`);

function resolveSecrets(source: ConfigSource, file: StackFile, problems: string[]): SecretsConfig {
  const spec = file.secrets ?? { rotation: "initial" };
  const specs: Record<string, { length: number; special?: boolean; rotation?: string; rotateEveryDays?: number }> = spec.generate ?? DEFAULT_GENERATED;
  const generate = Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, {
    length: s.length, special: s.special ?? false, rotation: s.rotation ?? spec.rotation,
    rotateEveryDays: s.rotateEveryDays ?? ROTATE_EVERY_DAYS,
  }]));
  const jwt = generate.JWT_SECRET;
  if (jwt && jwt.length < MIN_JWT_LENGTH) {
    problems.push(`paved:secrets.generate.JWT_SECRET.length: got ${quote("paved:secrets.generate.JWT_SECRET.length", jwt.length)}; expected at least ${MIN_JWT_LENGTH} characters`);
  }
  const provided: Record<string, pulumi.Output<string>> = {};
  for (const [i, name] of (spec.fromConfig ?? []).entries()) {
    const key = `paved:${name}`;
    if (shownKey("fromConfig", name) !== name) {
      // An AWS key id passes as a name; it must not be printed as one in the problems below.
      problems.push(`paved:secrets.fromConfig[${i}]: got ${quote(`paved:secrets.fromConfig[${i}]`, name)}; expected the secret's name, its value set apart (pulumi config set --secret paved:<NAME> <value>)`);
    } else if (name in generate) {
      problems.push(`paved:secrets.fromConfig[${i}]: got ${quote(`paved:secrets.fromConfig[${i}]`, name)}, which secrets.generate also makes; expected each secret from one source`);
    } else if (!(key in source.values)) {
      // Named by no config key, the "name" may well be the secret itself, typed in the wrong place.
      problems.push(`paved:secrets.fromConfig[${i}]: got ${quote(`paved:secrets.fromConfig[${i}]`, name)} that no config key holds; expected the name of a secret set with pulumi config set --secret paved:<NAME> <value>`);
    } else if (!source.secretKeys.has(key)) {
      problems.push(`${key}: stored in plain text; expected a secret (pulumi config set --secret ${key} <value>)`);
    } else {
      provided[name] = pulumi.secret(source.values[key]);
    }
  }
  const set = (spec.fromConfig ?? []).filter((name) => `paved:${name}` in source.values && shownKey("fromConfig", name) === name);
  return { rotation: spec.rotation, generate, provided, declared: spec.fromConfig ?? [], rotated: resolveRotated(spec.rotated ?? {}, spec.fromConfig ?? [], set, problems) };
}

/**
 * Rotation labels of supplied secrets: each names a secret read from config, and is a date paved can
 * count from. A hint lists only the names that are `set` as config keys, never one that may be a value.
 */
function resolveRotated(
  given: Record<string, { rotation: string; rotateEveryDays?: number }>, fromConfig: string[], set: string[], problems: string[],
): NonNullable<SecretsConfig["rotated"]> {
  const rotated: NonNullable<SecretsConfig["rotated"]> = {};
  for (const [name, spec] of Object.entries(given)) {
    if (!fromConfig.includes(name)) {
      problems.push(`paved:secrets.rotated.${shownKey("rotated", name)}: names no secret in paved:secrets.fromConfig; expected one of ${set.join(", ") || "the names it lists"}`);
      continue;
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/.test(spec.rotation)) {
      const key = `paved:secrets.rotated.${shownKey("rotated", name)}.rotation`;
      problems.push(`${key}: got ${quote(key, spec.rotation)}; expected the date it was last rotated, such as 2026-11 or 2026-11-03`);
      continue;
    }
    rotated[name] = { rotation: spec.rotation, rotateEveryDays: spec.rotateEveryDays ?? (PASSWORD_LIKE.test(name) ? PASSWORD_ROTATE_EVERY_DAYS : ROTATE_EVERY_DAYS) };
  }
  return rotated;
}

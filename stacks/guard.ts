/**
 * The config rules of the security checklist that a single field's schema cannot judge: they
 * read the stack's name, its kind and several sections together, and judge values by what they
 * mean (what a CIDR list admits, when a cron fires, what a string is) rather than by their names.
 * Each problem names the key and what is expected, and never quotes a value that may be secret.
 */
import { isIP } from "node:net";
import type { Acknowledgement } from "../policy/acknowledge";
import { acknowledgementOf, expiredMessage } from "../policy/acknowledge";
import type { ApiConfig, EnvironmentConfig, Kind, MonitorsConfig, SecretsConfig, WebConfig } from "../components/environment-config";
import { PUBLIC_ENV_PREFIXES } from "../components/environment-config";
import { addressesCovered, isPrivateAddress, MAX_ALLOWED_ADDRESSES } from "./addresses";
import { credentialKind, strings } from "../components/credentials";
import { looksSecret } from "./fields";
import { quote } from "./redact";
import type { StackFile } from "./schema";
import type { ConfigSource } from "./source";

/** A config rule's finding that a stack file acknowledged, shown by the plan as such. */
export type AcknowledgedProblem = NonNullable<EnvironmentConfig["acknowledged"]>[number];

export interface GuardContext {
  source: ConfigSource;
  /** The `paved:` settings as parsed from the stack file, before defaults. */
  raw: Record<string, unknown>;
  file: StackFile;
  kind: Kind;
  web?: WebConfig;
  api?: ApiConfig;
  secrets: SecretsConfig;
  monitors?: MonitorsConfig;
  acks: readonly Acknowledgement[];
}

/** The checklist items the config layer enforces (exit 2, before anything is planned), for the README's table. */
export const GUARD_RULES: readonly { item: string; keys: string; kinds: string; acknowledge?: string }[] = [
  { item: "A stack named as production (or staging) runs as that kind", keys: "`paved:kind`", kinds: "all", acknowledge: "stack-kind" },
  { item: "No credential in plain config: provider tokens by name, any value shaped like a key, token, webhook URL, connection string with a password, JWT or long random string", keys: "every key", kinds: "all" },
  { item: "No secret behind a public prefix (`NEXT_PUBLIC_`, `VITE_`, ...): the build ships it to every browser", keys: "`paved:web.env`, `paved:api.env`", kinds: "all" },
  { item: "Zone-wide settings have one owner, production", keys: "`paved:cdn.ownsZone`", kinds: "staging, preview", acknowledge: "zone-owner-only" },
  { item: "A pull-request stack serves only hosts named for it", keys: "`paved:web.domain`, `paved:web.redirects`, `paved:api.hostname`", kinds: "preview" },
  { item: "Allow-lists admit at most a /16 in all (overlaps counted once)", keys: "`paved:database.render.allowCidrs`, `paved:cache.render.allowCidrs`", kinds: "production, staging, preview" },
  { item: "A Docker engine only over ssh; a web root that is not the server's own files", keys: "`paved:api.docker.host`, `paved:web.docker.host`, `paved:web.docker.root`", kinds: "production, staging, preview" },
  { item: "No public URL over http://", keys: "`paved:web.env`, `paved:api.env`", kinds: "production, staging, preview" },
  { item: "Certificate checks stay on (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `PGSSLMODE=disable`, ... refused)", keys: "`paved:web.env`, `paved:api.env`", kinds: "production, staging, preview" },
  { item: "CORS origins are the stack's own (in its zone, or its web domain), over https", keys: "`paved:api.corsOrigins`", kinds: "production, staging, preview", acknowledge: "cors-origins" },
  { item: "Images pinned to a version or digest, never `latest` or a word tag", keys: "`paved:database.docker.image`, `paved:database.docker.backups.image`, `paved:cache.docker.image`, `paved:cache.railway.image`", kinds: "production, staging, preview" },
  { item: "A container health check that can fail", keys: "`paved:api.docker.healthcheck`", kinds: "production, staging, preview" },
  { item: "Build once, promote the same image digest", keys: "`paved:api.image.build`", kinds: "production", acknowledge: "promote-digest" },
  { item: "Dumps at least daily, on a schedule that runs", keys: "`paved:database.docker.backups.schedule`", kinds: "production" },
  { item: "Secrets rotate: API keys every 90 days at most, passwords every 180", keys: "`paved:secrets.generate.*.rotateEveryDays`, `paved:secrets.rotated.*.rotateEveryDays`", kinds: "production" },
  { item: "Alerts that fire and wake someone: down 5 minutes, API at P1, web at P1 or P2, P1 never to email alone, error rate at most 5 %, windows at most an hour, latency at most 5 s", keys: "`paved:monitors`", kinds: "production" },
];

const STRENGTH: Record<Kind, number> = { local: 0, preview: 1, staging: 2, production: 3 };

/** The kind a stack's name promises: `production`, `prod`, `acme-production`, `pr-12`, ... */
export function impliedKind(stack: string): Kind | undefined {
  const words = stack.toLowerCase().split(/[-_.]/);
  if (words.includes("production") || words.includes("prod")) return "production";
  if (words.includes("staging") || words.includes("stage")) return "staging";
  if (/(^|[-_.])pr-\d+$/.test(stack)) return "preview";
  if (words.includes("local") || words.includes("dev")) return "local";
  return undefined;
}

/** Runs every guard rule; returns the findings the stack file acknowledged. */
export function guard(ctx: GuardContext, problems: string[]): AcknowledgedProblem[] {
  const acknowledged: AcknowledgedProblem[] = [];
  /** A problem a stack file may acknowledge under `rule`: kept out of `problems` while acknowledged. */
  const ackable = (rule: string, key: string, message: string) => {
    const state = acknowledgementOf(ctx.acks, { policy: rule, resource: key });
    if (state && !state.expired) acknowledged.push({ policy: rule, resource: key, message, reason: state.ack.reason, expires: state.ack.expires });
    else problems.push(state ? expiredMessage(message, state.ack) : message);
  };
  checkKind(ctx, ackable);
  checkPublicPrefixes(ctx, problems);
  if (ctx.kind === "local") return acknowledged;
  checkZoneOwner(ctx, ackable);
  checkPreviewHosts(ctx, problems);
  checkAllowLists(ctx, problems);
  checkDockerEngines(ctx, problems);
  checkPlainHttp(ctx, problems);
  checkTlsVerification(ctx, problems);
  checkCorsOrigins(ctx, ackable);
  checkImages(ctx, problems);
  checkHealthchecks(ctx, problems);
  if (ctx.kind === "production") {
    checkBackupSchedule(ctx, problems);
    checkRotation(ctx, problems);
    checkMonitoring(ctx, problems);
    if (ctx.file.api?.image?.build) {
      ackable("promote-digest", "paved:api.image.build", "paved:api.image.build: production builds its own image; expected promoteFrom (the image staging ran, by digest) or digest: build once, promote the same image");
    }
  }
  return acknowledged;
}

type Ackable = (rule: string, key: string, message: string) => void;

function checkKind({ source, file, kind }: GuardContext, ackable: Ackable): void {
  const implied = impliedKind(source.stack);
  // A kind the file does not state is the name's own.
  if (file.kind === undefined || !implied || STRENGTH[kind] >= STRENGTH[implied]) return;
  ackable("stack-kind", "paved:kind", `paved:kind: got ${quote("paved:kind", kind)} in stack "${source.stack}", whose name makes it ${implied}; expected ${implied} (its protection, history and policy levels), or acknowledge stack-kind in paved:policy.acknowledge`);
}

/** Config keys outside `paved:` whose names say they hold a credential (provider tokens and keys). */
const CREDENTIAL_KEY = /(token|secret|password|passwd|apikey|api_key|auth|privatekey|private_key|credentials|servicekey)/i;

/** Credentials in plain config: provider keys by name, and any value shaped like a credential. Runs before the kind is known. */
export function checkPlainCredentials(source: ConfigSource, raw: Record<string, unknown>, problems: string[]): void {
  for (const [key, value] of Object.entries(source.values)) {
    if (source.secretKeys.has(key) || key.startsWith("paved:")) continue;
    const name = key.slice(key.indexOf(":") + 1);
    const kind = credentialKind(value);
    if (CREDENTIAL_KEY.test(name) || kind) {
      problems.push(`${key}: stored in plain text${kind ? ` and holds what looks like ${kind}` : ""}; expected a secret (pulumi config set --secret ${key})`);
    }
  }
  for (const [section, value] of Object.entries(raw)) {
    for (const [path, text] of strings(value)) {
      // A secret-named env variable is already refused by its section, whatever it holds.
      if ((section === "web" || section === "api") && path[0] === "env" && looksSecret(String(path[1]))) continue;
      const kind = credentialKind(text);
      if (kind) problems.push(`${keyOf([section, ...path])}: holds what looks like ${kind} in plain config; expected no credential in a stack file: store it with pulumi config set --secret paved:<NAME> and list NAME in paved:secrets.fromConfig`);
    }
  }
}

/** Names that say "secret" even behind a public prefix, where a publishable `_KEY` is fine. */
const SECRET_WORD = /(SECRET|PASSWORD|PASSWD|PRIVATE|TOKEN|CREDENTIAL)/;

function checkPublicPrefixes({ file }: GuardContext, problems: string[]): void {
  const check = (section: "web" | "api", env: Record<string, string> | undefined) => {
    for (const name of Object.keys(env ?? {})) {
      const prefix = PUBLIC_ENV_PREFIXES.find((p) => name.startsWith(p));
      if (prefix && SECRET_WORD.test(name.slice(prefix.length))) {
        problems.push(`paved:${section}.env.${name}: a secret behind the public prefix ${prefix}, which the build ships to every browser; expected the secret without the prefix, read by the server only (paved:secrets and ${section}.secretEnv)`);
      }
    }
  };
  check("web", file.web?.env);
  check("api", file.api?.env);
}

function checkZoneOwner({ file, kind }: GuardContext, ackable: Ackable): void {
  if (kind !== "production" && file.cdn?.ownsZone === true) {
    ackable("zone-owner-only", "paved:cdn.ownsZone", `paved:cdn.ownsZone: true in a ${kind} stack; expected false: the zone's settings and rulesets have one owner, production, and this stack would rewrite them (and delete them when it is destroyed); acknowledge zone-owner-only in paved:policy.acknowledge only when the production stack file sets ownsZone: false`);
  }
}

/** A pull-request stack serves only hosts named for it, never production's or staging's. */
function checkPreviewHosts({ source, kind, web, api }: GuardContext, problems: string[]): void {
  if (kind !== "preview") return;
  const own = (host: string) => host.split(".")[0].includes(source.stack);
  const check = (key: string, host: string | undefined) => {
    if (host && !own(host)) problems.push(`${key}: got ${quote(key, host)}; expected a host of this pull request's own, with "${source.stack}" in its first label (such as ${source.stack}.example.com), never one another stack serves`);
  };
  check("paved:web.domain", web?.domain);
  check("paved:api.hostname", api?.hostname);
  web?.redirects.forEach((host, i) => check(`paved:web.redirects[${i}]`, host));
}

function checkAllowLists({ file }: GuardContext, problems: string[]): void {
  const check = (key: string, cidrs: readonly string[] | undefined) => {
    if (!cidrs?.length) return;
    const admitted = addressesCovered(cidrs);
    if (admitted > MAX_ALLOWED_ADDRESSES) {
      problems.push(`${key}: admits ${admitted.toLocaleString("en-US")} addresses together (${share(admitted)} of IPv4); expected only the addresses that connect (the API's egress, an office), at most ${MAX_ALLOWED_ADDRESSES.toLocaleString("en-US")} (a /16)`);
    }
  };
  check("paved:database.render.allowCidrs", file.database?.render?.allowCidrs);
  check("paved:cache.render.allowCidrs", file.cache?.render?.allowCidrs);
}

const share = (n: number) => `${Math.round((n / 2 ** 32) * 1000) / 10} %`;

/** A Docker engine reached over the network is root on the server: only over ssh. */
function checkDockerEngines({ file }: GuardContext, problems: string[]): void {
  const check = (key: string, host: string | undefined) => {
    if (host?.startsWith("tcp://")) {
      problems.push(`${key}: a Docker engine over tcp://; expected ssh://user@host: the engine's API gives root on the server to anyone who reaches its port, and paved passes it no TLS client certificate`);
    }
  };
  check("paved:api.docker.host", file.api?.docker?.host);
  check("paved:web.docker.host", file.web?.docker?.host);
  const root = file.web?.docker?.root;
  if (root && servesSystemFiles(root)) {
    problems.push(`paved:web.docker.root: got ${quote("paved:web.docker.root", root)}; expected the directory of the built front end, such as /srv/app/web: this one would serve the server's own files (keys, configs, home directories) to the internet`);
  }
}

const SYSTEM_TREES = ["/etc", "/root", "/proc", "/sys", "/dev", "/boot", "/run", "/var/run", "/var/lib", "/var/log", "/usr", "/bin", "/sbin", "/lib"];

/** `/`, a top-level system directory or anything under one, or a home directory (which holds ~/.ssh). */
function servesSystemFiles(root: string): boolean {
  const path = root.replace(/\/+$/, "") || "/";
  if (path === "/" || /^\/[^/]+$/.test(path) && !["/srv", "/opt", "/data", "/app", "/www"].includes(path)) return true;
  if (/^\/home\/[^/]+$/.test(path)) return true;
  return SYSTEM_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`));
}

/** A URL over http to a public host: names on private networks (Fly's .internal, a compose service) are fine. */
function isPublicHttp(value: string): boolean {
  const match = /^http:\/\/([^/:?#]+|\[[^\]]+\])/i.exec(value.trim());
  if (!match) return false;
  const host = match[1].replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host)) return !isPrivateAddress(host);
  if (!host.includes(".") || host === "localhost") return false;
  return !/\.(internal|local|localhost|svc|lan|home\.arpa)$/.test(host);
}

function checkPlainHttp({ file }: GuardContext, problems: string[]): void {
  for (const section of ["web", "api"] as const) {
    for (const [name, value] of Object.entries(file[section]?.env ?? {})) {
      if (isPublicHttp(value)) {
        problems.push(`paved:${section}.env.${name}: a URL over http:// to a public host; expected https:// (outside local stacks every public host is served over HTTPS only)`);
      }
    }
  }
}

/** Variables that switch off certificate checks for every outbound connection the app makes. */
const TLS_OFF: Record<string, RegExp> = {
  NODE_TLS_REJECT_UNAUTHORIZED: /^0$/, PYTHONHTTPSVERIFY: /^0$/, PGSSLMODE: /^(disable|allow|prefer)$/i,
  GIT_SSL_NO_VERIFY: /^(1|true)$/i, CURL_INSECURE: /^(1|true)$/i,
};

function checkTlsVerification({ file }: GuardContext, problems: string[]): void {
  for (const section of ["web", "api"] as const) {
    for (const [name, value] of Object.entries(file[section]?.env ?? {})) {
      if (TLS_OFF[name]?.test(value.trim())) {
        problems.push(`paved:${section}.env.${name}: turns certificate checks off for the app's outbound connections; expected it left out: a man in the middle could read the database and API traffic`);
      }
    }
  }
}

/** CORS origins are the stack's own: hosts in its zone, or its web domain. */
function checkCorsOrigins({ file, web }: GuardContext, ackable: Ackable): void {
  const zone = file.domain;
  const own = (host: string) => (zone ? host === zone || host.endsWith(`.${zone}`) : host === web?.domain);
  if (!zone && !web?.domain) return;
  file.api?.corsOrigins?.forEach((origin, i) => {
    const host = origin.replace(/^https?:\/\//, "");
    if (!own(host)) {
      ackable("cors-origins", `paved:api.corsOrigins[${i}]`, `paved:api.corsOrigins[${i}]: got ${quote(`paved:api.corsOrigins[${i}]`, origin)}; expected one of the stack's own origins (${zone ? `a host in ${zone}` : `https://${web?.domain}`}): another site's pages could call the API with its users' credentials; acknowledge cors-origins in paved:policy.acknowledge for a partner's origin`);
    }
  });
}

/** An image with a version tag or digest: `latest`, no tag or a word tag (`alpine`) moves under you. */
export function pinnedVersion(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const last = image.slice(image.lastIndexOf("/") + 1);
  const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : undefined;
  return !!tag && tag !== "latest" && /\d/.test(tag);
}

function checkImages({ file }: GuardContext, problems: string[]): void {
  const check = (key: string, image: string | undefined, example: string) => {
    if (image && !pinnedVersion(image)) {
      problems.push(`${key}: got ${quote(key, image)}; expected a version tag or digest, such as ${example}: a moving tag (latest, or none) changes the server under a deploy nobody reviewed`);
    }
  };
  check("paved:database.docker.image", file.database?.docker?.image, "postgres:17.2-alpine");
  check("paved:database.docker.backups.image", file.database?.docker?.backups?.image, "prodrigestivill/postgres-backup-local:17");
  check("paved:cache.docker.image", file.cache?.docker?.image, "redis:7.4-alpine");
  check("paved:cache.railway.image", file.cache?.railway?.image, "docker.io/library/redis:7.4-alpine");
}

/** A health check that never reports unhealthy hides a dead container. */
function checkHealthchecks({ file }: GuardContext, problems: string[]): void {
  const command = file.api?.docker?.healthcheck;
  if (!command) return;
  const [mode, ...rest] = command;
  const body = rest.join(" ").trim();
  const trivial = mode.toUpperCase() === "NONE"
    || (mode === "CMD-SHELL" && /^(true|:|exit 0|\/bin\/true)$/.test(body))
    || (mode === "CMD" && /^(true|\/bin\/true|\/usr\/bin\/true)$/.test(body));
  if (trivial) {
    problems.push(`paved:api.docker.healthcheck: a check that can never fail; expected a command that asks the API itself, such as [CMD-SHELL, "wget -qO- http://127.0.0.1:8080/health || exit 1"] (or leave it out for that default)`);
  }
}

const SCHEDULE = "paved:database.docker.backups.schedule";

function checkBackupSchedule({ file }: GuardContext, problems: string[]): void {
  const schedule = file.database?.docker?.backups?.schedule;
  if (!schedule) return;
  const gap = longestGapDays(schedule);
  if (gap === undefined) {
    problems.push(`paved:database.docker.backups.schedule: got ${quote(SCHEDULE, schedule)}, which names no time that exists; expected a schedule that runs at least daily, such as @daily or 0 3 * * *`);
  } else if (gap === Infinity) {
    problems.push(`paved:database.docker.backups.schedule: got ${quote(SCHEDULE, schedule)}, which never runs; expected a schedule that runs at least daily, such as @daily or 0 3 * * *`);
  } else if (gap > 1) {
    problems.push(`paved:database.docker.backups.schedule: got ${quote(SCHEDULE, schedule)}, which leaves up to ${gap} days between dumps; expected at least one a day in production, such as @daily or 0 3 * * *`);
  }
}

const MACROS: Record<string, string> = { "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *", "@weekly": "0 0 * * 0" };

/**
 * The most days between two runs of a cron schedule over two years (one of them leap), Infinity
 * when it never runs, undefined when a field is not one cron understands.
 */
export function longestGapDays(schedule: string): number | undefined {
  const fields = (MACROS[schedule] ?? schedule).trim().split(/\s+/);
  const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const sets = fields.map((f, i) => cronField(f, ...ranges[i]));
  if (sets.some((s) => s === undefined)) return undefined;
  const [minutes, hours, doms, months, dows] = sets as Set<number>[];
  if (dows.has(7)) dows.add(0);
  if (minutes.size === 0 || hours.size === 0) return Infinity;
  const domAny = fields[2] === "*";
  const dowAny = fields[4] === "*";
  const runs: number[] = [];
  const start = Date.UTC(2027, 0, 1);
  for (let day = 0; day < 731; day++) {
    const date = new Date(start + day * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domHit = doms.has(date.getUTCDate());
    const dowHit = dows.has(date.getUTCDay());
    // Cron's rule: with both day fields restricted, either one matching is enough.
    if (domAny && dowAny ? true : domAny ? dowHit : dowAny ? domHit : domHit || dowHit) runs.push(day);
  }
  if (runs.length === 0) return Infinity;
  let gap = runs[0] + 731 - runs[runs.length - 1];
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
  return gap;
}

function cronField(field: string, min: number, max: number): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === "*" ? min : Number(match[2]);
    const to = match[1] === "*" ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : from;
    const step = match[4] ? Number(match[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Names of secrets that are passwords (or carry one): the guides rotate those every 180 days. */
export const PASSWORD_LIKE = /(PASSWORD|PASSWD|DATABASE_URL|_DSN$)/;
/** The longest production may go without rotating a secret: API keys 90 days, passwords 180. */
export const maxRotationDays = (name: string) => (PASSWORD_LIKE.test(name) ? 180 : 90);

function checkRotation({ secrets }: GuardContext, problems: string[]): void {
  for (const [name, spec] of Object.entries(secrets.generate)) {
    if (spec.rotateEveryDays > maxRotationDays(name)) {
      problems.push(`paved:secrets.generate.${name}.rotateEveryDays: got ${spec.rotateEveryDays}; expected at most ${maxRotationDays(name)} days in production (the guides rotate API keys every 90 days, passwords every 180)`);
    }
  }
  for (const [name, spec] of Object.entries(secrets.rotated ?? {})) {
    if (spec.rotateEveryDays > maxRotationDays(name)) {
      problems.push(`paved:secrets.rotated.${name}.rotateEveryDays: got ${spec.rotateEveryDays}; expected at most ${maxRotationDays(name)} days in production (the guides rotate API keys every 90 days, passwords every 180)`);
    }
  }
}

/** The checklist's outage alert: after about 5 minutes down. */
const MAX_DOWN_MINUTES = 5;
/** The guides page at an error rate above 5 %; a higher threshold sleeps through an outage. */
const MAX_ERROR_RATE_PERCENT = 5;
/** A window longer than an hour turns an outage into a footnote. */
const MAX_ALERT_WINDOW_MINUTES = 60;
/** Ten times the guides' p99 of 500 ms. */
const MAX_LATENCY_MS = 5_000;

/** Production's alerts must be able to fire, soon enough, to someone who is woken. */
function checkMonitoring({ file, monitors }: GuardContext, problems: string[]): void {
  const m = file.monitors;
  if (!m || !monitors) return;
  if (m.uptime?.downMinutes !== undefined && m.uptime.downMinutes > MAX_DOWN_MINUTES) {
    problems.push(`paved:monitors.uptime.downMinutes: got ${m.uptime.downMinutes}; expected ${MAX_DOWN_MINUTES} in production (the checklist alerts after about 5 minutes down)`);
  }
  if (m.consecutiveFails !== undefined && m.consecutiveFails > MAX_DOWN_MINUTES) {
    problems.push(`paved:monitors.consecutiveFails: got ${m.consecutiveFails}; expected at most ${MAX_DOWN_MINUTES} in production (one probe a minute: the checklist alerts after about 5 minutes down)`);
  }
  if (m.tiers?.api && m.tiers.api !== "P1") {
    problems.push(`paved:monitors.tiers.api: got ${quote("paved:monitors.tiers.api", m.tiers.api)}; expected P1 in production: the API down is an outage, and only P1 pages`);
  }
  if (m.tiers?.web === "P3") {
    problems.push(`paved:monitors.tiers.web: got "P3"; expected P1 or P2 in production: P3 goes to chat, read in working hours`);
  }
  const p1 = monitors.routes.P1;
  // An empty route is the monitors section's own problem ("expected at least one").
  if (p1.length > 0 && !p1.some((d) => d === "pagerduty" || d === "slack" || d.startsWith("slack:"))) {
    problems.push(`paved:monitors.routes.P1: got ${p1.join(", ")}; expected pagerduty (or at least a Slack destination that notifies) in production: email alone wakes nobody`);
  }
  const sentry = m.sentry;
  if (sentry?.errorRate?.percent !== undefined && sentry.errorRate.percent > MAX_ERROR_RATE_PERCENT) {
    problems.push(`paved:monitors.sentry.errorRate.percent: got ${sentry.errorRate.percent}; expected at most ${MAX_ERROR_RATE_PERCENT} in production (the guides alert above 1 % and page above 5 %)`);
  }
  for (const alert of ["errorRate", "latency"] as const) {
    const window = sentry?.[alert]?.windowMinutes;
    if (window !== undefined && window > MAX_ALERT_WINDOW_MINUTES) {
      problems.push(`paved:monitors.sentry.${alert}.windowMinutes: got ${window}; expected at most ${MAX_ALERT_WINDOW_MINUTES} in production: over a longer window an outage is averaged away before it fires`);
    }
  }
  if (sentry?.latency?.ms !== undefined && sentry.latency.ms > MAX_LATENCY_MS) {
    problems.push(`paved:monitors.sentry.latency.ms: got ${sentry.latency.ms}; expected at most ${MAX_LATENCY_MS} in production (the guides alert at p99 > 500 ms)`);
  }
}

/** `paved:api.env.X`, `paved:web.redirects[0]`. */
function keyOf(path: readonly (string | number)[]): string {
  const [head, ...rest] = path;
  return `paved:${String(head)}` + rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

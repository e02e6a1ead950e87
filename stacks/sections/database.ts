/** `paved:database`: the environment's Postgres. */
import { z } from "zod";
import { DATABASE_PROVIDERS, type DatabaseConfig, type DockerBackups } from "../../components/environment-config";
import { bool, expected, int, text } from "../fields";
import { quote } from "../redact";

export const cidr = z.string(expected("an IPv4 CIDR block such as 203.0.113.0/24"))
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, expected("an IPv4 CIDR block such as 203.0.113.0/24"));

/** An existing object to adopt instead of creating one: a Render id, or a Docker volume's name. */
export const adoptId = z.string(expected("an existing id such as dpg-abc123 or red-abc123 (Render), or a Docker volume name"))
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, expected("an existing id such as dpg-abc123 or red-abc123 (Render), or a Docker volume name"));

/**
 * Extensions a stack can ask for by name. pg_stat_statements (ProjectFlo's guide) must be loaded
 * when the server starts, which only a server paved runs (Docker) can be told; Neon and Render
 * Postgres load it themselves. Creating it in the database is the app's migrations' job.
 */
export const EXTENSIONS = ["pg_stat_statements"] as const;

/** Render workspace plans, which set how far back Render Postgres point-in-time recovery reaches. */
export const RENDER_WORKSPACE_PLANS = ["hobby", "professional", "organization", "enterprise"] as const;

export const database = z.strictObject({
  provider: z.enum(DATABASE_PROVIDERS, expected(`one of ${DATABASE_PROVIDERS.join(", ")}`)),
  name: z.string(expected("a Postgres identifier such as app")).regex(/^[a-z_][a-z0-9_]{0,62}$/, expected("a Postgres identifier such as app")).optional(),
  version: int("a Postgres major version", 14, 18).optional(),
  retentionDays: int("days of point-in-time history", 0, 30).optional(),
  adopt: adoptId.optional(),
  extensions: z.array(z.enum(EXTENSIONS, expected(`one of ${EXTENSIONS.join(", ")}`)), expected("a list of Postgres extensions such as [pg_stat_statements]")).optional(),
  neon: z.strictObject({
    region: z.string(expected("a Neon region id such as aws-eu-central-1")).regex(/^(aws|azure)-[a-z0-9-]+$/, expected("a Neon region id such as aws-eu-central-1")).optional(),
    branchFrom: z.string(expected("a stack reference such as organization/paved/staging"))
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, expected("a stack reference such as organization/paved/staging")).optional(),
    orgId: text("a Neon organization id such as org-abc-123").optional(),
    minCu: z.number(expected("compute units from 0.25 to 56")).min(0.25, expected("compute units from 0.25 to 56")).max(56, expected("compute units from 0.25 to 56")).optional(),
    maxCu: z.number(expected("compute units from 0.25 to 56")).min(0.25, expected("compute units from 0.25 to 56")).max(56, expected("compute units from 0.25 to 56")).optional(),
  }, expected("a map of Neon settings (region, orgId, minCu, maxCu)")).optional(),
  render: z.strictObject({
    ownerId: z.string(expected("a Render workspace id such as tea-abc123")).regex(/^(tea|usr)-[a-z0-9]+$/, expected("a Render workspace id such as tea-abc123")),
    plan: text("a Render Postgres plan such as basic_1gb"),
    workspacePlan: z.enum(RENDER_WORKSPACE_PLANS, expected(`the Render workspace's plan: one of ${RENDER_WORKSPACE_PLANS.join(", ")}`)).optional(),
    region: z.enum(["oregon", "ohio", "virginia", "frankfurt", "singapore"], expected("one of oregon, ohio, virginia, frankfurt, singapore")).optional(),
    diskSizeGb: int("GB", 1, 16_384).optional(),
    highAvailability: bool.optional(),
    allowCidrs: z.array(cidr, expected("a list of CIDR blocks")).optional(),
  }, expected("a map of Render Postgres settings (ownerId, plan, ...)")).optional(),
  docker: z.strictObject({
    image: text("a Postgres image such as postgres:17-alpine").optional(),
    memoryMb: int("MB of memory", 64, 262_144).optional(),
    backups: z.strictObject({
      enabled: bool.optional(),
      schedule: z.string(expected("a cron schedule such as @daily or 0 3 * * *"))
        .regex(/^(@(daily|hourly|weekly|midnight)|(\S+\s+){4}\S+)$/, expected("a cron schedule such as @daily or 0 3 * * *")).optional(),
      keepDays: int("days of dumps to keep", 1, 3650).optional(),
      image: text("a postgres-backup-local image such as prodrigestivill/postgres-backup-local:17").optional(),
      pitr: bool.optional(),
      archiveTimeoutSeconds: int("seconds between forced WAL archives", 60, 3600).optional(),
    }, expected("a map of backup settings (enabled, schedule, keepDays, image, pitr, archiveTimeoutSeconds)")).optional(),
  }, expected("a map of Docker Postgres settings (image, memoryMb, backups)")).optional(),
}, expected("a map of database settings (provider, name, version, ...)"));

export type DatabaseSection = z.infer<typeof database>;


/** Per environment kind: how far back point-in-time restore reaches, and standby replicas. */
export const DATABASE_DEFAULTS = {
  production: { retentionDays: 7, highAvailability: true, maxCu: 2, dumpDays: 7 },
  staging: { retentionDays: 1, highAvailability: false, maxCu: 1, dumpDays: 3 },
  preview: { retentionDays: 0, highAvailability: false, maxCu: 0.5, dumpDays: 0 },
  local: { retentionDays: 0, highAvailability: false, maxCu: 0.25, dumpDays: 0 },
} as const;

/** Days of point-in-time recovery Render gives: none on the free plan, else by workspace plan (render.com/docs/postgresql-backups). */
export function renderRecoveryDays(plan: string, workspacePlan: string): number {
  if (plan === "free") return 0;
  return workspacePlan === "hobby" ? 3 : 7;
}

/** Adopted ids by provider: what each names. */
const ADOPT_IDS: Record<string, [RegExp, string]> = {
  render: [/^dpg-[a-z0-9]+(-[a-z])?$/, "a Render Postgres id such as dpg-abc123"],
  docker: [/^[A-Za-z0-9][A-Za-z0-9_.-]+$/, "the name of the existing Docker volume that holds the data"],
};

export function resolveDatabase(
  section: DatabaseSection, ctx: { kind: keyof typeof DATABASE_DEFAULTS; stack: string; product: string }, problems: string[],
): DatabaseConfig {
  const defaults = DATABASE_DEFAULTS[ctx.kind];
  const settings = section[section.provider];
  if (!settings && section.provider !== "docker") problems.push(`paved:database.${section.provider}: missing; expected the ${section.provider} settings for database.provider ${section.provider}`);
  for (const other of DATABASE_PROVIDERS) {
    if (other !== section.provider && section[other]) problems.push(`paved:database.${other}: set while database.provider is ${section.provider}; expected only paved:database.${section.provider}`);
  }
  if (ctx.kind === "local" && section.provider !== "docker") problems.push(`paved:database.provider: got ${quote("paved:database.provider", section.provider)}; expected docker for local stacks`);
  const render = section.render;
  const workspacePlan = render?.workspacePlan ?? "professional";
  const window = render ? renderRecoveryDays(render.plan, workspacePlan) : undefined;
  // Render's window is what the plan gives; the free plan's lack of one is the database-retention policy's to report.
  const retentionDays = section.retentionDays ?? (window === undefined ? defaults.retentionDays : Math.min(window, defaults.retentionDays));
  if ((section.provider === "neon" || section.retentionDays !== undefined) && ctx.kind === "production" && retentionDays < 7) {
    problems.push(`paved:database.retentionDays: got ${retentionDays}; expected at least 7 days of point-in-time history in production`);
  }
  if (render && render.plan !== "free" && section.retentionDays === undefined && ctx.kind === "production" && workspacePlan === "hobby") {
    problems.push(`paved:database.render.workspacePlan: got "hobby"; expected professional or higher in production (a hobby workspace keeps 3 days of point-in-time recovery; production needs 7)`);
  }
  if (render && window !== undefined && section.retentionDays !== undefined && section.retentionDays > window) {
    problems.push(window === 0
      ? `paved:database.retentionDays: got ${section.retentionDays}; expected 0 for Render plan "free", which has no point-in-time recovery (choose a paid plan)`
      : `paved:database.retentionDays: got ${section.retentionDays}; expected at most ${window} for Render plan "${render.plan}" in a ${workspacePlan} workspace (Render's point-in-time recovery window)`);
  }
  if (section.retentionDays !== undefined && section.provider === "docker") {
    problems.push(`paved:database.retentionDays: set for docker; expected paved:database.docker.backups.keepDays instead (the days a Docker Postgres keeps dumps and point-in-time recovery)`);
  }
  const backups = section.provider === "docker" ? resolveBackups(section, defaults.dumpDays, ctx.kind, problems) : undefined;
  if (section.adopt !== undefined) {
    const rule = ADOPT_IDS[section.provider];
    if (!rule) problems.push(`paved:database.adopt: set for ${section.provider}; expected it only for render or docker (a Neon database is adopted by importing its project, role and database by hand)`);
    else if (!rule[0].test(section.adopt)) problems.push(`paved:database.adopt: got ${quote("paved:database.adopt", section.adopt)}; expected ${rule[1]}`);
  }
  const neon = section.neon;
  if (neon && !neon.region && !neon.branchFrom) {
    problems.push(`paved:database.neon.region: missing; expected a Neon region id such as aws-eu-central-1 (or neon.branchFrom to branch another stack's project)`);
  }
  if (neon?.branchFrom) {
    if (ctx.kind === "production") problems.push(`paved:database.neon.branchFrom: got ${quote("paved:database.neon.branchFrom", neon.branchFrom)}; expected production to own its project (branches are for staging and previews)`);
    if (neon.region) problems.push(`paved:database.neon.region: set with neon.branchFrom; expected one of them (a branch lives in its parent's region)`);
    if (section.retentionDays !== undefined) problems.push(`paved:database.retentionDays: set with neon.branchFrom; expected it on the parent stack, whose project keeps the history`);
  }
  if (neon?.minCu !== undefined && neon.maxCu !== undefined && neon.minCu > neon.maxCu) {
    problems.push(`paved:database.neon.minCu: got ${neon.minCu}; expected at most maxCu (${neon.maxCu})`);
  }
  return {
    provider: section.provider,
    name: section.name ?? "app",
    instanceName: `${ctx.product}-${ctx.stack}`,
    version: section.version ?? 17,
    retentionDays,
    neon: neon && { region: neon.region, branchFrom: neon.branchFrom, orgId: neon.orgId, minCu: neon.minCu ?? 0.25, maxCu: neon.maxCu ?? Math.max(defaults.maxCu, neon.minCu ?? 0.25) },
    adopt: section.adopt,
    extensions: section.extensions ?? [],
    render: section.render && {
      ownerId: section.render.ownerId, plan: section.render.plan, workspacePlan, region: section.render.region ?? "oregon",
      diskSizeGb: section.render.diskSizeGb, highAvailability: section.render.highAvailability ?? defaults.highAvailability,
      allowCidrs: section.render.allowCidrs ?? [],
    },
    docker: section.provider === "docker" ? {
      image: section.docker?.image ?? `postgres:${section.version ?? 17}-alpine`, memoryMb: section.docker?.memoryMb ?? 512, backups,
      preload: section.extensions ?? [],
    } : undefined,
  };
}

/** Point-in-time recovery is on by default where it is asked for; an hour's RPO at most. */
const PITR_KINDS: readonly string[] = ["production", "staging"];
const ARCHIVE_TIMEOUT_SECONDS = 3600;

/**
 * Scheduled dumps of a Docker Postgres: on by default where the kind keeps dumps, or when the section is given;
 * with them, point-in-time recovery over the same `keepDays` in production and staging unless `pitr: false`.
 */
function resolveBackups(section: DatabaseSection, dumpDays: number, kind: string, problems: string[]): DockerBackups | undefined {
  const given = section.docker?.backups;
  const enabled = given?.enabled ?? (given !== undefined || dumpDays > 0);
  if (!enabled) {
    if (kind === "production") problems.push(`paved:database.docker.backups.enabled: got false; expected scheduled dumps in production`);
    if (given?.pitr === true) problems.push(`paved:database.docker.backups.pitr: got true with backups.enabled false; expected backups on for point-in-time recovery (or pitr: false)`);
    return undefined;
  }
  const pitr = given?.pitr ?? PITR_KINDS.includes(kind);
  if (!pitr && given?.archiveTimeoutSeconds !== undefined) {
    problems.push(`paved:database.docker.backups.archiveTimeoutSeconds: got ${given.archiveTimeoutSeconds} with pitr off; expected it only with paved:database.docker.backups.pitr on`);
  }
  const keepDays = given?.keepDays ?? Math.max(dumpDays, 1);
  if (kind === "production" && keepDays < 7) {
    problems.push(`paved:database.docker.backups.keepDays: got ${keepDays}; expected at least 7 days of dumps in production`);
  }
  const version = section.version ?? 17;
  return {
    schedule: given?.schedule ?? "@daily", keepDays, image: given?.image ?? `prodrigestivill/postgres-backup-local:${version}`,
    pitr: pitr ? { archiveTimeoutSeconds: given?.archiveTimeoutSeconds ?? ARCHIVE_TIMEOUT_SECONDS } : undefined,
  };
}

/** `paved:database`: the environment's Postgres. */
import { z } from "zod";
import { DATABASE_PROVIDERS, type DatabaseConfig } from "../../components/environment-config";
import { bool, expected, int, text } from "../fields";

const cidr = z.string(expected("an IPv4 CIDR block such as 203.0.113.0/24"))
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, expected("an IPv4 CIDR block such as 203.0.113.0/24"));

export const database = z.strictObject({
  provider: z.enum(DATABASE_PROVIDERS, expected(`one of ${DATABASE_PROVIDERS.join(", ")}`)),
  name: z.string(expected("a Postgres identifier such as app")).regex(/^[a-z_][a-z0-9_]{0,62}$/, expected("a Postgres identifier such as app")).optional(),
  version: int("a Postgres major version", 14, 18).optional(),
  retentionDays: int("days of point-in-time history", 0, 30).optional(),
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
    region: z.enum(["oregon", "ohio", "virginia", "frankfurt", "singapore"], expected("one of oregon, ohio, virginia, frankfurt, singapore")).optional(),
    diskSizeGb: int("GB", 1, 16_384).optional(),
    highAvailability: bool.optional(),
    allowCidrs: z.array(cidr, expected("a list of CIDR blocks")).optional(),
  }, expected("a map of Render Postgres settings (ownerId, plan, ...)")).optional(),
  docker: z.strictObject({
    image: text("a Postgres image such as postgres:17-alpine").optional(),
    memoryMb: int("MB of memory", 64, 262_144).optional(),
  }, expected("a map of Docker Postgres settings (image, memoryMb)")).optional(),
}, expected("a map of database settings (provider, name, version, ...)"));

export type DatabaseSection = z.infer<typeof database>;


/** Per environment kind: how far back point-in-time restore reaches, and standby replicas. */
export const DATABASE_DEFAULTS = {
  production: { retentionDays: 7, highAvailability: true, maxCu: 2 },
  staging: { retentionDays: 1, highAvailability: false, maxCu: 1 },
  preview: { retentionDays: 0, highAvailability: false, maxCu: 0.5 },
  local: { retentionDays: 0, highAvailability: false, maxCu: 0.25 },
} as const;

export function resolveDatabase(
  section: DatabaseSection, ctx: { kind: keyof typeof DATABASE_DEFAULTS; stack: string; product: string }, problems: string[],
): DatabaseConfig {
  const defaults = DATABASE_DEFAULTS[ctx.kind];
  const settings = section[section.provider];
  if (!settings && section.provider !== "docker") problems.push(`paved:database.${section.provider}: missing; expected the ${section.provider} settings for database.provider ${section.provider}`);
  for (const other of DATABASE_PROVIDERS) {
    if (other !== section.provider && section[other]) problems.push(`paved:database.${other}: set while database.provider is ${section.provider}; expected only paved:database.${section.provider}`);
  }
  if (ctx.kind === "local" && section.provider !== "docker") problems.push(`paved:database.provider: got "${section.provider}"; expected docker for local stacks`);
  const retentionDays = section.retentionDays ?? defaults.retentionDays;
  if (ctx.kind === "production" && retentionDays < 7) {
    problems.push(`paved:database.retentionDays: got ${retentionDays}; expected at least 7 days of point-in-time history in production`);
  }
  if (section.retentionDays !== undefined && section.provider !== "neon") {
    problems.push(`paved:database.retentionDays: set for ${section.provider}; expected it only for neon (Render's window follows the plan; Docker has none)`);
  }
  const neon = section.neon;
  if (neon && !neon.region && !neon.branchFrom) {
    problems.push(`paved:database.neon.region: missing; expected a Neon region id such as aws-eu-central-1 (or neon.branchFrom to branch another stack's project)`);
  }
  if (neon?.branchFrom) {
    if (ctx.kind === "production") problems.push(`paved:database.neon.branchFrom: got "${neon.branchFrom}"; expected production to own its project (branches are for staging and previews)`);
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
    render: section.render && {
      ownerId: section.render.ownerId, plan: section.render.plan, region: section.render.region ?? "oregon",
      diskSizeGb: section.render.diskSizeGb, highAvailability: section.render.highAvailability ?? defaults.highAvailability,
      allowCidrs: section.render.allowCidrs ?? [],
    },
    docker: section.provider === "docker" ? {
      image: section.docker?.image ?? `postgres:${section.version ?? 17}-alpine`, memoryMb: section.docker?.memoryMb ?? 512,
    } : undefined,
  };
}

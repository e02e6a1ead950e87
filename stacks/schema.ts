/**
 * The zod schema of a paved stack file: one entry per `paved:` config key. Every leaf
 * carries the "expected ..." half of its error message; `config.ts` adds the key path and
 * the offending value, so each problem reads as one line.
 */
import { z } from "zod";
import { BRANCH, bool, cloudflareId, envName, expected, hostname, int, relativeDir, text } from "./fields";
import { api } from "./sections/api";
import { database } from "./sections/database";
import { github } from "./sections/github";
import { monitors } from "./sections/monitors";

export const KINDS = ["production", "staging", "preview", "local"] as const;
export type Kind = (typeof KINDS)[number];

export const kind = z.enum(KINDS, expected(`one of ${KINDS.join(", ")}`));
export const branch = z
  .string(expected("a git branch name such as main"))
  .regex(BRANCH, expected("a git branch name such as main"));
export const repository = z
  .string(expected("owner/name of a GitHub repository"))
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, expected("owner/name of a GitHub repository"));

/** Vercel framework presets paved knows; a typo here would silently build nothing. */
export const FRAMEWORKS = [
  "vite", "nextjs", "remix", "react-router", "astro", "sveltekit-1", "nuxtjs",
  "create-react-app", "gatsby", "angular", "vue", "solidstart-1", "hono",
] as const;

export const web = z.strictObject({
  teamId: z.string(expected("a Vercel team id such as team_abc123")).regex(/^team_[A-Za-z0-9]+$/, expected("a Vercel team id such as team_abc123")),
  projectName: z.string(expected("a Vercel project name: lowercase letters, digits, '.', '_', '-' (at most 100)"))
    .regex(/^(?!.*---)[a-z0-9._-]{1,100}$/, expected("a Vercel project name: lowercase letters, digits, '.', '_', '-' (at most 100)"))
    .optional(),
  framework: z.enum(FRAMEWORKS, expected(`one of ${FRAMEWORKS.join(", ")}`)),
  rootDirectory: relativeDir.optional(),
  buildCommand: text("a shell command").optional(),
  installCommand: text("a shell command").optional(),
  outputDirectory: relativeDir.optional(),
  nodeVersion: z.enum(["20.x", "22.x", "24.x"], expected("one of 20.x, 22.x, 24.x")).optional(),
  domain: hostname().optional(),
  env: z.record(envName, z.string(expected("a plain string value"))).optional(),
  secretEnv: z.array(envName, expected("a list of secret names")).optional(),
  protection: z.enum(["standard", "all", "none"], expected("one of standard, all, none")).optional(),
}, expected("a map of web host settings (teamId, framework, ...)"));

export const cdn = z.strictObject({
  zoneId: cloudflareId("Cloudflare zone id"),
  accountId: cloudflareId("Cloudflare account id"),
  ownsZone: bool.optional(),
  hsts: z.strictObject({
    maxAge: int("seconds", 15_552_000, 63_072_000).optional(),
    preload: bool.optional(),
  }, expected("an object with maxAge and preload")).optional(),
  headers: z.strictObject({
    contentSecurityPolicy: text("a Content-Security-Policy value").optional(),
    permissionsPolicy: text("a Permissions-Policy value").optional(),
    referrerPolicy: z.enum(
      ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"],
      expected("one of no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin"),
    ).optional(),
    frameOptions: z.enum(["DENY", "SAMEORIGIN"], expected("DENY or SAMEORIGIN")).optional(),
  }, expected("an object of security header values")).optional(),
  rateLimit: z.strictObject({
    requestsPerPeriod: int("requests", 1, 1_000_000).optional(),
    period: z.union([10, 60, 120, 300, 600, 3600].map((n) => z.literal(n)), expected("one of 10, 60, 120, 300, 600, 3600 (seconds)")).optional(),
    mitigationTimeout: int("seconds", 0, 86_400).optional(),
    otherHostsRequestsPerPeriod: int("requests", 1, 1_000_000).optional(),
  }, expected("an object with requestsPerPeriod, period, mitigationTimeout")).optional(),
  cacheStaticAssets: bool.optional(),
}, expected("a map of CDN settings (zoneId, accountId, ...)"));

export const generatedSecret = z.strictObject({
  length: int("characters", 24, 256),
  special: bool.optional(),
  rotation: text("a rotation label such as 2026-11").optional(),
}, expected("an object with length (and optionally special, rotation)"));

export const secrets = z.strictObject({
  rotation: text("a rotation label such as 2026-11"),
  generate: z.record(envName, generatedSecret, expected("a map of secret name to { length }")).optional(),
  fromConfig: z.array(envName, expected("a list of secret names")).optional(),
}, expected("a map with rotation, generate and fromConfig"));

/** The `paved:` keys a stack file may set, besides the secrets `secrets.fromConfig` names. */
export const stackFile = z.strictObject({
  kind: kind.optional(),
  branch: branch.optional(),
  domain: hostname("the zone's apex domain, such as example.com").optional(),
  repository: repository.optional(),
  web: web.optional(),
  cdn: cdn.optional(),
  secrets: secrets.optional(),
  api: api.optional(),
  database: database.optional(),
  github: github.optional(),
  monitors: monitors.optional(),
});
export type StackFile = z.infer<typeof stackFile>;

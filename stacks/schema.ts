/**
 * The zod schema of a paved stack file: one entry per `paved:` config key. Every leaf
 * carries the "expected ..." half of its error message; `config.ts` adds the key path and
 * the offending value, so each problem reads as one line.
 */
import { z } from "zod";
import { BRANCH, bool, envName, expected, hostname, int, text } from "./fields";
import { api } from "./sections/api";
import { cache } from "./sections/cache";
import { cdn } from "./sections/cdn";
import { cost } from "./sections/cost";
import { database } from "./sections/database";
import { delivery } from "./sections/delivery";
import { doppler } from "./sections/doppler";
import { github } from "./sections/github";
import { logs } from "./sections/logs";
import { monitors } from "./sections/monitors";
import { policy } from "./sections/policy";
import { web } from "./sections/web";

import { KINDS } from "../components/environment-config";

export { KINDS };
export type { Kind } from "../components/environment-config";

export const kind = z.enum(KINDS, expected(`one of ${KINDS.join(", ")}`));
export const branch = z
  .string(expected("a git branch name such as main"))
  .regex(BRANCH, expected("a git branch name such as main"));
export const repository = z
  .string(expected("owner/name of a GitHub repository"))
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, expected("owner/name of a GitHub repository"));

export const generatedSecret = z.strictObject({
  length: int("characters", 24, 256),
  special: bool.optional(),
  rotation: text("a rotation label such as 2026-11").optional(),
  rotateEveryDays: int("days", 1, 730).optional(),
}, expected("an object with length (and optionally special, rotation, rotateEveryDays)"));

export const secrets = z.strictObject({
  rotation: text("a rotation label such as 2026-11"),
  generate: z.record(envName, generatedSecret, expected("a map of secret name to { length }")).optional(),
  fromConfig: z.array(envName, expected("a list of secret names")).optional(),
  rotated: z.record(envName, z.strictObject({
    rotation: text("the date it was last rotated, such as 2026-11 or 2026-11-03"),
    rotateEveryDays: int("days", 1, 730).optional(),
  }, expected("an object with rotation (and optionally rotateEveryDays)")), expected("a map of secret name to { rotation }")).optional(),
}, expected("a map with rotation, generate, fromConfig and rotated"));

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
  cache: cache.optional(),
  github: github.optional(),
  monitors: monitors.optional(),
  policy: policy.optional(),
  delivery: delivery.optional(),
  logs: logs.optional(),
  doppler: doppler.optional(),
  cost: cost.optional(),
});
export type StackFile = z.infer<typeof stackFile>;

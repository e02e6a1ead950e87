/**
 * `paved:doppler`: a Doppler project and config that hold a copy of every secret of the stack,
 * written on each `pulumi up` beside what the hosts get (PlanningOS keeps every secret in Doppler).
 */
import { z } from "zod";
import type { DopplerConfig, Kind } from "../../components/environment-config";
import { expected } from "../fields";

const SLUG = /^[a-z0-9][a-z0-9_-]{0,59}$/;
const slug = (what: string) => z.string(expected(what)).regex(SLUG, expected(what));

export const doppler = z.strictObject({
  project: slug("a Doppler project slug such as planningos"),
  config: slug("a Doppler config such as prd, stg or stg_pr-42").optional(),
}, expected("a map with project and config"));

export type DopplerSection = z.infer<typeof doppler>;

/** The root configs Doppler makes with every project, by the kind of stack that writes them. */
export const DOPPLER_CONFIGS: Partial<Record<Kind, string>> = { production: "prd", staging: "stg" };

export function resolveDoppler(section: DopplerSection, kind: Kind, problems: string[]): DopplerConfig {
  const config = section.config ?? DOPPLER_CONFIGS[kind];
  if (!config) problems.push(`paved:doppler.config: missing; expected the Doppler config a ${kind} stack writes, such as stg_pr-42 (a branch config of stg)`);
  return { project: section.project, config: config ?? "" };
}

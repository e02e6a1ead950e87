/**
 * `paved:logs`: where the environment's logs go and how long they are kept. `axiom` plans the
 * dataset with its retention and a drain from each host that can send there; `host` leaves the
 * logs with the platform that runs the service (ProjectFlo's "aggregated on Render").
 */
import { z } from "zod";
import { LOG_SINKS, type ApiConfig, type Kind, type LogsConfig, type WebConfig } from "../../components/environment-config";
import { AXIOM_DATASET_NAME, MAX_RETENTION_DAYS } from "../../components/providers/axiom";
import { envName, expected, int, text } from "../fields";
import { quote } from "../redact";

const DATASET_HINT = "an Axiom dataset name: up to 80 letters, digits, '-', '_' or '.', such as planningos-production";

export const logs = z.strictObject({
  sink: z.enum(LOG_SINKS, expected(`one of ${LOG_SINKS.join(", ")}`)),
  dataset: z.string(expected(DATASET_HINT)).regex(AXIOM_DATASET_NAME, expected(DATASET_HINT)).optional(),
  retentionDays: int("days", 1, MAX_RETENTION_DAYS).optional(),
  ingestTokenSecret: envName.optional(),
  fly: z.strictObject({
    accessTokenSecret: envName,
    image: text("an image reference such as docker.io/flyio/log-shipper:auto-a14aa63").optional(),
  }, expected("a map with accessTokenSecret (a read-only Fly.io token's secret) and optionally image")).optional(),
}, expected("a map with sink, dataset, retentionDays, ingestTokenSecret and fly"));

export type LogsSection = z.infer<typeof logs>;

/** Days a dataset keeps events when the stack file does not say. */
export const RETENTION_DAYS: Record<Kind, number> = { production: 30, staging: 14, preview: 3, local: 1 };

/** Settings that mean something only for the axiom sink. */
const AXIOM_ONLY = ["dataset", "retentionDays", "ingestTokenSecret", "fly"] as const;

export function resolveLogs(
  section: LogsSection,
  ctx: { kind: Kind; stack: string; product: string; declared: readonly string[]; web?: WebConfig; api?: ApiConfig },
  problems: string[],
): LogsConfig {
  if (section.sink === "host") {
    for (const key of AXIOM_ONLY) {
      if (section[key] !== undefined) problems.push(`paved:logs.${key}: set while logs.sink is host; expected it only with sink axiom (the host keeps its logs as its plan says)`);
    }
    return { sink: "host" };
  }
  const secret = (key: string, name: string | undefined, what: string) => {
    if (name === undefined) problems.push(`paved:logs.${key}: missing; expected the name of ${what}, listed in paved:secrets.fromConfig`);
    else if (!ctx.declared.includes(name)) problems.push(`paved:logs.${key}: got ${quote(`paved:logs.${key}`, name)}; expected a secret named in paved:secrets.fromConfig`);
  };
  secret("ingestTokenSecret", section.ingestTokenSecret, "the secret that holds an Axiom ingest token");
  if (ctx.api?.host === "fly") secret("fly.accessTokenSecret", section.fly?.accessTokenSecret, "the secret that holds a read-only Fly.io token for the log shipper");
  else if (section.fly) problems.push(`paved:logs.fly: set while api.host is ${ctx.api?.host ?? "not set"}; expected it only with api.host fly`);
  return {
    sink: "axiom",
    dataset: section.dataset ?? `${ctx.product}-${ctx.stack}`,
    retentionDays: section.retentionDays ?? RETENTION_DAYS[ctx.kind],
    ingestTokenSecret: section.ingestTokenSecret ?? "",
    fly: ctx.api?.host === "fly" && section.fly ? { accessTokenSecret: section.fly.accessTokenSecret, image: section.fly.image ?? FLY_LOG_SHIPPER } : undefined,
  };
}

/** Fly.io's log shipper (its org's log stream over NATS in, Vector out), at the build `fly logs shipper` launches. */
export const FLY_LOG_SHIPPER = "docker.io/flyio/log-shipper:auto-a14aa63";

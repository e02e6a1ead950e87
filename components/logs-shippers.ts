/**
 * What the log drains send and run: Axiom's ingest URL, the Fly.io log shipper's settings and
 * the Vector config of the shipper container beside Docker workloads. Pure, so tests read them whole.
 */

/** Axiom's ingest endpoint for a dataset: JSON arrays and NDJSON, with an ingest token as Bearer. */
export const axiomIngestUrl = (dataset: string) => `https://api.axiom.co/v1/datasets/${encodeURIComponent(dataset)}/ingest`;

/** Every source of a Vercel deployment's logs, as Vercel's log drains name them. */
export const VERCEL_LOG_SOURCES = ["build", "edge", "external", "firewall", "lambda", "redirect", "static"] as const;

/** Vector's health API inside the Fly.io log shipper: its machine's check. */
export const SHIPPER_HEALTH_PORT = 8686;

/** Vector, for the shipper container beside Docker workloads. */
export const VECTOR_IMAGE = "docker.io/timberio/vector:0.47.0-alpine";
/** Where the Vector config is uploaded in its container. */
export const VECTOR_CONFIG_PATH = "/etc/vector/vector.yaml";

/** The Fly.io log shipper's plain settings: its org, the one app whose logs it reads, the dataset. */
export function flyShipperEnv(org: string, sourceApp: string, dataset: string): Record<string, string> {
  // NATS subjects are logs.<app>.<region>.<instance>: one app, every region and machine.
  return { ORG: org, SUBJECT: `logs.${sourceApp}.>`, AXIOM_DATASET: dataset };
}

/**
 * Vector's config: the named containers' logs from the Docker engine, to the Axiom dataset. The
 * token is read from the container's environment when Vector starts, so the file holds no secret.
 */
export function vectorConfig(containers: readonly string[], dataset: string): string {
  return [
    "# Written by paved: the stack's containers' logs, shipped to Axiom.",
    "sources:",
    "  containers:",
    "    type: docker_logs",
    `    include_containers: [${containers.map((c) => JSON.stringify(c)).join(", ")}]`,
    "sinks:",
    "  axiom:",
    "    type: axiom",
    "    inputs: [containers]",
    `    dataset: ${JSON.stringify(dataset)}`,
    '    token: "${AXIOM_TOKEN}"',
    "",
  ].join("\n");
}

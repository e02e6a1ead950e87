import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { PavedInputError } from "./errors";
import { axiomIngestUrl, flyShipperEnv, SHIPPER_HEALTH_PORT, VECTOR_CONFIG_PATH, VECTOR_IMAGE, vectorConfig, VERCEL_LOG_SOURCES } from "./logs-shippers";
import { AxiomDataset } from "./resources/axiom";
import { FlyApp, FlyMachine, FlySecrets } from "./resources/fly";

/** A Vercel project whose deployments drain to the dataset. */
export interface VercelDrain {
  /** Vercel team that owns the project. */
  teamId: string;
  /** The project whose logs drain, e.g. the WebHost's `projectId`. */
  projectId: pulumi.Input<string>;
}

/** Fly.io's log shipper: an app of its own that reads one app's logs from the org's log stream. */
export interface FlyDrain {
  /** Fly.io organization slug, e.g. "planningos". */
  org: string;
  /** The app whose logs are shipped, e.g. "planningos-api-production". */
  sourceApp: string;
  /** The shipper's own app name, globally unique, e.g. "planningos-logs-production". */
  appName: string;
  /** Region its one machine runs in, e.g. "cdg". */
  region: string;
  /** A read-only Fly.io token the shipper reads the log stream with (secret). */
  accessToken: pulumi.Input<string>;
  /** The shipper's image, e.g. "docker.io/flyio/log-shipper:auto-a14aa63". */
  image: string;
}

/** Vector in a container on the stack's Docker engine, reading the named containers' logs. */
export interface DockerDrain {
  /** The engine the workloads run on. */
  provider: docker.Provider;
  /** The shipper container's name, e.g. "lifeos-logs-production". */
  containerName: string;
  /** Containers whose logs ship, by name, e.g. ["lifeos-api-production"]. */
  containers: string[];
}

export interface LogsArgs {
  /** Axiom dataset the logs go to, e.g. "planningos-production". */
  dataset: string;
  /** Days Axiom keeps each event, e.g. 30. */
  retentionDays: number;
  /** An Axiom ingest token for the drains; wrapped as a secret wherever it goes. */
  ingestToken: pulumi.Input<string>;
  /** Protect the dataset and keep it when the stack is destroyed (production). @default false */
  protect?: boolean;
  /** Vercel projects to drain. @default none */
  vercel?: VercelDrain;
  /** The Fly.io log shipper. @default none */
  fly?: FlyDrain;
  /** The shipper container beside Docker workloads. @default none */
  docker?: DockerDrain;
}

/**
 * The environment's logs in one Axiom dataset with its retention, and a drain from each host
 * that can send there: a Vercel log drain, Fly.io's log shipper, Vector beside Docker containers.
 */
export class Logs extends pulumi.ComponentResource {
  static readonly TYPE = "paved:logs:Logs";
  /** The dataset's name, which Axiom makes its id. */
  readonly dataset: pulumi.Output<string>;

  constructor(name: string, args: LogsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Logs.TYPE, name, {}, opts);
    const token = pulumi.secret(args.ingestToken);
    const dataset = this.createDataset(name, args);
    if (args.vercel) this.createVercelDrain(name, args.vercel, args.dataset, token, dataset);
    if (args.fly) this.createFlyShipper(name, args.fly, args.dataset, token, dataset);
    if (args.docker) this.createDockerShipper(name, args.docker, args.dataset, token, dataset);
    this.dataset = dataset.datasetId;
    this.registerOutputs({ dataset: this.dataset });
  }

  private createDataset(name: string, args: LogsArgs): AxiomDataset {
    const keep = args.protect ? { protect: true, retainOnDelete: true } : {};
    return new AxiomDataset(`${name}-dataset`, {
      name: args.dataset, retentionDays: args.retentionDays, kind: "axiom:events:v1", description: `Logs of ${args.dataset}, shipped by paved's drains`,
    }, { parent: this, ...keep });
  }

  private createVercelDrain(name: string, v: VercelDrain, datasetName: string, token: pulumi.Output<string>, dataset: AxiomDataset): void {
    new vercel.LogDrain(`${name}-vercel`, {
      teamId: v.teamId,
      name: datasetName,
      projectIds: [v.projectId],
      // The stack's project is its own: every deployment of it is this environment's.
      environments: ["production", "preview"],
      sources: [...VERCEL_LOG_SOURCES],
      deliveryFormat: "json",
      // The dataset's id in the URL: the drain waits for the dataset it sends to.
      endpoint: dataset.datasetId.apply(axiomIngestUrl),
      headers: pulumi.secret(pulumi.interpolate`Bearer ${token}`.apply((authorization) => ({ Authorization: authorization }))),
    }, { parent: this });
  }

  private createFlyShipper(name: string, f: FlyDrain, datasetName: string, token: pulumi.Output<string>, dataset: AxiomDataset): void {
    const opts = { parent: this };
    const app = new FlyApp(`${name}-fly-app`, { name: f.appName, orgSlug: f.org }, opts);
    const secrets = new FlySecrets(`${name}-fly-secrets`, {
      app: app.id, values: { ACCESS_TOKEN: pulumi.secret(f.accessToken), AXIOM_TOKEN: token },
    }, opts);
    new FlyMachine(`${name}-fly-${f.region}`, {
      app: app.id, name: `${f.appName}-${f.region}-1`, region: f.region,
      config: {
        image: f.image,
        env: flyShipperEnv(f.org, f.sourceApp, datasetName),
        guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
        // No services: it serves nothing, it only reads the org's log stream and sends.
        checks: { vector: { type: "http", port: SHIPPER_HEALTH_PORT, path: "/health", interval: "30s", timeout: "5s" } },
        // The secrets' version rolls the machine when a token changes; the dataset's id starts it only once there is one.
        metadata: pulumi.all([secrets.version, dataset.datasetId]).apply(([version, id]) => ({ paved_stack: pulumi.getStack(), paved_secrets_version: String(version), paved_dataset: id })),
      },
    }, opts);
  }

  private createDockerShipper(name: string, d: DockerDrain, datasetName: string, token: pulumi.Output<string>, dataset: AxiomDataset): void {
    new docker.Container(`${name}-vector`, {
      name: d.containerName,
      image: VECTOR_IMAGE,
      command: ["--config", VECTOR_CONFIG_PATH],
      restart: "unless-stopped",
      memory: 128,
      uploads: [{ file: VECTOR_CONFIG_PATH, content: dataset.datasetId.apply((id) => vectorConfig(d.containers, id)) }],
      // Read-only: Vector only lists containers and follows their logs.
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }],
      envs: [pulumi.secret(pulumi.interpolate`AXIOM_TOKEN=${token}`)],
      labels: [{ label: "paved.dataset", value: datasetName }],
    }, { parent: this, provider: d.provider });
  }
}

function validate(name: string, args: LogsArgs): void {
  const problems: string[] = [];
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
    problems.push(`Logs "${name}": retentionDays is ${args.retentionDays}; expected a whole number of days, at least 1`);
  }
  if (args.docker && args.docker.containers.length === 0) {
    problems.push(`Logs "${name}": docker.containers is empty; expected the names of the containers whose logs ship`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

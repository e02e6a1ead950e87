import * as pulumi from "@pulumi/pulumi";
import { PavedResource } from "./resource";

/** One allowed source network for a Render Postgres instance. */
export interface IpAllowEntry {
  cidrBlock: string;
  description: string;
}

/** Render's `maxmemoryPolicy` values. */
export const MAXMEMORY_POLICIES = [
  "noeviction", "allkeys_lfu", "allkeys_lru", "allkeys_random", "volatile_lfu", "volatile_lru", "volatile_random", "volatile_ttl",
] as const;

/** Render's autoscaling config, in paved's terms: Render's `criteria` are the two targets. */
export interface RenderAutoscaling {
  min: number;
  max: number;
  /** Average CPU use to aim at, in percent. @default not a criterion */
  cpuPercent?: number;
  /** Average memory use to aim at, in percent. @default not a criterion */
  memoryPercent?: number;
}

/** A Render web service, built from an image or a repository. */
export interface RenderServiceArgs {
  /** Workspace (owner) id, e.g. "tea-abc123". Changing it replaces the service. */
  ownerId: pulumi.Input<string>;
  /** Service name, unique in the workspace; lowercase letters, digits and dashes. */
  name: pulumi.Input<string>;
  /** Render region; changing it replaces the service. @default "oregon" */
  region?: pulumi.Input<string>;
  /** Instance plan, e.g. "starter", "standard". @default "starter" */
  plan?: pulumi.Input<string>;
  /** Instances to run; changed through Render's scale call. @default 1 */
  numInstances?: pulumi.Input<number>;
  /**
   * Render's autoscaling: between `min` and `max` instances, aiming at the CPU and memory
   * percentages given (either may be left out). Replaces `numInstances` while set. @default off
   */
  autoscaling?: pulumi.Input<RenderAutoscaling>;
  /** Path Render polls for health, e.g. "/health". @default none */
  healthCheckPath?: pulumi.Input<string>;
  /** Command run before each deploy, e.g. migrations. @default none */
  preDeployCommand?: pulumi.Input<string>;
  /** Prebuilt image to run; exclusive with `repo`. @default none */
  image?: pulumi.Input<{ imagePath: pulumi.Input<string>; registryCredentialId?: pulumi.Input<string> }>;
  /** Git repository URL to build; exclusive with `image`. @default none */
  repo?: pulumi.Input<string>;
  /** Branch of `repo` to deploy. @default the repository's default branch */
  branch?: pulumi.Input<string>;
  /** Directory inside `repo` the service builds from, e.g. "packages/backend". @default repository root */
  rootDir?: pulumi.Input<string>;
  /** Runtime; "image" for image-backed services. @default "image" with `image`, else "node" */
  runtime?: pulumi.Input<string>;
  /** Build command for native runtimes, e.g. "npm ci && npm run build". @default none */
  buildCommand?: pulumi.Input<string>;
  /** Start command for native runtimes, e.g. "node dist/server.js". @default none */
  startCommand?: pulumi.Input<string>;
  /** Environment variables; values are secret and the set replaces all of the service's. @default {} */
  envVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Custom domains served by the service. @default [] */
  customDomains?: pulumi.Input<pulumi.Input<string>[]>;
  /** Deploy on every push to `branch`. @default true */
  autoDeploy?: pulumi.Input<boolean>;
}

/** A Render web service managed through Render's REST API. */
export class RenderService extends PavedResource {
  declare readonly serviceId: pulumi.Output<string>;
  /** The service's onrender.com URL. */
  declare readonly url: pulumi.Output<string>;
  declare readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: RenderServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super("render:Service", name, { ...args, serviceId: undefined, url: undefined, dashboardUrl: undefined }, opts);
  }
}

/** A managed Postgres instance on Render. */
export interface RenderPostgresArgs {
  /** Workspace (owner) id; changing it replaces the instance. */
  ownerId: pulumi.Input<string>;
  /** Instance name, e.g. "api-db". */
  name: pulumi.Input<string>;
  /** Instance plan, e.g. "basic_256mb", "pro_4gb". */
  plan: pulumi.Input<string>;
  /** Postgres major version "11".."18"; changing it replaces the instance. */
  version: pulumi.Input<string>;
  /** Render region; changing it replaces the instance. @default "oregon" */
  region?: pulumi.Input<string>;
  /** Disk size in GB. @default the plan's size */
  diskSizeGB?: pulumi.Input<number>;
  /** Run a standby for failover. @default false */
  enableHighAvailability?: pulumi.Input<boolean>;
  /** Networks allowed to connect from outside Render. @default [] (private network only) */
  ipAllowList?: pulumi.Input<pulumi.Input<IpAllowEntry>[]>;
  /** Database name; changing it replaces the instance. @default chosen by Render */
  databaseName?: pulumi.Input<string>;
  /** Database user; changing it replaces the instance. @default chosen by Render */
  databaseUser?: pulumi.Input<string>;
}

/** A Render Postgres instance; waits until it is available. */
export class RenderPostgres extends PavedResource {
  declare readonly postgresId: pulumi.Output<string>;
  /** Connection string on Render's private network (secret). */
  declare readonly internalConnectionString: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: RenderPostgresArgs, opts?: pulumi.CustomResourceOptions) {
    const outs = { postgresId: undefined, internalConnectionString: undefined, status: undefined, dashboardUrl: undefined };
    super("render:Postgres", name, { ...args, ...outs }, opts);
  }
}

/** A managed Redis-compatible Key Value instance on Render. */
export interface RenderKeyValueArgs {
  /** Workspace (owner) id; changing it replaces the instance. */
  ownerId: pulumi.Input<string>;
  /** Instance name, e.g. "lifeos-production-cache". */
  name: pulumi.Input<string>;
  /** Instance plan: free, starter, standard, pro, pro_plus or custom. */
  plan: pulumi.Input<string>;
  /** Render region; changing it replaces the instance. @default "oregon" */
  region?: pulumi.Input<string>;
  /** What Redis evicts when memory is full. @default "allkeys_lru" */
  maxmemoryPolicy?: pulumi.Input<string>;
  /** Networks allowed to connect from outside Render. @default [] (private network only) */
  ipAllowList?: pulumi.Input<pulumi.Input<IpAllowEntry>[]>;
}

/** A Render Key Value instance; waits until it is available. */
export class RenderKeyValue extends PavedResource {
  declare readonly keyValueId: pulumi.Output<string>;
  /** Connection string on Render's private network (secret). */
  declare readonly internalConnectionString: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: RenderKeyValueArgs, opts?: pulumi.CustomResourceOptions) {
    const outs = { keyValueId: undefined, internalConnectionString: undefined, status: undefined };
    super("render:KeyValue", name, { ...args, ...outs }, opts);
  }
}

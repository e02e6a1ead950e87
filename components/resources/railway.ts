import * as pulumi from "@pulumi/pulumi";
import { PavedResource } from "./resource";

/** An image reference Railway pulls: registry host, repository, then a tag and/or a digest. */
export const RAILWAY_IMAGE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/;

/** A Railway project: the environments, services and variables of one product. */
export interface RailwayProjectArgs {
  /** Project name, e.g. "flightpro". */
  name: pulumi.Input<string>;
  /** Text shown in Railway's dashboard. @default none */
  description?: pulumi.Input<string>;
  /** Workspace to create the project in; changing it replaces the project. @default the token's personal workspace */
  workspaceId?: pulumi.Input<string>;
  /** Environment Railway creates with the project. @default "production" */
  defaultEnvironmentName?: pulumi.Input<string>;
}

export class RailwayProject extends PavedResource {
  declare readonly projectId: pulumi.Output<string>;
  /** The environment Railway created with the project. */
  declare readonly defaultEnvironmentId: pulumi.Output<string>;

  constructor(name: string, args: RailwayProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:Project", name, { ...args, projectId: undefined, defaultEnvironmentId: undefined }, opts);
  }
}

/** One environment (staging, production, ...) of a Railway project. */
export interface RailwayEnvironmentArgs {
  /** Project the environment belongs to; changing it replaces the environment. */
  projectId: pulumi.Input<string>;
  /** Environment name, e.g. "staging"; a change renames it. */
  name: pulumi.Input<string>;
}

export class RailwayEnvironment extends PavedResource {
  declare readonly environmentId: pulumi.Output<string>;

  constructor(name: string, args: RailwayEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:Environment", name, { ...args, environmentId: undefined }, opts);
  }
}

/** The service's own `*.up.railway.app` hostname in one environment. */
export interface RailwayServiceDomainArgs {
  /** Project of the service; changing it replaces the domain. */
  projectId: pulumi.Input<string>;
  /** Environment the domain serves; changing it replaces the domain. */
  environmentId: pulumi.Input<string>;
  /** Service the domain reaches; changing it replaces the domain. */
  serviceId: pulumi.Input<string>;
  /** Port inside the service; changing it replaces the domain. @default the service's PORT */
  targetPort?: pulumi.Input<number>;
}

export class RailwayServiceDomain extends PavedResource {
  declare readonly domain: pulumi.Output<string>;

  constructor(name: string, args: RailwayServiceDomainArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:ServiceDomain", name, { ...args, domain: undefined }, opts);
  }
}

/** A custom hostname served by a Railway service; point its DNS at `cnameTarget`. */
export interface RailwayCustomDomainArgs extends RailwayServiceDomainArgs {
  /** Hostname, e.g. "api.flightpro.com"; changing it replaces the domain. */
  domain: pulumi.Input<string>;
}

export class RailwayCustomDomain extends PavedResource {
  declare readonly domainId: pulumi.Output<string>;
  declare readonly cnameTarget: pulumi.Output<string>;

  constructor(name: string, args: RailwayCustomDomainArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:CustomDomain", name, { ...args, domainId: undefined, cnameTarget: undefined }, opts);
  }
}

/** A Railway service in one environment. */
export interface RailwayServiceArgs {
  /** Project the service belongs to; changing it replaces the service. */
  projectId: pulumi.Input<string>;
  /** Environment whose instance paved configures and deploys; changing it replaces the service. */
  environmentId: pulumi.Input<string>;
  /** Service name, unique in the project, e.g. "flightpro-api-staging". */
  name: pulumi.Input<string>;
  /** Image to run, pinned by digest; exclusive with `repo`. @default none */
  image?: pulumi.Input<string>;
  /** GitHub repository (`owner/name`) Railway builds; exclusive with `image`. @default none */
  repo?: pulumi.Input<string>;
  /** Branch of `repo` that deploys. @default the repository's default branch */
  branch?: pulumi.Input<string>;
  /** Directory of `repo` to build, e.g. "packages/api". @default the repository root */
  rootDirectory?: pulumi.Input<string>;
  /** Build command for `repo`. @default Railway's builder detects it */
  buildCommand?: pulumi.Input<string>;
  /** Command that starts the service. @default the image's or builder's own */
  startCommand?: pulumi.Input<string>;
  /** Command run in the new release before it takes traffic, such as a migration; a failure stops the deploy. @default none */
  preDeployCommand?: pulumi.Input<string>;
  /** Replicas to run. @default 1 */
  numReplicas?: pulumi.Input<number>;
  /** Railway region, e.g. "us-east4". @default the workspace's default region */
  region?: pulumi.Input<string>;
  /** Path Railway polls before a deploy takes traffic, e.g. "/health". @default none */
  healthcheckPath?: pulumi.Input<string>;
  /** Seconds a deploy has to pass its health check. @default Railway's (300) */
  healthcheckTimeout?: pulumi.Input<number>;
  /** Service variables in this environment; values are secret, and the set replaces all of them. @default {} */
  variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class RailwayService extends PavedResource {
  declare readonly serviceId: pulumi.Output<string>;
  declare readonly deploymentId: pulumi.Output<string>;

  constructor(name: string, args: RailwayServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:Service", name, { ...args, serviceId: undefined, deploymentId: undefined }, opts);
  }
}

/** A persistent Railway volume, mounted on one service in one environment. */
export interface RailwayVolumeArgs {
  /** Project the volume belongs to; changing it replaces the volume. */
  projectId: pulumi.Input<string>;
  /** Environment the volume's instance lives in; changing it replaces the volume. */
  environmentId: pulumi.Input<string>;
  /** Service the volume is mounted on; a change moves it there. */
  serviceId: pulumi.Input<string>;
  /** Name shown in Railway's dashboard, e.g. "flightpro-redis-production-data". */
  name: pulumi.Input<string>;
  /** Absolute path in the service's container, e.g. "/data". */
  mountPath: pulumi.Input<string>;
  /** Railway region, e.g. "us-east4"; changing it replaces the volume. @default Railway's default region */
  region?: pulumi.Input<string>;
}

export class RailwayVolume extends PavedResource {
  declare readonly volumeId: pulumi.Output<string>;
  /** The size Railway gave the volume, in MB: its plan's default (the API sets none). */
  declare readonly sizeMb: pulumi.Output<number>;

  constructor(name: string, args: RailwayVolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super("railway:Volume", name, { ...args, volumeId: undefined, sizeMb: undefined }, opts);
  }
}

import * as pulumi from "@pulumi/pulumi";
import { PavedResource } from "./resource";

/** A Machine's config, in the Machines API's own field names. */
export interface FlyMachineConfig {
  image: string;
  env?: Record<string, string>;
  guest?: { cpu_kind: string; cpus: number; memory_mb: number };
  services?: {
    protocol: string;
    internal_port: number;
    ports: { port: number; handlers?: string[]; force_https?: boolean }[];
    autostop?: string;
    autostart?: boolean;
    min_machines_running?: number;
  }[];
  checks?: Record<string, { type: string; port: number; path?: string; interval?: string; timeout?: string; grace_period?: string; method?: string }>;
  metadata?: Record<string, string>;
}

export type FlyIpType = "v6" | "shared_v4" | "v4";

/** A Fly.io app: the namespace for machines, secrets, certificates and IPs. */
export interface FlyAppArgs {
  /** Globally unique app name, e.g. "planningos-api-staging". */
  name: pulumi.Input<string>;
  /** Organization slug, e.g. "personal". */
  orgSlug: pulumi.Input<string>;
  /** Custom 6PN network name. @default the organization's default network */
  network?: pulumi.Input<string>;
}

export class FlyApp extends PavedResource {
  declare readonly appId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: FlyAppArgs, opts?: pulumi.CustomResourceOptions) {
    super("fly:App", name, { ...args, appId: undefined, status: undefined }, opts);
  }
}

/** One Fly Machine running the app's image. */
export interface FlyMachineArgs {
  /** App the machine belongs to. */
  app: pulumi.Input<string>;
  /** Machine name, unique in the app; used to find a machine whose create answer was lost. */
  name: pulumi.Input<string>;
  /** Fly region code, e.g. "cdg"; changing it replaces the machine. */
  region: pulumi.Input<string>;
  /** Full machine config (image, env, guest, services, checks, metadata) in Fly's field names. */
  config: pulumi.Input<{ [K in keyof FlyMachineConfig]: pulumi.Input<FlyMachineConfig[K]> }>;
}

export class FlyMachine extends PavedResource {
  declare readonly machineId: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly privateIp: pulumi.Output<string>;

  constructor(name: string, args: FlyMachineArgs, opts?: pulumi.CustomResourceOptions) {
    super("fly:Machine", name, { ...args, machineId: undefined, state: undefined, privateIp: undefined }, opts);
  }
}

/**
 * A one-off Machine that runs a command (the stack's migration) in a new image and must exit 0:
 * created with `auto_destroy`, waited on until it stops, its exit code read from its exit event.
 * Any change of its inputs runs it again; nothing of it stays running.
 */
export interface FlyMigrationArgs {
  /** App whose image, secrets and private network the command runs with. */
  app: pulumi.Input<string>;
  /** Fly region code to run in, e.g. "cdg". */
  region: pulumi.Input<string>;
  /** Image to run, pinned by digest where the registry gives one. */
  image: pulumi.Input<string>;
  /** The command, split as a shell would split it, e.g. "sqlx migrate run". */
  command: pulumi.Input<string>;
  /** Plain env vars; the app's secrets reach the machine as they reach the app's. @default {} */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Guest size, in Fly's field names. @default Fly's default (shared-cpu-1x, 256 MB) */
  guest?: pulumi.Input<FlyMachineConfig["guest"]>;
  /** Seconds the command may run before the deploy fails. @default 600 */
  timeoutSeconds?: pulumi.Input<number>;
}

export class FlyMigration extends PavedResource {
  /** The machine that ran the command (destroyed once it stopped). */
  declare readonly machineId: pulumi.Output<string>;
  declare readonly exitCode: pulumi.Output<number>;

  constructor(name: string, args: FlyMigrationArgs, opts?: pulumi.CustomResourceOptions) {
    super("fly:Migration", name, { ...args, machineId: undefined, exitCode: undefined }, opts);
  }
}

/** Secrets set on a Fly app; the machines read them as env vars. */
export interface FlySecretsArgs {
  /** App that holds the secrets. */
  app: pulumi.Input<string>;
  /** Secret names to values; values stay secret, and keys dropped here are unset on Fly. */
  values: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class FlySecrets extends PavedResource {
  declare readonly names: pulumi.Output<string[]>;
  /** Fly's secrets version after the last change. */
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: FlySecretsArgs, opts?: pulumi.CustomResourceOptions) {
    super("fly:Secrets", name, { ...args, names: undefined, version: undefined }, opts);
  }
}

/** A TLS certificate Fly issues through ACME for a custom hostname. */
export interface FlyCertificateArgs {
  /** App that serves the hostname. */
  app: pulumi.Input<string>;
  /** Hostname to certify, e.g. "api.example.com". */
  hostname: pulumi.Input<string>;
}

export class FlyCertificate extends PavedResource {
  declare readonly status: pulumi.Output<string>;
  declare readonly configured: pulumi.Output<boolean>;
  declare readonly acmeRequested: pulumi.Output<boolean>;
  declare readonly dnsValidationRecords: pulumi.Output<unknown>;

  constructor(name: string, args: FlyCertificateArgs, opts?: pulumi.CustomResourceOptions) {
    const outs = { status: undefined, configured: undefined, acmeRequested: undefined, dnsValidationRecords: undefined };
    super("fly:Certificate", name, { ...args, ...outs }, opts);
  }
}

/** A public IP address allocated to a Fly app. */
export interface FlyIpAddressArgs {
  /** App the address routes to. */
  app: pulumi.Input<string>;
  /** Address kind: dedicated "v4", "v6", or the free "shared_v4". */
  type: pulumi.Input<FlyIpType>;
  /** Region to pin the address to. @default global (anycast) */
  region?: pulumi.Input<string>;
}

export class FlyIpAddress extends PavedResource {
  declare readonly address: pulumi.Output<string>;

  constructor(name: string, args: FlyIpAddressArgs, opts?: pulumi.CustomResourceOptions) {
    super("fly:IpAddress", name, { ...args, address: undefined }, opts);
  }
}

import * as pulumi from "@pulumi/pulumi";
import { PavedResource } from "./resource";

/** A Neon project: its default branch, compute settings and network allow-list. */
export interface NeonProjectArgs {
  /** Project name, e.g. "planningos-staging"; Neon does not require it to be unique. */
  name: pulumi.Input<string>;
  /** Neon region id, e.g. "aws-eu-central-1"; changing it replaces the project. */
  regionId: pulumi.Input<string>;
  /** Postgres major version (14-18); changing it replaces the project. @default 17 */
  pgVersion?: pulumi.Input<number>;
  /** How far back point-in-time restore reaches, in seconds. @default 86400 */
  historyRetentionSeconds?: pulumi.Input<number>;
  /** Smallest compute size, in compute units. @default 0.25 */
  autoscalingLimitMinCu?: pulumi.Input<number>;
  /** Largest compute size, in compute units. @default 1 */
  autoscalingLimitMaxCu?: pulumi.Input<number>;
  /** Idle seconds before compute suspends; 0 is Neon's default, -1 never. @default 0 */
  suspendTimeoutSeconds?: pulumi.Input<number>;
  /** Organization that owns the project; changing it replaces the project. @default the key's personal account */
  orgId?: pulumi.Input<string>;
  /** Name of the default branch. @default "main" */
  defaultBranchName?: pulumi.Input<string>;
  /** IPs, ranges or CIDR blocks allowed to connect. @default any */
  allowedIps?: pulumi.Input<pulumi.Input<string>[]>;
}

export class NeonProject extends PavedResource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly defaultBranchId: pulumi.Output<string>;
  /** Host of the default branch's read-write endpoint. */
  declare readonly host: pulumi.Output<string>;

  constructor(name: string, args: NeonProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("neon:Project", name, { ...args, projectId: undefined, defaultBranchId: undefined, host: undefined }, opts);
  }
}

/** A Postgres role on a Neon branch. */
export interface NeonRoleArgs {
  /** Project of the branch. */
  projectId: pulumi.Input<string>;
  /** Branch the role lives on. */
  branchId: pulumi.Input<string>;
  /** Role name, e.g. "app"; changing it replaces the role. */
  name: pulumi.Input<string>;
  /** Rotation label, e.g. "2026-11": a new one resets the password in place. @default none */
  rotation?: pulumi.Input<string>;
}

export class NeonRole extends PavedResource {
  /** The role's password (secret). */
  declare readonly name: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;
  /** The rotation label the password was last reset under. */
  declare readonly rotation: pulumi.Output<string | undefined>;

  constructor(name: string, args: NeonRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("neon:Role", name, { ...args, password: undefined }, opts);
  }
}

/** A database on a Neon branch, owned by a role. */
export interface NeonDatabaseArgs {
  /** Project of the branch. */
  projectId: pulumi.Input<string>;
  /** Branch the database lives on; changing it replaces the database. */
  branchId: pulumi.Input<string>;
  /** Database name, e.g. "app"; a rename happens in place. */
  name: pulumi.Input<string>;
  /** Role that owns the database; its credentials go into `connectionUri`. */
  ownerName: pulumi.Input<string>;
  /** The owner's rotation label (the role's `rotation` output, so the role resets first): a new one re-reads `connectionUri`. @default none */
  rotation?: pulumi.Input<string | undefined>;
}

export class NeonDatabase extends PavedResource {
  declare readonly databaseId: pulumi.Output<number>;
  /** Pooled connection URI for the owner role (secret). */
  declare readonly connectionUri: pulumi.Output<string>;

  constructor(name: string, args: NeonDatabaseArgs, opts?: pulumi.CustomResourceOptions) {
    super("neon:Database", name, { ...args, databaseId: undefined, connectionUri: undefined }, opts);
  }
}

/** A Neon branch with a read-write endpoint; preview stacks branch off staging with it. */
export interface NeonBranchArgs {
  /** Project that holds the branch; changing it replaces the branch. */
  projectId: pulumi.Input<string>;
  /** Branch name, e.g. "pr-123". */
  name: pulumi.Input<string>;
  /** Branch to copy data from; changing it replaces the branch. @default the project's default branch */
  parentId?: pulumi.Input<string>;
  /** Protect the branch from deletion and reset in Neon. @default false */
  protected?: pulumi.Input<boolean>;
  /** Role the branch inherited, for `connectionUri`, e.g. "app". @default none */
  roleName?: pulumi.Input<string>;
  /** Database the branch inherited, for `connectionUri`, e.g. "app". @default none */
  databaseName?: pulumi.Input<string>;
}

export class NeonBranch extends PavedResource {
  declare readonly branchId: pulumi.Output<string>;
  /** Host of the branch's read-write endpoint. */
  declare readonly host: pulumi.Output<string>;
  /** Pooled URI for `databaseName` as `roleName` on this branch (when both are set); secret. */
  declare readonly connectionUri: pulumi.Output<string | undefined>;

  constructor(name: string, args: NeonBranchArgs, opts?: pulumi.CustomResourceOptions) {
    super("neon:Branch", name, { ...args, branchId: undefined, host: undefined, connectionUri: undefined }, opts);
  }
}

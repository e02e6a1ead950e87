import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerStore } from "./docker-store";
import { PASSWORD_SYNC_SCRIPT } from "./postgres-password";

/** Where a Docker Postgres keeps its data: the official image's path up to 17, named for 18 and later. */
const PGDATA = "/var/lib/postgresql/data";
import {
  BASE_BACKUP_INTERVAL_SECONDS, BASE_BACKUP_PATH, BASE_BACKUP_SCRIPT, WAL_ARCHIVE_PATH, postgresArgs, postgresEntrypoint,
} from "./postgres-pitr";
import { PavedInputError } from "./errors";
import { upstreamOutput } from "./stack-output";
import { NeonBranch, NeonDatabase, NeonProject, NeonRole } from "./resources/neon";
import { RenderPostgres } from "./resources/render";

export interface DatabaseArgs {
  /** `neon`, `render` or `docker`. */
  provider: "neon" | "render" | "docker";
  /** Name of the database and of the role that owns it, e.g. `app`. */
  name: string;
  /** Instance name at the provider, e.g. `planningos-production`. */
  instanceName: string;
  /** Postgres major version. */
  version: number;
  /** Point-in-time restore window in days (Neon). @default 1 */
  retentionDays?: number;
  /** Neon settings, with `provider: "neon"`: a project in `region`, or a branch of the project another stack (`branchFrom`) exports. */
  neon?: { region?: string; branchFrom?: string; orgId?: string; minCu: number; maxCu: number };
  /** Render settings, with `provider: "render"`; `allowCidrs` empty keeps it on the private network. */
  render?: { ownerId: string; plan: string; region: string; diskSizeGb?: number; highAvailability: boolean; allowCidrs: string[] };
  /**
   * Docker settings, with `provider: "docker"`; `backups` adds a container that dumps the database on a schedule,
   * and `backups.pitr` WAL archiving and daily base backups for point-in-time recovery over `keepDays`.
   */
  docker?: {
    image: string; memoryMb: number; provider: docker.Provider; network: pulumi.Input<string>;
    backups?: { schedule: string; keepDays: number; image: string; pitr?: { archiveTimeoutSeconds: number } };
    /** Libraries the server loads at start (`shared_preload_libraries`), e.g. `pg_stat_statements`. @default [] */
    preload?: string[];
  };
  /** Protect the data from deletion: `protect` and `retainOnDelete` on what holds it. @default false */
  protect?: boolean;
  /**
   * Other stacks build on this one's Neon project (previews branch from staging's): destroying this
   * stack leaves the project (`retainOnDelete`) rather than taking their branches with it. @default false
   */
  shared?: boolean;
  /** Rotation label for a generated password (Docker). @default "initial" */
  rotation?: string;
  /** Id of an existing instance to adopt instead of creating one (Render Postgres id; Docker volume name). @default none */
  adopt?: string;
}

interface NeonLocation {
  uri: pulumi.Output<string>;
  projectId: pulumi.Output<string>;
  branchId: pulumi.Output<string>;
}

/** Stack outputs that carry a Neon database's location, for `neon.branchFrom` to read. */
export const NEON_PROJECT_OUTPUT = "databaseProjectId";
export const NEON_BRANCH_OUTPUT = "databaseBranchId";

/** The environment's Postgres, exposing only a secret connection string. */
export class Database extends pulumi.ComponentResource {
  static readonly TYPE = "paved:database:Database";
  /** Connection string for the app; always secret. */
  readonly connectionString: pulumi.Output<string>;
  /** Neon project and branch holding the data, for stacks that branch from this one. */
  readonly neonProjectId?: pulumi.Output<string>;
  readonly neonBranchId?: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Database.TYPE, name, {}, opts);
    const keep: pulumi.CustomResourceOptions = { parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false };
    // Adoption applies to what holds the data: the engine reads the existing object instead of creating one.
    const holder: pulumi.CustomResourceOptions = { ...keep, import: args.adopt };
    const neon = args.provider === "neon" ? this.createNeon(name, args, keep, args.shared ?? false) : undefined;
    const uri = neon?.uri ?? (args.provider === "render" ? this.createRender(name, args, holder) : this.createDocker(name, args, holder));
    this.neonProjectId = neon?.projectId;
    this.neonBranchId = neon?.branchId;
    this.connectionString = pulumi.secret(uri);
    this.registerOutputs({ connectionString: this.connectionString });
  }

  private createNeon(name: string, args: DatabaseArgs, keep: pulumi.CustomResourceOptions, shared: boolean): NeonLocation {
    const neon = args.neon!;
    if (neon.branchFrom) return this.createNeonBranch(name, args, neon.branchFrom);
    const project = new NeonProject(`${name}-project`, {
      name: args.instanceName, regionId: neon.region!, pgVersion: args.version, orgId: neon.orgId,
      historyRetentionSeconds: (args.retentionDays ?? 1) * 86_400,
      autoscalingLimitMinCu: neon.minCu, autoscalingLimitMaxCu: neon.maxCu, defaultBranchName: "main",
    }, shared ? { ...keep, retainOnDelete: true } : keep);
    // The rotation label resets the role's password in place; the database then reads its URI again.
    const role = new NeonRole(`${name}-role`, { projectId: project.projectId, branchId: project.defaultBranchId, name: args.name, rotation: args.rotation }, { parent: this });
    const database = new NeonDatabase(`${name}-database`, {
      projectId: project.projectId, branchId: project.defaultBranchId, name: args.name, ownerName: role.name, rotation: role.rotation,
    }, keep);
    return { uri: database.connectionUri, projectId: project.projectId, branchId: project.defaultBranchId };
  }

  /** A copy-on-write branch of another stack's database: its data, roles and database, at no copy cost. */
  private createNeonBranch(name: string, args: DatabaseArgs, parentStack: string): NeonLocation {
    const parent = new pulumi.StackReference(`${name}-parent`, { name: parentStack }, { parent: this });
    const key = "paved:database.neon.branchFrom";
    const projectId = upstreamOutput(parent, { output: NEON_PROJECT_OUTPUT, key }, this);
    const branch = new NeonBranch(`${name}-branch`, {
      projectId,
      parentId: upstreamOutput(parent, { output: NEON_BRANCH_OUTPUT, key }, this),
      name: args.instanceName,
      roleName: args.name,
      databaseName: args.name,
    }, { parent: this });
    return { uri: branch.connectionUri.apply((uri) => uri ?? ""), projectId, branchId: branch.branchId };
  }

  private createRender(name: string, args: DatabaseArgs, keep: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const render = args.render!;
    const postgres = new RenderPostgres(`${name}-postgres`, {
      ownerId: render.ownerId, name: args.instanceName, plan: render.plan, version: String(args.version), region: render.region,
      diskSizeGB: render.diskSizeGb, enableHighAvailability: render.highAvailability,
      ipAllowList: render.allowCidrs.map((cidrBlock) => ({ cidrBlock, description: "allowed by paved:database.render.allowCidrs" })),
      databaseName: args.name, databaseUser: args.name,
    }, keep);
    return postgres.internalConnectionString;
  }

  private createDocker(name: string, args: DatabaseArgs, keep: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const host = args.docker!;
    const { password, volume } = dockerStore(this, name, { volumeName: args.adopt ?? `${args.instanceName}-pgdata`, rotation: args.rotation, provider: host.provider }, keep);
    const kept = { ...keep, import: undefined };
    const pitr = host.backups?.pitr;
    const preload = host.preload?.length ? ["-c", `shared_preload_libraries=${host.preload.join(",")}`] : [];
    // The archive lives apart from the data, so losing the data volume never takes the WAL that replays it.
    const wal = pitr && new docker.Volume(`${name}-wal`, { name: `${args.instanceName}-pgwal` }, { ...kept, provider: host.provider });
    const postgres = new docker.Container(`${name}-postgres`, {
      name: `${args.instanceName}-postgres`,
      image: host.image,
      envs: [
        `POSTGRES_DB=${args.name}`, `POSTGRES_USER=${args.name}`, pulumi.secret(pulumi.interpolate`POSTGRES_PASSWORD=${password}`),
        // From 18 the image keeps its data under /var/lib/postgresql/<major>/docker and refuses to start with
        // a volume at the old path; naming PGDATA keeps one data path (and one restore procedure) for every version.
        ...(args.version >= 18 ? [`PGDATA=${PGDATA}`] : []),
      ],
      volumes: [
        { volumeName: volume.name, containerPath: PGDATA },
        ...(wal ? [{ volumeName: wal.name, containerPath: WAL_ARCHIVE_PATH }] : []),
      ],
      // A wrapper rather than a custom image: the official image, its entrypoint run unchanged after one chown.
      ...(pitr && { entrypoints: postgresEntrypoint() }),
      ...((pitr || preload.length) && { command: [...(pitr ? postgresArgs(pitr.archiveTimeoutSeconds) : ["postgres"]), ...preload] }),
      // No published ports: only containers on the private network reach it.
      networksAdvanced: [{ name: host.network, aliases: ["db"] }],
      restart: "unless-stopped",
      memory: host.memoryMb,
      healthcheck: { tests: ["CMD-SHELL", `pg_isready -U ${args.name} -d ${args.name}`], interval: "10s", timeout: "5s", retries: 5 },
    }, { parent: this, provider: host.provider });
    if (host.backups) this.createDockerBackups(name, args, password, postgres, kept);
    if (wal) this.createDockerBaseBackups(name, args, password, postgres, wal, kept);
    const set = this.createDockerPasswordSync(name, args, password, postgres);
    // The URL is good once the server has the password: the API waits for that, through the data.
    return pulumi.secret(pulumi.all([password, set.id]).apply(([p]) => `postgresql://${args.name}:${p}@db:5432/${args.name}`));
  }

  /**
   * Sets the user's password on the server to the one paved generated, whenever it changes (a new
   * rotation label): the image applies POSTGRES_PASSWORD only to a new data directory.
   */
  private createDockerPasswordSync(name: string, args: DatabaseArgs, password: pulumi.Output<string>, postgres: docker.Container): docker.Container {
    const host = args.docker!;
    return new docker.Container(`${name}-password`, {
      name: `${args.instanceName}-pgpassword`,
      image: host.image,
      entrypoints: ["sh", "-c", PASSWORD_SYNC_SCRIPT],
      envs: ["PGHOST=127.0.0.1", "PGPORT=5432", `PGUSER=${args.name}`, `PGDATABASE=${args.name}`, pulumi.secret(pulumi.interpolate`NEW_PASSWORD=${password}`)],
      // The server's own loopback, where initdb's trust rule admits it; a new server container means a new run.
      networkMode: pulumi.interpolate`container:${postgres.id}`,
      // One shot: it exits once the password is set, and retries a few times if the server is not up yet.
      mustRun: false,
      restart: "on-failure",
      maxRetryCount: 5,
      memory: 64,
      logDriver: "json-file",
      logOpts: { "max-size": "1m", "max-file": "2" },
    }, { parent: this, provider: host.provider });
  }

  /** A backup container beside Postgres: a dump on `schedule`, the last `keepDays` days of them kept on a volume of their own. */
  private createDockerBackups(name: string, args: DatabaseArgs, password: pulumi.Output<string>, postgres: docker.Container, keep: pulumi.CustomResourceOptions): void {
    const host = args.docker!;
    const backups = host.backups!;
    // Dumps sit apart from the data volume, so losing one never takes the other.
    const volume = new docker.Volume(`${name}-backups`, { name: `${args.instanceName}-pgbackups` }, { ...keep, provider: host.provider });
    new docker.Container(`${name}-backup`, {
      name: `${args.instanceName}-pgbackup`,
      image: backups.image,
      envs: [
        "POSTGRES_HOST=db", `POSTGRES_DB=${args.name}`, `POSTGRES_USER=${args.name}`,
        pulumi.secret(pulumi.interpolate`POSTGRES_PASSWORD=${password}`),
        `SCHEDULE=${backups.schedule}`, `BACKUP_KEEP_DAYS=${backups.keepDays}`, "BACKUP_KEEP_WEEKS=0", "BACKUP_KEEP_MONTHS=0",
      ],
      volumes: [{ volumeName: volume.name, containerPath: "/backups" }],
      networksAdvanced: [{ name: host.network }],
      restart: "unless-stopped",
    }, { parent: this, provider: host.provider, dependsOn: [postgres] });
  }

  /** Daily base backups from the same official image, pruned with the WAL to the last `keepDays` days of recovery. */
  private createDockerBaseBackups(
    name: string, args: DatabaseArgs, password: pulumi.Output<string>, postgres: docker.Container, wal: docker.Volume, keep: pulumi.CustomResourceOptions,
  ): void {
    const host = args.docker!;
    const volume = new docker.Volume(`${name}-base`, { name: `${args.instanceName}-pgbase` }, { ...keep, provider: host.provider });
    new docker.Container(`${name}-basebackup`, {
      name: `${args.instanceName}-pgbasebackup`,
      image: host.image,
      entrypoints: ["sh", "-c", BASE_BACKUP_SCRIPT],
      envs: [
        "PGHOST=127.0.0.1", "PGPORT=5432", `PGUSER=${args.name}`, pulumi.secret(pulumi.interpolate`PGPASSWORD=${password}`),
        `BASE_DIR=${BASE_BACKUP_PATH}`, `WAL_DIR=${WAL_ARCHIVE_PATH}`,
        `KEEP_DAYS=${host.backups!.keepDays}`, `INTERVAL_SECONDS=${BASE_BACKUP_INTERVAL_SECONDS}`,
      ],
      volumes: [{ volumeName: volume.name, containerPath: BASE_BACKUP_PATH }, { volumeName: wal.name, containerPath: WAL_ARCHIVE_PATH }],
      // Postgres's own network namespace: the image's pg_hba.conf allows replication only from 127.0.0.1 (its appended
      // `host all all all` rule does not match replication), so no rule has to be added to an existing data directory.
      // By id, not name: Docker stores the id, and a replaced server must replace this container with it.
      networkMode: pulumi.interpolate`container:${postgres.id}`,
      restart: "unless-stopped",
    }, { parent: this, provider: host.provider, dependsOn: [postgres] });
  }
}

function validate(name: string, args: DatabaseArgs): void {
  const problems: string[] = [];
  const where = `Database "${name}"`;
  if (args.provider !== "docker" || args.docker === undefined) {
    if (!args[args.provider]) problems.push(`${where}: provider is ${args.provider} but ${args.provider} settings are missing; expected args.${args.provider}`);
  }
  if (args.neon && !args.neon.region === !args.neon.branchFrom) {
    problems.push(`${where}: neon needs exactly one of region and branchFrom; expected a region for a project of its own, or a stack to branch from`);
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(args.name)) problems.push(`${where}: name is "${args.name}"; expected a Postgres identifier such as app`);
  if (args.version < 14 || args.version > 18) problems.push(`${where}: version is ${args.version}; expected a Postgres major version from 14 to 18`);
  if (args.docker?.backups && args.docker.backups.keepDays < 1) {
    problems.push(`${where}: docker.backups.keepDays is ${args.docker.backups.keepDays}; expected at least 1`);
  }
  const timeout = args.docker?.backups?.pitr?.archiveTimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 60 || timeout > 3600)) {
    problems.push(`${where}: docker.backups.pitr.archiveTimeoutSeconds is ${timeout}; expected whole seconds from 60 to 3600`);
  }
  if (args.adopt !== undefined && args.provider === "neon") {
    problems.push(`${where}: adopt is set for neon; expected adopt only with render or docker`);
  }
  if (args.retentionDays !== undefined && (args.retentionDays < 0 || args.retentionDays > 30)) {
    problems.push(`${where}: retentionDays is ${args.retentionDays}; expected 0 to 30`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

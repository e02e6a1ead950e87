import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import type { DatabaseArgs } from "../../components/database";
import { BASE_BACKUP_SCRIPT, archiveCommand } from "../../components/postgres-pitr";
import { PASSWORD_SYNC_SCRIPT } from "../../components/postgres-password";
import { capture, resolve, Secret } from "../harness";

const NEON: DatabaseArgs = {
  provider: "neon", name: "app", instanceName: "planningos-production", version: 17, retentionDays: 7,
  neon: { region: "aws-eu-central-1", minCu: 0.25, maxCu: 2 }, protect: true,
};

/** What each mocked resource reports once created. */
const OUTPUTS: Record<string, Record<string, unknown>> = {
  "paved:neon:Database": { connectionUri: "postgres://app:pw@ep-x-pooler/app" },
  "paved:neon:Branch": { branchId: "br-pr", connectionUri: "postgres://app:pw@ep-pr-pooler/app" },
  "paved:render:Postgres": { internalConnectionString: "postgres://app:pw@dpg-x/app" },
  "random:index/randomPassword:RandomPassword": { result: "generated" },
  "pulumi:pulumi:StackReference": { outputs: { databaseProjectId: "p-staging", databaseBranchId: "br-staging" } },
};

async function build(args: DatabaseArgs) {
  return capture(async () => {
    const { Database } = await import("../../components/database");
    const engine = args.provider === "docker" ? { provider: new docker.Provider("engine", {}), network: "production-private" } : undefined;
    return new Database("production-database", { ...args, docker: args.docker && engine && { ...args.docker, ...engine } });
  }, { preview: false, outputs: (type) => OUTPUTS[type] ?? {} });
}

describe("Database on Neon", () => {
  it("creates project, role and database with point-in-time history, protecting the data", async () => {
    const run = await build(NEON);
    const project = run.one("paved:neon:Project");
    expect(project.inputs).toMatchObject({ name: "planningos-production", regionId: "aws-eu-central-1", pgVersion: 17,
      historyRetentionSeconds: 604_800, autoscalingLimitMinCu: 0.25, autoscalingLimitMaxCu: 2, defaultBranchName: "main" });
    expect(project).toMatchObject({ protect: true, retainOnDelete: true });
    expect(run.one("paved:neon:Role").inputs).toMatchObject({ name: "app" });
    const database = run.one("paved:neon:Database");
    expect(database).toMatchObject({ protect: true, retainOnDelete: true });
    expect(database.inputs).toMatchObject({ name: "app", ownerName: "app" });
    // After the role because its owner is the role's name, as created: no dependsOn.
    expect(database.propertyDependencies.ownerName).toEqual([run.one("paved:neon:Role").urn]);
    const uri = await resolve(run.value.connectionString);
    expect(uri).toEqual({ known: true, secret: true, value: "postgres://app:pw@ep-x-pooler/app" });
  });

  it("protects nothing outside production", async () => {
    const run = await build({ ...NEON, protect: false, retentionDays: 1 });
    expect(run.resources.filter((r) => r.protect || r.retainOnDelete)).toEqual([]);
    expect(run.one("paved:neon:Project").inputs.historyRetentionSeconds).toBe(86_400);
  });

  it("keeps a project other stacks branch from when its own stack is destroyed, without protecting it", async () => {
    const run = await build({ ...NEON, protect: false, shared: true });
    expect(run.one("paved:neon:Project")).toMatchObject({ protect: false, retainOnDelete: true });
    expect(run.one("paved:neon:Database")).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

describe("Database on a Neon branch of another stack", () => {
  const BRANCH: DatabaseArgs = { ...NEON, instanceName: "planningos-pr-42", protect: false, retentionDays: undefined,
    neon: { branchFrom: "organization/paved/staging", minCu: 0.25, maxCu: 0.5 } };

  it("branches the project the parent stack exports and connects as the role it copied", async () => {
    const run = await build(BRANCH);
    const parent = run.one("pulumi:pulumi:StackReference");
    expect(parent).toMatchObject({ name: "production-database-parent", read: true });
    expect(parent.inputs.name).toBe("organization/paved/staging");
    const branch = run.one("paved:neon:Branch");
    expect(branch.inputs).toMatchObject({ name: "planningos-pr-42", roleName: "app", databaseName: "app" });
    expect(branch).toMatchObject({ protect: false, retainOnDelete: false });
    expect(branch.additionalSecretOutputs).toContain("connectionUri");
    expect(run.all("paved:neon:Project")).toEqual([]);
    expect(branch.inputs).toMatchObject({ projectId: "p-staging", parentId: "br-staging" });
    expect(await resolve(run.value.connectionString)).toEqual({ known: true, secret: true, value: "postgres://app:pw@ep-pr-pooler/app" });
    expect((await resolve(run.value.neonProjectId!)).value).toBe("p-staging");
  });
});

describe("Database on Render", () => {
  const RENDER: DatabaseArgs = { provider: "render", name: "app", instanceName: "projectflo-production", version: 16,
    render: { ownerId: "tea-abc123", plan: "pro_4gb", region: "frankfurt", diskSizeGb: 20, highAvailability: true, allowCidrs: [] }, protect: true };

  it("keeps Postgres on the private network with high availability, and exposes the internal URL as secret", async () => {
    const run = await build(RENDER);
    const pg = run.one("paved:render:Postgres");
    expect(pg.inputs).toMatchObject({ ownerId: "tea-abc123", name: "projectflo-production", plan: "pro_4gb", version: "16", region: "frankfurt",
      diskSizeGB: 20, enableHighAvailability: true, ipAllowList: [], databaseName: "app", databaseUser: "app" });
    expect(pg).toMatchObject({ protect: true, retainOnDelete: true });
    expect(await resolve(run.value.connectionString)).toMatchObject({ secret: true, value: "postgres://app:pw@dpg-x/app" });
  });

  it("opens only the CIDR blocks config names", async () => {
    const run = await build({ ...RENDER, render: { ...RENDER.render!, allowCidrs: ["203.0.113.0/24"] } });
    expect(run.one("paved:render:Postgres").inputs.ipAllowList)
      .toEqual([{ cidrBlock: "203.0.113.0/24", description: "allowed by paved:database.render.allowCidrs" }]);
  });
  it("adopts an existing instance: the registration carries its id as the import id, protected as if created", async () => {
    const run = await build({ ...RENDER, adopt: "dpg-d0projectflo" });
    expect(run.one("paved:render:Postgres")).toMatchObject({ importId: "dpg-d0projectflo", protect: true, retainOnDelete: true });
    expect((await build(RENDER)).one("paved:render:Postgres").importId).toBeUndefined();
  });
});

describe("Database in Docker", () => {
  const DOCKER = { provider: "docker", name: "app", instanceName: "lifeos-production", version: 17, protect: true,
    docker: { image: "postgres:17-alpine", memoryMb: 512 } } as unknown as DatabaseArgs;

  it("keeps data on a protected named volume, publishes no port, and generates the password", async () => {
    const run = await build(DOCKER);
    const volume = run.one("docker:index/volume:Volume");
    expect(volume).toMatchObject({ protect: true, retainOnDelete: true });
    const container = run.one("docker:index/container:Container", "production-database-postgres");
    expect(container.inputs).toMatchObject({ image: "postgres:17-alpine", networksAdvanced: [{ name: "production-private", aliases: ["db"] }] });
    expect(container.inputs.ports).toBeUndefined();
    const envs = container.inputs.envs as unknown[];
    expect(envs.slice(0, 2)).toEqual(["POSTGRES_DB=app", "POSTGRES_USER=app"]);
    expect(envs[2]).toBeInstanceOf(Secret);
    expect(container.protect).toBe(false);
    expect(await resolve(run.value.connectionString)).toEqual({ known: true, secret: true, value: "postgresql://app:generated@db:5432/app" });
  });
  it("loads the libraries asked for at start, with or without WAL archiving, and runs the image's own command otherwise", async () => {
    const preload = { ...DOCKER, docker: { ...DOCKER.docker!, preload: ["pg_stat_statements"] } };
    const plain = (run: Awaited<ReturnType<typeof build>>) => run.one("docker:index/container:Container", "production-database-postgres").inputs;
    expect(plain(await build(preload))).toMatchObject({ command: ["postgres", "-c", "shared_preload_libraries=pg_stat_statements"] });
    expect(plain(await build(preload)).entrypoints).toBeUndefined();
    const pitr = { schedule: "@daily", keepDays: 7, image: "b:17", pitr: { archiveTimeoutSeconds: 3600 } };
    expect((plain(await build({ ...preload, docker: { ...preload.docker, backups: pitr } })).command as string[]).slice(-2))
      .toEqual(["-c", "shared_preload_libraries=pg_stat_statements"]);
    expect(plain(await build(DOCKER)).command).toBeUndefined();
  });

  it("dumps the database on a schedule into a protected volume of its own, keeping the configured days", async () => {
    const run = await build({ ...DOCKER, docker: { ...DOCKER.docker!, backups: { schedule: "@daily", keepDays: 30, image: "prodrigestivill/postgres-backup-local:17" } } });
    const component = run.one("paved:database:Database");
    const postgres = run.one("docker:index/container:Container", "production-database-postgres");
    const backup = run.one("docker:index/container:Container", "production-database-backup");
    expect(backup.parent).toBe(component.urn);
    expect(backup.dependencies).toContain(postgres.urn);
    expect(backup.inputs).toMatchObject({
      name: "lifeos-production-pgbackup", image: "prodrigestivill/postgres-backup-local:17", restart: "unless-stopped",
      volumes: [{ volumeName: "lifeos-production-pgbackups", containerPath: "/backups" }],
      networksAdvanced: [{ name: "production-private" }],
    });
    expect(backup.inputs.ports).toBeUndefined();
    expect(backup.inputs.envs).toEqual([
      "POSTGRES_HOST=db", "POSTGRES_DB=app", "POSTGRES_USER=app", new Secret("POSTGRES_PASSWORD=generated"),
      "SCHEDULE=@daily", "BACKUP_KEEP_DAYS=30", "BACKUP_KEEP_WEEKS=0", "BACKUP_KEEP_MONTHS=0",
    ]);
    const dumps = run.one("docker:index/volume:Volume", "production-database-backups");
    expect(dumps).toMatchObject({ parent: component.urn, protect: true, retainOnDelete: true, inputs: { name: "lifeos-production-pgbackups" } });
  });

  it("archives WAL to a protected volume of its own and takes base backups in Postgres's network namespace", async () => {
    const backups = { schedule: "@daily", keepDays: 30, image: "prodrigestivill/postgres-backup-local:17", pitr: { archiveTimeoutSeconds: 3600 } };
    const run = await build({ ...DOCKER, docker: { ...DOCKER.docker!, backups } });
    const component = run.one("paved:database:Database");
    const wal = run.one("docker:index/volume:Volume", "production-database-wal");
    expect(wal).toMatchObject({ parent: component.urn, protect: true, retainOnDelete: true, inputs: { name: "lifeos-production-pgwal" } });
    const base = run.one("docker:index/volume:Volume", "production-database-base");
    expect(base).toMatchObject({ parent: component.urn, protect: true, retainOnDelete: true, inputs: { name: "lifeos-production-pgbase" } });

    const postgres = run.one("docker:index/container:Container", "production-database-postgres");
    expect(postgres.inputs.volumes).toEqual([
      { volumeName: "lifeos-production-pgdata", containerPath: "/var/lib/postgresql/data" },
      { volumeName: "lifeos-production-pgwal", containerPath: "/var/lib/postgresql/wal-archive" },
    ]);
    expect(postgres.inputs.entrypoints).toEqual([
      "sh", "-c", 'chown postgres:postgres /var/lib/postgresql/wal-archive && chmod 700 /var/lib/postgresql/wal-archive && exec docker-entrypoint.sh "$@"', "sh",
    ]);
    expect(postgres.inputs.command).toEqual([
      "postgres", "-c", "wal_level=replica", "-c", "archive_mode=on", "-c", "archive_timeout=3600",
      "-c", `archive_command=${archiveCommand("/var/lib/postgresql/wal-archive")}`,
    ]);
    expect(archiveCommand("/a")).toBe("{ test ! -f /a/%f && cp %p /a/%f.tmp && mv /a/%f.tmp /a/%f; } || cmp -s %p /a/%f");
    // The README's restore starts its recovery server with the same command.
    expect(readFileSync(resolvePath(__dirname, "../../README.md"), "utf8")).toContain(`-c 'archive_command=${archiveCommand()}'`);
    expect(postgres.inputs.networksAdvanced).toEqual([{ name: "production-private", aliases: ["db"] }]);

    const basebackup = run.one("docker:index/container:Container", "production-database-basebackup");
    expect(basebackup.parent).toBe(component.urn);
    expect(basebackup.dependencies).toContain(postgres.urn);
    expect(basebackup.inputs).toMatchObject({
      name: "lifeos-production-pgbasebackup", image: "postgres:17-alpine", restart: "unless-stopped",
      entrypoints: ["sh", "-c", BASE_BACKUP_SCRIPT],
      networkMode: "container:production-database-postgres-id",
      volumes: [
        { volumeName: "lifeos-production-pgbase", containerPath: "/var/lib/postgresql/base-backups" },
        { volumeName: "lifeos-production-pgwal", containerPath: "/var/lib/postgresql/wal-archive" },
      ],
    });
    expect(basebackup.inputs.networksAdvanced).toBeUndefined();
    expect(basebackup.inputs.ports).toBeUndefined();
    expect(basebackup.inputs.envs).toEqual([
      "PGHOST=127.0.0.1", "PGPORT=5432", "PGUSER=app", new Secret("PGPASSWORD=generated"),
      "BASE_DIR=/var/lib/postgresql/base-backups", "WAL_DIR=/var/lib/postgresql/wal-archive", "KEEP_DAYS=30", "INTERVAL_SECONDS=86400",
    ]);
    // The logical dumps stay beside the base backups.
    expect(run.all("docker:index/container:Container").map((c) => c.name).sort())
      .toEqual(["production-database-backup", "production-database-basebackup", "production-database-password", "production-database-postgres"]);
  });

  it("leaves the server's entrypoint and command to the image without point-in-time recovery", async () => {
    const run = await build({ ...DOCKER, docker: { ...DOCKER.docker!, backups: { schedule: "@daily", keepDays: 30, image: "b:17" } } });
    const postgres = run.one("docker:index/container:Container", "production-database-postgres");
    expect(postgres.inputs.entrypoints).toBeUndefined();
    expect(postgres.inputs.command).toBeUndefined();
    expect(postgres.inputs.volumes).toHaveLength(1);
    expect(run.all("docker:index/volume:Volume").map((v) => v.name).sort()).toEqual(["production-database-backups", "production-database-data"]);
  });

  it("names PGDATA for Postgres 18 and later, whose image would refuse a volume at the old data path; leaves it to the image before", async () => {
    const envsOf = async (version: number) => ((await build({ ...DOCKER, version, docker: { ...DOCKER.docker!, image: `postgres:${version}-alpine` } }))
      .one("docker:index/container:Container", "production-database-postgres").inputs.envs as unknown[]).filter((e) => typeof e === "string");
    expect(await envsOf(18)).toEqual(["POSTGRES_DB=app", "POSTGRES_USER=app", "PGDATA=/var/lib/postgresql/data"]);
    expect(await envsOf(17)).toEqual(["POSTGRES_DB=app", "POSTGRES_USER=app"]);
  });

  it("runs no backup container when none is asked for", async () => {
    const run = await build(DOCKER);
    expect(run.all("docker:index/container:Container").map((c) => c.name).sort()).toEqual(["production-database-password", "production-database-postgres"]);
  });

  it("sets the user's password on the server from its own loopback, once, and hands the API the URL only after", async () => {
    const run = await build(DOCKER);
    const postgres = run.one("docker:index/container:Container", "production-database-postgres");
    const set = run.one("docker:index/container:Container", "production-database-password");
    expect(set.parent).toBe(run.one("paved:database:Database").urn);
    expect(set.inputs).toMatchObject({
      name: "lifeos-production-pgpassword", image: "postgres:17-alpine", entrypoints: ["sh", "-c", PASSWORD_SYNC_SCRIPT],
      networkMode: "container:production-database-postgres-id", mustRun: false, restart: "on-failure", maxRetryCount: 5,
    });
    expect(set.propertyDependencies.networkMode).toEqual([postgres.urn]);
    expect(set.inputs.envs).toEqual(["PGHOST=127.0.0.1", "PGPORT=5432", "PGUSER=app", "PGDATABASE=app", new Secret("NEW_PASSWORD=generated")]);
    expect(set.inputs.ports).toBeUndefined();
    // Not protected: it holds nothing; a new password or a new server container runs it again.
    expect(set).toMatchObject({ protect: false, retainOnDelete: false });
    expect(await resolve(run.value.connectionString)).toEqual({ known: true, secret: true, value: "postgresql://app:generated@db:5432/app" });
  });

  it("adopts the existing data volume by name; the dumps' volume is still created", async () => {
    const run = await build({ ...DOCKER, adopt: "lifeos_pgdata", docker: { ...DOCKER.docker!, backups: { schedule: "@daily", keepDays: 30, image: "b:17" } } });
    expect(run.one("docker:index/volume:Volume", "production-database-data")).toMatchObject({ importId: "lifeos_pgdata", inputs: { name: "lifeos_pgdata" } });
    expect(run.one("docker:index/volume:Volume", "production-database-backups").importId).toBeUndefined();
    expect(run.all("docker:index/container:Container").map((c) => c.importId)).toEqual([undefined, undefined, undefined]);
  });
});

describe("Database validation", () => {
  it.each<[Partial<DatabaseArgs>, string]>([
    [{ neon: undefined }, 'Database "production-database": provider is neon but neon settings are missing; expected args.neon'],
    [{ name: "App-DB" }, 'Database "production-database": name is "App-DB"; expected a Postgres identifier such as app'],
    [{ version: 12 }, 'Database "production-database": version is 12; expected a Postgres major version from 14 to 18'],
    [{ retentionDays: 90 }, 'Database "production-database": retentionDays is 90; expected 0 to 30'],
    [{ adopt: "proj-1" }, 'Database "production-database": adopt is set for neon; expected adopt only with render or docker'],
    [{ neon: { minCu: 0.25, maxCu: 1 } }, 'Database "production-database": neon needs exactly one of region and branchFrom; expected a region for a project of its own, or a stack to branch from'],
    [{ provider: "docker", neon: undefined, docker: { image: "postgres:17-alpine", memoryMb: 512, backups: { schedule: "@daily", keepDays: 7, image: "b:17", pitr: { archiveTimeoutSeconds: 30 } } } as DatabaseArgs["docker"] },
      'Database "production-database": docker.backups.pitr.archiveTimeoutSeconds is 30; expected whole seconds from 60 to 3600'],
  ])("rejects bad args before creating anything (%#)", async (patch, message) => {
    await expect(build({ ...NEON, ...patch })).rejects.toThrow(message);
  });
});

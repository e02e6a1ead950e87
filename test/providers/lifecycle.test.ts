import type * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  flyAppProvider, flyCertificateProvider, flyIpAddressProvider, flyMachineProvider, flySecretsProvider,
} from "../../components/providers/fly";
import { neonBranchProvider, neonDatabaseProvider, neonProjectProvider, neonRoleProvider } from "../../components/providers/neon";
import {
  railwayCustomDomainProvider, railwayEnvironmentProvider, railwayProjectProvider, railwayServiceDomainProvider, railwayServiceProvider,
  railwayVolumeProvider,
} from "../../components/providers/railway";
import { renderKeyValueProvider, renderPostgresProvider, renderServiceProvider } from "../../components/providers/render";
import { replaceReasons } from "../../scripts/lib/replacements";
import { useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";
import { FakeNeon } from "../fakes/neon";
import { FakeRailway } from "../fakes/railway";
import { FakeRender } from "../fakes/render";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
type Provider = Required<pulumi.dynamic.ResourceProvider<any, any>>;

const TOKEN = "lifecycle_TEST_TOKEN_3c9e";
const render = new FakeRender(TOKEN);
const neon = new FakeNeon(TOKEN);
const fly = new FakeFly(TOKEN);
const railway = new FakeRailway(TOKEN);

beforeAll(async () => {
  useFastEnv({
    RENDER_API_KEY: TOKEN, RENDER_API_URL: await render.start(),
    NEON_API_KEY: TOKEN, NEON_API_URL: await neon.start(),
    FLY_API_TOKEN: TOKEN, FLY_API_URL: await fly.start(),
    RAILWAY_API_TOKEN: TOKEN, RAILWAY_API_URL: `${await railway.start()}/graphql/v2`,
  });
});
afterAll(async () => Promise.all([render.stop(), neon.stop(), fly.stop(), railway.stop()]));
afterEach(() => [render, neon, fly, railway].forEach((f) => f.assertClean()));

/** One dynamic resource type, and how to reach its state in the fake. */
interface Case {
  type: string;
  provider: Provider;
  /** Inputs as a program gives them; may first create what the resource lives in. */
  inputs: () => Promise<Obj>;
  /** Per managed field: an edit made in the fake behind paved's back, and the value `read` must then report. */
  drift: Record<string, [edit: (outs: Obj) => void, seen: unknown]>;
  /** Per optional setting (set in `inputs`): after an update without it, asserts it is gone at the API. */
  removals: Record<string, (outs: Obj) => void>;
  /** Deletes the object in the fake, as someone in the dashboard would. */
  vanish: (outs: Obj) => void;
  /** Why an import (a read with no stored state) cannot read back every input, if it cannot. */
  importGap?: string;
}

const at = (o: Obj, path: string): unknown => path.split(".").reduce<any>((v, k) => v?.[k], o);
const without = (o: Obj, path: string): Obj => {
  const copy = structuredClone(o);
  const keys = path.split(".");
  delete keys.slice(0, -1).reduce<any>((v, k) => v[k], copy)[keys.at(-1)!];
  return copy;
};

async function checked(c: Case, raw: Obj): Promise<Obj> {
  const r = await c.provider.check({}, raw);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs!;
}

async function up(c: Case, raw?: Obj): Promise<{ id: string; inputs: Obj; outs: Obj }> {
  const inputs = await checked(c, raw ?? (await c.inputs()));
  const { id, outs } = await c.provider.create(inputs);
  return { id, inputs, outs: outs! };
}

let n = 0;
const unique = (s: string) => `${s}-${++n}`;

// Render ---------------------------------------------------------------------------------------------
const svc = (o: Obj) => render.services.get(o.serviceId)!;
const renderRepo: Case = {
  type: "render:Service (repo)",
  provider: renderServiceProvider as Provider,
  inputs: async () => ({
    ownerId: "tea-1", name: unique("api"), repo: "https://github.com/acme/api", branch: "main", rootDir: "packages/backend", runtime: "node",
    buildCommand: "npm ci", startCommand: "node server.js", preDeployCommand: "npm run migrate", healthCheckPath: "/health", plan: "standard",
    numInstances: 2, envVars: { LOG_LEVEL: "info" }, customDomains: ["api.example.com"], autoDeploy: true,
  }),
  drift: {
    ownerId: [(o) => (svc(o).ownerId = "tea-2"), "tea-2"],
    name: [(o) => (svc(o).name = "api-renamed"), "api-renamed"],
    region: [(o) => (svc(o).serviceDetails.region = "frankfurt"), "frankfurt"],
    plan: [(o) => (svc(o).serviceDetails.plan = "pro"), "pro"],
    numInstances: [(o) => (svc(o).serviceDetails.numInstances = 3), 3],
    healthCheckPath: [(o) => (svc(o).serviceDetails.healthCheckPath = "/ready"), "/ready"],
    preDeployCommand: [(o) => (svc(o).serviceDetails.envSpecificDetails.preDeployCommand = "npm run seed"), "npm run seed"],
    repo: [(o) => (svc(o).repo = "https://github.com/acme/other"), "https://github.com/acme/other"],
    branch: [(o) => (svc(o).branch = "develop"), "develop"],
    rootDir: [(o) => (svc(o).rootDir = "apps/api"), "apps/api"],
    runtime: [(o) => (svc(o).serviceDetails.runtime = "python"), "python"],
    buildCommand: [(o) => (svc(o).serviceDetails.envSpecificDetails.buildCommand = "make"), "make"],
    startCommand: [(o) => (svc(o).serviceDetails.envSpecificDetails.startCommand = "make run"), "make run"],
    envVars: [(o) => render.envVars.set(o.serviceId, [{ key: "LOG_LEVEL", value: "debug" }]), { LOG_LEVEL: "debug" }],
    customDomains: [(o) => render.domains.set(o.serviceId, []), []],
    autoDeploy: [(o) => (svc(o).autoDeploy = "no"), false],
  },
  removals: {
    healthCheckPath: (o) => expect(svc(o).serviceDetails.healthCheckPath).toBe(""),
    preDeployCommand: (o) => expect(svc(o).serviceDetails.envSpecificDetails.preDeployCommand).toBeUndefined(),
    rootDir: (o) => expect(svc(o).rootDir).toBe(""),
    envVars: (o) => expect(render.envVars.get(o.serviceId)).toEqual([]),
    customDomains: (o) => expect(render.domains.get(o.serviceId)).toEqual([]),
  },
  vanish: (o) => render.services.delete(o.serviceId),
};

const renderImage: Case = {
  type: "render:Service (image)",
  provider: renderServiceProvider as Provider,
  inputs: async () => ({ ownerId: "tea-1", name: unique("web"), image: { imagePath: "ghcr.io/acme/api:1" }, healthCheckPath: "/health" }),
  drift: {
    image: [(o) => (svc(o).imagePath = "ghcr.io/acme/api:2"), { imagePath: "ghcr.io/acme/api:2" }],
    healthCheckPath: [(o) => (svc(o).serviceDetails.healthCheckPath = ""), undefined],
  },
  removals: {
    healthCheckPath: (o) => expect(svc(o).serviceDetails.healthCheckPath).toBe(""),
  },
  vanish: (o) => render.services.delete(o.serviceId),
};

const pgOf = (o: Obj) => render.postgres.get(o.postgresId)!;
const renderPostgres: Case = {
  type: "render:Postgres",
  provider: renderPostgresProvider as Provider,
  inputs: async () => ({
    ownerId: "tea-1", name: unique("db"), plan: "basic_256mb", version: "16", diskSizeGB: 10, databaseName: "app", databaseUser: "app_user",
    ipAllowList: [{ cidrBlock: "203.0.113.0/24", description: "office" }],
  }),
  drift: {
    ownerId: [(o) => (pgOf(o).owner.id = "tea-2"), "tea-2"],
    name: [(o) => (pgOf(o).name = "db-renamed"), "db-renamed"],
    plan: [(o) => (pgOf(o).plan = "pro_4gb"), "pro_4gb"],
    version: [(o) => (pgOf(o).version = "17"), "17"],
    region: [(o) => (pgOf(o).region = "frankfurt"), "frankfurt"],
    diskSizeGB: [(o) => (pgOf(o).diskSizeGB = 20), 20],
    enableHighAvailability: [(o) => (pgOf(o).highAvailabilityEnabled = true), true],
    ipAllowList: [(o) => (pgOf(o).ipAllowList = []), []],
    databaseName: [(o) => (pgOf(o).databaseName = "other"), "other"],
    databaseUser: [(o) => (pgOf(o).databaseUser = "other_user"), "other_user"],
  },
  removals: {
    ipAllowList: (o) => expect(pgOf(o).ipAllowList).toEqual([]),
  },
  vanish: (o) => render.postgres.delete(o.postgresId),
};

const kvOf = (o: Obj) => render.keyValues.get(o.keyValueId)!;
const renderKeyValue: Case = {
  type: "render:KeyValue",
  provider: renderKeyValueProvider as Provider,
  inputs: async () => ({
    ownerId: "tea-1", name: unique("cache"), plan: "starter", region: "frankfurt", maxmemoryPolicy: "noeviction",
    ipAllowList: [{ cidrBlock: "203.0.113.0/24", description: "office" }],
  }),
  drift: {
    ownerId: [(o) => (kvOf(o).owner.id = "tea-2"), "tea-2"],
    name: [(o) => (kvOf(o).name = "cache-renamed"), "cache-renamed"],
    plan: [(o) => (kvOf(o).plan = "pro"), "pro"],
    region: [(o) => (kvOf(o).region = "oregon"), "oregon"],
    maxmemoryPolicy: [(o) => (kvOf(o).options.maxmemoryPolicy = "allkeys_lfu"), "allkeys_lfu"],
    ipAllowList: [(o) => (kvOf(o).ipAllowList = []), []],
  },
  removals: {
    ipAllowList: (o) => expect(kvOf(o).ipAllowList).toEqual([]),
  },
  vanish: (o) => render.keyValues.delete(o.keyValueId),
};

// Fly ------------------------------------------------------------------------------------------------
async function flyApp(): Promise<string> {
  const name = unique("app");
  await flyAppProvider.create!({ name, orgSlug: "acme" });
  return name;
}
const machineOf = (o: Obj) => fly.machines.get(o.machineId)!;
const flyCases: Case[] = [
  {
    type: "fly:App",
    provider: flyAppProvider as Provider,
    inputs: async () => ({ name: unique("app"), orgSlug: "acme" }),
    drift: { orgSlug: [(o) => (fly.apps.get(o.name)!.organization.slug = "other"), "other"] },
    removals: {},
    vanish: (o) => fly.apps.delete(o.name),
  },
  {
    type: "fly:Machine",
    provider: flyMachineProvider as Provider,
    inputs: async () => ({
      app: await flyApp(), name: "api-cdg-1", region: "cdg",
      config: {
        image: "registry.fly.io/api:deployment-1", env: { PORT: "3001" }, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
        services: [{ protocol: "tcp", internal_port: 3001, ports: [{ port: 443, handlers: ["tls", "http"] }], autostop: "stop", autostart: true, min_machines_running: 1 }],
        checks: { health: { type: "http", port: 3001, path: "/health", interval: "30s", timeout: "10s", grace_period: "10s", method: "GET" } },
        metadata: { "paved-stack": "staging" },
      },
    }),
    drift: {
      name: [(o) => (machineOf(o).name = "renamed"), "renamed"],
      region: [(o) => (machineOf(o).region = "ams"), "ams"],
      "config.image": [(o) => (machineOf(o).config.image = "registry.fly.io/api:deployment-2"), "registry.fly.io/api:deployment-2"],
      "config.env": [(o) => (machineOf(o).config.env = { PORT: "8080" }), { PORT: "8080" }],
      "config.guest": [(o) => (machineOf(o).config.guest.memory_mb = 1024), { cpu_kind: "shared", cpus: 1, memory_mb: 1024 }],
      "config.services": [(o) => (machineOf(o).config.services[0].autostop = "off"), [expect.objectContaining({ autostop: "off" })]],
      "config.checks": [(o) => delete machineOf(o).config.checks, undefined],
      "config.metadata": [(o) => (machineOf(o).config.metadata = {}), {}],
    },
    removals: {
      "config.env": (o) => expect(machineOf(o).config.env).toBeUndefined(),
      "config.services": (o) => expect(machineOf(o).config.services).toBeUndefined(),
      "config.checks": (o) => expect(machineOf(o).config.checks).toBeUndefined(),
      "config.metadata": (o) => expect(machineOf(o).config.metadata).toBeUndefined(),
    },
    vanish: (o) => fly.machines.delete(o.machineId),
  },
  {
    type: "fly:Secrets",
    provider: flySecretsProvider as Provider,
    inputs: async () => ({ app: await flyApp(), values: { DATABASE_URL: "postgres://u:p@db/app", JWT_SECRET: "j".repeat(40) } }),
    drift: { values: [(o) => fly.secrets.get(o.app)!.delete("JWT_SECRET"), { DATABASE_URL: "postgres://u:p@db/app" }] },
    removals: { "values.JWT_SECRET": (o) => expect([...fly.secrets.get(o.app)!.keys()]).toEqual(["DATABASE_URL"]) },
    vanish: (o) => fly.apps.delete(o.app),
    importGap: "Fly never answers secret values, so an imported set is written again on the next update",
  },
  {
    type: "fly:Certificate",
    provider: flyCertificateProvider as Provider,
    inputs: async () => ({ app: await flyApp(), hostname: "api.example.com" }),
    drift: {},
    removals: {},
    vanish: (o) => fly.certs.delete(`${o.app}/${o.hostname}`),
  },
  {
    type: "fly:IpAddress",
    provider: flyIpAddressProvider as Provider,
    inputs: async () => ({ app: await flyApp(), type: "v6" }),
    drift: { region: [(o) => (fly.ips.get(o.app)![0].region = "ams"), "ams"] },
    removals: {},
    vanish: (o) => fly.ips.set(o.app, []),
  },
];

// Neon -----------------------------------------------------------------------------------------------
async function neonProject(): Promise<Obj> {
  const inputs = (await neonProjectProvider.check!({} as never, { name: unique("proj"), regionId: "aws-eu-central-1" } as never)).inputs!;
  return (await neonProjectProvider.create!(inputs)).outs!;
}
/** A new project's default branch, where roles and databases live. */
async function defaultBranch(): Promise<{ projectId: string; branchId: string }> {
  const p = await neonProject();
  return { projectId: p.projectId, branchId: p.defaultBranchId };
}
const projectOf = (o: Obj) => neon.projects.get(o.projectId)!;
const dbOf = (o: Obj) => [...neon.databases.values()].find((d) => d.id === o.databaseId)!;
const neonCases: Case[] = [
  {
    type: "neon:Project",
    provider: neonProjectProvider as Provider,
    inputs: async () => ({
      name: unique("proj"), regionId: "aws-eu-central-1", pgVersion: 16, historyRetentionSeconds: 604_800, autoscalingLimitMinCu: 0.5,
      autoscalingLimitMaxCu: 2, suspendTimeoutSeconds: 300, orgId: "org-acme", defaultBranchName: "prod", allowedIps: ["203.0.113.0/24"],
    }),
    drift: {
      name: [(o) => (projectOf(o).name = "renamed"), "renamed"],
      regionId: [(o) => (projectOf(o).region_id = "aws-us-east-2"), "aws-us-east-2"],
      pgVersion: [(o) => (projectOf(o).pg_version = 17), 17],
      historyRetentionSeconds: [(o) => (projectOf(o).history_retention_seconds = 86_400), 86_400],
      autoscalingLimitMinCu: [(o) => (projectOf(o).default_endpoint_settings.autoscaling_limit_min_cu = 0.25), 0.25],
      autoscalingLimitMaxCu: [(o) => (projectOf(o).default_endpoint_settings.autoscaling_limit_max_cu = 4), 4],
      suspendTimeoutSeconds: [(o) => (projectOf(o).default_endpoint_settings.suspend_timeout_seconds = 0), 0],
      orgId: [(o) => (projectOf(o).org_id = "org-other"), "org-other"],
      defaultBranchName: [(o) => (neon.branches.get(o.defaultBranchId)!.name = "main"), "main"],
      allowedIps: [(o) => (projectOf(o).settings.allowed_ips.ips = ["198.51.100.7"]), ["198.51.100.7"]],
    },
    removals: { allowedIps: (o) => expect(projectOf(o).settings.allowed_ips.ips).toEqual([]) },
    vanish: (o) => neon.projects.delete(o.projectId),
  },
  {
    type: "neon:Branch",
    provider: neonBranchProvider as Provider,
    inputs: async () => {
      const { projectId, branchId } = await defaultBranch();
      return { projectId, parentId: branchId, name: unique("pr"), protected: true };
    },
    drift: {
      name: [(o) => (neon.branches.get(o.branchId)!.name = "renamed"), "renamed"],
      protected: [(o) => (neon.branches.get(o.branchId)!.protected = false), false],
    },
    removals: {},
    vanish: (o) => neon.branches.delete(o.branchId),
  },
  {
    type: "neon:Role",
    provider: neonRoleProvider as Provider,
    inputs: async () => ({ ...(await defaultBranch()), name: "app" }),
    drift: {},
    removals: {},
    vanish: (o) => neon.roles.delete(`${o.branchId}/${o.name}`),
  },
  {
    type: "neon:Database",
    provider: neonDatabaseProvider as Provider,
    inputs: async () => {
      const where = await defaultBranch();
      await neonRoleProvider.create!({ ...where, name: "other" });
      return { ...where, name: unique("db"), ownerName: "neondb_owner" };
    },
    drift: {
      name: [(o) => {
        const db = dbOf(o);
        neon.databases.delete(`${o.branchId}/${db.name}`);
        neon.databases.set(`${o.branchId}/renamed`, Object.assign(db, { name: "renamed" }));
      }, "renamed"],
      ownerName: [(o) => (dbOf(o).owner_name = "other"), "other"],
    },
    removals: {},
    vanish: (o) => neon.databases.delete(`${o.branchId}/${o.name}`),
  },
];

// Railway ----------------------------------------------------------------------------------------------
/** A new project and the environment Railway made with it. */
async function railwayProject(): Promise<{ projectId: string; environmentId: string }> {
  const outs = (await railwayProjectProvider.create!({ name: unique("proj"), defaultEnvironmentName: "staging" })).outs!;
  return { projectId: outs.projectId, environmentId: outs.defaultEnvironmentId };
}
/** A project, its environment and an image-backed service in it. */
async function railwayTarget(): Promise<{ projectId: string; environmentId: string; serviceId: string }> {
  const where = await railwayProject();
  const svc = (await railwayServiceProvider.create!({ ...where, name: unique("api"), image: "ghcr.io/acme/api:1", numReplicas: 1, variables: {} })).outs!;
  return { ...where, serviceId: svc.serviceId };
}
const instanceOf = (o: Obj) => railway.instances.get(`${o.serviceId}/${o.environmentId}`)!;
const volumeInstanceOf = (o: Obj) => [...railway.volumeInstances.values()].find((i) => i.volumeId === o.volumeId && i.environmentId === o.environmentId)!;
const railwayCases: Case[] = [
  {
    type: "railway:Project",
    provider: railwayProjectProvider as Provider,
    inputs: async () => ({ name: unique("proj"), description: "the API", workspaceId: "ws-acme", defaultEnvironmentName: "staging" }),
    drift: {
      name: [(o) => (railway.projects.get(o.projectId)!.name = "renamed"), "renamed"],
      description: [(o) => (railway.projects.get(o.projectId)!.description = "edited"), "edited"],
      workspaceId: [(o) => (railway.projects.get(o.projectId)!.workspaceId = "ws-other"), "ws-other"],
    },
    removals: { description: (o) => expect(railway.projects.get(o.projectId)!.description).toBeNull() },
    vanish: (o) => railway.projects.delete(o.projectId),
  },
  {
    type: "railway:Environment",
    provider: railwayEnvironmentProvider as Provider,
    inputs: async () => ({ projectId: (await railwayProject()).projectId, name: "production" }),
    drift: { name: [(o) => (railway.environments.get(o.environmentId)!.name = "prod"), "prod"] },
    removals: {},
    vanish: (o) => railway.environments.delete(o.environmentId),
  },
  {
    type: "railway:Service (image)",
    provider: railwayServiceProvider as Provider,
    inputs: async () => ({
      ...(await railwayProject()), name: unique("api"), image: `ghcr.io/acme/api@sha256:${"b".repeat(64)}`, startCommand: "/app/server",
      numReplicas: 2, region: "us-east4", healthcheckPath: "/health", healthcheckTimeout: 60, variables: { PORT: "8080", JWT_SECRET: "j".repeat(40) },
    }),
    drift: {
      name: [(o) => (railway.services.get(o.serviceId)!.name = "renamed"), "renamed"],
      image: [(o) => (instanceOf(o).source.image = "ghcr.io/acme/api:2"), "ghcr.io/acme/api:2"],
      startCommand: [(o) => (instanceOf(o).startCommand = "/app/other"), "/app/other"],
      numReplicas: [(o) => (instanceOf(o).numReplicas = 3), 3],
      region: [(o) => (instanceOf(o).region = "europe-west4"), "europe-west4"],
      healthcheckPath: [(o) => (instanceOf(o).healthcheckPath = null), undefined],
      healthcheckTimeout: [(o) => (instanceOf(o).healthcheckTimeout = 300), 300],
      variables: [(o) => railway.variables.set(`${o.serviceId}/${o.environmentId}`, { PORT: "9090" }), { PORT: "9090" }],
    },
    removals: {
      startCommand: (o) => expect(instanceOf(o).startCommand).toBeNull(),
      region: (o) => expect(instanceOf(o).region).toBeNull(),
      healthcheckPath: (o) => expect(instanceOf(o).healthcheckPath).toBeNull(),
      healthcheckTimeout: (o) => expect(instanceOf(o).healthcheckTimeout).toBeNull(),
      variables: (o) => expect(railway.variables.get(`${o.serviceId}/${o.environmentId}`)).toEqual({}),
    },
    vanish: (o) => railway.services.delete(o.serviceId),
  },
  {
    type: "railway:Service (repo)",
    provider: railwayServiceProvider as Provider,
    inputs: async () => ({
      ...(await railwayProject()), name: unique("api"), repo: "acme/app", branch: "main", rootDirectory: "apps/api",
      buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", numReplicas: 1, variables: {},
    }),
    drift: {
      repo: [(o) => (instanceOf(o).source.repo = "acme/other"), "acme/other"],
      branch: [(o) => (railway.triggers.get(`${o.serviceId}/${o.environmentId}`)!.branch = "develop"), "develop"],
      rootDirectory: [(o) => (instanceOf(o).rootDirectory = "packages/api"), "packages/api"],
      buildCommand: [(o) => (instanceOf(o).buildCommand = "make"), "make"],
    },
    removals: {
      rootDirectory: (o) => expect(instanceOf(o).rootDirectory).toBeNull(),
      buildCommand: (o) => expect(instanceOf(o).buildCommand).toBeNull(),
    },
    vanish: (o) => railway.services.delete(o.serviceId),
  },
  {
    type: "railway:ServiceDomain",
    provider: railwayServiceDomainProvider as Provider,
    inputs: async () => ({ ...(await railwayTarget()), targetPort: 8080 }),
    drift: { targetPort: [(o) => ([...railway.serviceDomains.values()].find((d) => d.serviceId === o.serviceId)!.targetPort = 3000), 3000] },
    removals: {},
    vanish: (o) => [...railway.serviceDomains.values()].filter((d) => d.serviceId === o.serviceId).forEach((d) => railway.serviceDomains.delete(d.id)),
  },
  {
    type: "railway:CustomDomain",
    provider: railwayCustomDomainProvider as Provider,
    inputs: async () => ({ ...(await railwayTarget()), domain: `${unique("api")}.example.com`, targetPort: 8080 }),
    drift: { targetPort: [(o) => (railway.customDomains.get(o.domainId)!.targetPort = 3000), 3000] },
    removals: {},
    vanish: (o) => railway.customDomains.delete(o.domainId),
  },
  {
    type: "railway:Volume",
    provider: railwayVolumeProvider as Provider,
    inputs: async () => ({ ...(await railwayTarget()), name: unique("data"), mountPath: "/data", region: "us-east4" }),
    drift: {
      name: [(o) => (railway.volumes.get(o.volumeId)!.name = "renamed"), "renamed"],
      mountPath: [(o) => (volumeInstanceOf(o).mountPath = "/mnt"), "/mnt"],
      serviceId: [(o) => (volumeInstanceOf(o).serviceId = null), ""],
      region: [(o) => (volumeInstanceOf(o).region = "europe-west4"), "europe-west4"],
    },
    removals: {},
    // Deleted in the dashboard, Railway holds it 48 hours pending deletion.
    vanish: (o) => Object.assign(volumeInstanceOf(o), { isPendingDeletion: true, state: "DELETING" }),
  },
];

const CASES: Case[] = [renderRepo, renderImage, renderPostgres, renderKeyValue, ...flyCases, ...neonCases, ...railwayCases];

describe.each(CASES)("$type", (c) => {
  it("reads back as created: read, then diff against the same inputs, shows no change", async () => {
    const { id, inputs, outs } = await up(c);
    const read = await c.provider.read(id, outs);
    expect(read.id).toBe(id);
    expect(await c.provider.diff(id, read.props, inputs)).toMatchObject({ changes: false });
    // An import has no stored state: what it reads must still match the program's inputs.
    const imported = await c.provider.read(id, {});
    expect(await c.provider.diff(id, imported.props, inputs)).toMatchObject({ changes: c.importGap !== undefined });
  });

  it.each(Object.entries(c.drift))("shows %s edited behind paved's back in read, diff reports it, and an update undoes it", async (field, [edit, seen]) => {
    const { id, inputs, outs } = await up(c);
    edit(outs);
    const read = await c.provider.read(id, outs);
    expect(at(read.props!, field)).toEqual(seen);
    const diff = await c.provider.diff(id, read.props, inputs);
    expect(diff.changes).toBe(true);
    if (diff.replaces?.length) return; // a replacement builds it anew
    const updated = await c.provider.update(id, read.props, inputs);
    const again = await c.provider.read(id, updated.outs);
    expect(await c.provider.diff(id, again.props, inputs)).toMatchObject({ changes: false });
  });

  it.each(Object.keys(c.removals))("removes %s at the API when the inputs drop it", async (field) => {
    const { id, inputs, outs } = await up(c);
    const news = await checked(c, without(inputs, field));
    expect((await c.provider.diff(id, outs, news)).changes).toBe(true);
    const updated = await c.provider.update(id, outs, news);
    c.removals[field](outs);
    const read = await c.provider.read(id, updated.outs);
    expect(await c.provider.diff(id, read.props, news)).toMatchObject({ changes: false });
  });

  it("reads an object deleted behind paved's back as gone", async () => {
    const { id, outs } = await up(c);
    c.vanish(outs);
    expect(await c.provider.read(id, outs)).toMatchObject({ id: "" });
  });

  it("replaces on exactly the inputs the plan's diff calls replacing", async () => {
    const { id, inputs, outs } = await up(c);
    const changed = (v: unknown) => (typeof v === "string" ? `${v}-other` : typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : undefined);
    for (const [key, value] of Object.entries(inputs)) {
      const other = changed(value);
      if (other === undefined || key === "__provider") continue;
      const diff = await c.provider.diff(id, outs, { ...inputs, [key]: other });
      expect({ key, replaces: (diff.replaces ?? []).includes(key) }).toEqual({ key, replaces: replaceReasons(`paved:${c.type.split(" ")[0]}`, [key]).length > 0 });
    }
  });
});

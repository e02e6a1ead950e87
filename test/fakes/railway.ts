import fs from "node:fs";
import path from "node:path";
import { GraphqlSpec } from "./graphql-spec";
import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

export const RAILWAY_ENDPOINT = "/graphql/v2";

const envVariables = (v: unknown): string | undefined =>
  v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")
    ? undefined : `must be a map of variable names to strings, got ${JSON.stringify(v)}`;

let spec: GraphqlSpec | undefined;
/** Railway's public schema, cut to paved's operations (test/fakes/specs/railway.graphql). */
function railwaySpec(): GraphqlSpec {
  return (spec ??= new GraphqlSpec(fs.readFileSync(path.join(__dirname, "specs/railway.graphql"), "utf8"), RAILWAY_ENDPOINT, {
    EnvironmentVariables: envVariables,
  }));
}

/** How Railway answers an operation that failed: HTTP 200, the reason in errors[]. */
class GqlFailure extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const need = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new GqlFailure(`${what} not found`, "NOT_FOUND");
  return v;
};
const connection = (items: Obj[]) => ({ edges: items.map((node) => ({ node })) });

type Handler = (vars: Obj) => unknown;

/** How a pre-deploy command ends in the fake: its exit status and the lines it printed. */
export interface CommandRun {
  exitCode: number;
  output: string[];
}

/** A deployment the fake runs: its status, the commands it was made with, and what it logged. */
interface DeploymentRun {
  id: string;
  status: string;
  commands: string[];
  reads: number;
  events: Obj[];
  logs: string[];
}

const SETTLED = ["SUCCESS", "FAILED", "CRASHED", "REMOVED", "SKIPPED"];

/** Railway's GraphQL API in memory: projects, environments, services and their instances, variables, domains, volumes. */
export class FakeRailway extends FakeServer {
  readonly projects = new Map<string, Obj>();
  readonly environments = new Map<string, Obj>();
  readonly services = new Map<string, Obj>();
  /** Per `${serviceId}/${environmentId}`: the instance's settings. */
  readonly instances = new Map<string, Obj>();
  /** Per `${serviceId}/${environmentId}`: the service's variables there. */
  readonly variables = new Map<string, Record<string, string>>();
  /** Per `${serviceId}/${environmentId}`: the repository trigger (branch). */
  readonly triggers = new Map<string, Obj>();
  readonly serviceDomains = new Map<string, Obj>();
  readonly customDomains = new Map<string, Obj>();
  readonly volumes = new Map<string, Obj>();
  /** A volume's instance in one environment: where it is mounted, and on which service. */
  readonly volumeInstances = new Map<string, Obj>();
  readonly deploys: { serviceId: string; environmentId: string; variables: Record<string, string> }[] = [];
  /** Every deployment, by id. */
  readonly deployments = new Map<string, DeploymentRun>();
  /** What each pre-deploy command does when a deployment runs it; the default applies migrations and exits 0. */
  preDeploy: (command: string) => CommandRun = () => ({ exitCode: 0, output: ["applying migrations", "migrations applied"] });
  /** How many reads of a deployment it takes to settle (SUCCESS or FAILED); Infinity: it never does. */
  settleAfter = 2;
  /** The workspace a workspace token is scoped to; undefined: the token is an account token. */
  workspaceToken?: string;
  private seq = 0;
  private readonly ops: Record<string, Handler> = {};

  constructor(token: string) {
    super(token, (_status, message) => ({ errors: [{ message }] }), railwaySpec());
    this.route("POST", new RegExp(`^${RAILWAY_ENDPOINT}$`), ({ body }) => this.run(body));
    this.projectOps();
    this.serviceOps();
    this.domainOps();
    this.volumeOps();
  }

  protected override target(p: string, body: unknown): string {
    const op = GraphqlSpec.operationName(body);
    return op ? `${p}#${op}` : p;
  }

  /** Calls of one operation so far. */
  opCount(op: string): number {
    return this.count("POST", new RegExp(`#${op}$`));
  }

  private id(prefix: string): string {
    const n = (++this.seq).toString(16).padStart(12, "0");
    return `${prefix}${n.slice(0, 4)}-${n.slice(4)}`;
  }

  private run(body: Obj): FakeResponse {
    const op = body.operationName as string;
    const handler = this.ops[op];
    if (!handler) return { status: 200, body: { errors: [{ message: `the fake has no handler for ${op}` }] } };
    try {
      return { status: 200, body: { data: railwaySpec().shape(body, { [op]: handler(body.variables ?? {}) }) } };
    } catch (err) {
      if (!(err instanceof GqlFailure)) throw err;
      return { status: 200, body: { errors: [{ message: err.message, path: [op], extensions: { code: err.code ?? "INTERNAL_SERVER_ERROR" } }], data: null } };
    }
  }

  private projectView(p: Obj): Obj {
    const envs = [...this.environments.values()].filter((e) => e.projectId === p.id).map((e) => ({ id: e.id, name: e.name }));
    const services = [...this.services.values()].filter((s) => s.projectId === p.id).map((s) => ({ id: s.id, name: s.name }));
    return { ...p, environments: connection(envs), services: connection(services) };
  }

  private projectOps(): void {
    const ops = this.ops;
    // Railway's API docs: a workspace token "cannot be used to access your personal resources or other workspaces".
    const mayUse = (workspaceId: string) => {
      if (this.workspaceToken && workspaceId !== this.workspaceToken) throw new GqlFailure("Not Authorized");
      return workspaceId;
    };
    ops.projectCreate = ({ input }) => {
      const workspaceId = mayUse(input.workspaceId ?? this.workspaceToken ?? "ws-personal");
      const p = { id: this.id("p"), name: input.name ?? "new-project", description: input.description ?? null, workspaceId, createdAt: new Date().toISOString() };
      this.projects.set(p.id, p);
      const env = { id: this.id("e"), name: input.defaultEnvironmentName ?? "production", projectId: p.id };
      this.environments.set(env.id, env);
      return this.projectView(p);
    };
    ops.project = ({ id }) => this.projectView(need(this.projects.get(id), "Project"));
    const listed = (workspaceId: string) => connection([...this.projects.values()].filter((p) => p.workspaceId === workspaceId).map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt })));
    // With no workspace, a workspace token lists its own; an account token's own (personal) projects
    // are none since they moved into workspaces (the schema: User.projects "will not return anything anymore").
    ops.projects = ({ workspaceId }) => (workspaceId ? listed(mayUse(workspaceId)) : this.workspaceToken ? listed(this.workspaceToken) : connection([]));
    ops.meProjects = () => {
      // Railway's API docs: `me` "cannot be used with a workspace or project token".
      if (this.workspaceToken) throw new GqlFailure("Not Authorized");
      const ids = new Set(["ws-personal", ...[...this.projects.values()].map((p) => p.workspaceId as string)]);
      return { workspaces: [...ids].map((id) => ({ id, projects: listed(id) })) };
    };
    ops.projectUpdate = ({ id, input }) => {
      const p = need(this.projects.get(id), "Project");
      if (input.name !== undefined && input.name !== null) p.name = input.name;
      if (input.description !== undefined) p.description = input.description === "" ? null : input.description;
      return { id };
    };
    ops.projectDelete = ({ id }) => {
      need(this.projects.get(id), "Project");
      this.projects.delete(id);
      for (const [k, e] of this.environments) if (e.projectId === id) this.environments.delete(k);
      for (const [k, s] of this.services) if (s.projectId === id) this.services.delete(k);
      return true;
    };
    ops.environmentCreate = ({ input }) => {
      need(this.projects.get(input.projectId), "Project");
      const taken = [...this.environments.values()].some((e) => e.projectId === input.projectId && e.name === input.name);
      if (taken) throw new GqlFailure(`Environment ${input.name} already exists`);
      const env = { id: this.id("e"), name: input.name, projectId: input.projectId };
      this.environments.set(env.id, env);
      return env;
    };
    ops.environment = ({ id }) => need(this.environments.get(id), "Environment");
    ops.environmentRename = ({ id, input }) => {
      const env = need(this.environments.get(id), "Environment");
      env.name = input.name;
      return { id, name: env.name };
    };
    ops.environmentDelete = ({ id }) => {
      need(this.environments.get(id), "Environment");
      return this.environments.delete(id);
    };
  }

  private serviceOps(): void {
    const ops = this.ops;
    const key = (serviceId: string, environmentId: string) => `${serviceId}/${environmentId}`;
    ops.serviceCreate = ({ input }) => {
      need(this.projects.get(input.projectId), "Project");
      const s = { id: this.id("s"), name: input.name ?? "service", projectId: input.projectId };
      this.services.set(s.id, s);
      const env = input.environmentId ?? [...this.environments.values()].find((e) => e.projectId === input.projectId)?.id;
      this.instances.set(key(s.id, env), { source: null, numReplicas: 1, healthcheckTimeout: null });
      this.variables.set(key(s.id, env), { ...(input.variables ?? {}) });
      return s;
    };
    ops.service = ({ id }) => {
      const s = need(this.services.get(id), "Service");
      const triggers = [...this.triggers.entries()].filter(([k]) => k.startsWith(`${id}/`)).map(([k, t]) => ({ ...t, environmentId: k.split("/")[1] }));
      return { ...s, repoTriggers: connection(triggers) };
    };
    ops.serviceUpdate = ({ id, input }) => {
      const s = need(this.services.get(id), "Service");
      if (input.name) s.name = input.name;
      return { id, name: s.name };
    };
    ops.serviceConnect = ({ id, input }) => {
      need(this.services.get(id), "Service");
      for (const [k, inst] of this.instances) {
        if (!k.startsWith(`${id}/`)) continue;
        inst.source = { image: null, repo: input.repo };
        this.triggers.set(k, { repository: input.repo, branch: input.branch ?? "main" });
      }
      return { id };
    };
    ops.serviceDelete = ({ id }) => {
      need(this.services.get(id), "Service");
      this.services.delete(id);
      for (const m of [this.instances, this.variables, this.triggers]) for (const k of m.keys()) if (k.startsWith(`${id}/`)) m.delete(k);
      return true;
    };
    const instance = (serviceId: string, environmentId: string | null | undefined) =>
      need(this.instances.get(key(serviceId, environmentId ?? "")), "ServiceInstance");
    ops.serviceInstanceUpdate = ({ serviceId, environmentId, input }) => {
      const inst = instance(serviceId, environmentId);
      // Railway keeps a setting the input leaves out, and clears one sent as null.
      for (const f of ["rootDirectory", "buildCommand", "startCommand", "preDeployCommand", "numReplicas", "region", "healthcheckPath", "healthcheckTimeout"]) {
        if (f in input) inst[f] = input[f];
      }
      if ("source" in input) {
        inst.source = input.source && (input.source.image || input.source.repo) ? { image: input.source.image ?? null, repo: input.source.repo ?? null } : null;
        if (!input.source?.repo) this.triggers.delete(key(serviceId, environmentId));
      }
      return true;
    };
    ops.serviceInstance = ({ serviceId, environmentId }) => {
      const inst = instance(serviceId, environmentId);
      return {
        source: inst.source ?? null, buildCommand: inst.buildCommand ?? null, startCommand: inst.startCommand ?? null,
        preDeployCommand: inst.preDeployCommand ?? null, rootDirectory: inst.rootDirectory ?? null, numReplicas: inst.numReplicas ?? null, region: inst.region ?? null,
        healthcheckPath: inst.healthcheckPath ?? null, healthcheckTimeout: inst.healthcheckTimeout ?? null,
      };
    };
    ops.serviceInstanceDeployV2 = ({ serviceId, environmentId }) => {
      const inst = instance(serviceId, environmentId);
      if (!inst.source) throw new GqlFailure("Service has no source to deploy");
      this.deploys.push({ serviceId, environmentId, variables: { ...this.variables.get(key(serviceId, environmentId)) } });
      const id = this.id("d");
      this.deployments.set(id, { id, status: "QUEUED", commands: [...(inst.preDeployCommand ?? [])], reads: 0, events: [], logs: [] });
      return id;
    };
    ops.deployment = ({ id }) => {
      const run = need(this.deployments.get(id), "Deployment");
      this.advance(run);
      return { id, status: run.status };
    };
    ops.deploymentEvents = ({ id, last }) => {
      const run = need(this.deployments.get(id), "Deployment");
      return connection(last == null ? run.events : run.events.slice(-last));
    };
    ops.deploymentLogs = ({ deploymentId, limit }) => {
      const run = need(this.deployments.get(deploymentId), "Deployment");
      return run.logs.slice(-(limit ?? 100)).map((message) => ({ message }));
    };
    ops.variables = ({ serviceId, environmentId }) => {
      const vars = need(this.variables.get(key(serviceId, environmentId)), "Service instance");
      const s = this.services.get(serviceId)!;
      // Railway adds its own variables to every service's set.
      return { ...vars, RAILWAY_SERVICE_NAME: s.name, RAILWAY_ENVIRONMENT_ID: environmentId };
    };
    ops.variableCollectionUpsert = ({ input }) => {
      const k = key(input.serviceId, input.environmentId);
      const vars = need(this.variables.get(k), "Service instance");
      this.variables.set(k, { ...(input.replace ? {} : vars), ...input.variables });
      return true;
    };
  }

  /** Moves a deployment on by one read: deploying, then (after `settleAfter` reads) SUCCESS or FAILED. */
  private advance(run: DeploymentRun): void {
    if (SETTLED.includes(run.status)) return;
    run.reads++;
    run.status = "DEPLOYING";
    if (run.reads < this.settleAfter) return;
    for (const command of run.commands) {
      const result = this.preDeploy(command);
      run.logs.push(...result.output);
      if (result.exitCode !== 0) {
        run.events.push({ step: "PRE_DEPLOY_COMMAND", payload: { error: `Pre-deploy command exited with code ${result.exitCode}` } });
        run.status = "FAILED";
        return;
      }
    }
    run.status = "SUCCESS";
  }

  private volumeOps(): void {
    const ops = this.ops;
    // Railway keeps a deleted volume for 48 hours, pending deletion, before it is gone for good.
    const live = (id: string) => {
      const v = this.volumes.get(id);
      return v && !v.deleted ? v : undefined;
    };
    const instancesOf = (volumeId: string, environmentId?: string | null) =>
      [...this.volumeInstances.values()].filter((i) => i.volumeId === volumeId && (environmentId == null || i.environmentId === environmentId));
    ops.volumeCreate = ({ input }) => {
      need(this.projects.get(input.projectId), "Project");
      if (input.serviceId) need(this.services.get(input.serviceId), "Service");
      // Null deploys it nowhere; left out, to every environment of the project.
      const envs = input.environmentId === null ? []
        : input.environmentId === undefined ? [...this.environments.values()].filter((e) => e.projectId === input.projectId).map((e) => e.id)
        : [need(this.environments.get(input.environmentId), "Environment").id];
      const taken = [...this.volumeInstances.values()].some((i) => i.serviceId && i.serviceId === input.serviceId && envs.includes(i.environmentId) && !i.isPendingDeletion);
      if (taken) throw new GqlFailure("Service already has a volume: each service can only have a single volume");
      const v = { id: this.id("v"), name: `volume-${this.seq}`, projectId: input.projectId, deleted: false };
      this.volumes.set(v.id, v);
      for (const environmentId of envs) {
        const i = {
          id: this.id("vi"), volumeId: v.id, environmentId, serviceId: input.serviceId ?? null, mountPath: input.mountPath,
          region: input.region ?? "us-west2", sizeMB: 5000, state: "READY", isPendingDeletion: false,
        };
        this.volumeInstances.set(i.id, i);
      }
      return { id: v.id, name: v.name };
    };
    ops.volumeUpdate = ({ volumeId, input }) => {
      const v = need(live(volumeId), "Volume");
      if (input.name != null) v.name = input.name;
      return { id: v.id, name: v.name };
    };
    ops.volumeInstanceUpdate = ({ volumeId, environmentId, input }) => {
      need(live(volumeId), "Volume");
      const found = instancesOf(volumeId, environmentId);
      if (!found.length) throw new GqlFailure("Volume instance not found", "NOT_FOUND");
      for (const i of found) {
        if (input.serviceId) need(this.services.get(input.serviceId), "Service");
        // As the schema says: a serviceId left out detaches the volume; a mountPath left out stays.
        i.serviceId = input.serviceId ?? null;
        if (input.mountPath != null) i.mountPath = input.mountPath;
        if (input.state != null) i.state = input.state;
      }
      return true;
    };
    ops.volumeDelete = ({ volumeId }) => {
      const v = need(live(volumeId), "Volume");
      v.deleted = true;
      for (const i of instancesOf(volumeId)) Object.assign(i, { isPendingDeletion: true, state: "DELETING" });
      return true;
    };
    ops.environmentVolumes = ({ environmentId }) => {
      need(this.environments.get(environmentId), "Environment");
      const here = [...this.volumeInstances.values()].filter((i) => i.environmentId === environmentId);
      return {
        volumeInstances: connection(here.map((i) => {
          const v = this.volumes.get(i.volumeId)!;
          return { ...i, volume: { name: v.name, projectId: v.projectId } };
        })),
      };
    };
  }

  private domainOps(): void {
    const ops = this.ops;
    const of = (m: Map<string, Obj>, v: Obj) =>
      [...m.values()].filter((d) => d.serviceId === v.serviceId && d.environmentId === v.environmentId);
    const customView = (d: Obj) => ({
      id: d.id, domain: d.domain, targetPort: d.targetPort,
      status: { dnsRecords: [{ hostlabel: d.domain.split(".")[0], recordType: "DNS_RECORD_TYPE_CNAME", requiredValue: d.cnameTarget }] },
    });
    ops.domains = (v) => {
      need(this.services.get(v.serviceId), "Service");
      return {
        serviceDomains: of(this.serviceDomains, v).map((d) => ({ id: d.id, domain: d.domain, targetPort: d.targetPort })),
        customDomains: of(this.customDomains, v).map(customView),
      };
    };
    ops.serviceDomainCreate = ({ input }) => {
      const s = need(this.services.get(input.serviceId), "Service");
      const d = { id: this.id("sd"), domain: `${s.name}-${this.seq}.up.railway.app`, targetPort: input.targetPort ?? null, ...input };
      this.serviceDomains.set(d.id, d);
      return { id: d.id, domain: d.domain, targetPort: d.targetPort };
    };
    ops.serviceDomainDelete = ({ id }) => {
      need(this.serviceDomains.get(id), "Domain");
      return this.serviceDomains.delete(id);
    };
    ops.customDomainCreate = ({ input }) => {
      need(this.services.get(input.serviceId), "Service");
      if ([...this.customDomains.values()].some((d) => d.domain === input.domain)) throw new GqlFailure(`Domain ${input.domain} is already in use`);
      const d = { id: this.id("cd"), ...input, targetPort: input.targetPort ?? null, cnameTarget: `${this.seq}.up.railway.app` };
      this.customDomains.set(d.id, d);
      return customView(d);
    };
    ops.customDomainDelete = ({ id }) => {
      need(this.customDomains.get(id), "Domain");
      return this.customDomains.delete(id);
    };
  }
}

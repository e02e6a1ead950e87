/** Railway as an ApiApp host: a service in one environment of a project, its domains. */
import * as pulumi from "@pulumi/pulumi";
import type { HostContext, HostRecord } from "./api-hosts";
import { RailwayCustomDomain, RailwayEnvironment, RailwayProject, RailwayService, RailwayServiceDomain } from "./resources/railway";
import { upstreamOutput } from "./stack-output";

/** The stack output that carries the Railway project id, for `projectFrom` to read. */
export const RAILWAY_PROJECT_OUTPUT = "railwayProjectId";

export interface RailwayHostArgs {
  /** Name of the project this stack creates (and keeps when destroyed); exclusive with `projectFrom`. */ project?: string;
  /** Stack whose `railwayProjectId` output names the project to join, e.g. `organization/paved/staging`. */ projectFrom?: string;
  /** Workspace the created project belongs to. */ workspaceId?: string;
  /** This stack's environment in the project, e.g. `staging`. */ environment: string;
  /** Service name, e.g. `flightpro-api-staging`. */ serviceName: string;
  /** Railway region, e.g. `us-east4`. */ region?: string;
  /** Replicas to run. */ replicas: number;
  /** Directory Railway builds from, for a repo-backed service. */ rootDirectory?: string;
  /** Build command; makes the service repo-backed. */ buildCommand?: string;
  /** Start command. */ startCommand?: string;
  /** Migration run in the new release before it serves (Railway's pre-deploy command). */ preDeployCommand?: string;
}

export interface RailwayHost {
  record?: HostRecord;
  projectId: pulumi.Output<string>;
  /** Railway's own `*.up.railway.app` name for the service. */
  serviceDomain: pulumi.Output<string>;
  environmentId: pulumi.Output<string>;
}

/** The project and environment this stack's service lives in. */
function placement(ctx: HostContext, r: RailwayHostArgs): { projectId: pulumi.Output<string>; environmentId: pulumi.Output<string> } {
  const { name, parent } = ctx;
  if (r.project) {
    // Other stacks' environments live in the project: destroying this stack must not delete it.
    const project = new RailwayProject(`${name}-project`, {
      name: r.project, workspaceId: r.workspaceId, defaultEnvironmentName: r.environment,
    }, { parent, retainOnDelete: true });
    return { projectId: project.projectId, environmentId: project.defaultEnvironmentId };
  }
  const ref = new pulumi.StackReference(`${name}-project`, { name: r.projectFrom! }, { parent });
  const projectId = upstreamOutput(ref, { output: RAILWAY_PROJECT_OUTPUT, key: "paved:api.railway.projectFrom" }, parent);
  const environment = new RailwayEnvironment(`${name}-environment`, { projectId, name: r.environment }, { parent });
  return { projectId, environmentId: environment.environmentId };
}

/** Railway: the service with its variables, Railway's own domain and the custom hostname. */
export function createRailway(ctx: HostContext, r: RailwayHostArgs): RailwayHost {
  const { name, parent } = ctx;
  const { projectId, environmentId } = placement(ctx, r);
  const repoBacked = !!r.buildCommand;
  const service = new RailwayService(`${name}-service`, {
    projectId, environmentId, name: r.serviceName, numReplicas: r.replicas, region: r.region, healthcheckPath: ctx.healthPath,
    preDeployCommand: r.preDeployCommand,
    ...(repoBacked
      ? { repo: ctx.repository, branch: ctx.branch, rootDirectory: r.rootDirectory, buildCommand: r.buildCommand, startCommand: r.startCommand }
      : { image: ctx.image, startCommand: r.startCommand }),
    variables: { ...ctx.env, ...ctx.secretEnv },
  }, { parent });
  const target = { projectId, environmentId, serviceId: service.serviceId, targetPort: ctx.port };
  const { domain: serviceDomain } = new RailwayServiceDomain(`${name}-railway-domain`, target, { parent });
  if (!ctx.hostname) return { projectId, environmentId, serviceDomain };
  const domain = new RailwayCustomDomain(`${name}-domain`, { ...target, domain: ctx.hostname }, { parent });
  return { projectId, environmentId, serviceDomain, record: { type: "CNAME", content: domain.cnameTarget } };
}

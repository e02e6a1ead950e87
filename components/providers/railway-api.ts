import { readOrGone, type ReadResult } from "./common";
import { ApiClient, ApiError, credentialsFromEnv, isAmbiguous, type ServiceEnv } from "./http";

/** Railway's credentials and endpoint: `RAILWAY_API_TOKEN`, `RAILWAY_API_URL` (the GraphQL endpoint). */
export const RAILWAY_ENV: ServiceEnv = {
  service: "Railway",
  keyVar: "RAILWAY_API_TOKEN",
  urlVar: "RAILWAY_API_URL",
  defaultUrl: "https://backboard.railway.com/graphql/v2",
};

/** Every GraphQL document paved sends to Railway; test/fakes/specs/extract-railway.ts cuts the schema to these. */
export const RAILWAY_OPS = {
  projectCreate: `mutation projectCreate($input: ProjectCreateInput!) {
  projectCreate(input: $input) { id name description workspaceId environments { edges { node { id name } } } }
}`,
  projectUpdate: `mutation projectUpdate($id: String!, $input: ProjectUpdateInput!) { projectUpdate(id: $id, input: $input) { id } }`,
  projectDelete: `mutation projectDelete($id: String!) { projectDelete(id: $id) }`,
  project: `query project($id: String!) {
  project(id: $id) { id name description workspaceId environments { edges { node { id name } } } services { edges { node { id name } } } }
}`,
  projects: `query projects($workspaceId: String) { projects(workspaceId: $workspaceId) { edges { node { id name createdAt } } } }`,
  // Aliased because the answer is read under the operation's name. `me.projects` is deprecated: "This
  // field will not return anything anymore, go through the workspace's projects" (Railway's schema).
  meProjects: `query meProjects { meProjects: me { workspaces { id projects(first: 500) { edges { node { id name createdAt } } } } } }`,
  environmentCreate: `mutation environmentCreate($input: EnvironmentCreateInput!) { environmentCreate(input: $input) { id name projectId } }`,
  environmentRename: `mutation environmentRename($id: String!, $input: EnvironmentRenameInput!) { environmentRename(id: $id, input: $input) { id name } }`,
  environmentDelete: `mutation environmentDelete($id: String!) { environmentDelete(id: $id) }`,
  environment: `query environment($id: String!) { environment(id: $id) { id name projectId } }`,
  serviceCreate: `mutation serviceCreate($input: ServiceCreateInput!) { serviceCreate(input: $input) { id name projectId } }`,
  serviceUpdate: `mutation serviceUpdate($id: String!, $input: ServiceUpdateInput!) { serviceUpdate(id: $id, input: $input) { id name } }`,
  serviceConnect: `mutation serviceConnect($id: String!, $input: ServiceConnectInput!) { serviceConnect(id: $id, input: $input) { id } }`,
  serviceDelete: `mutation serviceDelete($id: String!) { serviceDelete(id: $id) }`,
  service: `query service($id: String!) {
  service(id: $id) { id name projectId repoTriggers { edges { node { branch environmentId repository } } } }
}`,
  serviceInstanceUpdate: `mutation serviceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`,
  serviceInstance: `query serviceInstance($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    source { image repo } buildCommand startCommand preDeployCommand rootDirectory numReplicas region healthcheckPath healthcheckTimeout
  }
}`,
  serviceInstanceDeployV2: `mutation serviceInstanceDeployV2($serviceId: String!, $environmentId: String!) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
}`,
  deployment: `query deployment($id: String!) { deployment(id: $id) { id status } }`,
  deploymentEvents: `query deploymentEvents($id: String!, $last: Int) {
  deploymentEvents(id: $id, last: $last) { edges { node { step payload { error } } } }
}`,
  deploymentLogs: `query deploymentLogs($deploymentId: String!, $limit: Int) { deploymentLogs(deploymentId: $deploymentId, limit: $limit) { message } }`,
  variables: `query variables($projectId: String!, $environmentId: String!, $serviceId: String) {
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, unrendered: true)
}`,
  variableCollectionUpsert: `mutation variableCollectionUpsert($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }`,
  domains: `query domains($projectId: String!, $environmentId: String!, $serviceId: String!) {
  domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    serviceDomains { id domain targetPort }
    customDomains { id domain targetPort status { dnsRecords { hostlabel recordType requiredValue } } }
  }
}`,
  serviceDomainCreate: `mutation serviceDomainCreate($input: ServiceDomainCreateInput!) { serviceDomainCreate(input: $input) { id domain targetPort } }`,
  serviceDomainDelete: `mutation serviceDomainDelete($id: String!) { serviceDomainDelete(id: $id) }`,
  customDomainCreate: `mutation customDomainCreate($input: CustomDomainCreateInput!) {
  customDomainCreate(input: $input) { id domain targetPort status { dnsRecords { hostlabel recordType requiredValue } } }
}`,
  customDomainDelete: `mutation customDomainDelete($id: String!) { customDomainDelete(id: $id) }`,
  volumeCreate: `mutation volumeCreate($input: VolumeCreateInput!) { volumeCreate(input: $input) { id name } }`,
  volumeUpdate: `mutation volumeUpdate($volumeId: String!, $input: VolumeUpdateInput!) { volumeUpdate(volumeId: $volumeId, input: $input) { id name } }`,
  volumeInstanceUpdate: `mutation volumeInstanceUpdate($volumeId: String!, $environmentId: String, $input: VolumeInstanceUpdateInput!) {
  volumeInstanceUpdate(volumeId: $volumeId, environmentId: $environmentId, input: $input)
}`,
  volumeDelete: `mutation volumeDelete($volumeId: String!) { volumeDelete(volumeId: $volumeId) }`,
  // Aliased because the answer is read under the operation's name, and `environment` already is one.
  environmentVolumes: `query environmentVolumes($environmentId: String!) {
  environmentVolumes: environment(id: $environmentId) {
    volumeInstances { edges { node { volumeId serviceId mountPath region sizeMB state isPendingDeletion volume { name projectId } } } }
  }
}`,
} as const;

export type RailwayOp = keyof typeof RAILWAY_OPS;

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}

const firstError = (body: unknown): GraphqlError | undefined => {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length ? (errors[0] as GraphqlError) : undefined;
};

// The code stays on ApiError.code: Railway tags most failures INTERNAL_SERVER_ERROR, which says nothing.
function errorMessage(body: unknown): string | undefined {
  const e = firstError(body);
  if (e?.message) return e.message;
  const m = (body as { message?: unknown } | null)?.message;
  return typeof m === "string" ? m : undefined;
}

/** A GraphQL client for Railway on the shared HTTP layer; errors name the operation. */
export class RailwayClient {
  private readonly http: ApiClient;
  private readonly path: string;

  constructor() {
    const { token, baseUrl } = credentialsFromEnv(RAILWAY_ENV);
    const url = new URL(baseUrl);
    this.path = url.pathname;
    this.http = new ApiClient({ service: "Railway", token, baseUrl: url.origin, errorMessage });
  }

  /**
   * Runs one operation. `safe` marks it as repeatable (a query, an update that sets a value, a
   * delete), so 5xx and timeouts retry it; a create never repeats blindly.
   */
  async call<T>(op: RailwayOp, variables: Record<string, unknown>, o: { safe?: boolean; redact?: readonly string[] } = {}): Promise<T> {
    const label = `${this.path} ${op}`;
    const body = await this.http.request<{ data?: Record<string, unknown> | null; errors?: unknown }>("POST", this.path, {
      body: { query: RAILWAY_OPS[op], variables, operationName: op },
      retry: o.safe ?? RAILWAY_OPS[op].startsWith("query"),
      redact: o.redact,
      label,
    });
    const e = firstError(body);
    // Railway answers a failed operation with HTTP 200 and the reason in errors[].
    if (e || !body?.data) {
      throw new ApiError({
        service: "Railway", method: "POST", path: label, kind: "graphql", code: e?.extensions?.code,
        detail: e ? errorMessage(body)! : "the answer has no data", redact: [...(o.redact ?? [])],
      });
    }
    return body.data[op] as T;
  }
}

/** True when a create may have landed although its answer was lost (no answer, a 5xx, an unreadable body). */
export function maybeCreated(err: unknown): boolean {
  return isAmbiguous(err) || (err instanceof ApiError && err.kind === "parse");
}

/** True when Railway says the object does not exist (a refresh drops it; a delete is done). */
export function isGoneOnRailway(err: unknown): boolean {
  return err instanceof ApiError && err.kind === "graphql" && (err.code === "NOT_FOUND" || /\bnot found\b/i.test(err.message));
}

/** Runs a read; an object Railway no longer knows reads as gone (empty id). */
export function railwayReadOrGone<O>(read: () => Promise<{ id: string; props?: O; inputs?: object }>): Promise<ReadResult<O>> {
  return readOrGone(read, isGoneOnRailway);
}

/** Runs a delete; an object already gone counts as deleted. */
export async function railwayDelete(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!isGoneOnRailway(err)) throw err;
  }
}

/** The items of a Relay connection (`{edges: [{node}]}`). */
export const nodes = <T>(conn: { edges?: { node: T }[] } | undefined | null): T[] => (conn?.edges ?? []).map((e) => e.node);

import { RAILWAY_IMAGE } from "../resources/railway";
import { changedFields, Checker, type Crud, diffFields, splitId } from "./common";
import { maybeCreated, nodes, RailwayClient, railwayDelete, railwayReadOrGone } from "./railway-api";
import { awaitDeployment, wentLive } from "./railway-deploy";

const FIELDS = [
  "projectId", "environmentId", "name", "image", "repo", "branch", "rootDirectory", "buildCommand", "startCommand", "preDeployCommand",
  "numReplicas", "region", "healthcheckPath", "healthcheckTimeout", "variables",
];
const INSTANCE = ["image", "repo", "rootDirectory", "buildCommand", "startCommand", "preDeployCommand", "numReplicas", "region", "healthcheckPath", "healthcheckTimeout"];

/** A Railway service in one environment, resolved: its source, its settings there and its variables. */
export interface RailwayServiceInputs {
  projectId: string;
  environmentId: string;
  name: string;
  /** Image to run, pinned by digest (`ghcr.io/acme/api@sha256:…`); exclusive with `repo`. */
  image?: string;
  /** GitHub repository Railway builds, `owner/name`; exclusive with `image`. */
  repo?: string;
  branch?: string;
  rootDirectory?: string;
  buildCommand?: string;
  startCommand?: string;
  /** Run in the new release before it takes traffic (migrations); a failure stops the deploy. */
  preDeployCommand?: string;
  numReplicas: number;
  region?: string;
  healthcheckPath?: string;
  healthcheckTimeout?: number;
  variables: Record<string, string>;
}

export interface RailwayServiceOutputs extends RailwayServiceInputs {
  serviceId: string;
  /** Id of the last deployment paved started. */
  deploymentId: string;
  /** Where that deployment ended: `SUCCESS`, or the status (`FAILED`, …) that stopped `pulumi up`. */
  deploymentStatus: string;
}

interface InstanceBody {
  source?: { image?: string | null; repo?: string | null } | null;
  buildCommand?: string | null; startCommand?: string | null; preDeployCommand?: unknown; rootDirectory?: string | null; numReplicas?: number | null;
  region?: string | null; healthcheckPath?: string | null; healthcheckTimeout?: number | null;
}

interface ServiceBody {
  id: string; name: string; projectId: string;
  repoTriggers?: { edges: { node: { branch: string; environmentId: string; repository: string } }[] };
}

/** Railway's own variables (RAILWAY_PUBLIC_DOMAIN, …): set by the platform, never by paved. */
const own = (name: string) => name.startsWith("RAILWAY_");

/** The instance settings, every one named: null clears a setting the inputs dropped. */
function instanceInput(i: RailwayServiceInputs): Record<string, unknown> {
  return {
    source: { image: i.image ?? null, repo: i.repo ?? null },
    rootDirectory: i.rootDirectory ?? null,
    buildCommand: i.buildCommand ?? null,
    startCommand: i.startCommand ?? null,
    // A list of commands, run in order; paved's is one.
    preDeployCommand: i.preDeployCommand ? [i.preDeployCommand] : null,
    numReplicas: i.numReplicas,
    region: i.region ?? null,
    healthcheckPath: i.healthcheckPath ?? null,
    healthcheckTimeout: i.healthcheckTimeout ?? null,
  };
}

const secretValues = (i: RailwayServiceInputs) => Object.values(i.variables);

async function setVariables(c: RailwayClient, serviceId: string, i: RailwayServiceInputs): Promise<void> {
  // Replace-all is idempotent, so a lost answer may be retried; the deploy below picks them up.
  await c.call("variableCollectionUpsert", {
    input: { projectId: i.projectId, environmentId: i.environmentId, serviceId, variables: i.variables, replace: true, skipDeploys: true },
  }, { safe: true, redact: secretValues(i) });
}

/**
 * Applies the instance settings, deploys, and waits for the deployment (and so its pre-deploy
 * command) to succeed; a failure throws ReleaseFailed carrying these outputs with its status.
 */
async function configure(c: RailwayClient, serviceId: string, i: RailwayServiceInputs): Promise<RailwayServiceOutputs> {
  await c.call("serviceInstanceUpdate", { serviceId, environmentId: i.environmentId, input: instanceInput(i) }, { safe: true });
  // The branch belongs to the repository's deploy trigger, which serviceConnect sets.
  if (i.repo) await c.call("serviceConnect", { id: serviceId, input: { repo: i.repo, branch: i.branch ?? null } }, { safe: true });
  const deploymentId = await c.call<string>("serviceInstanceDeployV2", { serviceId, environmentId: i.environmentId });
  const target = { id: `${i.environmentId}/${serviceId}`, serviceId, name: i.name, preDeployCommand: i.preDeployCommand, secrets: secretValues(i) };
  return awaitDeployment(c, target, deploymentId, (deploymentStatus) => ({ ...i, serviceId, deploymentId, deploymentStatus }));
}

async function findService(c: RailwayClient, i: RailwayServiceInputs): Promise<string | undefined> {
  const p = await c.call<{ services?: { edges: { node: { id: string; name: string } }[] } }>("project", { id: i.projectId });
  const same = nodes(p.services).filter((s) => s.name === i.name);
  return same.length === 1 ? same[0].id : undefined;
}

async function readService(c: RailwayClient, environmentId: string, id: string, prior: Partial<RailwayServiceOutputs>): Promise<RailwayServiceOutputs> {
  const s = await c.call<ServiceBody>("service", { id });
  const triggers = nodes(s.repoTriggers);
  const inst = await c.call<InstanceBody>("serviceInstance", { serviceId: id, environmentId });
  const vars = await c.call<Record<string, string>>("variables", { projectId: s.projectId, environmentId, serviceId: id });
  const trigger = triggers.find((t) => t.environmentId === environmentId);
  const opt = <T>(v: T | null | undefined) => (v === null || v === "" ? undefined : v);
  return {
    projectId: s.projectId, environmentId, name: s.name,
    image: opt(inst.source?.image), repo: opt(inst.source?.repo),
    branch: inst.source?.repo ? trigger?.branch ?? prior.branch : undefined,
    rootDirectory: opt(inst.rootDirectory), buildCommand: opt(inst.buildCommand), startCommand: opt(inst.startCommand),
    preDeployCommand: Array.isArray(inst.preDeployCommand) && inst.preDeployCommand.length ? inst.preDeployCommand.join(" && ") : undefined,
    numReplicas: inst.numReplicas ?? 1, region: opt(inst.region),
    healthcheckPath: opt(inst.healthcheckPath), healthcheckTimeout: opt(inst.healthcheckTimeout),
    variables: Object.fromEntries(Object.entries(vars ?? {}).filter(([k]) => !own(k)).sort(([a], [b]) => (a < b ? -1 : 1))),
    serviceId: id, deploymentId: prior.deploymentId ?? "", deploymentStatus: prior.deploymentStatus ?? "",
  };
}

const inputsOf = (o: RailwayServiceOutputs): RailwayServiceInputs => ({
  projectId: o.projectId, environmentId: o.environmentId, name: o.name, image: o.image, repo: o.repo, branch: o.branch,
  rootDirectory: o.rootDirectory, buildCommand: o.buildCommand, startCommand: o.startCommand, preDeployCommand: o.preDeployCommand, numReplicas: o.numReplicas,
  region: o.region, healthcheckPath: o.healthcheckPath, healthcheckTimeout: o.healthcheckTimeout, variables: o.variables,
});

/** CRUD for `paved:railway:Service`; id is "<environmentId>/<serviceId>". */
export const railwayServiceProvider: Crud<RailwayServiceInputs, RailwayServiceOutputs> = {
  async check(_olds, news) {
    const inputs: RailwayServiceInputs = {
      projectId: news.projectId, environmentId: news.environmentId, name: news.name, image: news.image, repo: news.repo,
      branch: news.branch, rootDirectory: news.rootDirectory, buildCommand: news.buildCommand, startCommand: news.startCommand,
      preDeployCommand: news.preDeployCommand, numReplicas: news.numReplicas ?? 1, region: news.region, healthcheckPath: news.healthcheckPath,
      healthcheckTimeout: news.healthcheckTimeout, variables: news.variables ?? {},
    };
    const c = new Checker(inputs as never);
    c.string("projectId", { required: true });
    c.string("environmentId", { required: true });
    c.string("name", { required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, hint: "letters, digits, dots, dashes and underscores" });
    c.string("image", { pattern: RAILWAY_IMAGE, hint: "an image reference such as ghcr.io/acme/api@sha256:<64 hex>" });
    c.string("repo", { pattern: /^[\w.-]+\/[\w.-]+$/, hint: "a GitHub repository as owner/name" });
    c.string("region", { pattern: /^[a-z]+-[a-z]+\d+(-[a-z0-9]+)?$/, hint: "a Railway region such as us-east4 or europe-west4" });
    c.string("healthcheckPath", { pattern: /^\//, hint: "a path starting with /" });
    c.number("numReplicas", { min: 1, max: 50, integer: true });
    c.number("healthcheckTimeout", { min: 1, max: 3600, integer: true });
    c.secretMap("variables");
    for (const k of Object.keys(inputs.variables)) if (own(k)) c.fail("variables", `variables key "${k}" is reserved: Railway sets RAILWAY_* variables itself`);
    if (news.image && news.repo) c.fail("image", "Only one of `image` or `repo` can be provided.");
    if (!news.image && !news.repo) c.fail("repo", "One of `image` or `repo` must be provided.");
    if (news.image && (news.branch || news.buildCommand || news.rootDirectory)) {
      c.fail("image", "branch, buildCommand and rootDirectory need `repo`; an image-backed service runs the image as built");
    }
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, FIELDS, ["projectId", "environmentId"]);
  },

  async create(inputs) {
    const c = new RailwayClient();
    let serviceId: string;
    try {
      // Created without a source, so nothing deploys before the settings and variables are in place.
      const s = await c.call<{ id: string }>("serviceCreate", {
        input: { projectId: inputs.projectId, environmentId: inputs.environmentId, name: inputs.name, variables: inputs.variables },
      }, { redact: secretValues(inputs) });
      serviceId = s.id;
    } catch (err) {
      const existing = maybeCreated(err) ? await findService(c, inputs) : undefined;
      if (!existing) throw err;
      serviceId = existing;
      await setVariables(c, serviceId, inputs);
    }
    return { id: `${inputs.environmentId}/${serviceId}`, outs: await configure(c, serviceId, inputs) };
  },

  async read(id, props) {
    const [environmentId, serviceId] = splitId(id, 2, "<environmentId>/<serviceId>");
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const outs = await readService(c, environmentId, serviceId, props ?? {});
      return { id, props: outs, inputs: inputsOf(outs) };
    });
  },

  async update(_id, olds, news) {
    const c = new RailwayClient();
    const id = olds.serviceId;
    const changed = changedFields(olds as never, news as never, FIELDS);
    if (changed.includes("name")) await c.call("serviceUpdate", { id, input: { name: news.name } }, { safe: true });
    if (changed.includes("variables")) await setVariables(c, id, news);
    // A deployment that failed last time (its state kept for the engine to update again) goes again too.
    const failedBefore = !!olds.deploymentStatus && !wentLive(olds.deploymentStatus);
    const redeploy = failedBefore || changed.some((f) => INSTANCE.includes(f) || f === "branch" || f === "variables");
    if (redeploy) return { outs: await configure(c, id, news) };
    return { outs: { ...news, serviceId: id, deploymentId: olds.deploymentId, deploymentStatus: olds.deploymentStatus ?? "" } };
  },

  async delete(_id, props) {
    const c = new RailwayClient();
    await railwayDelete(() => c.call("serviceDelete", { id: props.serviceId }, { safe: true }));
  },
};

import type { RenderAutoscaling } from "../resources/render";
import { changedFields, Checker, type Crud, diffFields, readOrGone } from "./common";
import { ApiClient, isAmbiguous, isNotFound } from "./http";
import { renderClient, renderListAll } from "./render-api";
import { awaitDeploy, type DeployTarget, latestDeploy, wentLive } from "./render-deploy";

export * from "./render-postgres";
export * from "./render-key-value";

const REGIONS = ["frankfurt", "oregon", "ohio", "singapore", "virginia"];
const RUNTIMES = ["docker", "elixir", "go", "node", "python", "ruby", "rust", "image"];
const FIELDS = [
  "ownerId", "name", "region", "plan", "numInstances", "healthCheckPath", "preDeployCommand", "image", "repo",
  "branch", "rootDir", "runtime", "buildCommand", "startCommand", "envVars", "customDomains", "autoDeploy", "autoscaling",
];
const PATCHED = ["name", "plan", "healthCheckPath", "preDeployCommand", "image", "repo", "branch", "rootDir", "runtime", "buildCommand", "startCommand", "autoDeploy"];

/** A Render web service's resolved inputs, as the provider sees them. */
export interface RenderServiceInputs {
  ownerId: string;
  name: string;
  region: string;
  plan: string;
  numInstances: number;
  /** Render scales between min and max on these targets; `numInstances` is then Render's to change. */
  autoscaling?: RenderAutoscaling;
  healthCheckPath?: string;
  preDeployCommand?: string;
  image?: { imagePath: string; registryCredentialId?: string };
  repo?: string;
  branch?: string;
  rootDir?: string;
  runtime: string;
  buildCommand?: string;
  startCommand?: string;
  envVars: Record<string, string>;
  customDomains: string[];
  autoDeploy: boolean;
}

/** The service's state: its inputs plus what Render assigned. */
export interface RenderServiceOutputs extends RenderServiceInputs {
  serviceId: string;
  url: string;
  dashboardUrl: string;
  /** The last deploy paved waited for; "" when there was none. */
  deployId: string;
  /** Where that deploy ended: `live`, or the failure status (`pre_deploy_failed`, …) that stopped `pulumi up`. */
  deployStatus: string;
}

interface ServiceBody {
  id: string; name: string; ownerId: string; type: string; repo?: string; branch?: string; rootDir?: string;
  autoDeploy?: string; imagePath?: string; registryCredential?: { id?: string }; dashboardUrl?: string;
  serviceDetails?: {
    region?: string; plan?: string; numInstances?: number; healthCheckPath?: string; runtime?: string; url?: string; autoscaling?: AutoscalingBody;
    envSpecificDetails?: { buildCommand?: string; startCommand?: string; preDeployCommand?: string };
  };
}

/** Render's autoscaling config: both criteria are always sent, the one not asked for disabled. */
interface AutoscalingBody {
  enabled: boolean; min: number; max: number;
  criteria: { cpu: { enabled: boolean; percentage: number }; memory: { enabled: boolean; percentage: number } };
}
// The spec requires a percentage for a criterion even when disabled: the checklist's figure stands in.
const criterion = (percent: number | undefined, unused: number) => ({ enabled: percent !== undefined, percentage: percent ?? unused });
const autoscalingBody = (a: RenderAutoscaling): AutoscalingBody => ({
  enabled: true, min: a.min, max: a.max, criteria: { cpu: criterion(a.cpuPercent, 70), memory: criterion(a.memoryPercent, 80) },
});
function autoscalingOf(body: AutoscalingBody | undefined): RenderAutoscaling | undefined {
  if (!body?.enabled) return undefined;
  const { cpu, memory } = body.criteria;
  return { min: body.min, max: body.max, cpuPercent: cpu.enabled ? cpu.percentage : undefined, memoryPercent: memory.enabled ? memory.percentage : undefined };
}

// On a PATCH an absent field keeps Render's value, so a setting the inputs dropped is sent empty.
const cleared = (v: string | undefined, forCreate: boolean) => v ?? (forCreate ? undefined : "");

function serviceDetails(i: RenderServiceInputs, forCreate: boolean): Record<string, unknown> {
  const native = i.runtime !== "image" && i.runtime !== "docker";
  return {
    runtime: i.runtime,
    plan: i.plan,
    healthCheckPath: cleared(i.healthCheckPath, forCreate),
    preDeployCommand: cleared(i.preDeployCommand, forCreate),
    envSpecificDetails: native ? { buildCommand: i.buildCommand, startCommand: i.startCommand } : undefined,
    // Render accepts region and instance count only at creation; later changes go through /scale or replacement.
    ...(forCreate ? { region: i.region, numInstances: i.autoscaling?.min ?? i.numInstances, autoscaling: i.autoscaling && autoscalingBody(i.autoscaling) } : {}),
  };
}

function sourceFields(i: RenderServiceInputs, forCreate: boolean): Record<string, unknown> {
  return {
    repo: i.repo,
    branch: i.branch,
    rootDir: cleared(i.rootDir, forCreate),
    autoDeploy: i.autoDeploy ? "yes" : "no",
    image: i.image ? { ownerId: i.ownerId, imagePath: i.image.imagePath, registryCredentialId: i.image.registryCredentialId } : undefined,
  };
}

const envList = (env: Record<string, string>) => Object.entries(env).map(([key, value]) => ({ key, value }));

async function putEnvVars(c: ApiClient, id: string, env: Record<string, string>): Promise<void> {
  // Replace-all is idempotent, so a lost response may safely be retried.
  await c.request("PUT", `/services/${id}/env-vars`, { body: envList(env), retry: true, redact: Object.values(env) });
}

async function syncDomains(c: ApiClient, id: string, want: readonly string[]): Promise<void> {
  const have = await renderListAll<{ id: string; name: string }>(c, `/services/${id}/custom-domains`, "customDomain");
  for (const d of have.filter((h) => !want.includes(h.name))) {
    await c.request("DELETE", `/services/${id}/custom-domains/${encodeURIComponent(d.name)}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
  for (const name of want.filter((w) => !have.some((h) => h.name === w))) {
    await c.request("POST", `/services/${id}/custom-domains`, { body: { name } });
  }
}

async function findByName(c: ApiClient, i: RenderServiceInputs): Promise<ServiceBody | undefined> {
  const found = await renderListAll<ServiceBody>(c, "/services", "service", { name: i.name, ownerId: i.ownerId, type: "web_service" });
  const exact = found.filter((s) => s.name === i.name);
  return exact.length === 1 ? exact[0] : undefined;
}

type Deploy = Pick<RenderServiceOutputs, "deployId" | "deployStatus">;

function outputs(i: RenderServiceInputs, s: ServiceBody, d: Deploy): RenderServiceOutputs {
  return { ...i, serviceId: s.id, url: s.serviceDetails?.url ?? "", dashboardUrl: s.dashboardUrl ?? "", deployId: d.deployId, deployStatus: d.deployStatus };
}

const target = (i: RenderServiceInputs, serviceId: string, hadRelease: boolean): DeployTarget => ({
  serviceId, name: i.name, ownerId: i.ownerId, preDeployCommand: i.preDeployCommand, hadRelease, secrets: Object.values(i.envVars),
});

/** Waits for the deploy; its outcome goes into the outputs either way (ReleaseFailed carries them). */
function settle(c: ApiClient, i: RenderServiceInputs, s: ServiceBody, deployId: string, hadRelease: boolean): Promise<RenderServiceOutputs> {
  return awaitDeploy(c, target(i, s.id, hadRelease), deployId, (deployStatus) => outputs(i, s, { deployId, deployStatus }));
}

/** Maps Render's view of a service back onto inputs, keeping fields Render does not echo from `prior`. */
async function readInputs(c: ApiClient, s: ServiceBody, prior: Partial<RenderServiceInputs>): Promise<RenderServiceInputs> {
  const sd = s.serviceDetails ?? {};
  const env = await renderListAll<{ key: string; value: string }>(c, `/services/${s.id}/env-vars`, "envVar");
  const domains = await renderListAll<{ name: string }>(c, `/services/${s.id}/custom-domains`, "customDomain");
  return {
    ownerId: s.ownerId,
    name: s.name,
    region: sd.region ?? prior.region ?? "oregon",
    plan: sd.plan ?? prior.plan ?? "starter",
    // An autoscaled service's count is Render's to move: what the inputs said stays the inputs'.
    numInstances: (sd.autoscaling?.enabled ? prior.numInstances : sd.numInstances) ?? sd.numInstances ?? 1,
    autoscaling: autoscalingOf(sd.autoscaling),
    // Render answers "" for a setting that is not set.
    healthCheckPath: sd.healthCheckPath || undefined,
    // Sent at the top of serviceDetails, answered only under envSpecificDetails.
    preDeployCommand: sd.envSpecificDetails ? sd.envSpecificDetails.preDeployCommand || undefined : prior.preDeployCommand,
    image: s.imagePath ? { imagePath: s.imagePath, registryCredentialId: s.registryCredential?.id ?? prior.image?.registryCredentialId } : undefined,
    repo: s.repo ?? undefined,
    branch: s.branch ?? undefined,
    rootDir: s.rootDir || undefined,
    runtime: sd.runtime ?? prior.runtime ?? "image",
    buildCommand: sd.envSpecificDetails?.buildCommand ?? prior.buildCommand,
    startCommand: sd.envSpecificDetails?.startCommand ?? prior.startCommand,
    envVars: Object.fromEntries(env.map((e) => [e.key, e.value])),
    customDomains: domains.map((d) => d.name).sort(),
    autoDeploy: s.autoDeploy === undefined ? prior.autoDeploy ?? true : s.autoDeploy === "yes",
  };
}

/** CRUD for `paved:render:Service`, exported so tests can drive it directly. */
export const renderServiceProvider: Crud<RenderServiceInputs, RenderServiceOutputs> = {
  async check(_olds, news) {
    const image = news.image;
    const inputs: RenderServiceInputs = {
      ...news,
      region: news.region ?? "oregon",
      plan: news.plan ?? "starter",
      numInstances: news.numInstances ?? 1,
      runtime: news.runtime ?? (image ? "image" : "node"),
      envVars: news.envVars ?? {},
      customDomains: [...(news.customDomains ?? [])].sort(),
      autoDeploy: news.autoDeploy ?? true,
    };
    const c = new Checker(inputs as unknown as Record<string, unknown>);
    c.string("ownerId", { required: true });
    c.string("name", { required: true, pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, hint: "lowercase letters, digits and dashes" });
    c.string("region", { oneOf: REGIONS });
    c.string("runtime", { oneOf: RUNTIMES });
    c.number("numInstances", { min: 1, integer: true });
    const a = news.autoscaling;
    if (a && !(Number.isInteger(a.min) && Number.isInteger(a.max) && a.min >= 1 && a.min <= a.max)) {
      c.fail("autoscaling", `autoscaling min and max must be whole numbers with 1 <= min <= max, got min ${JSON.stringify(a.min)} and max ${JSON.stringify(a.max)}`);
    }
    if (a && a.cpuPercent === undefined && a.memoryPercent === undefined) c.fail("autoscaling", "autoscaling needs cpuPercent, memoryPercent or both");
    c.string("healthCheckPath", { pattern: /^\//, hint: "a path starting with /" });
    c.boolean("autoDeploy");
    c.secretMap("envVars");
    if (image && news.repo) c.fail("image", "Only one of `image` or `repo` can be provided.");
    if (!image && !news.repo) c.fail("repo", "One of `image` or `repo` must be provided.");
    if (image && !image.imagePath) c.fail("image.imagePath", "image.imagePath is required, e.g. ghcr.io/acme/api:1.2.3");
    if (image && inputs.runtime !== "image") c.fail("runtime", `runtime must be "image" for an image-backed service, got "${inputs.runtime}"`);
    if (news.repo && inputs.runtime === "image") c.fail("runtime", 'runtime "image" needs `image`, not `repo`');
    if (news.repo && inputs.runtime !== "docker" && !(news.buildCommand && news.startCommand)) {
      c.fail("buildCommand", `buildCommand and startCommand are required for runtime "${inputs.runtime}"`);
    }
    for (const d of inputs.customDomains) {
      if (!/^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(d)) c.fail("customDomains", `customDomains entry "${d}" is not a hostname`);
    }
    return c.result(inputs);
  },

  async diff(_id, olds, rawNews) {
    const kind = (i: Partial<RenderServiceInputs>) => (i.image ? "image" : "repo");
    // With no branch given Render builds the repository's default one: whichever it answers is no change.
    const news = rawNews.repo && rawNews.branch === undefined ? { ...rawNews, branch: olds.branch } : rawNews;
    const result = diffFields(olds as never, news as never, FIELDS, ["ownerId", "region"], () => olds.name === news.name && olds.ownerId === news.ownerId);
    if (kind(olds) === kind(news)) return result;
    // Switching between repo- and image-backed is a different service shape: build it anew.
    const replaces = [...(result.replaces ?? []), olds.image ? "image" : "repo"];
    return { changes: true, replaces, deleteBeforeReplace: olds.name === news.name && olds.ownerId === news.ownerId };
  },

  async create(inputs) {
    const c = renderClient();
    let service: ServiceBody;
    let deployId: string | undefined;
    try {
      const res = await c.request<{ service: ServiceBody; deployId?: string }>("POST", "/services", {
        body: {
          type: "web_service", name: inputs.name, ownerId: inputs.ownerId, ...sourceFields(inputs, true),
          envVars: envList(inputs.envVars), serviceDetails: serviceDetails(inputs, true),
        },
        redact: Object.values(inputs.envVars),
      });
      service = res.service;
      deployId = res.deployId;
    } catch (err) {
      // The create may have landed even though its answer was lost: adopt it rather than make a twin.
      const existing = isAmbiguous(err) || (err as { kind?: string }).kind === "parse" ? await findByName(c, inputs) : undefined;
      if (!existing) throw err;
      service = existing;
      await putEnvVars(c, service.id, inputs.envVars);
    }
    if (inputs.customDomains.length) await syncDomains(c, service.id, inputs.customDomains);
    // Render starts a new service's first deploy itself, and it runs the pre-deploy command.
    deployId ??= await latestDeploy(c, service.id);
    const none = { deployId: "", deployStatus: "" };
    return { id: service.id, outs: deployId ? await settle(c, inputs, service, deployId, false) : outputs(inputs, service, none) };
  },

  async read(id, props) {
    const c = renderClient();
    return readOrGone(async () => {
      const s = await c.request<ServiceBody>("GET", `/services/${id}`);
      const inputs = await readInputs(c, s, props ?? {});
      return { id, props: outputs(inputs, s, { deployId: props?.deployId ?? "", deployStatus: props?.deployStatus ?? "" }), inputs };
    });
  },

  async update(id, olds, news) {
    const c = renderClient();
    const changed = changedFields(olds as never, news as never, FIELDS);
    if (changed.includes("autoscaling")) {
      if (news.autoscaling) await c.request("PUT", `/services/${id}/autoscaling`, { body: autoscalingBody(news.autoscaling), retry: true });
      else await c.request("DELETE", `/services/${id}/autoscaling`, { retry: true }).catch((e) => { if (!isNotFound(e)) throw e; });
    }
    // While Render autoscales, a fixed count is not the service's to set.
    if (!news.autoscaling && (changed.includes("numInstances") || changed.includes("autoscaling"))) {
      await c.request("POST", `/services/${id}/scale`, { body: { numInstances: news.numInstances } });
    }
    const patch = changed.some((f) => PATCHED.includes(f));
    if (patch) {
      // The body is every PATCHable field as wanted, so a repeat has "the same [effect] as … a single
      // such request" (RFC 9110 §9.2.2): a 503 with Retry-After (§15.6.4) or a lost answer retries it.
      await c.request("PATCH", `/services/${id}`, {
        body: { name: news.name, ...sourceFields(news, false), serviceDetails: serviceDetails(news, false) },
        retry: true,
      });
    }
    const env = changed.includes("envVars");
    if (env) await putEnvVars(c, id, news.envVars);
    if (changed.includes("customDomains")) await syncDomains(c, id, news.customDomains);
    const s = await c.request<ServiceBody>("GET", `/services/${id}`);
    // A PATCH or new env vars take effect on the next deploy, so start one now; so does a deploy
    // that failed last time, whose state the engine kept to update again.
    const failedBefore = !!olds.deployStatus && !wentLive(olds.deployStatus);
    if (!patch && !env && !failedBefore) return { outs: outputs(news, s, { deployId: olds.deployId ?? "", deployStatus: olds.deployStatus ?? "" }) };
    const started = await c.request<{ id?: string } | undefined>("POST", `/services/${id}/deploys`, { body: { clearCache: "do_not_clear" } });
    // Render answers 202 with no body when it queues the deploy behind another.
    const deployId = started?.id ?? (await latestDeploy(c, id));
    if (!deployId) return { outs: outputs(news, s, { deployId: "", deployStatus: "" }) };
    return { outs: await settle(c, news, s, deployId, true) };
  },

  async delete(id) {
    await renderClient().request("DELETE", `/services/${id}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

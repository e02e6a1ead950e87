import type { Branch, Project } from "@neondatabase/api-client";
import { changedFields, Checker, type Crud, diffFields, readOrGone } from "./common";
import { isAmbiguous, isNotFound } from "./http";
import { NeonClient, neonClient, readWriteHost } from "./neon-api";

export * from "./neon-branch";
export * from "./neon-data";

const PROJECT_FIELDS = [
  "name", "regionId", "pgVersion", "historyRetentionSeconds", "autoscalingLimitMinCu", "autoscalingLimitMaxCu",
  "suspendTimeoutSeconds", "orgId", "defaultBranchName", "allowedIps",
];

/** A Neon project's resolved inputs. */
export interface NeonProjectInputs {
  name: string;
  regionId: string;
  pgVersion: number;
  historyRetentionSeconds: number;
  autoscalingLimitMinCu: number;
  autoscalingLimitMaxCu: number;
  suspendTimeoutSeconds: number;
  orgId?: string;
  defaultBranchName: string;
  allowedIps?: string[];
}

export interface NeonProjectOutputs extends NeonProjectInputs {
  projectId: string;
  defaultBranchId: string;
  host: string;
}

async function defaultBranch(n: NeonClient, projectId: string): Promise<Branch | undefined> {
  const { branches } = await n.call("GET", `/projects/${projectId}/branches`, () => n.api.listProjectBranches({ projectId }));
  return branches.find((b) => b.default);
}

function projectInputs(p: Project, branchName: string | undefined, prior: Partial<NeonProjectInputs>): NeonProjectInputs {
  const s = p.default_endpoint_settings ?? {};
  return {
    name: p.name,
    regionId: p.region_id,
    pgVersion: p.pg_version,
    historyRetentionSeconds: p.history_retention_seconds,
    autoscalingLimitMinCu: s.autoscaling_limit_min_cu ?? prior.autoscalingLimitMinCu ?? 0.25,
    autoscalingLimitMaxCu: s.autoscaling_limit_max_cu ?? prior.autoscalingLimitMaxCu ?? 1,
    suspendTimeoutSeconds: s.suspend_timeout_seconds ?? prior.suspendTimeoutSeconds ?? 0,
    orgId: p.org_id ?? prior.orgId,
    defaultBranchName: branchName ?? prior.defaultBranchName ?? "main",
    // Neon answers an empty list for "no allow-list", which is what an unset input means.
    allowedIps: p.settings?.allowed_ips?.ips?.length ? p.settings.allowed_ips.ips : undefined,
  };
}

async function projectOutputs(n: NeonClient, id: string, prior: Partial<NeonProjectInputs>): Promise<{ inputs: NeonProjectInputs; outs: NeonProjectOutputs }> {
  const { project } = await n.call("GET", `/projects/${id}`, () => n.api.getProject(id));
  const branch = await defaultBranch(n, id);
  const inputs = projectInputs(project, branch?.name, prior);
  const host = branch ? await readWriteHost(n, id, branch.id) : "";
  return { inputs, outs: { ...inputs, projectId: id, defaultBranchId: branch?.id ?? "", host } };
}

const endpointSettings = (i: NeonProjectInputs) => ({
  autoscaling_limit_min_cu: i.autoscalingLimitMinCu,
  autoscaling_limit_max_cu: i.autoscalingLimitMaxCu,
  suspend_timeout_seconds: i.suspendTimeoutSeconds,
});
const settings = (i: NeonProjectInputs) => (i.allowedIps ? { allowed_ips: { ips: i.allowedIps } } : undefined);
// An update always states the list: leaving `settings` out would keep the old one at Neon.
const updatedSettings = (i: NeonProjectInputs) => ({ allowed_ips: { ips: i.allowedIps ?? [] } });

/** CRUD for `paved:neon:Project`. Region, Postgres version and org replace; the rest updates in place. */
export const neonProjectProvider: Crud<NeonProjectInputs, NeonProjectOutputs> = {
  async check(_olds, news) {
    const inputs: NeonProjectInputs = {
      ...news,
      pgVersion: news.pgVersion ?? 17,
      historyRetentionSeconds: news.historyRetentionSeconds ?? 86_400,
      autoscalingLimitMinCu: news.autoscalingLimitMinCu ?? 0.25,
      autoscalingLimitMaxCu: news.autoscalingLimitMaxCu ?? 1,
      suspendTimeoutSeconds: news.suspendTimeoutSeconds ?? 0,
      defaultBranchName: news.defaultBranchName ?? "main",
    };
    const c = new Checker(inputs as never);
    c.string("name", { required: true });
    c.string("regionId", { required: true, pattern: /^(aws|azure)-[a-z0-9-]+$/, hint: 'a Neon region id such as "aws-eu-central-1"' });
    c.number("pgVersion", { min: 14, max: 18, integer: true });
    c.number("historyRetentionSeconds", { min: 0, max: 2_592_000, integer: true });
    c.number("autoscalingLimitMinCu", { min: 0.25, max: 56 });
    c.number("autoscalingLimitMaxCu", { min: 0.25, max: 56 });
    c.number("suspendTimeoutSeconds", { min: -1, max: 604_800, integer: true });
    if (inputs.autoscalingLimitMinCu > inputs.autoscalingLimitMaxCu) {
      c.fail("autoscalingLimitMinCu", `autoscalingLimitMinCu ${inputs.autoscalingLimitMinCu} is above autoscalingLimitMaxCu ${inputs.autoscalingLimitMaxCu}`);
    }
    for (const ip of inputs.allowedIps ?? []) {
      if (!/^[0-9a-f.:/-]+$/i.test(ip)) c.fail("allowedIps", `allowedIps entry "${ip}" is not an IP address, range or CIDR block`);
    }
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, PROJECT_FIELDS, ["regionId", "pgVersion", "orgId"]);
  },

  async create(inputs) {
    const n = neonClient();
    const startedAt = Date.now();
    try {
      const res = await n.call("POST", "/projects", () => n.api.createProject({
        project: {
          name: inputs.name, region_id: inputs.regionId, pg_version: inputs.pgVersion, org_id: inputs.orgId,
          history_retention_seconds: inputs.historyRetentionSeconds, default_endpoint_settings: endpointSettings(inputs),
          branch: { name: inputs.defaultBranchName }, settings: settings(inputs),
        },
      }));
      await n.wait(res.project.id, res.operations);
      return { id: res.project.id, outs: (await projectOutputs(n, res.project.id, inputs)).outs };
    } catch (err) {
      if (!isAmbiguous(err) && (err as { kind?: string }).kind !== "parse") throw err;
      // Names need not be unique: only a project of this name created since this attempt began is ours.
      const { projects } = await n.call("GET", "/projects", () => n.api.listProjects({ search: inputs.name, org_id: inputs.orgId }));
      const ours = projects.filter((p) => p.name === inputs.name && Date.parse(p.created_at) >= startedAt - 60_000);
      if (ours.length !== 1) throw err;
      return { id: ours[0].id, outs: (await projectOutputs(n, ours[0].id, inputs)).outs };
    }
  },

  async read(id, props) {
    return readOrGone(async () => {
      const { inputs, outs } = await projectOutputs(neonClient(), id, props ?? {});
      return { id, props: outs, inputs };
    });
  },

  async update(id, olds, news) {
    const n = neonClient();
    const changed = changedFields(olds as never, news as never, PROJECT_FIELDS);
    if (changed.some((f) => f !== "defaultBranchName")) {
      const res = await n.call("PATCH", `/projects/${id}`, () => n.api.updateProject(id, {
        project: { name: news.name, history_retention_seconds: news.historyRetentionSeconds, default_endpoint_settings: endpointSettings(news), settings: updatedSettings(news) },
      }));
      await n.wait(id, res.operations);
    }
    if (changed.includes("defaultBranchName") && olds.defaultBranchId) {
      const res = await n.call("PATCH", `/projects/${id}/branches/${olds.defaultBranchId}`, () => n.api.updateProjectBranch(id, olds.defaultBranchId, { branch: { name: news.defaultBranchName } }));
      await n.wait(id, res.operations);
    }
    return { outs: (await projectOutputs(n, id, news)).outs };
  },

  async delete(id) {
    const n = neonClient();
    await n.call("DELETE", `/projects/${id}`, () => n.api.deleteProject(id)).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

import { Checker, type Crud, diffFields } from "./common";
import { ApiError } from "./http";
import { maybeCreated, nodes, RailwayClient, railwayDelete, railwayReadOrGone } from "./railway-api";

export * from "./railway-service";
export * from "./railway-domain";
export * from "./railway-volume";

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;
const NAME_HINT = "letters, digits, spaces, dots, dashes and underscores";

/** A Railway project's resolved inputs. */
export interface RailwayProjectInputs {
  name: string;
  description?: string;
  /** Workspace (team) the project belongs to; changing it replaces the project. */
  workspaceId?: string;
  /** Name of the environment Railway creates with the project. */
  defaultEnvironmentName: string;
}

export interface RailwayProjectOutputs extends RailwayProjectInputs {
  projectId: string;
  defaultEnvironmentId: string;
}

interface ProjectBody {
  id: string; name: string; description?: string | null; workspaceId?: string | null;
  environments?: { edges: { node: { id: string; name: string } }[] };
}

function projectOutputs(i: RailwayProjectInputs, p: ProjectBody): RailwayProjectOutputs {
  const envs = nodes(p.environments);
  // The default environment keeps its id when renamed in the dashboard; find it by name, else the first one.
  const env = envs.find((e) => e.name === i.defaultEnvironmentName) ?? envs[0];
  return { ...i, projectId: p.id, defaultEnvironmentId: env?.id ?? "" };
}

type ProjectList = { edges: { node: { id: string; name: string; createdAt: string } }[] };

/**
 * The projects a create without `workspaceId` may have landed in, listed as Railway lists them for
 * the token in use; both kinds go in `Authorization: Bearer`, so only Railway's answer tells them
 * apart. An account token's projects live in its workspaces (`me { workspaces { projects } }`, as
 * the Railway CLI lists them); a workspace token "cannot be used" for `me` (Railway's API docs), and
 * `projects` with no workspace lists the token's own workspace.
 */
async function projectsOfToken(c: RailwayClient): Promise<{ id: string; name: string; createdAt: string }[]> {
  try {
    const me = await c.call<{ workspaces: { projects: ProjectList }[] }>("meProjects", {});
    return me.workspaces.flatMap((w) => nodes(w.projects));
  } catch (err) {
    if (!(err instanceof ApiError && err.kind === "graphql")) throw err;
    return nodes(await c.call<ProjectList>("projects", { workspaceId: null }));
  }
}

/** Railway's clock may run behind ours; a project made this much before the create began still counts. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The project a create that began at `since` made, found by its name among those made since then:
 * names are not unique, and a namesake made earlier (another team's, in another workspace) is not ours.
 */
async function findProject(c: RailwayClient, i: RailwayProjectInputs, since: number): Promise<ProjectBody | undefined> {
  // A named workspace lists the same way for an account token (a member) and a workspace token.
  const all = i.workspaceId ? nodes(await c.call<ProjectList>("projects", { workspaceId: i.workspaceId })) : await projectsOfToken(c);
  const same = all.filter((p) => p.name === i.name && Date.parse(p.createdAt) >= since - CLOCK_SKEW_MS);
  return same.length === 1 ? c.call<ProjectBody>("project", { id: same[0].id }) : undefined;
}

/** CRUD for `paved:railway:Project`. */
export const railwayProjectProvider: Crud<RailwayProjectInputs, RailwayProjectOutputs> = {
  async check(_olds, news) {
    const inputs: RailwayProjectInputs = {
      name: news.name, description: news.description, workspaceId: news.workspaceId,
      defaultEnvironmentName: news.defaultEnvironmentName ?? "production",
    };
    const c = new Checker(inputs as never);
    c.string("name", { required: true, pattern: NAME, hint: NAME_HINT });
    c.string("defaultEnvironmentName", { pattern: NAME, hint: NAME_HINT });
    c.string("workspaceId");
    c.string("description");
    return c.result(inputs);
  },

  async diff(_id, olds, rawNews) {
    // With no workspace given Railway picks the token's own: whichever it answers is no change.
    const news = rawNews.workspaceId === undefined ? { ...rawNews, workspaceId: olds.workspaceId } : rawNews;
    return diffFields(olds as never, news as never, ["name", "description", "workspaceId", "defaultEnvironmentName"], ["workspaceId", "defaultEnvironmentName"]);
  },

  async create(inputs) {
    const c = new RailwayClient();
    const since = Date.now();
    let project: ProjectBody;
    try {
      project = await c.call<ProjectBody>("projectCreate", {
        input: { name: inputs.name, description: inputs.description ?? null, workspaceId: inputs.workspaceId ?? null, defaultEnvironmentName: inputs.defaultEnvironmentName },
      });
    } catch (err) {
      // Railway takes no idempotency key: a create whose answer was lost is found by its name.
      const existing = maybeCreated(err) ? await findProject(c, inputs, since) : undefined;
      if (!existing) throw err;
      project = existing;
    }
    return { id: project.id, outs: projectOutputs(inputs, project) };
  },

  async read(id, props) {
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const p = await c.call<ProjectBody>("project", { id });
      const envs = nodes(p.environments);
      const prior = props?.defaultEnvironmentName;
      const inputs: RailwayProjectInputs = {
        name: p.name, description: p.description || undefined, workspaceId: p.workspaceId ?? undefined,
        // Railway does not say which environment came first; keep the one paved named while it exists.
        defaultEnvironmentName: prior && envs.some((e) => e.name === prior) ? prior : envs[0]?.name ?? "production",
      };
      return { id, props: projectOutputs(inputs, p), inputs };
    });
  },

  async update(id, _olds, news) {
    const c = new RailwayClient();
    await c.call("projectUpdate", { id, input: { name: news.name, description: news.description ?? "" } }, { safe: true });
    return { outs: projectOutputs(news, await c.call<ProjectBody>("project", { id })) };
  },

  async delete(id) {
    const c = new RailwayClient();
    await railwayDelete(() => c.call("projectDelete", { id }, { safe: true }));
  },
};

/** An environment of a Railway project, resolved. */
export interface RailwayEnvironmentInputs {
  projectId: string;
  name: string;
}

export interface RailwayEnvironmentOutputs extends RailwayEnvironmentInputs {
  environmentId: string;
}

interface EnvironmentBody {
  id: string; name: string; projectId: string;
}

const environmentOutputs = (e: EnvironmentBody): RailwayEnvironmentOutputs => ({ projectId: e.projectId, name: e.name, environmentId: e.id });

/** CRUD for `paved:railway:Environment`. */
export const railwayEnvironmentProvider: Crud<RailwayEnvironmentInputs, RailwayEnvironmentOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("projectId", { required: true });
    c.string("name", { required: true, pattern: NAME, hint: NAME_HINT });
    return c.result({ projectId: news.projectId, name: news.name });
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["projectId", "name"], ["projectId"]);
  },

  async create(inputs) {
    const c = new RailwayClient();
    let env: EnvironmentBody;
    try {
      env = await c.call<EnvironmentBody>("environmentCreate", { input: { projectId: inputs.projectId, name: inputs.name } });
    } catch (err) {
      if (!maybeCreated(err)) throw err;
      const project = await c.call<ProjectBody>("project", { id: inputs.projectId });
      const found = nodes(project.environments).find((e) => e.name === inputs.name);
      if (!found) throw err;
      env = { ...found, projectId: inputs.projectId };
    }
    return { id: env.id, outs: environmentOutputs(env) };
  },

  async read(id) {
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const outs = environmentOutputs(await c.call<EnvironmentBody>("environment", { id }));
      return { id, props: outs, inputs: { projectId: outs.projectId, name: outs.name } };
    });
  },

  async update(id, _olds, news) {
    const c = new RailwayClient();
    const env = await c.call<{ id: string; name: string }>("environmentRename", { id, input: { name: news.name } }, { safe: true });
    return { outs: { projectId: news.projectId, name: env.name, environmentId: env.id } };
  },

  async delete(id) {
    const c = new RailwayClient();
    await railwayDelete(() => c.call("environmentDelete", { id }, { safe: true }));
  },
};

import { Checker, type Crud, diffFields, readOrGone, splitId } from "./common";
import { isAmbiguous, isNotFound } from "./http";
import { type NeonClient, neonClient, readWriteHost } from "./neon-api";

/** A branch's resolved inputs. */
export interface NeonBranchInputs {
  projectId: string;
  name: string;
  parentId?: string;
  protected: boolean;
  /** With `databaseName`: the role (copied from the parent) whose pooled URI to expose. */
  roleName?: string;
  databaseName?: string;
}

export interface NeonBranchOutputs extends NeonBranchInputs {
  branchId: string;
  host: string;
  /** Pooled connection URI of `databaseName` as `roleName` on this branch; secret. */
  connectionUri?: string;
}

/** The branch's pooled URI for the role and database it inherited, when both are named. */
async function branchUri(n: NeonClient, projectId: string, branchId: string, i: NeonBranchInputs): Promise<string | undefined> {
  if (!i.roleName || !i.databaseName) return undefined;
  const { uri } = await n.call("GET", `/projects/${projectId}/connection_uri`, () =>
    n.api.getConnectionUri({ projectId, branch_id: branchId, database_name: i.databaseName!, role_name: i.roleName!, pooled: true }));
  return uri;
}

/** CRUD for `paved:neon:Branch`, with its own read-write endpoint; id is "<projectId>/<branchId>". */
export const neonBranchProvider: Crud<NeonBranchInputs, NeonBranchOutputs> = {
  async check(_olds, news) {
    const inputs = { ...news, protected: news.protected ?? false };
    const c = new Checker(inputs as never);
    c.string("projectId", { required: true });
    c.string("name", { required: true, pattern: /^[^/]{1,256}$/, hint: "a name without slashes" });
    c.boolean("protected");
    c.string("roleName");
    c.string("databaseName");
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["projectId", "name", "parentId", "protected", "roleName", "databaseName"], ["projectId", "parentId"]);
  },

  async create(inputs) {
    const n = neonClient();
    const { projectId } = inputs;
    let branchId: string;
    try {
      const res = await n.call("POST", `/projects/${projectId}/branches`, () => n.api.createProjectBranch(projectId, {
        branch: { name: inputs.name, parent_id: inputs.parentId, protected: inputs.protected },
        endpoints: [{ type: "read_write" as never }],
      }));
      branchId = res.branch.id;
      await n.wait(projectId, res.operations);
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const { branches } = await n.call("GET", `/projects/${projectId}/branches`, () => n.api.listProjectBranches({ projectId, search: inputs.name }));
      const ours = branches.filter((b) => b.name === inputs.name);
      if (ours.length !== 1) throw err;
      branchId = ours[0].id;
    }
    const host = await readWriteHost(n, projectId, branchId);
    return { id: `${projectId}/${branchId}`, outs: { ...inputs, branchId, host, connectionUri: await branchUri(n, projectId, branchId, inputs) } };
  },

  async read(id, props) {
    const [projectId, branchId] = splitId(id, 2, "<projectId>/<branchId>");
    return readOrGone(async () => {
      const n = neonClient();
      const { branch } = await n.call("GET", `/projects/${projectId}/branches/${branchId}`, () => n.api.getProjectBranch(projectId, branchId));
      const inputs = { projectId, name: branch.name, parentId: branch.parent_id ?? props?.parentId, protected: branch.protected,
        roleName: props?.roleName, databaseName: props?.databaseName };
      const host = await readWriteHost(n, projectId, branchId);
      return { id, props: { ...inputs, branchId, host, connectionUri: await branchUri(n, projectId, branchId, inputs) }, inputs };
    });
  },

  async update(id, olds, news) {
    const [projectId, branchId] = splitId(id, 2, "<projectId>/<branchId>");
    const n = neonClient();
    const res = await n.call("PATCH", `/projects/${projectId}/branches/${branchId}`, () => n.api.updateProjectBranch(projectId, branchId, { branch: { name: news.name, protected: news.protected } }));
    await n.wait(projectId, res.operations);
    return { outs: { ...news, branchId, host: olds.host, connectionUri: await branchUri(n, projectId, branchId, news) } };
  },

  async delete(id) {
    const [projectId, branchId] = splitId(id, 2, "<projectId>/<branchId>");
    const n = neonClient();
    try {
      const res = await n.call("DELETE", `/projects/${projectId}/branches/${branchId}`, () => n.api.deleteProjectBranch({ projectId, branchId }));
      await n.wait(projectId, res.operations);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

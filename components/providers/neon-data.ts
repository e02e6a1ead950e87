import type { Database } from "@neondatabase/api-client";
import { Checker, type Crud, diffFields, readOrGone, splitId } from "./common";
import { isAmbiguous, isNotFound } from "./http";
import { NeonClient, neonClient } from "./neon-api";

const PG_NAME = { required: true, pattern: /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, hint: "a Postgres name of up to 63 characters" };

/** A Postgres role's resolved inputs. */
export interface NeonRoleInputs {
  projectId: string;
  branchId: string;
  name: string;
  /** Rotation label: a new one resets the password. */
  rotation?: string;
}

export interface NeonRoleOutputs extends NeonRoleInputs {
  password: string;
}

/** The rotation label lives only in state (Neon has no such field): a read keeps the stored one, if any. */
const rotationOf = (props?: { rotation?: string }) => (props?.rotation === undefined ? {} : { rotation: props.rotation });

const rolePath = (i: NeonRoleInputs) => `/projects/${i.projectId}/branches/${i.branchId}/roles/${i.name}`;

/** Neon shows a password only when it sets one, so an adopted role gets a fresh one. */
async function resetPassword(n: NeonClient, i: NeonRoleInputs): Promise<string> {
  const res = await n.call("POST", `${rolePath(i)}/reset_password`, () => n.api.resetProjectBranchRolePassword(i.projectId, i.branchId, i.name));
  await n.wait(i.projectId, res.operations);
  return res.role.password ?? "";
}

/** CRUD for `paved:neon:Role`; id is "<projectId>/<branchId>/<name>". */
export const neonRoleProvider: Crud<NeonRoleInputs, NeonRoleOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("projectId", { required: true });
    c.string("branchId", { required: true });
    c.string("name", PG_NAME);
    c.string("rotation");
    return c.result(news);
  },

  async diff(_id, olds, news) {
    // Neon has no role update: a new place or name is a new role, and the old name must go first.
    // A new rotation label resets the password in place.
    return diffFields(olds as never, news as never, ["projectId", "branchId", "name", "rotation"], ["projectId", "branchId", "name"], () => true);
  },

  async update(_id, olds, news) {
    const password = olds.rotation === news.rotation ? olds.password : await resetPassword(neonClient(), news);
    return { outs: { ...news, password } };
  },

  async create(inputs) {
    const n = neonClient();
    const id = `${inputs.projectId}/${inputs.branchId}/${inputs.name}`;
    try {
      const res = await n.call("POST", `/projects/${inputs.projectId}/branches/${inputs.branchId}/roles`, () =>
        n.api.createProjectBranchRole(inputs.projectId, inputs.branchId, { role: { name: inputs.name } }));
      await n.wait(inputs.projectId, res.operations);
      return { id, outs: { ...inputs, password: res.role.password ?? "" } };
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const found = await n.call("GET", rolePath(inputs), () => n.api.getProjectBranchRole(inputs.projectId, inputs.branchId, inputs.name)).catch(() => undefined);
      if (!found) throw err;
      return { id, outs: { ...inputs, password: await resetPassword(n, inputs) } };
    }
  },

  async read(id, props) {
    const [projectId, branchId, name] = splitId(id, 3, "<projectId>/<branchId>/<role name>");
    const inputs = { projectId, branchId, name };
    return readOrGone(async () => {
      const n = neonClient();
      await n.call("GET", rolePath(inputs), () => n.api.getProjectBranchRole(projectId, branchId, name));
      // On import there is no stored password: ask Neon to reveal it (works when the project stores passwords).
      const password = props?.password ||
        (await n.call("GET", `${rolePath(inputs)}/reveal_password`, () => n.api.getProjectBranchRolePassword(projectId, branchId, name))).password;
      const read = { ...inputs, ...rotationOf(props) };
      return { id, props: { ...read, password }, inputs: read };
    });
  },

  async delete(_id, props) {
    const n = neonClient();
    try {
      const res = await n.call("DELETE", rolePath(props), () => n.api.deleteProjectBranchRole(props.projectId, props.branchId, props.name));
      await n.wait(props.projectId, res.operations);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

/** A database's resolved inputs. */
export interface NeonDatabaseInputs {
  projectId: string;
  branchId: string;
  name: string;
  ownerName: string;
  /** The owner's rotation label: a new one re-reads the connection URI, which carries the new password. */
  rotation?: string;
}

export interface NeonDatabaseOutputs extends NeonDatabaseInputs {
  databaseId: number;
  connectionUri: string;
}

async function pooledUri(n: NeonClient, i: NeonDatabaseInputs): Promise<string> {
  const { uri } = await n.call("GET", `/projects/${i.projectId}/connection_uri`, () =>
    n.api.getConnectionUri({ projectId: i.projectId, branch_id: i.branchId, database_name: i.name, role_name: i.ownerName, pooled: true }));
  return uri;
}

const dbBase = (i: { projectId: string; branchId: string }) => `/projects/${i.projectId}/branches/${i.branchId}/databases`;

/**
 * CRUD for `paved:neon:Database`. The id is "<projectId>/<branchId>/<database id>"
 * rather than the name, so a rename stays an in-place update; import also accepts the name.
 */
export const neonDatabaseProvider: Crud<NeonDatabaseInputs, NeonDatabaseOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("projectId", { required: true });
    c.string("branchId", { required: true });
    c.string("name", PG_NAME);
    c.string("ownerName", PG_NAME);
    c.string("rotation");
    return c.result(news);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["projectId", "branchId", "name", "ownerName", "rotation"], ["projectId", "branchId"]);
  },

  async create(inputs) {
    const n = neonClient();
    const { projectId, branchId } = inputs;
    let db: Database;
    try {
      const res = await n.call("POST", dbBase(inputs), () =>
        n.api.createProjectBranchDatabase(projectId, branchId, { database: { name: inputs.name, owner_name: inputs.ownerName } }));
      await n.wait(projectId, res.operations);
      db = res.database;
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const found = await n.call("GET", `${dbBase(inputs)}/${inputs.name}`, () => n.api.getProjectBranchDatabase(projectId, branchId, inputs.name)).catch(() => undefined);
      if (found?.database.owner_name !== inputs.ownerName) throw err;
      db = found.database;
    }
    return { id: `${projectId}/${branchId}/${db.id}`, outs: { ...inputs, databaseId: db.id, connectionUri: await pooledUri(n, inputs) } };
  },

  async read(id, props) {
    const [projectId, branchId, key] = splitId(id, 3, "<projectId>/<branchId>/<database id or name>");
    return readOrGone(async () => {
      const n = neonClient();
      const { databases } = await n.call("GET", dbBase({ projectId, branchId }), () => n.api.listProjectBranchDatabases(projectId, branchId));
      const db = databases.find((d) => String(d.id) === key || d.name === key);
      if (!db) return { id: "" };
      const inputs = { projectId, branchId, name: db.name, ownerName: db.owner_name, ...rotationOf(props) };
      return { id: `${projectId}/${branchId}/${db.id}`, props: { ...inputs, databaseId: db.id, connectionUri: await pooledUri(n, inputs) }, inputs };
    });
  },

  async update(_id, olds, news) {
    const n = neonClient();
    // A new rotation label alone changes nothing at Neon: the URI is read again with the owner's new password.
    if (olds.name !== news.name || olds.ownerName !== news.ownerName) {
      const res = await n.call("PATCH", `${dbBase(olds)}/${olds.name}`, () =>
        n.api.updateProjectBranchDatabase(olds.projectId, olds.branchId, olds.name, { database: { name: news.name, owner_name: news.ownerName } }));
      await n.wait(news.projectId, res.operations);
    }
    return { outs: { ...news, databaseId: olds.databaseId, connectionUri: await pooledUri(n, news) } };
  },

  async delete(_id, props) {
    const n = neonClient();
    try {
      const res = await n.call("DELETE", `${dbBase(props)}/${props.name}`, () => n.api.deleteProjectBranchDatabase(props.projectId, props.branchId, props.name));
      await n.wait(props.projectId, res.operations);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

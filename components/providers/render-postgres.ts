import type { IpAllowEntry } from "../resources/render";
import { Checker, type Crud, diffFields, readOrGone } from "./common";
import { ApiClient, isNotFound, pollUntil } from "./http";
import { renderClient, renderCreateOrAdopt } from "./render-api";

const FIELDS = ["ownerId", "name", "plan", "version", "region", "diskSizeGB", "enableHighAvailability", "ipAllowList", "databaseName", "databaseUser"] as const;
const REPLACE_ON = ["ownerId", "version", "region", "databaseName", "databaseUser"];

/** A Render Postgres instance's resolved inputs. */
export interface RenderPostgresInputs {
  ownerId: string;
  name: string;
  plan: string;
  version: string;
  region: string;
  diskSizeGB?: number;
  enableHighAvailability: boolean;
  ipAllowList: IpAllowEntry[];
  databaseName?: string;
  databaseUser?: string;
}

/** The instance's state: inputs plus what Render assigned. */
export interface RenderPostgresOutputs extends RenderPostgresInputs {
  postgresId: string;
  internalConnectionString: string;
  status: string;
  dashboardUrl: string;
}

interface PostgresBody {
  id: string; name: string; plan: string; version: string; region: string; status: string; diskSizeGB?: number;
  highAvailabilityEnabled?: boolean; ipAllowList?: IpAllowEntry[]; databaseName?: string; databaseUser?: string;
  owner?: { id: string }; dashboardUrl?: string;
}

/**
 * The POST body: the managed fields (each a field of Render's `postgresPOSTInput`), never the
 * inputs themselves, which also carry the engine's own fields (the serialized `__provider`).
 */
function createBody(i: RenderPostgresInputs): Record<string, unknown> {
  return { ...Object.fromEntries(FIELDS.map((f) => [f, i[f]])), ipAllowList: allowList(i) };
}

/** The allow-list as Render's `cidrBlockAndDescription` entries. */
const allowList = (i: RenderPostgresInputs) => i.ipAllowList.map((e) => ({ cidrBlock: e.cidrBlock, description: e.description }));

async function settle(c: ApiClient, id: string): Promise<PostgresBody> {
  return pollUntil(`Render Postgres ${id} to become available`, () => c.request<PostgresBody>("GET", `/postgres/${id}`), (p) => p.status === "available");
}

async function outputs(c: ApiClient, i: RenderPostgresInputs, p: PostgresBody): Promise<RenderPostgresOutputs> {
  const info = await c.request<{ internalConnectionString: string; password: string }>("GET", `/postgres/${p.id}/connection-info`);
  return {
    ...i,
    // Render picks these when they are not given; keep what it chose so a refresh shows no drift.
    databaseName: i.databaseName ?? p.databaseName,
    databaseUser: i.databaseUser ?? p.databaseUser,
    diskSizeGB: i.diskSizeGB ?? p.diskSizeGB,
    postgresId: p.id,
    internalConnectionString: info.internalConnectionString,
    status: p.status,
    dashboardUrl: p.dashboardUrl ?? "",
  };
}

function fromApi(p: PostgresBody): RenderPostgresInputs {
  return {
    ownerId: p.owner?.id ?? "",
    name: p.name,
    plan: p.plan,
    version: String(p.version),
    region: p.region,
    diskSizeGB: p.diskSizeGB,
    enableHighAvailability: p.highAvailabilityEnabled ?? false,
    ipAllowList: p.ipAllowList ?? [],
    databaseName: p.databaseName,
    databaseUser: p.databaseUser,
  };
}

/** CRUD for `paved:render:Postgres`. */
export const renderPostgresProvider: Crud<RenderPostgresInputs, RenderPostgresOutputs> = {
  async check(_olds, news) {
    const inputs: RenderPostgresInputs = {
      ...news,
      version: news.version === undefined ? news.version : String(news.version),
      region: news.region ?? "oregon",
      enableHighAvailability: news.enableHighAvailability ?? false,
      ipAllowList: news.ipAllowList ?? [],
    };
    const c = new Checker(inputs as unknown as Record<string, unknown>);
    c.string("ownerId", { required: true });
    c.string("name", { required: true });
    c.string("plan", { required: true });
    c.string("version", { required: true, oneOf: ["11", "12", "13", "14", "15", "16", "17", "18"] });
    c.number("diskSizeGB", { min: 1, integer: true });
    c.boolean("enableHighAvailability");
    const ident = { pattern: /^[a-z_][a-z0-9_]{0,62}$/, hint: "lowercase letters, digits and underscores" };
    c.string("databaseName", ident);
    c.string("databaseUser", ident);
    // A list a preview cannot know yet (the placeholder string) is checked when it is known.
    if (Array.isArray(inputs.ipAllowList)) inputs.ipAllowList.forEach((e, n) => {
      if (!e || !/^[0-9a-f.:]+\/\d{1,3}$/i.test(e.cidrBlock ?? "")) {
        c.fail(`ipAllowList[${n}].cidrBlock`, `ipAllowList[${n}].cidrBlock "${e?.cidrBlock}" is not a CIDR block, e.g. 203.0.113.0/24`);
      }
    });
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    // Render generates a database name and user when none is given; an absent input is no change.
    const wanted = { ...news, databaseName: news.databaseName ?? olds.databaseName, databaseUser: news.databaseUser ?? olds.databaseUser, diskSizeGB: news.diskSizeGB ?? olds.diskSizeGB };
    return diffFields(olds as never, wanted as never, FIELDS, REPLACE_ON, () => olds.name === news.name && olds.ownerId === news.ownerId);
  },

  async create(inputs) {
    const c = renderClient();
    const created = await renderCreateOrAdopt<PostgresBody>(c, "/postgres", "postgres", { ...createBody(inputs), name: inputs.name, ownerId: inputs.ownerId });
    const ready = await settle(c, created.id);
    return { id: created.id, outs: await outputs(c, inputs, ready) };
  },

  async read(id, props) {
    const c = renderClient();
    return readOrGone(async () => {
      const p = await c.request<PostgresBody>("GET", `/postgres/${id}`);
      const inputs = { ...fromApi(p), ownerId: p.owner?.id ?? props?.ownerId ?? "" };
      return { id, props: await outputs(c, inputs, p), inputs };
    });
  },

  async update(id, _olds, news) {
    const c = renderClient();
    const { name, plan, diskSizeGB, enableHighAvailability } = news;
    // Every PATCHable field, as wanted: a repeat ends the same as one (RFC 9110 §9.2.2), so a 503 retries.
    await c.request("PATCH", `/postgres/${id}`, { body: { name, plan, diskSizeGB, enableHighAvailability, ipAllowList: allowList(news) }, retry: true });
    return { outs: await outputs(c, news, await settle(c, id)) };
  },

  async delete(id) {
    await renderClient().request("DELETE", `/postgres/${id}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

import * as pulumi from "@pulumi/pulumi";
import { Checker, diffFields, readOrGone } from "./common";
import { ApiClient, isNotFound, pollUntil } from "./http";
import { renderClient, renderCreateOrAdopt } from "./render-api";

const FIELDS = ["ownerId", "name", "plan", "version", "region", "diskSizeGB", "enableHighAvailability", "ipAllowList", "databaseName", "databaseUser"] as const;
const REPLACE_ON = ["ownerId", "version", "region", "databaseName", "databaseUser"];

/** One allowed source network for a Render Postgres instance. */
export interface IpAllowEntry {
  cidrBlock: string;
  description: string;
}

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

/** CRUD for `pulumi-nodejs:dynamic/render:Postgres`. */
export const renderPostgresProvider: pulumi.dynamic.ResourceProvider<RenderPostgresInputs, RenderPostgresOutputs> = {
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
    inputs.ipAllowList.forEach((e, n) => {
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
    await c.request("PATCH", `/postgres/${id}`, { body: { name, plan, diskSizeGB, enableHighAvailability, ipAllowList: allowList(news) } });
    return { outs: await outputs(c, news, await settle(c, id)) };
  },

  async delete(id) {
    await renderClient().request("DELETE", `/postgres/${id}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

/** A managed Postgres instance on Render. */
export interface RenderPostgresArgs {
  /** Workspace (owner) id; changing it replaces the instance. */
  ownerId: pulumi.Input<string>;
  /** Instance name, e.g. "api-db". */
  name: pulumi.Input<string>;
  /** Instance plan, e.g. "basic_256mb", "pro_4gb". */
  plan: pulumi.Input<string>;
  /** Postgres major version "11".."18"; changing it replaces the instance. */
  version: pulumi.Input<string>;
  /** Render region; changing it replaces the instance. @default "oregon" */
  region?: pulumi.Input<string>;
  /** Disk size in GB. @default the plan's size */
  diskSizeGB?: pulumi.Input<number>;
  /** Run a standby for failover. @default false */
  enableHighAvailability?: pulumi.Input<boolean>;
  /** Networks allowed to connect from outside Render. @default [] (private network only) */
  ipAllowList?: pulumi.Input<pulumi.Input<IpAllowEntry>[]>;
  /** Database name; changing it replaces the instance. @default chosen by Render */
  databaseName?: pulumi.Input<string>;
  /** Database user; changing it replaces the instance. @default chosen by Render */
  databaseUser?: pulumi.Input<string>;
}

/** A Render Postgres instance; waits until it is available. */
export class RenderPostgres extends pulumi.dynamic.Resource {
  declare readonly postgresId: pulumi.Output<string>;
  /** Connection string on Render's private network (secret). */
  declare readonly internalConnectionString: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: RenderPostgresArgs, opts?: pulumi.CustomResourceOptions) {
    const outs = { postgresId: undefined, internalConnectionString: undefined, status: undefined, dashboardUrl: undefined };
    super(
      renderPostgresProvider,
      name,
      { ...args, ...outs },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["internalConnectionString"] }),
      "render",
      "Postgres",
    );
  }
}

import { type IpAllowEntry, MAXMEMORY_POLICIES } from "../resources/render";
import { Checker, type Crud, diffFields, readOrGone } from "./common";
import { ApiClient, isNotFound, pollUntil } from "./http";
import { renderClient, renderCreateOrAdopt } from "./render-api";

const FIELDS = ["ownerId", "name", "plan", "region", "maxmemoryPolicy", "ipAllowList"] as const;
const REPLACE_ON = ["ownerId", "region"];
/** Render's `keyValuePlan` values. */
export const KEY_VALUE_PLANS = ["free", "starter", "standard", "pro", "pro_plus", "custom"] as const;

/** A Render Key Value instance's resolved inputs. */
export interface RenderKeyValueInputs {
  ownerId: string;
  name: string;
  plan: string;
  region: string;
  maxmemoryPolicy: string;
  ipAllowList: IpAllowEntry[];
}

/** The instance's state: inputs plus what Render assigned. */
export interface RenderKeyValueOutputs extends RenderKeyValueInputs {
  keyValueId: string;
  internalConnectionString: string;
  status: string;
}

interface KeyValueBody {
  id: string; name: string; plan: string; region: string; status: string; owner?: { id: string };
  options?: { maxmemoryPolicy?: string }; ipAllowList?: IpAllowEntry[];
}

const allowList = (i: RenderKeyValueInputs) => i.ipAllowList.map((e) => ({ cidrBlock: e.cidrBlock, description: e.description }));

/** The POST body, field by field from Render's `keyValuePOSTInput`. */
function createBody(i: RenderKeyValueInputs): { name: string; ownerId: string } & Record<string, unknown> {
  return { ownerId: i.ownerId, name: i.name, plan: i.plan, region: i.region, maxmemoryPolicy: i.maxmemoryPolicy, ipAllowList: allowList(i) };
}

async function settle(c: ApiClient, id: string): Promise<KeyValueBody> {
  return pollUntil(`Render Key Value ${id} to become available`, () => c.request<KeyValueBody>("GET", `/key-value/${id}`), (k) => k.status === "available");
}

async function outputs(c: ApiClient, i: RenderKeyValueInputs, k: KeyValueBody): Promise<RenderKeyValueOutputs> {
  const info = await c.request<{ internalConnectionString: string }>("GET", `/key-value/${k.id}/connection-info`);
  return { ...i, keyValueId: k.id, internalConnectionString: info.internalConnectionString, status: k.status };
}

function fromApi(k: KeyValueBody, prior: Partial<RenderKeyValueInputs>): RenderKeyValueInputs {
  return {
    ownerId: k.owner?.id ?? prior.ownerId ?? "",
    name: k.name,
    plan: k.plan,
    region: k.region,
    // Render answers the policy under `options`, not at the top as it is sent.
    maxmemoryPolicy: k.options?.maxmemoryPolicy ?? prior.maxmemoryPolicy ?? "allkeys_lru",
    ipAllowList: k.ipAllowList ?? [],
  };
}

/** CRUD for `paved:render:KeyValue`. */
export const renderKeyValueProvider: Crud<RenderKeyValueInputs, RenderKeyValueOutputs> = {
  async check(_olds, news) {
    const inputs: RenderKeyValueInputs = {
      ...news,
      region: news.region ?? "oregon",
      maxmemoryPolicy: news.maxmemoryPolicy ?? "allkeys_lru",
      ipAllowList: news.ipAllowList ?? [],
    };
    const c = new Checker(inputs as unknown as Record<string, unknown>);
    c.string("ownerId", { required: true });
    c.string("name", { required: true });
    c.string("plan", { required: true, oneOf: KEY_VALUE_PLANS });
    c.string("region", { oneOf: ["frankfurt", "oregon", "ohio", "singapore", "virginia"] });
    c.string("maxmemoryPolicy", { oneOf: MAXMEMORY_POLICIES });
    // A list a preview cannot know yet (the placeholder string) is checked when it is known.
    if (Array.isArray(inputs.ipAllowList)) inputs.ipAllowList.forEach((e, n) => {
      if (!e || !/^[0-9a-f.:]+\/\d{1,3}$/i.test(e.cidrBlock ?? "")) {
        c.fail(`ipAllowList[${n}].cidrBlock`, `ipAllowList[${n}].cidrBlock "${e?.cidrBlock}" is not a CIDR block, e.g. 203.0.113.0/24`);
      }
    });
    return c.result(inputs);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, FIELDS, REPLACE_ON, () => olds.name === news.name && olds.ownerId === news.ownerId);
  },

  async create(inputs) {
    const c = renderClient();
    const created = await renderCreateOrAdopt<KeyValueBody>(c, "/key-value", "keyValue", createBody(inputs));
    return { id: created.id, outs: await outputs(c, inputs, await settle(c, created.id)) };
  },

  async read(id, props) {
    const c = renderClient();
    return readOrGone(async () => {
      const k = await c.request<KeyValueBody>("GET", `/key-value/${id}`);
      const inputs = fromApi(k, props ?? {});
      return { id, props: await outputs(c, inputs, k), inputs };
    });
  },

  async update(id, _olds, news) {
    const c = renderClient();
    const { name, plan, maxmemoryPolicy } = news;
    // Every PATCHable field, as wanted: a repeat ends the same as one (RFC 9110 §9.2.2), so a 503 retries.
    await c.request("PATCH", `/key-value/${id}`, { body: { name, plan, maxmemoryPolicy, ipAllowList: allowList(news) }, retry: true });
    return { outs: await outputs(c, news, await settle(c, id)) };
  },

  async delete(id) {
    await renderClient().request("DELETE", `/key-value/${id}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

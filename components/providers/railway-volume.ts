import { changedFields, Checker, type Crud, diffFields, splitId } from "./common";
import { maybeCreated, nodes, RailwayClient, railwayDelete, railwayReadOrGone } from "./railway-api";

const FIELDS = ["projectId", "environmentId", "serviceId", "name", "mountPath", "region"];
const REPLACE_ON = ["projectId", "environmentId", "region"];

/** A persistent volume of a Railway project, mounted on one service in one environment, resolved. */
export interface RailwayVolumeInputs {
  projectId: string;
  environmentId: string;
  /** The service it is mounted on; Railway allows one volume per service. */
  serviceId: string;
  /** Name shown in Railway's dashboard, e.g. "flightpro-redis-production-data". */
  name: string;
  /** Absolute path in the service's container, e.g. "/data". */
  mountPath: string;
  /** Railway region; with none, Railway's default, and whichever it picked is no change. */
  region?: string;
}

export interface RailwayVolumeOutputs extends RailwayVolumeInputs {
  volumeId: string;
  /** The size Railway gave it: its plan's, since the API takes none. */
  sizeMb: number;
}

interface InstanceBody {
  volumeId: string; serviceId?: string | null; mountPath: string; region?: string | null; sizeMB: number;
  state?: string | null; isPendingDeletion: boolean; volume: { name: string; projectId: string };
}

/** The environment's volumes, leaving out those Railway holds for 48 hours after a delete. */
async function liveInstances(c: RailwayClient, environmentId: string): Promise<InstanceBody[]> {
  const env = await c.call<{ volumeInstances: { edges: { node: InstanceBody }[] } }>("environmentVolumes", { environmentId });
  return nodes(env.volumeInstances).filter((v) => !v.isPendingDeletion && v.state !== "DELETING" && v.state !== "DELETED");
}

const volumeOutputs = (environmentId: string, v: InstanceBody): RailwayVolumeOutputs => ({
  projectId: v.volume.projectId, environmentId, serviceId: v.serviceId ?? "", name: v.volume.name,
  mountPath: v.mountPath, region: v.region ?? undefined, volumeId: v.volumeId, sizeMb: v.sizeMB,
});

const inputsOf = (o: RailwayVolumeOutputs): RailwayVolumeInputs => ({
  projectId: o.projectId, environmentId: o.environmentId, serviceId: o.serviceId, name: o.name, mountPath: o.mountPath, region: o.region,
});

async function readVolume(c: RailwayClient, environmentId: string, volumeId: string): Promise<RailwayVolumeOutputs | undefined> {
  const v = (await liveInstances(c, environmentId)).find((x) => x.volumeId === volumeId);
  return v && volumeOutputs(environmentId, v);
}

/** The volume as Railway has it right after paved wrote it. */
async function readBack(c: RailwayClient, environmentId: string, volumeId: string): Promise<RailwayVolumeOutputs> {
  const outs = await readVolume(c, environmentId, volumeId);
  if (!outs) throw new Error(`Railway volume ${volumeId} is not in environment ${environmentId}: it was deleted while paved wrote it`);
  return outs;
}

/** A volume mounts when a deployment starts: deploy the service again so what runs writes to it. */
async function remount(c: RailwayClient, i: RailwayVolumeInputs): Promise<void> {
  await c.call("serviceInstanceDeployV2", { serviceId: i.serviceId, environmentId: i.environmentId });
}

/** CRUD for `paved:railway:Volume`; id is "<environmentId>/<volumeId>". */
export const railwayVolumeProvider: Crud<RailwayVolumeInputs, RailwayVolumeOutputs> = {
  async check(_olds, news) {
    const inputs: RailwayVolumeInputs = {
      projectId: news.projectId, environmentId: news.environmentId, serviceId: news.serviceId, name: news.name,
      mountPath: news.mountPath, region: news.region,
    };
    const c = new Checker(inputs as never);
    for (const f of ["projectId", "environmentId", "serviceId"]) c.string(f, { required: true });
    c.string("name", { required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, hint: "letters, digits, dots, dashes and underscores" });
    c.string("mountPath", { required: true, pattern: /^\/[\w.@/-]*[\w.@-]$/, hint: "an absolute path below / such as /data" });
    c.string("region", { pattern: /^[a-z]+-[a-z]+\d+(-[a-z0-9]+)?$/, hint: "a Railway region such as us-east4 or europe-west4" });
    return c.result(inputs);
  },

  async diff(_id, olds, rawNews) {
    const news = rawNews.region === undefined ? { ...rawNews, region: olds.region } : rawNews;
    // One volume per service: a new one on the same service can exist only once the old is gone.
    return diffFields(olds as never, news as never, FIELDS, REPLACE_ON, () => olds.serviceId === news.serviceId);
  },

  async create(inputs) {
    const c = new RailwayClient();
    // Railway takes no key and generates the name: what the service had before tells a lost create's volume apart.
    const before = new Set((await liveInstances(c, inputs.environmentId)).filter((v) => v.serviceId === inputs.serviceId).map((v) => v.volumeId));
    let volumeId: string;
    try {
      const v = await c.call<{ id: string }>("volumeCreate", {
        input: { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, mountPath: inputs.mountPath, region: inputs.region ?? null },
      });
      volumeId = v.id;
    } catch (err) {
      if (!maybeCreated(err)) throw err;
      const fresh = (await liveInstances(c, inputs.environmentId)).filter((v) => v.serviceId === inputs.serviceId && !before.has(v.volumeId));
      if (fresh.length !== 1) throw err;
      volumeId = fresh[0].volumeId;
    }
    await c.call("volumeUpdate", { volumeId, input: { name: inputs.name } }, { safe: true });
    await remount(c, inputs);
    return { id: `${inputs.environmentId}/${volumeId}`, outs: await readBack(c, inputs.environmentId, volumeId) };
  },

  async read(id) {
    const [environmentId, volumeId] = splitId(id, 2, "<environmentId>/<volumeId>");
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const outs = await readVolume(c, environmentId, volumeId);
      return outs ? { id, props: outs, inputs: inputsOf(outs) } : { id: "" };
    });
  },

  async update(_id, olds, news) {
    const c = new RailwayClient();
    const volumeId = olds.volumeId;
    const changed = changedFields(olds as never, news as never, FIELDS);
    if (changed.includes("name")) await c.call("volumeUpdate", { volumeId, input: { name: news.name } }, { safe: true });
    if (changed.includes("serviceId") || changed.includes("mountPath")) {
      // Both always named: an update that leaves serviceId out detaches the volume.
      await c.call("volumeInstanceUpdate", {
        volumeId, environmentId: news.environmentId, input: { serviceId: news.serviceId, mountPath: news.mountPath },
      }, { safe: true });
      await remount(c, news);
    }
    return { outs: await readBack(c, news.environmentId, volumeId) };
  },

  async delete(_id, props) {
    const c = new RailwayClient();
    await railwayDelete(() => c.call("volumeDelete", { volumeId: props.volumeId }, { safe: true }));
  },
};

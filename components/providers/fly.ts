import type { FlyMachineConfig } from "../resources/fly";
import { Checker, type Crud, diffFields, readOrGone, splitId } from "./common";
import { ApiClient, ApiError, backoffDelay, isAmbiguous, isNotFound, pollSettings } from "./http";
import { flyClient, seg } from "./fly-api";

export * from "./fly-network";

const NAME = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const NAME_HINT = "lowercase letters, digits and dashes";

/** A Fly app's resolved inputs. */
export interface FlyAppInputs {
  name: string;
  orgSlug: string;
  network?: string;
}

export interface FlyAppOutputs extends FlyAppInputs {
  appId: string;
  status: string;
}

interface AppBody {
  id: string;
  name: string;
  status?: string;
  organization?: { slug?: string };
}

const appOutputs = (i: FlyAppInputs, a: AppBody): FlyAppOutputs => ({ ...i, appId: a.id, status: a.status ?? "" });

/**
 * Reads an app that exists (created, or its name taken), which Fly may not serve at once: fly-go's
 * `WaitForApp` (flaps/flaps_apps.go) retries a 404 or 401 with backoff (100 ms to 500 ms) for up to
 * a minute. The Machines spec documents no way for the create itself to wait.
 */
async function readBack(c: ApiClient, name: string): Promise<AppBody> {
  const deadline = Date.now() + Math.min(60_000, pollSettings().timeoutMs);
  for (let attempt = 0; ; attempt++) {
    try {
      return await c.request<AppBody>("GET", `/apps/${seg(name)}`);
    } catch (err) {
      const early = err instanceof ApiError && (err.status === 404 || err.status === 401);
      if (!early || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, 100, 500)));
    }
  }
}

/** CRUD for `paved:fly:App`. App names are global, so a replacement deletes first. */
export const flyAppProvider: Crud<FlyAppInputs, FlyAppOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("name", { required: true, pattern: NAME, hint: NAME_HINT });
    c.string("orgSlug", { required: true });
    return c.result(news);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["name", "orgSlug", "network"], ["name", "orgSlug", "network"], () => olds.name === news.name);
  },

  async create(inputs) {
    const c = flyClient();
    try {
      // `name`, as the Machines spec and fly-go have it (older docs show `app_name`).
      await c.request("POST", "/apps", { body: { name: inputs.name, org_slug: inputs.orgSlug, network: inputs.network } });
    } catch (err) {
      // A taken name may be our own earlier attempt whose answer was lost: Fly advises GET and reuse.
      const taken = err instanceof ApiError && err.status === 422;
      if (!taken && !isAmbiguous(err)) throw err;
      // Only a taken name is sure to exist; after a lost answer, one read decides.
      const get = taken ? readBack(c, inputs.name) : c.request<AppBody>("GET", `/apps/${seg(inputs.name)}`);
      const existing = await get.catch(() => undefined);
      if (existing?.organization?.slug !== inputs.orgSlug) throw err;
      return { id: inputs.name, outs: appOutputs(inputs, existing) };
    }
    // Fly answers the create with no body, so the app's id comes from reading it back.
    return { id: inputs.name, outs: appOutputs(inputs, await readBack(c, inputs.name)) };
  },

  async read(id, props) {
    return readOrGone(async () => {
      const a = await flyClient().request<AppBody>("GET", `/apps/${seg(id)}`);
      const inputs = { name: a.name, orgSlug: a.organization?.slug ?? props?.orgSlug ?? "", network: props?.network };
      return { id, props: appOutputs(inputs, a), inputs };
    });
  },

  async delete(id) {
    await flyClient().request("DELETE", `/apps/${seg(id)}`, { retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

export interface FlyMachineInputs {
  app: string;
  name: string;
  region: string;
  config: FlyMachineConfig;
}

export interface FlyMachineOutputs extends FlyMachineInputs {
  machineId: string;
  state: string;
  privateIp: string;
}

export interface MachineBody {
  id: string;
  name: string;
  state: string;
  region: string;
  /** "unique for each version of the machine" (fly-go machine_types.go); an update answers the new one. */
  instance_id?: string;
  private_ip?: string;
  config?: Record<string, unknown>;
  events?: MachineEvent[];
}

/** One entry of a machine's event log; an `exit` event carries how its process ended. */
export interface MachineEvent {
  type: string;
  status?: string;
  timestamp?: number;
  request?: { exit_event?: { exit_code?: number; oom_killed?: boolean; requested_stop?: boolean; signal?: number } };
}

type Check = NonNullable<FlyMachineConfig["checks"]>[string];
type Service = NonNullable<FlyMachineConfig["services"]>[number];
const check = (k: Check): Check => ({
  type: k.type, port: k.port, path: k.path, interval: k.interval, timeout: k.timeout, grace_period: k.grace_period, method: k.method,
});
// Fly still answers autostop "off" and "stop" as the booleans older clients sent.
const autostop = (v: string | boolean | undefined) => (v === true ? "stop" : v === false ? "off" : v);
const service = (s: Service): Service => ({
  protocol: s.protocol, internal_port: s.internal_port,
  ports: s.ports?.map((p) => ({ port: p.port, handlers: p.handlers, force_https: p.force_https })),
  autostop: autostop(s.autostop as string | boolean | undefined), autostart: s.autostart, min_machines_running: s.min_machines_running,
});

/**
 * The config's fields paved manages, in the Machines API's names: what a request sends, and what
 * a read keeps of Fly's answer (so fields Fly fills in do not show as drift).
 */
function managedConfig(cfg: Partial<FlyMachineConfig> = {}): FlyMachineConfig {
  const some = <T>(v: T | null | undefined) => (v === null ? undefined : v);
  return {
    image: cfg.image ?? "",
    env: some(cfg.env),
    guest: cfg.guest ? { cpu_kind: cfg.guest.cpu_kind, cpus: cfg.guest.cpus, memory_mb: cfg.guest.memory_mb } : undefined,
    services: cfg.services?.map(service),
    checks: cfg.checks ? Object.fromEntries(Object.entries(cfg.checks).map(([name, k]) => [name, check(k)])) : undefined,
    metadata: some(cfg.metadata),
  };
}

const machineOutputs = (i: FlyMachineInputs, m: MachineBody): FlyMachineOutputs => ({
  ...i, machineId: m.id, state: m.state, privateIp: m.private_ip ?? "",
});

/**
 * Waits until version `instanceId` of the machine reaches `state`, then reads it. Without the
 * version, a wait sent just after an update can be answered by the old version still running.
 * flyctl waits on the machine the update returned, whose `instance_id` fly-go's flaps.Wait sends
 * (since 2026-03 under the newer name `version`; the Machines spec keeps `instance_id` as its
 * alias, and requires it to wait for `stopped`).
 */
export async function waitFor(
  c: ApiClient, app: string, id: string, instanceId: string | undefined, state: "started" | "stopped", timeoutMs = pollSettings().timeoutMs,
): Promise<MachineBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await c.request("GET", `/apps/${seg(app)}/machines/${id}/wait`, { query: { state, timeout: 60, instance_id: instanceId } });
      return await c.request<MachineBody>("GET", `/apps/${seg(app)}/machines/${id}`);
    } catch (err) {
      // 408 means "not yet"; Fly caps one wait at 60 s, so ask again until our own deadline.
      if (!(err instanceof ApiError && err.status === 408) || Date.now() > deadline) throw err;
    }
  }
}

/** CRUD for `paved:fly:Machine`. Config changes are full-config updates; region and name replace. */
export const flyMachineProvider: Crud<FlyMachineInputs, FlyMachineOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("app", { required: true, pattern: NAME, hint: NAME_HINT });
    c.string("name", { required: true, pattern: NAME, hint: NAME_HINT });
    c.string("region", { required: true, pattern: /^[a-z]{3}$/, hint: "a three-letter Fly region code, e.g. cdg" });
    const cfg = news.config;
    if (!cfg || typeof cfg.image !== "string" || cfg.image === "") c.fail("config.image", "config.image is required, e.g. registry.fly.io/api:deployment-1");
    if (cfg?.guest && !["shared", "performance"].includes(cfg.guest.cpu_kind)) {
      c.fail("config.guest.cpu_kind", `config.guest.cpu_kind must be "shared" or "performance", got "${cfg.guest.cpu_kind}"`);
    }
    for (const [name, check] of Object.entries(cfg?.checks ?? {})) {
      if (!["http", "tcp"].includes(check.type)) c.fail(`config.checks.${name}.type`, `config.checks.${name}.type must be "http" or "tcp", got "${check.type}"`);
    }
    cfg?.services?.forEach((s, n) => {
      if (!Number.isInteger(s.internal_port) || s.internal_port < 1 || s.internal_port > 65535) {
        c.fail(`config.services[${n}].internal_port`, `config.services[${n}].internal_port must be a port number, got ${JSON.stringify(s.internal_port)}`);
      }
    });
    return c.result(news);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["app", "name", "region", "config"], ["app", "name", "region"], () => olds.name === news.name && olds.app === news.app);
  },

  async create(inputs) {
    const c = flyClient();
    const base = `/apps/${seg(inputs.app)}/machines`;
    let m: MachineBody;
    try {
      m = await c.request<MachineBody>("POST", base, { body: { name: inputs.name, region: inputs.region, config: managedConfig(inputs.config) } });
    } catch (err) {
      // The name is deterministic, so a machine created by a lost request can be found and kept.
      if (!isAmbiguous(err) && (err as ApiError).kind !== "parse") throw err;
      const all = await c.request<MachineBody[]>("GET", base);
      const found = all.find((x) => x.name === inputs.name && x.state !== "destroyed" && x.state !== "destroying");
      if (!found) throw err;
      m = found;
    }
    const started = await waitFor(c, inputs.app, m.id, m.instance_id, "started");
    return { id: `${inputs.app}/${m.id}`, outs: machineOutputs(inputs, started) };
  },

  async read(id) {
    const [app, mid] = splitId(id, 2, "<app>/<machine id>");
    return readOrGone(async () => {
      const m = await flyClient().request<MachineBody>("GET", `/apps/${seg(app)}/machines/${mid}`);
      if (m.state === "destroyed") return { id: "" };
      const inputs = { app, name: m.name, region: m.region, config: managedConfig(m.config as Partial<FlyMachineConfig>) };
      return { id, props: machineOutputs(inputs, m), inputs };
    });
  },

  async update(id, _olds, news) {
    const [app, mid] = splitId(id, 2, "<app>/<machine id>");
    const c = flyClient();
    // Fly wants the whole config on update; anything left out is reset. Being the whole desired state, a
    // repeat ends as one does, so it retries like a GET: fly-go's client retries 502/503 on every method
    // (http.go NewHTTPClient, rehttp.RetryStatuses(502, 503)).
    const body = { name: news.name, region: news.region, config: managedConfig(news.config) };
    const m = await c.request<MachineBody>("POST", `/apps/${seg(app)}/machines/${mid}`, { body, retry: true });
    return { outs: machineOutputs(news, await waitFor(c, app, mid, m.instance_id, "started")) };
  },

  async delete(id) {
    const [app, mid] = splitId(id, 2, "<app>/<machine id>");
    await flyClient().request("DELETE", `/apps/${seg(app)}/machines/${mid}`, { query: { force: true }, retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

import type { FlyIpType } from "../resources/fly";
import { Checker, type Crud, diffFields, readOrGone, splitId } from "./common";
import { ApiError, isAmbiguous, isNotFound } from "./http";
import { flyClient, seg } from "./fly-api";

const ignoreGone = (e: unknown) => {
  if (!isNotFound(e)) throw e;
};

/** A Fly app's secrets, resolved. */
export interface FlySecretsInputs {
  app: string;
  values: Record<string, string>;
}

export interface FlySecretsOutputs extends FlySecretsInputs {
  /** Secret names (not values), sorted. */
  names: string[];
  version: number;
}

async function setSecrets(app: string, values: Record<string, string | null>): Promise<number> {
  // Setting a value (or null to unset) is idempotent, so a lost answer may be retried.
  const res = await flyClient().request<{ version?: number }>("POST", `/apps/${seg(app)}/secrets`, {
    body: { values },
    retry: true,
    redact: Object.values(values).filter((v): v is string => typeof v === "string"),
  });
  return res?.version ?? 0;
}

const secretOutputs = (i: FlySecretsInputs, version: number): FlySecretsOutputs => ({ ...i, names: Object.keys(i.values).sort(), version });

/** CRUD for `paved:fly:Secrets`: the app's secrets as one set; removed keys are unset. */
export const flySecretsProvider: Crud<FlySecretsInputs, FlySecretsOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("app", { required: true });
    c.secretMap("values");
    return c.result({ ...news, values: news.values ?? {} });
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["app", "values"], ["app"]);
  },

  async create(inputs) {
    return { id: inputs.app, outs: secretOutputs(inputs, await setSecrets(inputs.app, inputs.values)) };
  },

  async read(id, props) {
    return readOrGone(async () => {
      const res = await flyClient().request<{ secrets?: { name: string }[] }>("GET", `/apps/${seg(id)}/secrets`);
      const present = new Set((res?.secrets ?? []).map((s) => s.name));
      // Fly never returns values; keep the ones still set so a refresh shows only removed keys.
      const values = Object.fromEntries(Object.entries(props?.values ?? {}).filter(([k]) => present.has(k)));
      const inputs = { app: id, values };
      return { id, props: { ...secretOutputs(inputs, props?.version ?? 0), names: [...present].sort() }, inputs };
    });
  },

  async update(_id, olds, news) {
    const unset = Object.fromEntries(Object.keys(olds.values ?? {}).filter((k) => !(k in news.values)).map((k) => [k, null]));
    return { outs: secretOutputs(news, await setSecrets(news.app, { ...unset, ...news.values })) };
  },

  async delete(_id, props) {
    const unset = Object.fromEntries(Object.keys(props.values ?? {}).map((k) => [k, null]));
    if (Object.keys(unset).length) await setSecrets(props.app, unset).catch(ignoreGone);
  },
};

/** A certificate request for one hostname, resolved. */
export interface FlyCertificateInputs {
  app: string;
  hostname: string;
}

export interface FlyCertificateOutputs extends FlyCertificateInputs {
  status: string;
  configured: boolean;
  acmeRequested: boolean;
  /** DNS records Fly asks for to validate the hostname, exactly as the API returns them. */
  dnsValidationRecords: unknown;
}

interface CertBody {
  hostname: string;
  status?: string;
  configured?: boolean;
  acme_requested?: boolean;
  dns_requirements?: unknown;
}

const certOutputs = (i: FlyCertificateInputs, b: CertBody): FlyCertificateOutputs => ({
  ...i, status: b.status ?? "", configured: b.configured ?? false, acmeRequested: b.acme_requested ?? false,
  dnsValidationRecords: b.dns_requirements ?? null,
});

/** CRUD for `paved:fly:Certificate` (ACME); id is "<app>/<hostname>". */
export const flyCertificateProvider: Crud<FlyCertificateInputs, FlyCertificateOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("app", { required: true });
    c.string("hostname", { required: true, pattern: /^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/i, hint: "a hostname such as api.example.com" });
    return c.result(news);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["app", "hostname"], ["app", "hostname"], () => olds.hostname === news.hostname);
  },

  async create(inputs) {
    const c = flyClient();
    const base = `/apps/${seg(inputs.app)}/certificates`;
    let cert: CertBody;
    try {
      cert = await c.request<CertBody>("POST", `${base}/acme`, { body: { hostname: inputs.hostname } });
    } catch (err) {
      // The hostname is the key: if it is already on this app, the earlier request landed.
      if (!(err instanceof ApiError && err.status === 422) && !isAmbiguous(err)) throw err;
      const existing = await c.request<CertBody>("GET", `${base}/${seg(inputs.hostname)}`).catch(() => undefined);
      if (!existing) throw err;
      cert = existing;
    }
    return { id: `${inputs.app}/${inputs.hostname}`, outs: certOutputs(inputs, cert) };
  },

  async read(id) {
    const [app, hostname] = splitId(id, 2, "<app>/<hostname>");
    return readOrGone(async () => {
      const cert = await flyClient().request<CertBody>("GET", `/apps/${seg(app)}/certificates/${seg(hostname)}`);
      return { id, props: certOutputs({ app, hostname }, cert), inputs: { app, hostname } };
    });
  },

  async delete(_id, props) {
    await flyClient().request("DELETE", `/apps/${seg(props.app)}/certificates/${seg(props.hostname)}`, { retry: true }).catch(ignoreGone);
  },
};

export interface FlyIpAddressInputs {
  app: string;
  type: FlyIpType;
  region?: string;
}

export interface FlyIpAddressOutputs extends FlyIpAddressInputs {
  address: string;
}

interface IpBody {
  ip: string;
  region?: string;
  shared?: boolean;
}

const ipType = (b: IpBody): FlyIpType => (b.shared ? "shared_v4" : b.ip.includes(":") ? "v6" : "v4");

async function listIps(app: string): Promise<IpBody[]> {
  const res = await flyClient().request<{ ips?: IpBody[] }>("GET", `/apps/${seg(app)}/ip_assignments`);
  return res?.ips ?? [];
}

/** CRUD for `paved:fly:IpAddress`; id is "<app>/<address>". */
export const flyIpAddressProvider: Crud<FlyIpAddressInputs, FlyIpAddressOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("app", { required: true });
    c.string("type", { required: true, oneOf: ["v6", "shared_v4", "v4"] });
    c.string("region", { pattern: /^[a-z]{3}$/, hint: "a three-letter Fly region code" });
    return c.result(news);
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, ["app", "type", "region"], ["app", "type", "region"]);
  },

  async create(inputs) {
    // Addresses carry no name, so remember what existed: a new one of our type after a lost answer is ours.
    const before = new Set((await listIps(inputs.app)).map((b) => b.ip));
    let ip: IpBody;
    try {
      ip = await flyClient().request<IpBody>("POST", `/apps/${seg(inputs.app)}/ip_assignments`, {
        body: { type: inputs.type, region: inputs.region },
      });
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const fresh = (await listIps(inputs.app)).filter((b) => !before.has(b.ip) && ipType(b) === inputs.type);
      if (fresh.length !== 1) throw err;
      ip = fresh[0];
    }
    return { id: `${inputs.app}/${ip.ip}`, outs: { ...inputs, address: ip.ip } };
  },

  async read(id) {
    const [app, address] = splitId(id, 2, "<app>/<address>");
    return readOrGone(async () => {
      const found = (await listIps(app)).find((b) => b.ip === address);
      if (!found) return { id: "" };
      // Fly answers "global" for an anycast address, which is what no region means.
      const inputs = { app, type: ipType(found), region: found.region && found.region !== "global" ? found.region : undefined };
      return { id, props: { ...inputs, address }, inputs };
    });
  },

  async delete(_id, props) {
    await flyClient().request("DELETE", `/apps/${seg(props.app)}/ip_assignments/${seg(props.address)}`, { retry: true }).catch(ignoreGone);
  },
};

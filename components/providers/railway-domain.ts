import { Checker, type Crud, diffFields, splitId } from "./common";
import { maybeCreated, RailwayClient, railwayDelete, railwayReadOrGone } from "./railway-api";

/** Where a domain points: one service in one environment of a project. */
export interface RailwayDomainTarget {
  projectId: string;
  environmentId: string;
  serviceId: string;
  /** Port inside the service that the domain reaches. @default the service's PORT */
  targetPort?: number;
}

interface DnsRecordBody { hostlabel: string; recordType: string; requiredValue: string }
interface DomainBody {
  id: string; domain: string; targetPort?: number | null;
  status?: { dnsRecords: DnsRecordBody[] };
}
interface AllDomains { serviceDomains: DomainBody[]; customDomains: DomainBody[] }

async function listDomains(c: RailwayClient, t: RailwayDomainTarget): Promise<AllDomains> {
  return c.call<AllDomains>("domains", { projectId: t.projectId, environmentId: t.environmentId, serviceId: t.serviceId });
}

const target = (t: RailwayDomainTarget): RailwayDomainTarget => ({
  projectId: t.projectId, environmentId: t.environmentId, serviceId: t.serviceId, targetPort: t.targetPort,
});

const ids = ["projectId", "environmentId", "serviceId"] as const;

function checkTarget(c: Checker): void {
  for (const f of ids) c.string(f, { required: true });
  c.number("targetPort", { min: 1, max: 65_535, integer: true });
}

export interface RailwayServiceDomainOutputs extends RailwayDomainTarget {
  /** The generated hostname, e.g. "flightpro-api-staging.up.railway.app". */
  domain: string;
}

const serviceDomainOutputs = (t: RailwayDomainTarget, d: DomainBody): RailwayServiceDomainOutputs => ({
  ...target(t), targetPort: d.targetPort ?? t.targetPort, domain: d.domain,
});

/** CRUD for `paved:railway:ServiceDomain`; id is "<projectId>/<environmentId>/<serviceId>/<domainId>". */
export const railwayServiceDomainProvider: Crud<RailwayDomainTarget, RailwayServiceDomainOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    checkTarget(c);
    return c.result(target(news));
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, [...ids, "targetPort"], [...ids, "targetPort"]);
  },

  async create(inputs) {
    const c = new RailwayClient();
    // Generated names carry no key of ours: what existed before tells a lost create's domain apart.
    const before = new Set((await listDomains(c, inputs)).serviceDomains.map((d) => d.id));
    let d: DomainBody;
    try {
      d = await c.call<DomainBody>("serviceDomainCreate", {
        input: { serviceId: inputs.serviceId, environmentId: inputs.environmentId, targetPort: inputs.targetPort ?? null },
      });
    } catch (err) {
      if (!maybeCreated(err)) throw err;
      const fresh = (await listDomains(c, inputs)).serviceDomains.filter((x) => !before.has(x.id));
      if (fresh.length !== 1) throw err;
      d = fresh[0];
    }
    return { id: `${inputs.projectId}/${inputs.environmentId}/${inputs.serviceId}/${d.id}`, outs: serviceDomainOutputs(inputs, d) };
  },

  async read(id) {
    const [projectId, environmentId, serviceId, domainId] = splitId(id, 4, "<projectId>/<environmentId>/<serviceId>/<domainId>");
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const d = (await listDomains(c, { projectId, environmentId, serviceId })).serviceDomains.find((x) => x.id === domainId);
      if (!d) return { id: "" as const };
      const outs = serviceDomainOutputs({ projectId, environmentId, serviceId }, d);
      return { id, props: outs, inputs: target(outs) };
    });
  },

  async delete(id) {
    const domainId = id.split("/").at(-1)!;
    const c = new RailwayClient();
    await railwayDelete(() => c.call("serviceDomainDelete", { id: domainId }, { safe: true }));
  },
};

export interface RailwayCustomDomainInputs extends RailwayDomainTarget {
  /** Hostname, e.g. "api.flightpro.com". */
  domain: string;
}

export interface RailwayCustomDomainOutputs extends RailwayCustomDomainInputs {
  domainId: string;
  /** The CNAME target Railway asks the hostname's DNS record to point at. */
  cnameTarget: string;
}

function customDomainOutputs(i: RailwayCustomDomainInputs, d: DomainBody): RailwayCustomDomainOutputs {
  const cname = d.status?.dnsRecords.find((r) => r.recordType === "DNS_RECORD_TYPE_CNAME");
  return { ...target(i), targetPort: d.targetPort ?? i.targetPort, domain: d.domain, domainId: d.id, cnameTarget: cname?.requiredValue ?? "" };
}

/** CRUD for `paved:railway:CustomDomain`; id is "<projectId>/<environmentId>/<serviceId>/<domain>". */
export const railwayCustomDomainProvider: Crud<RailwayCustomDomainInputs, RailwayCustomDomainOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    checkTarget(c);
    c.string("domain", { required: true, pattern: /^([a-z0-9-]+\.)+[a-z]{2,}$/, hint: "a lowercase hostname such as api.example.com" });
    return c.result({ ...target(news), domain: news.domain });
  },

  async diff(_id, olds, news) {
    return diffFields(olds as never, news as never, [...ids, "domain", "targetPort"], [...ids, "domain", "targetPort"], () => olds.domain === news.domain);
  },

  async create(inputs) {
    const c = new RailwayClient();
    let d: DomainBody;
    try {
      d = await c.call<DomainBody>("customDomainCreate", {
        input: { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId, domain: inputs.domain, targetPort: inputs.targetPort ?? null },
      });
    } catch (err) {
      // The hostname is the key: on this service already means the earlier request landed.
      if (!maybeCreated(err)) throw err;
      const found = (await listDomains(c, inputs)).customDomains.find((x) => x.domain === inputs.domain);
      if (!found) throw err;
      d = found;
    }
    return { id: `${inputs.projectId}/${inputs.environmentId}/${inputs.serviceId}/${inputs.domain}`, outs: customDomainOutputs(inputs, d) };
  },

  async read(id) {
    const [projectId, environmentId, serviceId, domain] = splitId(id, 4, "<projectId>/<environmentId>/<serviceId>/<domain>");
    const c = new RailwayClient();
    return railwayReadOrGone(async () => {
      const d = (await listDomains(c, { projectId, environmentId, serviceId })).customDomains.find((x) => x.domain === domain);
      if (!d) return { id: "" as const };
      const outs = customDomainOutputs({ projectId, environmentId, serviceId, domain }, d);
      return { id, props: outs, inputs: { ...target(outs), domain } };
    });
  },

  async delete(_id, props) {
    const c = new RailwayClient();
    await railwayDelete(() => c.call("customDomainDelete", { id: props.domainId }, { safe: true }));
  },
};

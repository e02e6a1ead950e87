import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const notFound = (): FakeResponse => ({ status: 404, body: { id: "not-found", message: "not found" } });
const wrap = (key: string, items: Obj[]) => items.map((item, n) => ({ [key]: item, cursor: `c${n}` }));

/** Render's REST API in memory: web services, env vars, custom domains, Postgres. */
export class FakeRender extends FakeServer {
  readonly services = new Map<string, Obj>();
  readonly envVars = new Map<string, { key: string; value: string }[]>();
  readonly domains = new Map<string, Obj[]>();
  readonly postgres = new Map<string, Obj>();
  readonly deploys: string[] = [];
  private seq = 0;

  constructor(token: string) {
    super(token, (_status, message) => ({ id: "error", message }));
    this.route("POST", /^\/services$/, ({ body }) => this.createService(body));
    this.route("GET", /^\/services$/, ({ query }) => {
      const names = query.getAll("name");
      const found = [...this.services.values()].filter(
        (s) => (!names.length || names.includes(s.name)) && (!query.get("ownerId") || s.ownerId === query.get("ownerId")) && (!query.get("type") || s.type === query.get("type")),
      );
      return { status: 200, body: wrap("service", found) };
    });
    this.route("GET", /^\/services\/([^/]+)$/, ({ params }) => this.withService(params[0], (s) => ({ status: 200, body: s })));
    this.route("PATCH", /^\/services\/([^/]+)$/, ({ params, body }) =>
      this.withService(params[0], (s) => {
        if (body.serviceDetails?.region !== undefined || body.serviceDetails?.numInstances !== undefined) {
          return { status: 400, body: { message: "region and numInstances cannot be patched" } };
        }
        const { serviceDetails, image, ...top } = body;
        Object.assign(s, top, image ? { imagePath: image.imagePath } : {});
        s.serviceDetails = answered(serviceDetails ?? {}, s.serviceDetails);
        return { status: 200, body: s };
      }),
    );
    this.route("DELETE", /^\/services\/([^/]+)$/, ({ params }) =>
      this.withService(params[0], (s) => (this.services.delete(s.id), { status: 204 })),
    );
    this.route("POST", /^\/services\/([^/]+)\/scale$/, ({ params, body }) =>
      this.withService(params[0], (s) => ((s.serviceDetails.numInstances = body.numInstances), { status: 202 })),
    );
    this.route("GET", /^\/services\/([^/]+)\/env-vars$/, ({ params }) =>
      this.withService(params[0], (s) => ({ status: 200, body: wrap("envVar", this.envVars.get(s.id) ?? []) })),
    );
    this.route("PUT", /^\/services\/([^/]+)\/env-vars$/, ({ params, body }) =>
      this.withService(params[0], (s) => (this.envVars.set(s.id, body), { status: 200, body: wrap("envVar", body) })),
    );
    this.route("GET", /^\/services\/([^/]+)\/custom-domains$/, ({ params }) =>
      this.withService(params[0], (s) => ({ status: 200, body: wrap("customDomain", this.domains.get(s.id) ?? []) })),
    );
    this.route("POST", /^\/services\/([^/]+)\/custom-domains$/, ({ params, body }) =>
      this.withService(params[0], (s) => {
        const d = { id: `cdm-${++this.seq}`, name: body.name, domainType: "apex", verificationStatus: "unverified" };
        this.domains.set(s.id, [...(this.domains.get(s.id) ?? []), d]);
        return { status: 201, body: [d] };
      }),
    );
    this.route("DELETE", /^\/services\/([^/]+)\/custom-domains\/([^/]+)$/, ({ params }) =>
      this.withService(params[0], (s) => {
        const list = this.domains.get(s.id) ?? [];
        if (!list.some((d) => d.name === params[1] || d.id === params[1])) return notFound();
        this.domains.set(s.id, list.filter((d) => d.name !== params[1] && d.id !== params[1]));
        return { status: 204 };
      }),
    );
    this.route("POST", /^\/services\/([^/]+)\/deploys$/, ({ params }) =>
      this.withService(params[0], (s) => (this.deploys.push(s.id), { status: 201, body: { id: `dep-${++this.seq}`, status: "created" } })),
    );
    this.postgresRoutes();
  }

  private withService(id: string, f: (s: Obj) => FakeResponse): FakeResponse {
    const s = this.services.get(id);
    return s ? f(s) : notFound();
  }

  private createService(body: Obj): FakeResponse {
    if (body.type !== "web_service" || !body.name || !body.ownerId || !body.serviceDetails?.runtime) {
      return { status: 400, body: { message: "type, name, ownerId and serviceDetails.runtime are required" } };
    }
    const id = `srv-${++this.seq}`;
    const { envVars, image, serviceDetails, ...rest } = body;
    const s = {
      ...rest, id, imagePath: image?.imagePath, dashboardUrl: `https://dashboard.render.com/web/${id}`,
      serviceDetails: answered(serviceDetails, { url: `https://${body.name}.onrender.com` }),
    };
    this.services.set(id, s);
    this.envVars.set(id, envVars ?? []);
    return { status: 201, body: { service: s, deployId: `dep-${++this.seq}` } };
  }

  private postgresRoutes(): void {
    this.route("POST", /^\/postgres$/, ({ body }) => {
      if (!body.name || !body.plan || !body.ownerId || !body.version) return { status: 400, body: { message: "name, plan, ownerId and version are required" } };
      const id = `dpg-${++this.seq}`;
      const { enableHighAvailability, ownerId, ...rest } = body;
      const p = {
        ...rest, id, owner: { id: ownerId }, status: "creating", highAvailabilityEnabled: enableHighAvailability ?? false,
        databaseName: body.databaseName ?? "app_x1", databaseUser: body.databaseUser ?? "app_x1_user", ipAllowList: body.ipAllowList ?? [],
        dashboardUrl: `https://dashboard.render.com/d/${id}`,
      };
      this.postgres.set(id, p);
      return { status: 201, body: p };
    });
    this.route("GET", /^\/postgres$/, ({ query }) => {
      const names = query.getAll("name");
      const found = [...this.postgres.values()].filter((p) => (!names.length || names.includes(p.name)) && (!query.get("ownerId") || p.owner.id === query.get("ownerId")));
      return { status: 200, body: wrap("postgres", found) };
    });
    const withPg = (id: string, f: (p: Obj) => FakeResponse) => (this.postgres.has(id) ? f(this.postgres.get(id)!) : notFound());
    this.route("GET", /^\/postgres\/([^/]+)$/, ({ params }) =>
      withPg(params[0], (p) => {
        const seen = { ...p };
        p.status = "available"; // becomes available after it has been seen once
        return { status: 200, body: seen };
      }),
    );
    this.route("PATCH", /^\/postgres\/([^/]+)$/, ({ params, body }) =>
      withPg(params[0], (p) => {
        const { enableHighAvailability, ...rest } = body;
        Object.assign(p, rest, enableHighAvailability === undefined ? {} : { highAvailabilityEnabled: enableHighAvailability });
        return { status: 200, body: p };
      }),
    );
    this.route("DELETE", /^\/postgres\/([^/]+)$/, ({ params }) => withPg(params[0], (p) => (this.postgres.delete(p.id), { status: 204 })));
    this.route("GET", /^\/postgres\/([^/]+)\/connection-info$/, ({ params }) =>
      withPg(params[0], (p) => ({
        status: 200,
        body: {
          password: "pg-password-s3cret",
          internalConnectionString: `postgresql://${p.databaseUser}:pg-password-s3cret@${p.id}/${p.databaseName}`,
          externalConnectionString: `postgresql://${p.databaseUser}:pg-password-s3cret@${p.id}.oregon-postgres.render.com/${p.databaseName}`,
          psqlCommand: "psql",
        },
      })),
    );
  }
}

/**
 * Service details as Render answers them (webServiceDetails): a request's top-level
 * `preDeployCommand` is kept under `envSpecificDetails`, which is the only place GET shows it.
 */
function answered(request: Obj, prior: Obj): Obj {
  const { preDeployCommand, envSpecificDetails, ...rest } = request;
  const details = { ...(prior.envSpecificDetails ?? {}), ...(envSpecificDetails ?? {}) };
  if (preDeployCommand !== undefined) details.preDeployCommand = preDeployCommand;
  return { ...prior, ...rest, envSpecificDetails: details };
}

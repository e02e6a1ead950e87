import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ApiSpec, type Discriminator } from "./openapi";
import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const notFound = (): FakeResponse => ({ status: 404, body: { id: "not-found", message: "not found" } });
const wrap = (key: string, items: Obj[]) => items.map((item, n) => ({ [key]: item, cursor: `c${n}` }));
const now = () => new Date().toISOString();
const NATIVE = ["elixir", "go", "node", "python", "ruby", "rust"];
const DETAILS = ["static_site", "web_service", "private_service", "background_worker", "cron_job"];
const camel = (t: string) => t.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());

// Render's spec gives serviceDetails (per service type) and envSpecificDetails (per runtime) as
// oneOfs with no discriminator; Render picks the branch by `type` and `runtime`, and so does the fake.
const byType = (suffix: string) => Object.fromEntries(DETAILS.map((t) => [t, `${camel(t)}Details${suffix}`]));
const byRuntime = (suffix: string) => ({
  docker: `dockerDetails${suffix}`, image: `dockerDetails${suffix}`,
  ...Object.fromEntries(NATIVE.map((r) => [r, `nativeEnvironmentDetails${suffix}`])),
});
const DISCRIMINATORS: Discriminator[] = [
  { schema: "servicePOST", property: "serviceDetails", tag: "type", branches: byType("POST") },
  { schema: "service", property: "serviceDetails", tag: "type", branches: byType("") },
  { schema: "webServiceDetailsPOST", property: "envSpecificDetails", tag: "runtime", branches: byRuntime("POST") },
  { schema: "webServiceDetailsPATCH", property: "envSpecificDetails", tag: "runtime", branches: byRuntime("PATCH") },
  { schema: "webServiceDetails", property: "envSpecificDetails", tag: "runtime", branches: byRuntime("") },
  // A PATCH names no type; the fake holds web services only, so it is the web service's details.
  { schema: "servicePATCH", property: "serviceDetails", only: "webServiceDetailsPATCH" },
];

/**
 * A service event's `details` is a oneOf of titled shapes, some of them empty objects that fit
 * any event, so no event matches exactly one; Render picks the shape by the event's `type` ("Pre
 * Deploy Ended" for pre_deploy_ended), and so does the fake. The event and its details move to
 * named schemas (references into them follow) so that a discriminator can name each shape.
 */
function nameEventDetails(doc: Obj): { doc: Obj; discriminator: Discriminator } {
  const at = "#/components/schemas/serviceEventWithCursor/properties/event";
  const moved: Obj = JSON.parse(
    JSON.stringify(doc).split(`"${at}/properties/details`).join('"#/components/schemas/serviceEventDetails').split(`"${at}`).join('"#/components/schemas/serviceEvent'),
  );
  const schemas = moved.components.schemas;
  const event = schemas.serviceEventWithCursor.properties.event;
  schemas.serviceEventDetails = event.properties.details;
  schemas.serviceEvent = { ...event, properties: { ...event.properties, details: { $ref: "#/components/schemas/serviceEventDetails" } } };
  schemas.serviceEventWithCursor.properties.event = { $ref: "#/components/schemas/serviceEvent" };
  const branches = Object.fromEntries(
    (schemas.serviceEventDetails.oneOf as Obj[]).map((b, i) => [b.title.toLowerCase().replace(/ /g, "_"), `serviceEventDetails/oneOf/${i}`]),
  );
  return { doc: moved, discriminator: { schema: "serviceEvent", property: "details", tag: "type", branches } };
}

let spec: ApiSpec | undefined;
function renderSpec(): ApiSpec {
  const published = YAML.parse(fs.readFileSync(path.join(__dirname, "specs/render-openapi.yaml"), "utf8"));
  // The published postgresDetail requires a `project` it never defines; Render answers without one.
  published.components.schemas.postgresDetail.required = published.components.schemas.postgresDetail.required.filter((f: string) => f !== "project");
  // The published serviceEventWithCursor requires the `cursor` every list item carries, but never defines it.
  published.components.schemas.serviceEventWithCursor.properties.cursor = { $ref: "#/components/schemas/cursor" };
  const { doc, discriminator } = nameEventDetails(published);
  return (spec ??= new ApiSpec("render", doc, [...DISCRIMINATORS, discriminator]));
}

/** The build/start details Render answers for a runtime: docker-shaped or native. */
function envDetails(runtime: string, given: Obj = {}, prior: Obj = {}): Obj {
  if (NATIVE.includes(runtime)) {
    return { buildCommand: given.buildCommand ?? prior.buildCommand, startCommand: given.startCommand ?? prior.startCommand, preDeployCommand: prior.preDeployCommand };
  }
  return {
    dockerCommand: given.dockerCommand ?? prior.dockerCommand ?? "", dockerContext: given.dockerContext ?? prior.dockerContext ?? ".",
    dockerfilePath: given.dockerfilePath ?? prior.dockerfilePath ?? "./Dockerfile", preDeployCommand: prior.preDeployCommand,
  };
}

/** How a pre-deploy command ends in the fake: its exit status and the lines it printed. */
export interface CommandRun {
  exitCode: number;
  output: string[];
}

/** A deploy the fake runs: Render's view of it, and what the fake needs to move it on. */
interface DeployRun {
  deploy: Obj;
  serviceId: string;
  command?: string;
  reads: number;
}

const PENDING = ["created", "queued", "build_in_progress", "pre_deploy_in_progress", "update_in_progress"];
const at = (t: string | null) => (t ? Date.parse(t) : undefined);

/** Render's REST API in memory: web services, env vars, custom domains, deploys and their logs, Postgres, Key Value. */
export class FakeRender extends FakeServer {
  readonly services = new Map<string, Obj>();
  readonly envVars = new Map<string, { key: string; value: string }[]>();
  readonly domains = new Map<string, Obj[]>();
  readonly postgres = new Map<string, Obj>();
  readonly keyValues = new Map<string, Obj>();
  /** Services that paved asked to deploy (POST /deploys), in order. */
  readonly deploys: string[] = [];
  /** Every deploy, by id, including the first one Render starts when a service is created. */
  readonly deployRuns = new Map<string, DeployRun>();
  /** What each pre-deploy command does when a deploy runs it; the default applies migrations and exits 0. */
  preDeploy: (command: string) => CommandRun = () => ({ exitCode: 0, output: ["applying migrations", "migrations applied"] });
  /** How many reads of a deploy it takes to settle (live or failed); Infinity: it never does. */
  settleAfter = 2;
  private readonly logs: Obj[] = [];
  private readonly events: Obj[] = [];
  private seq = 0;

  /** Gives an object the id Render gave it elsewhere: one a team made by hand before paved. */
  rename(kind: "services" | "postgres" | "keyValues", from: string, to: string): void {
    const obj = this[kind].get(from);
    if (!obj) throw new Error(`no ${kind} ${from}`);
    this[kind].delete(from);
    this[kind].set(to, Object.assign(obj, { id: to }));
    for (const related of [this.envVars, this.domains] as Map<string, unknown>[]) {
      if (!related.has(from)) continue;
      related.set(to, related.get(from));
      related.delete(from);
    }
  }

  constructor(token: string) {
    super(token, (_status, message) => ({ id: "error", message }), renderSpec());
    this.route("POST", /^\/services$/, ({ body }) => this.createService(body));
    this.route("GET", /^\/services$/, ({ query }) => {
      const names = query.get("name")?.split(",") ?? [];
      const owners = query.get("ownerId")?.split(",") ?? [];
      const types = query.get("type")?.split(",") ?? [];
      const found = [...this.services.values()].filter(
        (s) => (!names.length || names.includes(s.name)) && (!owners.length || owners.includes(s.ownerId)) && (!types.length || types.includes(s.type)),
      );
      return { status: 200, body: wrap("service", found) };
    });
    this.route("GET", /^\/services\/([^/]+)$/, ({ params }) => this.withService(params[0], (s) => ({ status: 200, body: s })));
    this.route("PATCH", /^\/services\/([^/]+)$/, ({ params, body }) => this.withService(params[0], (s) => this.patchService(s, body)));
    this.route("DELETE", /^\/services\/([^/]+)$/, ({ params }) =>
      this.withService(params[0], (s) => (this.services.delete(s.id), { status: 204 })),
    );
    this.route("POST", /^\/services\/([^/]+)\/scale$/, ({ params, body }) =>
      this.withService(params[0], (s) => ((s.serviceDetails.numInstances = body.numInstances), { status: 202 })),
    );
    // Render scales an autoscaled service itself; while it does, /scale's count is not the one that holds.
    this.route("PUT", /^\/services\/([^/]+)\/autoscaling$/, ({ params, body }) =>
      this.withService(params[0], (s) => ((s.serviceDetails.autoscaling = body), { status: 200, body })),
    );
    this.route("DELETE", /^\/services\/([^/]+)\/autoscaling$/, ({ params }) =>
      this.withService(params[0], (s) => (s.serviceDetails.autoscaling ? (delete s.serviceDetails.autoscaling, { status: 204 }) : notFound())),
    );
    this.route("GET", /^\/services\/([^/]+)\/env-vars$/, ({ params }) =>
      this.withService(params[0], (s) => ({ status: 200, body: wrap("envVar", this.envVars.get(s.id) ?? []) })),
    );
    this.route("PUT", /^\/services\/([^/]+)\/env-vars$/, ({ params, body }) =>
      this.withService(params[0], (s) => {
        const list = (body as Obj[]).map((e) => ({ key: e.key, value: e.value ?? `generated-${++this.seq}` }));
        this.envVars.set(s.id, list);
        return { status: 200, body: wrap("envVar", list) };
      }),
    );
    this.domainRoutes();
    this.deployRoutes();
    this.postgresRoutes();
    this.keyValueRoutes();
  }

  private withService(id: string, f: (s: Obj) => FakeResponse): FakeResponse {
    const s = this.services.get(id);
    return s ? f(s) : notFound();
  }

  private createService(body: Obj): FakeResponse {
    if (body.type !== "web_service") return { status: 400, body: { message: "this fake creates web services only" } };
    const id = `srv-${++this.seq}`;
    const d = body.serviceDetails ?? {};
    const s: Obj = {
      // Without a branch Render builds the repository's default branch, and answers its name.
      id, name: body.name, ownerId: body.ownerId, type: body.type, repo: body.repo, branch: body.repo ? body.branch || "main" : undefined, rootDir: body.rootDir ?? "",
      autoDeploy: body.autoDeploy ?? "yes", imagePath: body.image?.imagePath,
      registryCredential: body.image?.registryCredentialId ? { id: body.image.registryCredentialId, name: "registry" } : undefined,
      createdAt: now(), updatedAt: now(), dashboardUrl: `https://dashboard.render.com/web/${id}`, suspended: "not_suspended",
      suspenders: [], notifyOnFail: "default", slug: body.name,
      serviceDetails: {
        env: d.runtime, runtime: d.runtime, plan: d.plan ?? "starter", region: d.region ?? "oregon", numInstances: d.numInstances ?? 1,
        buildPlan: "starter", healthCheckPath: d.healthCheckPath ?? "", openPorts: [], url: `https://${body.name}.onrender.com`,
        envSpecificDetails: envDetails(d.runtime, d.envSpecificDetails, { preDeployCommand: d.preDeployCommand || undefined }),
        ...(d.autoscaling ? { autoscaling: d.autoscaling } : {}),
      },
    };
    this.services.set(id, s);
    this.envVars.set(id, (body.envVars ?? []).map((e: Obj) => ({ key: e.key, value: e.value })));
    // Render deploys a new service at once.
    return { status: 201, body: { service: s, deployId: this.startDeploy(s).id } };
  }

  /** Applies a PATCH field by field; an empty healthCheckPath or preDeployCommand clears it, as on Render. */
  private patchService(s: Obj, body: Obj): FakeResponse {
    for (const f of ["name", "repo", "branch", "rootDir", "autoDeploy"]) if (body[f] !== undefined) s[f] = body[f];
    if (body.image) Object.assign(s, { imagePath: body.image.imagePath, registryCredential: body.image.registryCredentialId ? { id: body.image.registryCredentialId, name: "registry" } : undefined });
    const d = body.serviceDetails ?? {};
    const sd = s.serviceDetails;
    for (const f of ["plan", "healthCheckPath"]) if (d[f] !== undefined) sd[f] = d[f];
    if (d.runtime !== undefined) sd.runtime = sd.env = d.runtime;
    const preDeployCommand = d.preDeployCommand === undefined ? sd.envSpecificDetails.preDeployCommand : d.preDeployCommand || undefined;
    sd.envSpecificDetails = envDetails(sd.runtime, d.envSpecificDetails, { ...sd.envSpecificDetails, preDeployCommand });
    s.updatedAt = now();
    return { status: 200, body: s };
  }

  private startDeploy(s: Obj): Obj {
    const deploy = { id: `dep-${++this.seq}`, status: "created", trigger: "api", createdAt: now(), updatedAt: now() };
    this.deployRuns.set(deploy.id, { deploy, serviceId: s.id, command: s.serviceDetails.envSpecificDetails.preDeployCommand, reads: 0 });
    return deploy;
  }

  /** Moves a deploy on by one read: in progress, then (after `settleAfter` reads) live or failed. */
  private advance(run: DeployRun): void {
    const d = run.deploy;
    if (!PENDING.includes(d.status)) return;
    run.reads++;
    d.startedAt ??= now();
    d.status = run.command ? "pre_deploy_in_progress" : "update_in_progress";
    if (run.reads < this.settleAfter) return;
    const result = run.command ? this.preDeploy(run.command) : { exitCode: 0, output: [] };
    for (const line of result.output) {
      this.logs.push({ id: `log-${++this.seq}`, message: line, timestamp: now(), labels: [{ name: "resource", value: run.serviceId }, { name: "level", value: "info" }] });
    }
    if (run.command) this.preDeployEnded(run, result.exitCode);
    if (result.exitCode === 0) {
      for (const other of this.deployRuns.values()) if (other.serviceId === run.serviceId && other.deploy.status === "live") other.deploy.status = "deactivated";
    }
    Object.assign(d, { status: result.exitCode === 0 ? "live" : "pre_deploy_failed", finishedAt: now(), updatedAt: now() });
  }

  private preDeployEnded(run: DeployRun, exitCode: number): void {
    const details = {
      deployCommandExecutionId: `dce-${++this.seq}`, deployId: run.deploy.id, preDeployStatus: exitCode === 0 ? "succeeded" : "failed",
      reason: exitCode === 0 ? {} : { failure: { evicted: false, nonZeroExit: exitCode } },
      // Deprecated and undocumented, yet required by the schema; paved does not read it.
      status: exitCode === 0 ? 2 : 3,
    };
    const id = `evt-${String(++this.seq).padStart(20, "0")}`;
    this.events.push({ id, timestamp: now(), serviceId: run.serviceId, type: "pre_deploy_ended", details });
  }

  private deployRoutes(): void {
    this.route("POST", /^\/services\/([^/]+)\/deploys$/, ({ params }) =>
      this.withService(params[0], (s) => (this.deploys.push(s.id), { status: 201, body: this.startDeploy(s) })),
    );
    this.route("GET", /^\/services\/([^/]+)\/deploys$/, ({ params, query }) =>
      this.withService(params[0], (s) => {
        const mine = [...this.deployRuns.values()].filter((r) => r.serviceId === s.id).map((r) => r.deploy).reverse();
        return { status: 200, body: wrap("deploy", mine.slice(0, Number(query.get("limit") ?? 20))) };
      }),
    );
    this.route("GET", /^\/services\/([^/]+)\/deploys\/([^/]+)$/, ({ params }) =>
      this.withService(params[0], (s) => {
        const run = this.deployRuns.get(params[1]);
        if (!run || run.serviceId !== s.id) return notFound();
        this.advance(run);
        return { status: 200, body: run.deploy };
      }),
    );
    this.route("GET", /^\/services\/([^/]+)\/events$/, ({ params, query }) =>
      this.withService(params[0], (s) => {
        const types = query.getAll("type").flatMap((t) => t.split(","));
        const from = at(query.get("startTime")) ?? 0;
        const found = this.events.filter((e) => e.serviceId === s.id && (!types.length || types.includes(e.type)) && Date.parse(e.timestamp) >= from);
        return { status: 200, body: wrap("event", found.reverse().slice(0, Number(query.get("limit") ?? 20))) };
      }),
    );
    // Logs across resources by time range; backward (the default) answers the newest first.
    this.route("GET", /^\/logs$/, ({ query }) => {
      const resources = query.getAll("resource").flatMap((r) => r.split(","));
      const from = at(query.get("startTime")) ?? Date.now() - 3_600_000;
      const to = at(query.get("endTime")) ?? Date.now();
      const inRange = this.logs.filter((l) => {
        const t = Date.parse(l.timestamp);
        return l.labels.some((x: Obj) => x.name === "resource" && resources.includes(x.value)) && t >= from && t <= to;
      });
      const ordered = query.get("direction") === "forward" ? inRange : [...inRange].reverse();
      const limit = Number(query.get("limit") ?? 20);
      const body = {
        hasMore: ordered.length > limit, nextStartTime: new Date(from).toISOString(), nextEndTime: new Date(to).toISOString(),
        logs: ordered.slice(0, limit),
      };
      return { status: 200, body };
    });
  }

  private domainRoutes(): void {
    this.route("GET", /^\/services\/([^/]+)\/custom-domains$/, ({ params }) =>
      this.withService(params[0], (s) => ({ status: 200, body: wrap("customDomain", this.domains.get(s.id) ?? []) })),
    );
    this.route("POST", /^\/services\/([^/]+)\/custom-domains$/, ({ params, body }) =>
      this.withService(params[0], (s) => {
        const d = {
          id: `cdm-${++this.seq}`, name: body.name, domainType: body.name.split(".").length > 2 ? "subdomain" : "apex",
          publicSuffix: body.name.split(".").slice(-1)[0], redirectForName: "", verificationStatus: "unverified", createdAt: now(),
          server: { id: s.id, name: s.name },
        };
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
  }

  private postgresRoutes(): void {
    this.route("POST", /^\/postgres$/, ({ body }) => {
      const id = `dpg-${++this.seq}`;
      const p = {
        id, name: body.name, plan: body.plan, version: body.version, region: body.region ?? "oregon", diskSizeGB: body.diskSizeGB ?? 1,
        owner: { id: body.ownerId, name: "Acme", email: "ops@example.com", type: "team" }, status: "creating",
        highAvailabilityEnabled: body.enableHighAvailability ?? false, diskAutoscalingEnabled: body.enableDiskAutoscaling ?? false,
        databaseName: body.databaseName ?? "app_x1", databaseUser: body.databaseUser ?? "app_x1_user", ipAllowList: body.ipAllowList ?? [],
        createdAt: now(), updatedAt: now(), dashboardUrl: `https://dashboard.render.com/d/${id}`, readReplicas: [], role: "primary",
        suspended: "not_suspended", suspenders: [],
      };
      this.postgres.set(id, p);
      return { status: 201, body: p };
    });
    this.route("GET", /^\/postgres$/, ({ query }) => {
      const names = query.get("name")?.split(",") ?? [];
      const owners = query.get("ownerId")?.split(",") ?? [];
      const found = [...this.postgres.values()].filter((p) => (!names.length || names.includes(p.name)) && (!owners.length || owners.includes(p.owner.id)));
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
        for (const f of ["name", "plan", "diskSizeGB", "ipAllowList"]) if (body[f] !== undefined) p[f] = body[f];
        if (body.enableHighAvailability !== undefined) p.highAvailabilityEnabled = body.enableHighAvailability;
        if (body.enableDiskAutoscaling !== undefined) p.diskAutoscalingEnabled = body.enableDiskAutoscaling;
        p.updatedAt = now();
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

  private keyValueRoutes(): void {
    this.route("POST", /^\/key-value$/, ({ body }) => {
      const id = `red-${++this.seq}`;
      const k = {
        id, name: body.name, plan: body.plan, region: body.region ?? "oregon", status: "creating", version: "8.1.4",
        owner: { id: body.ownerId, name: "Acme", email: "ops@example.com", type: "team" },
        options: { maxmemoryPolicy: body.maxmemoryPolicy ?? "allkeys_lru" }, ipAllowList: body.ipAllowList ?? [],
        createdAt: now(), updatedAt: now(),
      };
      this.keyValues.set(id, k);
      return { status: 201, body: k };
    });
    this.route("GET", /^\/key-value$/, ({ query }) => {
      const names = query.get("name")?.split(",") ?? [];
      const owners = query.get("ownerId")?.split(",") ?? [];
      const found = [...this.keyValues.values()].filter((k) => (!names.length || names.includes(k.name)) && (!owners.length || owners.includes(k.owner.id)));
      return { status: 200, body: wrap("keyValue", found) };
    });
    const withKv = (id: string, f: (k: Obj) => FakeResponse) => (this.keyValues.has(id) ? f(this.keyValues.get(id)!) : notFound());
    this.route("GET", /^\/key-value\/([^/]+)$/, ({ params }) =>
      withKv(params[0], (k) => {
        const seen = { ...k };
        k.status = "available"; // becomes available after it has been seen once
        return { status: 200, body: seen };
      }),
    );
    this.route("PATCH", /^\/key-value\/([^/]+)$/, ({ params, body }) =>
      withKv(params[0], (k) => {
        for (const f of ["name", "plan", "ipAllowList"]) if (body[f] !== undefined) k[f] = body[f];
        if (body.maxmemoryPolicy !== undefined) k.options = { ...k.options, maxmemoryPolicy: body.maxmemoryPolicy };
        k.updatedAt = now();
        return { status: 200, body: k };
      }),
    );
    this.route("DELETE", /^\/key-value\/([^/]+)$/, ({ params }) => withKv(params[0], (k) => (this.keyValues.delete(k.id), { status: 204 })));
    this.route("GET", /^\/key-value\/([^/]+)\/connection-info$/, ({ params }) =>
      withKv(params[0], (k) => ({
        status: 200,
        body: {
          internalConnectionString: `redis://${k.id}:6379`,
          externalConnectionString: `rediss://red:kv-password-s3cret@${k.region}-keyvalue.render.com:6379`,
          cliCommand: "redis-cli",
        },
      })),
    );
  }
}

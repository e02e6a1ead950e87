import { randomUUID } from "node:crypto";
import fs from "node:fs";
import YAML from "yaml";
import { ApiSpec } from "./openapi";
import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const notFound = (what: string): FakeResponse => ({ status: 404, body: { code: "", message: `${what} not found` } });
const now = () => new Date().toISOString();
const stamps = () => ({ created_at: now(), updated_at: now() });
const usage = () => ({ cpu_used_sec: 0, active_time_seconds: 0, compute_time_seconds: 0, written_data_bytes: 0, data_transfer_bytes: 0 });

let spec: ApiSpec | undefined;
/** Neon's OpenAPI document as the api-client package ships it. */
function neonSpec(): ApiSpec {
  const file = require.resolve("@neondatabase/api-client/public-v2-for-users.gen.yaml");
  return (spec ??= new ApiSpec("neon", YAML.parse(fs.readFileSync(file, "utf8"))));
}

/** A project as GET /projects lists it (ProjectListItem), not as GET /projects/{id} answers it. */
function listItem(p: Obj): Obj {
  return {
    id: p.id, platform_id: p.platform_id, region_id: p.region_id, name: p.name, provisioner: p.provisioner, default_endpoint_settings: p.default_endpoint_settings,
    settings: p.settings, pg_version: p.pg_version, proxy_host: p.proxy_host, branch_logical_size_limit: 0, branch_logical_size_limit_bytes: 0,
    store_passwords: p.store_passwords, active_time: 0, cpu_used_sec: 0, creation_source: p.creation_source, created_at: p.created_at,
    updated_at: p.updated_at, owner_id: p.owner_id, org_id: p.org_id, history_retention_seconds: p.history_retention_seconds,
  };
}

/** Neon's API v2 in memory, with operations that finish one poll after they start. */
export class FakeNeon extends FakeServer {
  readonly projects = new Map<string, Obj>();
  readonly branches = new Map<string, Obj>();
  readonly endpoints: Obj[] = [];
  readonly roles = new Map<string, Obj>();
  readonly databases = new Map<string, Obj>();
  readonly operations = new Map<string, Obj>();
  /** The next operation started ends as "failed" instead of "finished". */
  failNextOperation = false;
  private readonly failing = new Set<string>();
  private seq = 0;

  constructor(token: string) {
    super(token, (_status, message) => ({ code: "", message }), neonSpec());
    this.route("POST", /^\/projects$/, ({ body }) => this.createProject(body.project));
    this.route("GET", /^\/projects$/, ({ query }) => {
      const s = query.get("search") ?? "";
      const found = [...this.projects.values()].filter((p) => (p.name.includes(s) || p.id.includes(s)) && (!query.get("org_id") || p.org_id === query.get("org_id")));
      return { status: 200, body: { projects: found.map(listItem), applications: {}, integrations: {} } };
    });
    this.route("GET", /^\/projects\/([^/]+)$/, ({ params }) => this.withProject(params[0], (p) => ({ status: 200, body: { project: p } })));
    this.route("PATCH", /^\/projects\/([^/]+)$/, ({ params, body }) =>
      this.withProject(params[0], (p) => {
        const { name, history_retention_seconds, default_endpoint_settings, settings } = body.project;
        if (name !== undefined) p.name = name;
        if (history_retention_seconds !== undefined) p.history_retention_seconds = history_retention_seconds;
        p.default_endpoint_settings = { ...p.default_endpoint_settings, ...default_endpoint_settings };
        p.settings = { ...p.settings, ...settings };
        p.updated_at = now();
        return { status: 200, body: { project: p, operations: [this.op(p.id)] } };
      }),
    );
    this.route("DELETE", /^\/projects\/([^/]+)$/, ({ params }) => this.withProject(params[0], (p) => (this.projects.delete(p.id), { status: 200, body: { project: p } })));
    this.route("GET", /^\/projects\/([^/]+)\/operations\/([^/]+)$/, ({ params }) => {
      const op = this.operations.get(params[1]);
      if (!op) return notFound("operation");
      const seen = { ...op };
      if (op.status === "running") op.status = this.failing.has(op.id) ? "failed" : "finished";
      return { status: 200, body: { operation: seen.status === "failed" ? { ...seen, error: "compute failed to start" } : seen } };
    });
    this.branchRoutes();
    this.roleAndDatabaseRoutes();
    this.route("GET", /^\/projects\/([^/]+)\/connection_uri$/, ({ params, query }) => {
      const role = this.roles.get(`${query.get("branch_id")}/${query.get("role_name")}`);
      if (!role) return notFound("role");
      const ep = this.endpoints.find((e) => e.branch_id === query.get("branch_id"))!;
      const host = query.get("pooled") === "true" ? ep.host.replace(/^(ep-[^.]+)/, "$1-pooler") : ep.host;
      return { status: 200, body: { uri: `postgresql://${role.name}:${role.password}@${host}/${query.get("database_name")}?sslmode=require&project=${params[0]}` } };
    });
  }

  private op(projectId: string, action = "apply_config"): Obj {
    const op = { id: randomUUID(), project_id: projectId, action, status: "running", failures_count: 0, total_duration_ms: 0, ...stamps() };
    if (this.failNextOperation) this.failing.add(op.id);
    this.failNextOperation = false;
    this.operations.set(op.id, op);
    return { ...op };
  }

  private withProject(id: string, f: (p: Obj) => FakeResponse): FakeResponse {
    const p = this.projects.get(id);
    return p ? f(p) : notFound("project");
  }

  private newBranch(p: Obj, b: Obj, isDefault: boolean): { branch: Obj; endpoint: Obj } {
    const branch = {
      id: `br-${++this.seq}`, project_id: p.id, name: b.name ?? `br-${this.seq}`, parent_id: b.parent_id, protected: b.protected ?? false,
      default: isDefault, current_state: "ready", state_changed_at: now(), creation_source: "console", ...stamps(), ...usage(),
    };
    const host = `ep-e${++this.seq}.eu-central-1.aws.neon.tech`;
    const endpoint = {
      id: `ep-e${this.seq}`, host, type: "read_write", branch_id: branch.id, project_id: p.id, region_id: p.region_id,
      autoscaling_limit_min_cu: p.default_endpoint_settings.autoscaling_limit_min_cu ?? 0.25,
      autoscaling_limit_max_cu: p.default_endpoint_settings.autoscaling_limit_max_cu ?? 0.25,
      suspend_timeout_seconds: p.default_endpoint_settings.suspend_timeout_seconds ?? 0, current_state: "active", pooler_enabled: false,
      pooler_mode: "transaction", disabled: false, passwordless_access: true, creation_source: "console", settings: {},
      proxy_host: p.proxy_host, provisioner: p.provisioner, ...stamps(),
    };
    this.branches.set(branch.id, branch);
    this.endpoints.push(endpoint);
    return { branch, endpoint };
  }

  private newRole(branchId: string, name: string, password: string): Obj {
    const role = { branch_id: branchId, name, password, protected: false, ...stamps() };
    this.roles.set(`${branchId}/${name}`, role);
    return role;
  }

  private createProject(body: Obj): FakeResponse {
    const id = `p-${++this.seq}`;
    const project = {
      id, name: body.name ?? id, region_id: body.region_id ?? "aws-us-east-2", pg_version: body.pg_version ?? 17, org_id: body.org_id,
      history_retention_seconds: body.history_retention_seconds ?? 86_400, default_endpoint_settings: { ...body.default_endpoint_settings },
      // Neon answers an empty allow-list, not none, for a project created without one.
      settings: { allowed_ips: { ips: [], protected_branches_only: false }, ...body.settings },
      platform_id: "aws", proxy_host: "eu-central-1.aws.neon.tech", branch_logical_size_limit: 0, branch_logical_size_limit_bytes: 0,
      store_passwords: body.store_passwords ?? true, provisioner: "k8s-neonvm", creation_source: "console", owner_id: "u-1",
      consumption_period_start: now(), consumption_period_end: now(), data_storage_bytes_hour: 0, ...usage(), ...stamps(),
    };
    this.projects.set(id, project);
    const { branch, endpoint } = this.newBranch(project, body.branch ?? {}, true);
    const role = this.newRole(branch.id, "neondb_owner", "npg_owner");
    return {
      status: 201,
      body: { project, branch, endpoints: [endpoint], roles: [role], databases: [], connection_uris: [], operations: [this.op(id, "create_timeline"), this.op(id, "start_compute")] },
    };
  }

  private branchRoutes(): void {
    const withBranch = (pid: string, bid: string, f: (b: Obj) => FakeResponse) => {
      const b = this.branches.get(bid);
      return b && b.project_id === pid ? f(b) : notFound("branch");
    };
    this.route("POST", /^\/projects\/([^/]+)\/branches$/, ({ params, body }) =>
      this.withProject(params[0], (p) => {
        // A branch starts as a copy of its parent (the default branch unless named), roles included.
        const parent = (body?.branch?.parent_id as string | undefined) ?? [...this.branches.values()].find((b) => b.project_id === p.id && b.default)?.id;
        const { branch, endpoint } = this.newBranch(p, { parent_id: parent, ...body?.branch }, false);
        for (const [key, role] of [...this.roles]) {
          if (key.startsWith(`${parent}/`)) this.newRole(branch.id, role.name, role.password);
        }
        return { status: 201, body: { branch, endpoints: [endpoint], operations: [this.op(p.id, "create_branch")], roles: [], databases: [] } };
      }),
    );
    this.route("GET", /^\/projects\/([^/]+)\/branches$/, ({ params, query }) =>
      this.withProject(params[0], (p) => ({
        status: 200,
        body: { branches: [...this.branches.values()].filter((b) => b.project_id === p.id && b.name.includes(query.get("search") ?? "")), annotations: {} },
      })),
    );
    this.route("GET", /^\/projects\/([^/]+)\/branches\/([^/]+)$/, ({ params }) =>
      withBranch(params[0], params[1], (b) => ({ status: 200, body: { branch: b, annotation: { object: { type: "console/branch", id: b.id }, value: {} } } })),
    );
    this.route("PATCH", /^\/projects\/([^/]+)\/branches\/([^/]+)$/, ({ params, body }) =>
      withBranch(params[0], params[1], (b) => {
        for (const f of ["name", "protected"]) if (body.branch[f] !== undefined) b[f] = body.branch[f];
        b.updated_at = now();
        return { status: 200, body: { branch: b, operations: [] } };
      }),
    );
    this.route("DELETE", /^\/projects\/([^/]+)\/branches\/([^/]+)$/, ({ params }) =>
      withBranch(params[0], params[1], (b) => (this.branches.delete(b.id), { status: 200, body: { branch: b, operations: [this.op(b.project_id, "delete_timeline")] } })),
    );
    this.route("GET", /^\/projects\/([^/]+)\/branches\/([^/]+)\/endpoints$/, ({ params }) =>
      withBranch(params[0], params[1], (b) => ({ status: 200, body: { endpoints: this.endpoints.filter((e) => e.branch_id === b.id) } })),
    );
  }

  private roleAndDatabaseRoutes(): void {
    const R = /^\/projects\/([^/]+)\/branches\/([^/]+)\/roles/;
    const D = /^\/projects\/([^/]+)\/branches\/([^/]+)\/databases/;
    const withRole = (bid: string, name: string, f: (r: Obj) => FakeResponse) => {
      const r = this.roles.get(`${bid}/${name}`);
      return r ? f(r) : notFound("role");
    };
    const withDb = (bid: string, name: string, f: (d: Obj) => FakeResponse) => {
      const d = this.databases.get(`${bid}/${name}`);
      return d ? f(d) : notFound("database");
    };
    this.route("POST", new RegExp(`${R.source}$`), ({ params, body }) => {
      if (this.roles.has(`${params[1]}/${body.role.name}`)) return { status: 409, body: { code: "", message: "role already exists" } };
      const role = this.newRole(params[1], body.role.name, `npg_${++this.seq}pw`);
      return { status: 201, body: { role, operations: [this.op(params[0], "apply_config")] } };
    });
    this.route("GET", new RegExp(`${R.source}/([^/]+)$`), ({ params }) => withRole(params[1], params[2], ({ password: _p, ...r }) => ({ status: 200, body: { role: r } })));
    this.route("GET", new RegExp(`${R.source}/([^/]+)/reveal_password$`), ({ params }) => withRole(params[1], params[2], (r) => ({ status: 200, body: { password: r.password } })));
    this.route("POST", new RegExp(`${R.source}/([^/]+)/reset_password$`), ({ params }) =>
      withRole(params[1], params[2], (r) => ((r.password = `npg_${++this.seq}reset`), { status: 200, body: { role: r, operations: [this.op(params[0])] } })),
    );
    this.route("DELETE", new RegExp(`${R.source}/([^/]+)$`), ({ params }) =>
      withRole(params[1], params[2], ({ password: _p, ...r }) => (this.roles.delete(`${params[1]}/${r.name}`), { status: 200, body: { role: r, operations: [this.op(params[0])] } })),
    );
    this.route("POST", new RegExp(`${D.source}$`), ({ params, body }) => {
      const db = { id: ++this.seq, branch_id: params[1], name: body.database.name, owner_name: body.database.owner_name, ...stamps() };
      this.databases.set(`${params[1]}/${db.name}`, db);
      return { status: 201, body: { database: db, operations: [this.op(params[0])] } };
    });
    this.route("GET", new RegExp(`${D.source}$`), ({ params }) => ({ status: 200, body: { databases: [...this.databases.values()].filter((d) => d.branch_id === params[1]) } }));
    this.route("GET", new RegExp(`${D.source}/([^/]+)$`), ({ params }) => withDb(params[1], params[2], (db) => ({ status: 200, body: { database: db } })));
    this.route("PATCH", new RegExp(`${D.source}/([^/]+)$`), ({ params, body }) =>
      withDb(params[1], params[2], (db) => {
        this.databases.delete(`${params[1]}/${db.name}`);
        for (const f of ["name", "owner_name"]) if (body.database[f] !== undefined) db[f] = body.database[f];
        db.updated_at = now();
        this.databases.set(`${params[1]}/${db.name}`, db);
        return { status: 200, body: { database: db, operations: [this.op(params[0])] } };
      }),
    );
    this.route("DELETE", new RegExp(`${D.source}/([^/]+)$`), ({ params }) =>
      withDb(params[1], params[2], (db) => (this.databases.delete(`${params[1]}/${db.name}`), { status: 200, body: { database: db, operations: [this.op(params[0])] } })),
    );
  }
}

import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const notFound = (what: string): FakeResponse => ({ status: 404, body: { code: "", message: `${what} not found` } });

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
  private seq = 0;

  constructor(token: string) {
    super(token, (_status, message) => ({ code: "", message }));
    this.route("POST", /^\/projects$/, ({ body }) => this.createProject(body.project));
    this.route("GET", /^\/projects$/, ({ query }) => {
      const s = query.get("search") ?? "";
      return { status: 200, body: { projects: [...this.projects.values()].filter((p) => p.name.includes(s) || p.id.includes(s)), pagination: {} } };
    });
    this.route("GET", /^\/projects\/([^/]+)$/, ({ params }) => this.withProject(params[0], (p) => ({ status: 200, body: { project: p } })));
    this.route("PATCH", /^\/projects\/([^/]+)$/, ({ params, body }) =>
      this.withProject(params[0], (p) => {
        const { default_endpoint_settings, ...rest } = body.project;
        Object.assign(p, rest, { default_endpoint_settings: { ...p.default_endpoint_settings, ...default_endpoint_settings } });
        return { status: 200, body: { project: p, operations: [this.op(p.id)] } };
      }),
    );
    this.route("DELETE", /^\/projects\/([^/]+)$/, ({ params }) => this.withProject(params[0], (p) => (this.projects.delete(p.id), { status: 200, body: { project: p } })));
    this.route("GET", /^\/projects\/([^/]+)\/operations\/([^/]+)$/, ({ params }) => {
      const op = this.operations.get(params[1]);
      if (!op) return notFound("operation");
      const seen = { ...op };
      if (op.status === "running") op.status = op.willFail ? "failed" : "finished";
      return { status: 200, body: { operation: { ...seen, error: seen.status === "failed" ? "compute failed to start" : undefined } } };
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
    const op = { id: `op-${++this.seq}`, project_id: projectId, action, status: "running", failures_count: 0, willFail: this.failNextOperation };
    this.failNextOperation = false;
    this.operations.set(op.id, op);
    const view: Obj = { ...op };
    delete view.willFail;
    return view;
  }

  private withProject(id: string, f: (p: Obj) => FakeResponse): FakeResponse {
    const p = this.projects.get(id);
    return p ? f(p) : notFound("project");
  }

  private newBranch(projectId: string, b: Obj, isDefault: boolean): { branch: Obj; endpoint: Obj } {
    const branch = { id: `br-${++this.seq}`, project_id: projectId, name: b.name ?? `br-${this.seq}`, parent_id: b.parent_id, protected: b.protected ?? false, default: isDefault, created_at: new Date().toISOString() };
    const endpoint = { id: `ep-e${++this.seq}`, host: `ep-e${this.seq}.eu-central-1.aws.neon.tech`, type: "read_write", branch_id: branch.id, project_id: projectId };
    this.branches.set(branch.id, branch);
    this.endpoints.push(endpoint);
    return { branch, endpoint };
  }

  private createProject(body: Obj): FakeResponse {
    if (!body?.region_id) return { status: 400, body: { code: "", message: "region_id is required" } };
    const id = `p-${++this.seq}`;
    const { branch: b, settings, ...rest } = body;
    // Neon answers an empty allow-list, not none, for a project created without one.
    const project = { ...rest, id, settings: { allowed_ips: { ips: [], protected_branches_only: false }, ...settings }, created_at: new Date().toISOString() };
    this.projects.set(id, project);
    const { branch, endpoint } = this.newBranch(id, b ?? {}, true);
    const role = { branch_id: branch.id, name: "neondb_owner", password: "npg_owner" };
    this.roles.set(`${branch.id}/${role.name}`, role);
    return { status: 201, body: { project, branch, endpoints: [endpoint], roles: [role], databases: [], connection_uris: [], operations: [this.op(id, "create_timeline"), this.op(id, "start_compute")] } };
  }

  private branchRoutes(): void {
    const withBranch = (pid: string, bid: string, f: (b: Obj) => FakeResponse) => {
      const b = this.branches.get(bid);
      return b && b.project_id === pid ? f(b) : notFound("branch");
    };
    this.route("POST", /^\/projects\/([^/]+)\/branches$/, ({ params, body }) =>
      this.withProject(params[0], (p) => {
        const { branch, endpoint } = this.newBranch(p.id, body.branch ?? {}, false);
        // A branch starts as a copy of its parent (the default branch unless named), roles included.
        const parent = (body.branch?.parent_id as string | undefined)
          ?? [...this.branches.values()].find((b) => b.project_id === p.id && b.default)?.id;
        for (const [key, role] of [...this.roles]) {
          if (key.startsWith(`${parent}/`)) this.roles.set(`${branch.id}/${role.name}`, { ...role, branch_id: branch.id });
        }
        return { status: 201, body: { branch, endpoints: [endpoint], operations: [this.op(p.id, "create_branch")], roles: [], databases: [] } };
      }),
    );
    this.route("GET", /^\/projects\/([^/]+)\/branches$/, ({ params, query }) =>
      this.withProject(params[0], (p) => ({
        status: 200,
        body: { branches: [...this.branches.values()].filter((b) => b.project_id === p.id && b.name.includes(query.get("search") ?? "")) },
      })),
    );
    this.route("GET", /^\/projects\/([^/]+)\/branches\/([^/]+)$/, ({ params }) => withBranch(params[0], params[1], (b) => ({ status: 200, body: { branch: b } })));
    this.route("PATCH", /^\/projects\/([^/]+)\/branches\/([^/]+)$/, ({ params, body }) =>
      withBranch(params[0], params[1], (b) => (Object.assign(b, body.branch), { status: 200, body: { branch: b, operations: [] } })),
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
    this.route("POST", new RegExp(`${R.source}$`), ({ params, body }) => {
      const key = `${params[1]}/${body.role.name}`;
      if (this.roles.has(key)) return { status: 409, body: { code: "", message: "role already exists" } };
      const role = { branch_id: params[1], name: body.role.name, password: `npg_${++this.seq}pw` };
      this.roles.set(key, role);
      return { status: 201, body: { role, operations: [this.op(params[0], "apply_config")] } };
    });
    this.route("GET", new RegExp(`${R.source}/([^/]+)$`), ({ params }) => withRole(params[1], params[2], ({ password: _p, ...r }) => ({ status: 200, body: { role: r } })));
    this.route("GET", new RegExp(`${R.source}/([^/]+)/reveal_password$`), ({ params }) => withRole(params[1], params[2], (r) => ({ status: 200, body: { password: r.password } })));
    this.route("POST", new RegExp(`${R.source}/([^/]+)/reset_password$`), ({ params }) =>
      withRole(params[1], params[2], (r) => ((r.password = `npg_${++this.seq}reset`), { status: 200, body: { role: r, operations: [this.op(params[0])] } })),
    );
    this.route("DELETE", new RegExp(`${R.source}/([^/]+)$`), ({ params }) =>
      withRole(params[1], params[2], (r) => (this.roles.delete(`${params[1]}/${r.name}`), { status: 200, body: { role: r, operations: [this.op(params[0])] } })),
    );
    this.route("POST", new RegExp(`${D.source}$`), ({ params, body }) => {
      const db = { id: ++this.seq, branch_id: params[1], name: body.database.name, owner_name: body.database.owner_name };
      this.databases.set(`${params[1]}/${db.name}`, db);
      return { status: 201, body: { database: db, operations: [this.op(params[0])] } };
    });
    this.route("GET", new RegExp(`${D.source}$`), ({ params }) => ({ status: 200, body: { databases: [...this.databases.values()].filter((d) => d.branch_id === params[1]) } }));
    this.route("GET", new RegExp(`${D.source}/([^/]+)$`), ({ params }) => {
      const db = this.databases.get(`${params[1]}/${params[2]}`);
      return db ? { status: 200, body: { database: db } } : notFound("database");
    });
    this.route("PATCH", new RegExp(`${D.source}/([^/]+)$`), ({ params, body }) => {
      const db = this.databases.get(`${params[1]}/${params[2]}`);
      if (!db) return notFound("database");
      this.databases.delete(`${params[1]}/${db.name}`);
      Object.assign(db, body.database);
      this.databases.set(`${params[1]}/${db.name}`, db);
      return { status: 200, body: { database: db, operations: [this.op(params[0])] } };
    });
    this.route("DELETE", new RegExp(`${D.source}/([^/]+)$`), ({ params }) => {
      const db = this.databases.get(`${params[1]}/${params[2]}`);
      if (!db) return notFound("database");
      this.databases.delete(`${params[1]}/${db.name}`);
      return { status: 200, body: { database: db, operations: [this.op(params[0])] } };
    });
  }
}

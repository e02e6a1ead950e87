import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ApiSpec } from "./openapi";
import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

let spec: ApiSpec | undefined;
/** The Machines API as Fly's docs describe it (Fly's own OpenAPI document is not available here). */
function flySpec(): ApiSpec {
  return (spec ??= new ApiSpec("fly", YAML.parse(fs.readFileSync(path.join(__dirname, "specs/fly-machines.yaml"), "utf8"))));
}

const err = (status: number, error: string, extra: Obj = {}): FakeResponse => ({ status, body: { error, ...extra } });

/** Fly's Machines REST API in memory: apps, machines, secrets, certificates, IP assignments. */
export class FakeFly extends FakeServer {
  readonly apps = new Map<string, Obj>();
  readonly machines = new Map<string, Obj>();
  readonly secrets = new Map<string, Map<string, string>>();
  readonly certs = new Map<string, Obj>();
  readonly ips = new Map<string, Obj[]>();
  readonly foreignApps = new Set<string>();
  /** The exit status of a one-off run (a machine with `init.cmd` and restart policy "no"), by its command. */
  exitCodeOf: (cmd: string[]) => number = () => 0;
  /** Reads of a just-created app answered 404 before Fly serves it, as fly-go's WaitForApp allows for. */
  appReadLag = 0;
  private readonly unreadable = new Map<string, number>();
  private seq = 0;
  private secretsVersion = 0;

  constructor(token: string) {
    super(token, (_status, message) => ({ error: message }), flySpec());
    this.route("POST", /^\/apps$/, ({ body }) => {
      const name = body.name;
      if (!name) return err(400, "name is required");
      if (this.apps.has(name) || this.foreignApps.has(name)) return err(422, `Name "${name}" has already been taken`, { status: "name_taken" });
      this.apps.set(name, { id: `app-${++this.seq}`, name, status: "pending", organization: { name: body.org_slug, slug: body.org_slug }, network: body.network ?? "" });
      this.secrets.set(name, new Map());
      this.unreadable.set(name, this.appReadLag);
      return { status: 201 };
    });
    this.route("GET", /^\/apps\/([^/]+)$/, ({ params }) => {
      const lag = this.unreadable.get(params[0]) ?? 0;
      if (lag > 0) {
        this.unreadable.set(params[0], lag - 1);
        return err(404, `app ${params[0]} not found`);
      }
      return this.foreignApps.has(params[0]) ? err(403, "forbidden") : this.withApp(params[0], (a) => ({ status: 200, body: a }));
    });
    this.route("DELETE", /^\/apps\/([^/]+)$/, ({ params }) => this.withApp(params[0], (a) => (this.apps.delete(a.name), { status: 202 })));
    this.machineRoutes();
    this.route("POST", /^\/apps\/([^/]+)\/secrets$/, ({ params, body }) =>
      this.withApp(params[0], (a) => {
        const store = this.secrets.get(a.name)!;
        for (const [k, v] of Object.entries(body.values as Obj)) {
          if (v === null) store.delete(k);
          else store.set(k, v as string);
        }
        return { status: 200, body: { secrets: [...store.keys()].map((name) => ({ name })), version: ++this.secretsVersion } };
      }),
    );
    this.route("GET", /^\/apps\/([^/]+)\/secrets$/, ({ params }) =>
      this.withApp(params[0], (a) => ({ status: 200, body: { secrets: [...this.secrets.get(a.name)!.keys()].map((name) => ({ name, digest: "d" })) } })),
    );
    this.route("POST", /^\/apps\/([^/]+)\/certificates\/acme$/, ({ params, body }) =>
      this.withApp(params[0], (a) => {
        const key = `${a.name}/${body.hostname}`;
        if (this.certs.has(key)) return err(422, "Hostname already exists on app");
        const cert = { hostname: body.hostname, configured: false, acme_requested: true, status: "pending_ownership", dns_requirements: { a: ["66.241.124.1"], aaaa: ["2a09:8280::1"] } };
        this.certs.set(key, cert);
        return { status: 201, body: cert };
      }),
    );
    this.route("GET", /^\/apps\/([^/]+)\/certificates\/([^/]+)$/, ({ params }) => {
      const c = this.certs.get(`${params[0]}/${params[1]}`);
      return c ? { status: 200, body: c } : err(404, "certificate not found");
    });
    this.route("DELETE", /^\/apps\/([^/]+)\/certificates\/([^/]+)$/, ({ params }) =>
      this.certs.delete(`${params[0]}/${params[1]}`) ? { status: 204 } : err(404, "certificate not found"),
    );
    this.route("GET", /^\/apps\/([^/]+)\/ip_assignments$/, ({ params }) => this.withApp(params[0], (a) => ({ status: 200, body: { ips: this.ips.get(a.name) ?? [] } })));
    this.route("POST", /^\/apps\/([^/]+)\/ip_assignments$/, ({ params, body }) =>
      this.withApp(params[0], (a) => {
        const n = ++this.seq;
        const ip = { ip: body.type === "v6" ? `2a09:8280:1::${n}` : `137.66.1.${n}`, region: body.region ?? "global", shared: body.type === "shared_v4", service_name: "" };
        this.ips.set(a.name, [...(this.ips.get(a.name) ?? []), ip]);
        return { status: 200, body: ip };
      }),
    );
    this.route("DELETE", /^\/apps\/([^/]+)\/ip_assignments\/([^/]+)$/, ({ params }) => {
      const list = this.ips.get(params[0]) ?? [];
      if (!list.some((i) => i.ip === params[1])) return err(404, "ip not found");
      this.ips.set(params[0], list.filter((i) => i.ip !== params[1]));
      return { status: 204 };
    });
  }

  /** A machine version id: 26 characters, as Fly's are. */
  private version(): string {
    return `01J${(++this.seq).toString(36).toUpperCase().padStart(23, "0")}`;
  }

  private withApp(name: string, f: (a: Obj) => FakeResponse): FakeResponse {
    const a = this.apps.get(name);
    return a ? f(a) : err(404, `app ${name} not found`);
  }

  private machineRoutes(): void {
    const withMachine = (app: string, id: string, f: (m: Obj) => FakeResponse) => {
      const m = this.machines.get(id);
      return m && m.app === app ? f(m) : err(404, "machine not found");
    };
    // Fly still answers autostop "off" and "stop" as the booleans older clients sent.
    const autostop = (v: unknown) => (v === "off" ? false : v === "stop" ? true : v);
    const view = ({ app: _app, previous: _previous, exitCode: _exitCode, exited: _exited, ...m }: Obj) => ({
      ...m, config: { ...m.config, services: m.config.services?.map((s: Obj) => ({ ...s, autostop: autostop(s.autostop) })) },
    });
    this.route("POST", /^\/apps\/([^/]+)\/machines$/, ({ params, body }) =>
      this.withApp(params[0], (a) => {
        if (!body.config?.image) return err(400, "config.image is required");
        const id = `m${(++this.seq).toString(16).padStart(13, "0")}`;
        const m: Obj = {
          app: a.name, id, name: body.name, region: body.region, state: "created", instance_id: this.version(),
          private_ip: `fdaa::${this.seq}`, config: { ...body.config, restart: body.config.restart ?? { policy: "always" } }, events: [],
        };
        // A one-off run: its command ends with a status, which its exit event records.
        if (body.config.init?.cmd && body.config.restart?.policy === "no") m.exitCode = this.exitCodeOf(body.config.init.cmd);
        this.machines.set(id, m);
        return { status: 200, body: view(m) };
      }),
    );
    this.route("GET", /^\/apps\/([^/]+)\/machines$/, ({ params }) =>
      this.withApp(params[0], (a) => ({ status: 200, body: [...this.machines.values()].filter((m) => m.app === a.name).map(view) })),
    );
    this.route("GET", /^\/apps\/([^/]+)\/machines\/([^/]+)$/, ({ params }) => withMachine(params[0], params[1], (m) => ({ status: 200, body: view(m) })));
    this.route("GET", /^\/apps\/([^/]+)\/machines\/([^/]+)\/wait$/, ({ params, query }) =>
      withMachine(params[0], params[1], (m) => {
        const want = query.get("state");
        const version = query.get("instance_id") ?? query.get("version");
        const timeout = err(408, "deadline_exceeded: timeout waiting for machine");
        if (version && version !== m.instance_id) return timeout; // a replaced version never gets there
        // Named no version, the wait is answered by the old one while it still runs.
        if (!version && m.previous === want) return { status: 200, body: { ok: true, state: want } };
        if (m.exitCode !== undefined && want === "stopped") {
          if (m.exited) return { status: 200, body: { ok: true, state: "stopped" } };
          // The run ends after one 408, as a command taking a while would; auto_destroy then removes the machine.
          m.events.unshift({ id: this.version(), type: "exit", status: "stopped", source: "flyd", timestamp: Date.now(),
            request: { exit_event: { exit_code: m.exitCode, oom_killed: false, requested_stop: false, restarting: false } } });
          Object.assign(m, { exited: true, state: m.config.auto_destroy ? "destroyed" : "stopped" });
          return timeout;
        }
        if (m.state !== want) {
          Object.assign(m, { state: want, previous: undefined }); // reaches the state after one 408, as a slow boot would
          return timeout;
        }
        return { status: 200, body: { ok: true, state: m.state } };
      }),
    );
    this.route("POST", /^\/apps\/([^/]+)\/machines\/([^/]+)$/, ({ params, body }) =>
      withMachine(params[0], params[1], (m) => {
        if (body.region && body.region !== m.region) return err(400, "region cannot be changed");
        // A new version (instance_id) replaces the running one, which keeps running meanwhile.
        Object.assign(m, { config: { ...body.config, restart: { policy: "always" } }, previous: m.state, state: "replacing", instance_id: this.version() });
        return { status: 200, body: view(m) };
      }),
    );
    this.route("DELETE", /^\/apps\/([^/]+)\/machines\/([^/]+)$/, ({ params }) =>
      withMachine(params[0], params[1], (m) => (this.machines.delete(m.id), { status: 200 })),
    );
  }
}

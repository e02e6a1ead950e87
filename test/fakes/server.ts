import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiSpec } from "./openapi";

/** What a fake checks every request and its own answers against: an OpenAPI document or a GraphQL schema. */
export type SpecCheck = Pick<ApiSpec, "checkRequest" | "checkResponse">;

/** A failure the fake serves instead of (or after) the real handler. */
export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { malformed: true }
  /** Runs the handler (the object is committed) and then drops the connection unanswered. */
  | { loseResponse: true };

export interface FakeRequest {
  params: string[];
  query: URLSearchParams;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface FakeResponse {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  path: RegExp;
  handle: (req: FakeRequest) => FakeResponse;
}

export interface Call {
  method: string;
  /** The URL path; for a GraphQL fake, the path and the operation (`/graphql/v2#serviceCreate`). */
  path: string;
  /** The query string as sent, without the `?`. */
  query: string;
  at: number;
  body: string;
}

/**
 * An in-memory HTTP API on 127.0.0.1 that can be told to misbehave, one route at a time.
 * Every request, and every answer the fake gives, is checked against the service's spec.
 */
export class FakeServer {
  readonly calls: Call[] = [];
  /** Requests (and fake answers) the spec rejects; kept even when the client swallows the 400. */
  readonly violations: string[] = [];
  private faults: { method: string; path: RegExp; fault: Fault; remaining: number }[] = [];
  private server?: http.Server;
  private routes: Route[] = [];

  constructor(
    private readonly token: string,
    private readonly errorBody: (status: number, message: string) => unknown,
    private readonly spec: SpecCheck,
  ) {}

  /** What faults and call counts match against: the URL path, unless the API names calls in the body. */
  protected target(path: string, _body: unknown): string {
    return path;
  }

  /** Throws, listing them, if any request or answer broke the spec since the last call; then forgets them. */
  assertClean(): void {
    const found = this.violations.splice(0);
    if (found.length) throw new Error(`requests or answers off the spec:\n${found.join("\n")}`);
  }

  route(method: string, path: RegExp, handle: Route["handle"]): this {
    this.routes.push({ method, path, handle });
    return this;
  }

  /** Serves `fault` for the next `times` requests matching method and path. */
  inject(method: string, path: RegExp, fault: Fault, times = 1): void {
    this.faults.push({ method, path, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  count(method: string, path: RegExp): number {
    return this.calls.filter((c) => c.method === method && path.test(c.path)).length;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) =>
      this.serve(req, res).catch((err: Error) => {
        this.violations.push(`${req.method} ${req.url}: the fake failed: ${err.message}`);
        res.writeHead(500).end();
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const f = this.faults.find((x) => x.method === method && x.remaining > 0 && x.path.test(path));
    if (!f) return undefined;
    f.remaining--;
    return f.fault;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const call: Call = { method, path: url.pathname, query: url.search.slice(1), at: Date.now(), body: raw };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, this.errorBody(401, "unauthorized"));
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      this.violations.push(`${method} ${url.pathname}: request body is not JSON`);
      return send(400, this.errorBody(400, "request body is not JSON"));
    }
    call.path = this.target(url.pathname, body);
    const wrong = this.spec.checkRequest(method, url.pathname, url.searchParams, body).map((e) => `${method} ${url.pathname}: ${e}`);
    if (wrong.length) {
      this.violations.push(...wrong);
      return send(400, this.errorBody(400, wrong.join("; ")));
    }
    const fault = this.takeFault(method, call.path);
    if (fault && "hang" in fault) return; // never answers; the client must time out
    if (fault && "malformed" in fault) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end("{not json");
    }
    if (fault && "status" in fault) return send(fault.status, fault.body ?? this.errorBody(fault.status, "injected failure"), fault.headers);
    const route = this.routes.find((r) => r.method === method && r.path.test(url.pathname));
    if (!route) return send(404, this.errorBody(404, `no route ${method} ${url.pathname}`));
    let result: FakeResponse;
    try {
      result = route.handle({ params: route.path.exec(url.pathname)!.slice(1).map(decodeURIComponent), query: url.searchParams, body });
    } catch (err) {
      this.violations.push(`${method} ${url.pathname}: the fake failed: ${(err as Error).message}`);
      return send(500, this.errorBody(500, (err as Error).message));
    }
    const answer = JSON.parse(JSON.stringify(result.body ?? null)) ?? undefined; // as the client will see it
    this.violations.push(...this.spec.checkResponse(method, url.pathname, result.status, answer).map((e) => `${method} ${url.pathname}: fake ${e}`));
    if (fault && "loseResponse" in fault) return void req.socket.destroy();
    send(result.status, result.body);
  }
}

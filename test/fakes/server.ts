import http from "node:http";
import type { AddressInfo } from "node:net";

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
  path: string;
  at: number;
  body: string;
}

/** An in-memory HTTP API on 127.0.0.1 that can be told to misbehave, one route at a time. */
export class FakeServer {
  readonly calls: Call[] = [];
  private faults: { method: string; path: RegExp; fault: Fault; remaining: number }[] = [];
  private server?: http.Server;
  private routes: Route[] = [];

  constructor(
    private readonly token: string,
    private readonly errorBody: (status: number, message: string) => unknown,
  ) {}

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
    this.server = http.createServer((req, res) => void this.serve(req, res));
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
    this.calls.push({ method, path: url.pathname, at: Date.now(), body: raw });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, this.errorBody(401, "unauthorized"));
    const fault = this.takeFault(method, url.pathname);
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
      result = route.handle({ params: route.path.exec(url.pathname)!.slice(1).map(decodeURIComponent), query: url.searchParams, body: raw ? JSON.parse(raw) : undefined });
    } catch (err) {
      return send(500, this.errorBody(500, (err as Error).message));
    }
    if (fault && "loseResponse" in fault) return void req.socket.destroy();
    send(result.status, result.body);
  }
}

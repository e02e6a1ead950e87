import { PavedInputError } from "../errors";
import { redact } from "../credentials";

/** How a call failed: an HTTP status, no response at all, no response in time, or an unreadable body. */
export type ApiErrorKind = "http" | "network" | "timeout" | "parse" | "operation" | "graphql";

/**
 * The one error every provider call throws. The message names the service, method, path,
 * status and the service's own message; it never carries the token or a request body.
 */
export class ApiError extends Error {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly kind: ApiErrorKind;
  readonly status?: number;
  readonly code?: string;
  /** Delay the service asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(init: {
    service: string; method: string; path: string; kind: ApiErrorKind; detail: string;
    status?: number; code?: string; retryAfterMs?: number; redact?: readonly string[];
  }) {
    const status = init.status === undefined ? "" : ` (HTTP ${init.status})`;
    super(redact(`${init.service} API ${init.method} ${init.path} failed${status}: ${init.detail}`, init.redact ?? []));
    this.name = "ApiError";
    this.service = init.service;
    this.method = init.method;
    this.path = init.path;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }
}


/** Retry and backoff settings shared by every service client. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 4 */
  maxRetries?: number;
  /** First backoff step; doubles each retry, with full jitter. @default 500 (env PAVED_HTTP_BASE_DELAY_MS) */
  baseDelayMs?: number;
  /** Cap on one backoff step. @default 30000 */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one fails the call instead of stalling it. @default 120000 */
  maxRetryAfterMs?: number;
  /** Statuses the service documents as safe to retry on any method (Neon: 423, 503). @default [] */
  retryableStatuses?: readonly number[];
  /** Waits between attempts; tests replace it. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

type ResolvedRetry = Required<RetryOptions>;

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function resolveRetry(opts: RetryOptions): ResolvedRetry {
  return {
    maxRetries: opts.maxRetries ?? envNumber("PAVED_HTTP_MAX_RETRIES", 4),
    baseDelayMs: opts.baseDelayMs ?? envNumber("PAVED_HTTP_BASE_DELAY_MS", 500),
    maxDelayMs: opts.maxDelayMs ?? 30_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 120_000,
    retryableStatuses: opts.retryableStatuses ?? [],
    sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
}

/** Parses Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter, so parallel resources don't retry in lockstep. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Whether a failed call may run again. A 429 was refused, not processed, so any method may
 * retry it; 5xx, timeouts and dropped connections only when the call is safe to repeat,
 * because a POST the server did commit would otherwise create a duplicate.
 */
export function shouldRetry(err: unknown, safe: boolean, retryableStatuses: readonly number[]): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.status === 429) return true;
  if (err.status !== undefined && retryableStatuses.includes(err.status)) return true;
  if (!safe) return false;
  return err.kind === "network" || err.kind === "timeout" || (err.status !== undefined && err.status >= 500);
}

/** Runs `call` with bounded retries; the single backoff loop every client goes through. */
export async function withRetries<T>(call: () => Promise<T>, safe: boolean, opts: RetryOptions): Promise<T> {
  const p = resolveRetry(opts);
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= p.maxRetries || !shouldRetry(err, safe, p.retryableStatuses)) throw err;
      const asked = (err as ApiError).retryAfterMs;
      if (asked !== undefined && asked > p.maxRetryAfterMs) throw err;
      await p.sleep(asked ?? backoffDelay(attempt, p.baseDelayMs, p.maxDelayMs));
    }
  }
}

/** Settings for one service's HTTP client. */
export interface ApiClientOptions extends RetryOptions {
  /** Service name used in error messages, e.g. "Render". */
  service: string;
  /** API root without a trailing slash, e.g. "https://api.render.com/v1". */
  baseUrl: string;
  /** Bearer token; never logged. */
  token: string;
  /** Per-attempt timeout. @default 30000 (env PAVED_HTTP_TIMEOUT_MS) */
  timeoutMs?: number;
  /** Pulls the service's own message out of an error body. @default body.message or body.error */
  errorMessage?: (body: unknown) => string | undefined;
}

/** One call's options. */
export interface RequestOptions {
  /** Query parameters; arrays repeat the key, undefined values are dropped. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** JSON request body. */
  body?: unknown;
  /** Marks a non-GET call as idempotent (PUT replace-all, a full-state PATCH or update, DELETE) so 5xx and timeouts retry it. @default GET only */
  retry?: boolean;
  /** Extra values (secrets sent in this call) that must never appear in an error message. */
  redact?: readonly string[];
  /** How errors name the call, e.g. a GraphQL operation on the one endpoint. @default the path */
  label?: string;
}

function defaultErrorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  const msg = typeof b.message === "string" ? b.message : typeof b.error === "string" ? b.error : undefined;
  const code = typeof b.code === "string" ? b.code : undefined;
  return code && msg ? `${code}: ${msg}` : msg;
}

/** A small JSON-over-HTTP client on the global fetch: timeouts, retries, normalised errors. */
export class ApiClient {
  private readonly opts: ApiClientOptions;
  private readonly timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.opts = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, "") };
    this.timeoutMs = opts.timeoutMs ?? envNumber("PAVED_HTTP_TIMEOUT_MS", 30_000);
  }

  get service(): string {
    return this.opts.service;
  }

  async request<T = unknown>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const safe = method === "GET" || method === "HEAD" || ro.retry === true;
    return withRetries(() => this.once<T>(method, path, ro), safe, this.opts);
  }

  private url(path: string, query: RequestOptions["query"]): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
    }
    const qs = params.toString();
    return `${this.opts.baseUrl}${path}${qs ? `?${qs}` : ""}`;
  }

  private async once<T>(method: string, path: string, ro: RequestOptions): Promise<T> {
    const secrets = [this.opts.token, ...(ro.redact ?? [])];
    const fail = (kind: ApiErrorKind, detail: string, extra: { status?: number; code?: string; retryAfterMs?: number } = {}) =>
      new ApiError({ service: this.opts.service, method, path: ro.label ?? path, kind, detail, redact: secrets, ...extra });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url(path, ro.query), {
        method,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          accept: "application/json",
          ...(ro.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: ro.body === undefined ? undefined : JSON.stringify(ro.body),
      });
      text = await res.text();
    } catch (err) {
      if (controller.signal.aborted) throw fail("timeout", `no response within ${this.timeoutMs} ms`);
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err as Error).message;
      throw fail("network", `connection failed (${cause})`);
    } finally {
      clearTimeout(timer);
    }
    let body: unknown = undefined;
    let parsed = true;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        parsed = false;
      }
    }
    if (!res.ok) {
      const own = parsed ? (this.opts.errorMessage ?? defaultErrorMessage)(body) : undefined;
      const code = parsed && body && typeof body === "object" ? (body as { code?: unknown }).code : undefined;
      throw fail("http", own ?? (res.statusText || "request failed"), {
        status: res.status,
        code: typeof code === "string" ? code : undefined,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    if (!parsed) throw fail("parse", `response body is not valid JSON (HTTP ${res.status}, ${text.length} bytes)`);
    return body as T;
  }
}

/** Where one service's credentials and endpoint come from. */
export interface ServiceEnv {
  service: string;
  keyVar: string;
  urlVar: string;
  defaultUrl: string;
}

/** Reads a service's key and URL at call time, so `pulumi preview` needs no credentials. */
export function credentialsFromEnv(env: ServiceEnv): { token: string; baseUrl: string } {
  const token = process.env[env.keyVar];
  if (!token) {
    throw new PavedInputError(
      `${env.keyVar} is not set: the ${env.service} API needs a key. Export ${env.keyVar} before \`pulumi up\`.`,
    );
  }
  return { token, baseUrl: process.env[env.urlVar] || env.defaultUrl };
}

export function clientFromEnv(env: ServiceEnv, opts: Partial<ApiClientOptions> = {}): ApiClient {
  return new ApiClient({ service: env.service, ...credentialsFromEnv(env), ...opts });
}

/** Poll settings: how often and how long to wait for a resource to settle. */
export function pollSettings(): { intervalMs: number; timeoutMs: number } {
  return {
    intervalMs: envNumber("PAVED_POLL_INTERVAL_MS", 5_000),
    timeoutMs: envNumber("PAVED_POLL_TIMEOUT_MS", 20 * 60_000),
  };
}

/**
 * Calls `get` until `done` says the value is ready; fails with `what` once time runs out, and
 * with what `last` says of the value it last saw.
 */
export async function pollUntil<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, last?: (v: T) => string): Promise<T> {
  const { intervalMs, timeoutMs } = pollSettings();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() + intervalMs > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `; ${last(v)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when the error is a 404: the object is already gone. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** True when a create's outcome is unknown: the server may have committed it. */
export function isAmbiguous(err: unknown): boolean {
  return err instanceof ApiError && (err.kind === "network" || err.kind === "timeout" || (err.status ?? 0) >= 500);
}

import type { Api, Endpoint, Operation } from "@neondatabase/api-client";
import { ApiError, credentialsFromEnv, envNumber, parseRetryAfter, pollUntil, withRetries, type ServiceEnv } from "./http";

/** Neon's credentials and endpoint: `NEON_API_KEY`, `NEON_API_URL`. */
export const NEON_ENV: ServiceEnv = {
  service: "Neon",
  keyVar: "NEON_API_KEY",
  urlVar: "NEON_API_URL",
  defaultUrl: "https://console.neon.tech/api/v2",
};

// Neon documents 423 (another operation holds the project) and 503 as safe to retry on any method.
const NEON_RETRYABLE = [423, 503];
const DONE = ["finished", "skipped", "cancelled"];
const FAILED = ["failed", "error"];

interface AxiosLikeError {
  code?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
  request?: unknown;
}

/** Turns an axios failure into the same ApiError the fetch client throws. */
function toApiError(err: unknown, method: string, path: string, token: string): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as AxiosLikeError;
  const base = { service: "Neon", method, path, redact: [token] };
  if (e.response) {
    const data = (e.response.data ?? {}) as { code?: unknown; message?: unknown };
    const message = typeof data.message === "string" ? data.message : "request failed";
    const code = typeof data.code === "string" && data.code !== "" ? data.code : undefined;
    const retryAfter = e.response.headers?.["retry-after"];
    return new ApiError({
      ...base, kind: "http", status: e.response.status, code, detail: code ? `${code}: ${message}` : message,
      retryAfterMs: typeof retryAfter === "string" ? parseRetryAfter(retryAfter) : undefined,
    });
  }
  if (e.code === "ECONNABORTED" || e.code === "ETIMEDOUT") return new ApiError({ ...base, kind: "timeout", detail: "no response in time" });
  return new ApiError({ ...base, kind: "network", detail: `connection failed (${e.code ?? "no response"})` });
}

/** The Neon SDK behind paved's retry, error and operation-wait rules. */
export class NeonClient {
  readonly api: Api<unknown>;
  private readonly token: string;

  constructor() {
    const { token, baseUrl } = credentialsFromEnv(NEON_ENV);
    this.token = token;
    // Loaded where a request is made, in the provider: planning and previewing need none of
    // Neon's client (nor axios under it), and loading it is a tenth of a plan's own time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApiClient } = require("@neondatabase/api-client") as typeof import("@neondatabase/api-client");
    this.api = createApiClient({ apiKey: token, baseURL: baseUrl, timeout: envNumber("PAVED_HTTP_TIMEOUT_MS", 30_000) });
  }

  /** One SDK call with retries; `method` and `path` label errors and decide what is safe to repeat. */
  async call<T>(method: string, path: string, fn: () => Promise<{ data: T }>): Promise<T> {
    return withRetries(
      async () => {
        let data: T;
        try {
          data = (await fn()).data;
        } catch (err) {
          throw toApiError(err, method, path, this.token);
        }
        // axios hands back the raw text when a JSON body does not parse.
        if (typeof data === "string" && data !== "") {
          throw new ApiError({ service: "Neon", method, path, kind: "parse", detail: `response body is not valid JSON (${(data as string).length} bytes)` });
        }
        return data;
      },
      method === "GET",
      { retryableStatuses: NEON_RETRYABLE },
    );
  }

  /** Waits for each operation a mutation started; Neon refuses (423) the next change until they finish. */
  async wait(projectId: string, ops: readonly Operation[] | undefined): Promise<void> {
    for (const op of ops ?? []) {
      if (DONE.includes(op.status)) continue;
      const path = `/projects/${projectId}/operations/${op.id}`;
      await pollUntil(`Neon operation ${op.id} (${op.action})`, async () => {
        const { operation } = await this.call("GET", path, () => this.api.getProjectOperation(projectId, op.id));
        if (FAILED.includes(operation.status)) {
          throw new ApiError({ service: "Neon", method: "GET", path, kind: "operation", detail: `operation ${operation.action} ${operation.status}: ${operation.error ?? "no detail"}` });
        }
        return operation;
      }, (o) => DONE.includes(o.status));
    }
  }
}

export function neonClient(): NeonClient {
  return new NeonClient();
}

/** Host of a branch's read-write endpoint, or "" while it has none. */
export async function readWriteHost(n: NeonClient, projectId: string, branchId: string): Promise<string> {
  const { endpoints } = await n.call("GET", `/projects/${projectId}/branches/${branchId}/endpoints`, () => n.api.listProjectBranchEndpoints(projectId, branchId));
  return endpoints.find((e: Endpoint) => e.type === "read_write")?.host ?? "";
}

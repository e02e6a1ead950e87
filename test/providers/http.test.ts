import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ApiClient, ApiError, backoffDelay, parseRetryAfter, shouldRetry, withRetries } from "../../components/providers/http";

const err = (init: Partial<ConstructorParameters<typeof ApiError>[0]>) =>
  new ApiError({ service: "Render", method: "GET", path: "/x", kind: "http", detail: "d", ...init });

describe("http retry rules", () => {
  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(3, 100, 10_000);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
      expect(backoffDelay(20, 100, 1000)).toBeLessThanOrEqual(1000);
    }
  });

  it.each([
    ["429 on an unsafe call", err({ status: 429 }), false, [], true],
    ["500 on a safe call", err({ status: 500 }), true, [], true],
    ["500 on an unsafe call", err({ status: 500 }), false, [], false],
    ["timeout on an unsafe call", err({ kind: "timeout" }), false, [], false],
    ["network error on a safe call", err({ kind: "network" }), true, [], true],
    ["documented 423 on an unsafe call", err({ status: 423 }), false, [423], true],
    ["400", err({ status: 400 }), true, [], false],
    ["malformed body", err({ kind: "parse" }), true, [], false],
  ] as const)("%s", (_name, e, safe, statuses, expected) => {
    expect(shouldRetry(e, safe, statuses)).toBe(expected);
  });

  it("stops after maxRetries and refuses a Retry-After beyond the cap", async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(err({ status: 503 }));
    };
    await expect(withRetries(failing, true, { maxRetries: 2, baseDelayMs: 10, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow("HTTP 503");
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    calls = 0;
    const slow = () => (calls++, Promise.reject(err({ status: 429, retryAfterMs: 600_000 })));
    await expect(withRetries(slow, true, { sleep: async () => undefined })).rejects.toThrow("HTTP 429");
    expect(calls).toBe(1);
  });

  it("retries a refused connection for GET and names it in the error", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r)); // nothing listens there now
    let attempts = 0;
    const client = new ApiClient({
      service: "Fly", baseUrl: `http://127.0.0.1:${port}`, token: "t0ken-value", maxRetries: 2, sleep: async () => void attempts++,
    });
    const e = await client.request("GET", "/apps/x").catch((x: ApiError) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toBe("Fly API GET /apps/x failed: connection failed (ECONNREFUSED)");
    expect(attempts).toBe(2);
  });
});

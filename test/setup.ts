/**
 * Runs before each test file. Files share a worker process (vitest.config.mts), so whatever a
 * file sets in `process.env` (fake API URLs, short timeouts) is undone when it ends.
 */
import { afterAll } from "vitest";

const before = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  Object.assign(process.env, before);
});

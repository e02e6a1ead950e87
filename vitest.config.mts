import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    // Each file gets its own process: Pulumi's mock runtime is process-global state.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    // A worker process runs file after file: loading the Pulumi SDK once per worker rather than
    // once per file is most of the suite's time. Pulumi's mock runtime is process-global, so
    // every capture installs it afresh (scripts/lib/capture.ts) and no test relies on a new process.
    pool: "forks",
    isolate: false,
    // Every core: the default leaves one idle, and on two cores that halves the suite.
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

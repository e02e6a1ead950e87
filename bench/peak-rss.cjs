// Preloaded by the benchmark: writes the process's peak resident memory (KiB) where told.
const { writeFileSync } = require("node:fs"); // eslint-disable-line @typescript-eslint/no-require-imports
process.on("exit", () => {
  if (process.env.PAVED_BENCH_RSS) writeFileSync(process.env.PAVED_BENCH_RSS, String(process.resourceUsage().maxRSS));
});

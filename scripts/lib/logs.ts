/**
 * The plan's "Logs" section: where each service's logs go and how long they are kept, and, in one
 * line each, the hosts whose logs cannot reach the sink.
 */
import { logRoutes } from "../../components/logs-routes";
import type { EnvironmentConfig } from "../../stacks/config";

export function renderLogs(config: EnvironmentConfig): string | undefined {
  const logs = config.logs;
  if (!logs) return undefined;
  const lines = ["Logs:"];
  lines.push(logs.sink === "axiom"
    ? `  sink: Axiom dataset ${logs.dataset}, events kept ${logs.retentionDays} days${config.protect ? "; protected, kept if the stack is destroyed" : ""}`
    : "  sink: each host's own (paved:logs.sink host); paved sets no retention there");
  for (const route of logRoutes(config)) {
    lines.push(route.drain
      ? `  ${route.service} (${route.host}): ${route.drain}`
      : `  ${route.service} (${route.host}): ${logs.sink === "axiom" ? "not drained: " : ""}${route.reason}`);
  }
  return lines.join("\n");
}

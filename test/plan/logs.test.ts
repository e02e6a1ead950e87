/** The plan's Logs section: the sink and its retention, and one line per service, a host that cannot drain said as such. */
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../stacks/config";
import { renderLogs } from "../../scripts/lib/logs";

const axiom = { sink: "axiom" as const, dataset: "acme-production", retentionDays: 30, ingestTokenSecret: "AXIOM_INGEST_TOKEN" };
const config = (over: Partial<EnvironmentConfig>) => ({ protect: true, ...over }) as EnvironmentConfig;
const web = (host: string) => ({ host }) as EnvironmentConfig["web"];
const api = (host: string) => ({ host }) as EnvironmentConfig["api"];

describe("Logs section", () => {
  it("names the dataset, its retention and each drain (PlanningOS: Vercel and Fly.io)", () => {
    expect(renderLogs(config({ logs: axiom, web: web("vercel"), api: api("fly") }))).toBe([
      "Logs:",
      "  sink: Axiom dataset acme-production, events kept 30 days; protected, kept if the stack is destroyed",
      "  web (vercel): Vercel log drain (every source, production and preview deployments)",
      "  api (fly): Fly.io log shipper (an app of its own reading the API app's log stream)",
    ].join("\n"));
  });

  it.each([
    ["render", "  api (render): not drained: Render's log streams send syslog over TLS to one endpoint per workspace, and Axiom takes HTTPS ingest only; its logs stay in Render's log explorer"],
    ["railway", "  api (railway): not drained: Railway's API has no log drain; its logs stay in Railway's log explorer"],
    ["docker", "  api (docker): Vector container on the same Docker engine (docker_logs)"],
  ])("an API on %s says in one line where its logs go", (host, line) => {
    expect(renderLogs(config({ logs: axiom, protect: false, api: api(host) }))!.split("\n").slice(2)).toEqual([line]);
  });

  it("a host sink leaves each service's logs with its host (ProjectFlo: Render)", () => {
    expect(renderLogs(config({ logs: { sink: "host" }, web: web("vercel"), api: api("render") }))).toBe([
      "Logs:",
      "  sink: each host's own (paved:logs.sink host); paved sets no retention there",
      "  web (vercel): kept by vercel, for as long as its plan keeps them",
      "  api (render): kept by render, for as long as its plan keeps them",
    ].join("\n"));
  });

  it("says nothing when the stack file has no paved:logs", () => {
    expect(renderLogs(config({ api: api("fly") }))).toBeUndefined();
  });
});

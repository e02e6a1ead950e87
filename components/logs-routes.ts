/**
 * Which of a stack's services drain their logs where: the plan states each in one line, so a host
 * that cannot send to the sink is said, not left out.
 */
import type { EnvironmentConfig } from "./environment-config";

/** Why a host's logs cannot reach an Axiom dataset through anything paved can plan. */
export const NO_AXIOM_DRAIN: Record<string, string> = {
  render: "Render's log streams send syslog over TLS to one endpoint per workspace, and Axiom takes HTTPS ingest only; its logs stay in Render's log explorer",
  railway: "Railway's API has no log drain; its logs stay in Railway's log explorer",
};

/** One service's logs: where they go, or why they stay where they are. */
export interface LogRoute {
  service: "web" | "api";
  host: string;
  /** How they reach the sink, e.g. "Vercel log drain"; undefined when they cannot. */
  drain?: string;
  /** Why they do not, when `drain` is undefined. */
  reason?: string;
}

const DRAINS: Record<string, string> = {
  vercel: "Vercel log drain (every source, production and preview deployments)",
  fly: "Fly.io log shipper (an app of its own reading the API app's log stream)",
  docker: "Vector container on the same Docker engine (docker_logs)",
};

/** The route of each service's logs under `config.logs`, web first. */
export function logRoutes(config: EnvironmentConfig): LogRoute[] {
  const hosts = [
    ...(config.web ? [{ service: "web" as const, host: config.web.host }] : []),
    ...(config.api ? [{ service: "api" as const, host: config.api.host }] : []),
  ];
  if (config.logs?.sink !== "axiom") {
    return hosts.map(({ service, host }) => ({ service, host, reason: `kept by ${host === "docker" ? "the Docker engine's log driver on the server" : `${host}, for as long as its plan keeps them`}` }));
  }
  return hosts.map(({ service, host }) => (DRAINS[host] ? { service, host, drain: DRAINS[host] } : { service, host, reason: NO_AXIOM_DRAIN[host] ?? `paved plans no drain from ${host}` }));
}

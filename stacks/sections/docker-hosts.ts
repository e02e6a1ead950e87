/** Checks across paved:web and paved:api when either runs on the stack's Docker host. */
import type { ApiConfig, Kind, WebConfig } from "../../components/environment-config";
import { quote } from "../redact";

/** One engine per stack, one port per container, and an address for every routed host. */
export function checkDockerHosts(kind: Kind, web: WebConfig | undefined, api: ApiConfig | undefined, hasCdn: boolean, problems: string[]): void {
  const webDocker = web?.host === "docker" ? web.docker : undefined;
  const apiDocker = api?.host === "docker" ? api.docker : undefined;
  if (webDocker) {
    if (webDocker.host && apiDocker?.host && webDocker.host !== apiDocker.host) {
      problems.push(`paved:web.docker.host: got ${quote("paved:web.docker.host", webDocker.host)}; expected the API's Docker host ${quote("paved:api.docker.host", apiDocker.host)} (one engine per stack), or leave it out`);
    } else if (kind !== "local" && !webDocker.host && !apiDocker?.host) {
      problems.push("paved:web.docker.host: missing; expected the server's Docker host, such as ssh://deploy@host");
    }
    if (apiDocker?.publishPort !== undefined && apiDocker.publishPort === webDocker.publishPort) {
      problems.push(`paved:web.docker.publishPort: got ${webDocker.publishPort}, the API's port too; expected a port of its own`);
    }
  }
  // With a zone, the stack routes its own hosts: a host with no record would be probed and never answer.
  if (!hasCdn) return;
  if (webDocker && web?.domain && !webDocker.address) {
    problems.push(`paved:web.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of ${web.domain}`);
  }
  if (apiDocker && api?.hostname && !apiDocker.address) {
    problems.push(`paved:api.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of ${api.hostname}`);
  }
}

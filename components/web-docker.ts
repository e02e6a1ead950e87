/** The web front end as a container on a Docker host: nginx serving the built files with the edge's headers. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** nginx as a non-root user on port 8080; a tag of the official image, updated with paved. */
export const WEB_SERVER_IMAGE = "nginxinc/nginx-unprivileged:1.27-alpine";
/** The port nginx listens on inside the container. */
export const WEB_SERVER_PORT = 8080;
/** Where the container reads its health, apart from the site's own paths. */
export const WEB_HEALTH_PATH = "/healthz";

/** Response headers the container sets on every answer, by name. */
export type SecurityHeaders = Record<string, string>;

export interface DockerWebArgs {
  /** Container name on the host. */ containerName: string;
  /** Absolute path of the built front end on the Docker host, mounted read-only. */ root: string;
  /** Memory limit in MB. */ memoryMb: number;
  /** CPU limit, e.g. 0.5. */ cpus?: number;
  /** Publish the site on this port of the host's loopback (a reverse proxy or the developer fronts it). */ publishPort: number;
  /** The headers the edge would set, set here as well so the site is the same with or without it. */ headers: SecurityHeaders;
  /** The Docker engine to use (local or `ssh://` server). */ provider: docker.Provider;
}

/** nginx's site config: the built files, an SPA's fallback to index.html, and the headers on every answer. */
export function nginxConfig(headers: SecurityHeaders): string {
  const add = Object.entries(headers).map(([name, value]) => `  add_header ${name} ${quote(value)} always;`).join("\n");
  return [
    "server {",
    `  listen ${WEB_SERVER_PORT};`,
    "  server_tokens off;",
    "  root /usr/share/nginx/html;",
    add,
    `  location = ${WEB_HEALTH_PATH} { access_log off; default_type text/plain; return 200 "ok"; }`,
    // A location with add_header of its own would drop the server's; the assets location repeats them.
    `  location /assets/ {\n${add.replace(/^/gm, "  ")}\n    add_header Cache-Control "public, max-age=31536000, immutable" always;\n    try_files $uri =404;\n  }`,
    "  location / { try_files $uri $uri/ /index.html; }",
    "}",
    "",
  ].join("\n");
}

/** nginx's double-quoted string: a backslash or quote in a header value is escaped. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The container; its health check asks nginx itself, its limits and restart policy are the host's. */
export function createDockerWeb(name: string, parent: pulumi.Resource, args: DockerWebArgs): docker.Container {
  return new docker.Container(`${name}-container`, {
    name: args.containerName,
    image: WEB_SERVER_IMAGE,
    restart: "unless-stopped",
    memory: args.memoryMb,
    cpus: args.cpus === undefined ? undefined : String(args.cpus),
    uploads: [{ file: "/etc/nginx/conf.d/default.conf", content: nginxConfig(args.headers) }],
    volumes: [{ hostPath: args.root, containerPath: "/usr/share/nginx/html", readOnly: true }],
    healthcheck: {
      tests: ["CMD-SHELL", `wget -qO- http://127.0.0.1:${WEB_SERVER_PORT}${WEB_HEALTH_PATH} || exit 1`],
      interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s",
    },
    ports: [{ internal: WEB_SERVER_PORT, external: args.publishPort, ip: "127.0.0.1" }],
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "5" },
  }, { parent, provider: args.provider });
}

/**
 * The web front end as containers on a Docker host: nginx serving the built files with the edge's
 * headers, or nginx with those headers in front of the front end's own server on a private network.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerEnvs, secretEnvLabel } from "./docker-env";
import { nginxConfig, nginxProxyConfig, type SecurityHeaders, WEB_HEALTH_PATH, WEB_SERVER_PORT } from "./web-nginx";

export { nginxConfig, nginxProxyConfig, WEB_HEALTH_PATH, WEB_SERVER_PORT } from "./web-nginx";
export type { SecurityHeaders } from "./web-nginx";

/** nginx as a non-root user on port 8080; a tag of the official image, updated with paved. */
export const WEB_SERVER_IMAGE = "nginxinc/nginx-unprivileged:1.27-alpine";
/** nginx's limits in front of an app, whose own limits are the stack's. */
export const WEB_PROXY_LIMITS = { memoryMb: 128, cpus: 0.5 } as const;
/** The app's name on the network it shares with nginx. */
export const WEB_APP_ALIAS = "app";
/** Variables paved sets in the app's container itself, so it listens where nginx proxies. */
export const WEB_APP_LISTEN_ENV = ["PORT", "HOSTNAME", "HOST"] as const;

export interface DockerWebAppArgs {
  /** The front end's server image, pinned by digest, e.g. `ghcr.io/owner/web@sha256:<64 hex>`. */ image: string;
  /** The port the app listens on inside its container, e.g. 3000. */ port: number;
  /** The path its health check asks for, e.g. `/`. */ healthPath: string;
  /** Non-root user the app runs as, `uid` or `uid:gid`, e.g. `1001:1001`. */ user: string;
  /** Run on a read-only root filesystem. */ readOnly: boolean;
  /** Writable paths, each a tmpfs, e.g. `/tmp` and Next.js' `/app/.next/cache`. */ tmpfs: string[];
  /** The app sends its own CSP, with a nonce: nginx sets its own only on answers without one. */ cspFromApp: boolean;
}

export interface DockerWebArgs {
  /** Container name on the host; the app's is `<containerName>-app`. */ containerName: string;
  /** Absolute path of the built front end on the Docker host, mounted read-only; set this or `app`. */ root?: string;
  /** The front end's own server, behind nginx; set this or `root`. */ app?: DockerWebAppArgs;
  /** Memory limit in MB: nginx's over a static build, the app's behind it. */ memoryMb: number;
  /** CPU limit, e.g. 0.5: nginx's over a static build, the app's behind it. */ cpus?: number;
  /** Publish the site on this port of the host's loopback (a reverse proxy or the developer fronts it). */ publishPort: number;
  /** The headers the edge would set, set here as well so the site is the same with or without it. */ headers: SecurityHeaders;
  /** The Docker engine to use (local or `ssh://` server). */ provider: docker.Provider;
  /** The API's private network, which the app joins to reach it as `http://api:<port>`. @default none */ network?: pulumi.Input<string>;
}

const LOGS = { logDriver: "json-file", logOpts: { "max-size": "10m", "max-file": "5" } };
const nginxHealth = {
  tests: ["CMD-SHELL", `wget -qO- http://127.0.0.1:${WEB_SERVER_PORT}${WEB_HEALTH_PATH} || exit 1`],
  interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s",
};

/** The container; its health check asks nginx itself, its limits and restart policy are the host's. */
export function createDockerWeb(name: string, parent: pulumi.Resource, args: DockerWebArgs): docker.Container {
  return new docker.Container(`${name}-container`, {
    name: args.containerName,
    image: WEB_SERVER_IMAGE,
    restart: "unless-stopped",
    memory: args.memoryMb,
    cpus: args.cpus === undefined ? undefined : String(args.cpus),
    uploads: [{ file: "/etc/nginx/conf.d/default.conf", content: nginxConfig(args.headers) }],
    volumes: [{ hostPath: args.root!, containerPath: "/usr/share/nginx/html", readOnly: true }],
    healthcheck: nginxHealth,
    ports: [{ internal: WEB_SERVER_PORT, external: args.publishPort, ip: "127.0.0.1" }],
    ...LOGS,
  }, { parent, provider: args.provider });
}

/** The app's variables, one `K=V` entry each: plain ones readable in a plan, secret ones wrapped as secrets. */
export function appEnvs(app: DockerWebAppArgs, env: Record<string, pulumi.Input<string>>, secretEnv: Record<string, pulumi.Input<string>>): pulumi.Output<string>[] {
  // Where nginx finds it: Next.js listens on HOSTNAME (which Docker sets to the container id), most others on HOST.
  const listen: Record<(typeof WEB_APP_LISTEN_ENV)[number], string> = { PORT: String(app.port), HOSTNAME: "0.0.0.0", HOST: "0.0.0.0" };
  return containerEnvs({ ...env, ...listen }, secretEnv);
}

/**
 * The front end's server on a network of its own with nginx, which alone publishes a port; the
 * app also joins the API's network when it has one.
 */
export function createDockerWebApp(
  name: string, parent: pulumi.Resource, args: DockerWebArgs, envs: pulumi.Input<string>[], secretEnv: Record<string, unknown>,
): docker.Container {
  const app = args.app!;
  const opts = { parent, provider: args.provider };
  const network = new docker.Network(`${name}-network`, { name: `${args.containerName}-private`, driver: "bridge" }, opts);
  new docker.Container(`${name}-app`, {
    name: `${args.containerName}-app`,
    image: app.image,
    envs,
    labels: secretEnvLabel(secretEnv),
    user: app.user,
    readOnly: app.readOnly,
    tmpfs: Object.fromEntries(app.tmpfs.map((path) => [path, "rw,noexec,nosuid,size=64m"])),
    capabilities: { drops: ["ALL"] },
    securityOpts: ["no-new-privileges:true"],
    restart: "unless-stopped",
    memory: args.memoryMb,
    cpus: args.cpus === undefined ? undefined : String(args.cpus),
    // `node` rather than wget or curl: slim and distroless Node images carry neither. A redirect (to a login page) is up.
    healthcheck: {
      tests: ["CMD", "node", "-e", `fetch("http://127.0.0.1:${app.port}${app.healthPath}",{redirect:"manual"}).then((r)=>process.exit(r.status<400?0:1),()=>process.exit(1))`],
      interval: "30s", timeout: "5s", retries: 3, startPeriod: "20s",
    },
    networksAdvanced: [{ name: network.name, aliases: [WEB_APP_ALIAS] }, ...(args.network ? [{ name: args.network }] : [])],
    ...LOGS,
  }, opts);
  return new docker.Container(`${name}-container`, {
    name: args.containerName,
    image: WEB_SERVER_IMAGE,
    restart: "unless-stopped",
    memory: WEB_PROXY_LIMITS.memoryMb,
    cpus: String(WEB_PROXY_LIMITS.cpus),
    uploads: [{ file: "/etc/nginx/conf.d/default.conf", content: nginxProxyConfig(args.headers, { host: WEB_APP_ALIAS, port: app.port, cspFromApp: app.cspFromApp }) }],
    healthcheck: nginxHealth,
    networksAdvanced: [{ name: network.name }],
    ports: [{ internal: WEB_SERVER_PORT, external: args.publishPort, ip: "127.0.0.1" }],
    ...LOGS,
  }, opts);
}

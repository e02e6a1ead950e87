/** The three places an ApiApp can run; each returns the record its public hostname needs. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { FlyApp, FlyCertificate, FlyIpAddress, FlyMachine, FlyMigration, FlySecrets } from "./resources/fly";
import { type RenderAutoscaling, RenderService } from "./resources/render";
import { runError } from "./run-error";
import { containerEnvs, secretEnvLabel } from "./docker-env";
import { FLY_CHECK } from "./environment-config";
import { shellWords } from "./shell-words";
import { lastLines } from "./credentials";

export interface FlyHostArgs {
  /** Fly.io organization slug. */ org: string;
  /** Globally unique app name, e.g. `planningos-api-production`. */ appName: string;
  /** Regions to run in, e.g. `["cdg"]`. */ regions: string[];
  /** Machines per region. */ machines: number;
  /** `shared` or `performance` CPUs. */ cpuKind: string;
  /** CPUs per machine. */ cpus: number;
  /** Memory per machine in MB. */ memoryMb: number;
  /** Machines kept running when idle. */ minRunning: number;
  /** What Fly does with idle machines. */ autostop: "off" | "stop" | "suspend";
  /** Pay for a dedicated IPv4 instead of the shared one. */ dedicatedIpv4: boolean;
  /** The health check's interval, timeout and grace period after a start, in seconds. @default 30, 10, 20 */
  check?: { interval: number; timeout: number; gracePeriod: number };
}

export interface RenderHostArgs {
  /** Render workspace id. */ ownerId: string;
  /** Service name, e.g. `projectflo-api-production`. */ serviceName: string;
  /** Render region. */ region: string;
  /** Instance plan. */ plan: string;
  /** Instances to run. */ instances: number;
  /** Native runtime for a repo-backed service, e.g. `node`. */ runtime?: string;
  /** Directory the service builds from. */ rootDir?: string;
  /** Build command; set with startCommand for a repo-backed service. */ buildCommand?: string;
  /** Start command. */ startCommand?: string;
  /** Command run before each deploy, e.g. migrations. */ preDeployCommand?: string;
  /** Id of an existing service to adopt (the engine imports it) instead of creating one, e.g. `srv-abc123`. @default none */ adopt?: string;
  /** Scale between min and max instances on CPU and/or memory use. @default off: `instances` */ autoscaling?: RenderAutoscaling;
}

export interface DockerHostArgs {
  /** Container name on the host. */ containerName: string;
  /** Memory limit in MB. */ memoryMb: number;
  /** CPU limit, e.g. 1.5. */ cpus?: number;
  /** Publish the API on this port of the host's loopback (a reverse proxy fronts it). */ publishPort?: number;
  /** Healthcheck command, Docker style. */ healthcheck: string[];
  /** The server's public address: the API's hostname gets an A or AAAA record to it. */ address?: string;
  /** The Docker engine to use (local or `ssh://` server). */ provider: docker.Provider;
  /** Private network shared with the database container. */ network: pulumi.Input<string>;
}

/** The DNS record that sends the API's hostname to its host. */
export interface HostRecord {
  type: "CNAME" | "A" | "AAAA";
  content: pulumi.Output<string>;
}

export interface HostContext {
  name: string;
  parent: pulumi.Resource;
  image: pulumi.Input<string> | undefined;
  port: number;
  healthPath: string;
  hostname?: string;
  env: Record<string, pulumi.Input<string>>;
  secretEnv: Record<string, pulumi.Input<string>>;
  repository?: string;
  branch?: string;
  /** Migration command for the hosts that run it as a step of their own (Fly.io, Docker). */
  migrate?: string;
}

/** Fly.io: app, secrets, machines per region, certificate and public IPs. */
export function createFly(ctx: HostContext, fly: FlyHostArgs): HostRecord {
  const { name, parent } = ctx;
  const app = new FlyApp(`${name}-app`, { name: fly.appName, orgSlug: fly.org }, { parent });
  const secrets = new FlySecrets(`${name}-secrets`, { app: app.id, values: ctx.secretEnv }, { parent });
  const check = fly.check ?? FLY_CHECK;
  // Built field by field so a value unknown in preview (the image digest) leaves the rest readable.
  const config = {
    image: ctx.image!,
    env: pulumi.output(ctx.env),
    guest: { cpu_kind: fly.cpuKind, cpus: fly.cpus, memory_mb: fly.memoryMb },
    services: [{
      protocol: "tcp", internal_port: ctx.port,
      ports: [{ port: 80, handlers: ["http"], force_https: true }, { port: 443, handlers: ["tls", "http"] }],
      autostop: fly.autostop, autostart: true, min_machines_running: fly.minRunning,
    }],
    checks: { health: { type: "http", port: ctx.port, path: ctx.healthPath, method: "GET",
      interval: `${check.interval}s`, timeout: `${check.timeout}s`, grace_period: `${check.gracePeriod}s` } },
    // A machine reads the app's secrets when it starts: the secrets' version in its metadata
    // orders it after them and rolls it when they change.
    metadata: secrets.version.apply((version) => ({ paved_stack: pulumi.getStack(), paved_secrets_version: String(version) })),
  };
  // The migration reads the app's secrets as the machines do, and must exit 0 before any of them changes.
  const migration = ctx.migrate === undefined ? undefined : new FlyMigration(`${name}-migrate`, {
    app: app.id, region: fly.regions[0], image: ctx.image!, command: ctx.migrate, env: config.env, guest: config.guest,
  }, { parent, dependsOn: [secrets] });
  for (const region of fly.regions) {
    for (let i = 1; i <= fly.machines; i++) {
      new FlyMachine(`${name}-${region}-${i}`, { app: app.id, name: `${fly.appName}-${region}-${i}`, region, config },
        { parent, dependsOn: migration ? [migration] : [] });
    }
  }
  if (ctx.hostname) new FlyCertificate(`${name}-certificate`, { app: app.id, hostname: ctx.hostname }, { parent });
  const ipv6 = new FlyIpAddress(`${name}-ipv6`, { app: app.id, type: "v6" }, { parent });
  new FlyIpAddress(`${name}-ipv4`, { app: app.id, type: fly.dedicatedIpv4 ? "v4" : "shared_v4" }, { parent });
  // Behind Cloudflare's proxy, Fly validates the certificate over HTTP only when the
  // proxied record is an AAAA to the app's own IPv6 address (no A, no CNAME).
  return { type: "AAAA", content: ipv6.address };
}

/** Render: one web service, image-backed or built by Render from the repository. */
export function createRender(ctx: HostContext, render: RenderHostArgs): HostRecord {
  const repoBacked = !!render.buildCommand;
  const service = new RenderService(`${ctx.name}-service`, {
    ownerId: render.ownerId, name: render.serviceName, region: render.region, plan: render.plan,
    numInstances: render.instances, autoscaling: render.autoscaling, healthCheckPath: ctx.healthPath, preDeployCommand: render.preDeployCommand,
    ...(repoBacked
      ? { repo: `https://github.com/${ctx.repository}`, branch: ctx.branch, rootDir: render.rootDir, runtime: render.runtime ?? "node",
          buildCommand: render.buildCommand, startCommand: render.startCommand }
      : { image: { imagePath: ctx.image! }, runtime: "image" }),
    envVars: { ...ctx.env, ...ctx.secretEnv },
    customDomains: ctx.hostname ? [ctx.hostname] : [],
  }, { parent: ctx.parent, import: render.adopt });
  return { type: "CNAME", content: service.url.apply((url) => new URL(url).host) };
}

/** A container on a Docker host, on the private network it shares with the database. */
export function createDocker(ctx: HostContext, host: DockerHostArgs): HostRecord | undefined {
  const envs = containerEnvs(ctx.env, ctx.secretEnv);
  const migrated = ctx.migrate === undefined ? undefined : createDockerMigration(ctx, host, envs);
  new docker.Container(`${ctx.name}-container`, {
    name: host.containerName,
    image: ctx.image!,
    envs,
    restart: "unless-stopped",
    memory: host.memoryMb,
    cpus: host.cpus === undefined ? undefined : String(host.cpus),
    healthcheck: { tests: host.healthcheck, interval: "30s", timeout: "10s", retries: 3, startPeriod: "20s" },
    networksAdvanced: [{ name: host.network, aliases: ["api"] }],
    ports: host.publishPort ? [{ internal: ctx.port, external: host.publishPort, ip: "127.0.0.1" }] : [],
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "5" },
    labels: [...secretEnvLabel(ctx.secretEnv), ...(migrated ? [{ label: "paved.migration", value: migrated }] : [])],
  }, { parent: ctx.parent, provider: host.provider });
  // The server's address is the operator's, from config; without one the record is managed with the server.
  return host.address ? addressRecord(host.address) : undefined;
}

/**
 * The migration as a one-shot container of the new image on the API's network: the engine waits
 * for it to exit (`attach`) and keeps its output (`logs`). The API container's label is its exit
 * status, read through a check that fails the deploy on anything but 0, so a failed migration
 * leaves the running API as it was.
 */
function createDockerMigration(ctx: HostContext, host: DockerHostArgs, envs: pulumi.Output<string>[]): pulumi.Output<string> {
  const command = ctx.migrate!;
  const run = new docker.Container(`${ctx.name}-migrate`, {
    name: `${host.containerName}-migrate`,
    image: ctx.image!,
    command: shellWords(command),
    envs,
    networksAdvanced: [{ name: host.network }],
    attach: true, logs: true, mustRun: false, restart: "no",
    memory: host.memoryMb,
  }, { parent: ctx.parent, provider: host.provider, deleteBeforeReplace: true, additionalSecretOutputs: ["containerLogs"] });
  return pulumi.all([run.exitCode, run.containerLogs]).apply(([code, logs]) => migrationOutcome(command, `${host.containerName}-migrate`, code, logs));
}

/** "exited 0" for a migration that succeeded; otherwise the error that stops the deploy. */
export function migrationOutcome(command: string, container: string, code: number | undefined, logs: string | undefined): string {
  if (code === 0) return "exited 0";
  const status = typeof code === "number" ? `exited with status ${code}` : "reported no exit status";
  throw runError(`Migration "${command}" ${status} in container ${container}; ` +
    `the API container was not changed and keeps serving the previous release.${containerTail(logs)}`);
}

/** The last lines of a container's output, credentials masked, for an error message. */
function containerTail(logs: string | undefined): string {
  // Docker's multiplexed log stream starts each frame with 8 bytes: the stream (1 or 2), three zeros, the frame's size.
  const lines = lastLines([(logs ?? "").replace(/[\x01\x02]\x00\x00\x00[\s\S]{4}/g, "\n")]);
  return lines.length ? ` Its last lines:\n${lines.map((l) => `  ${l}`).join("\n")}` : "";
}

/** A record to a server's address: A for IPv4, AAAA for IPv6. */
export function addressRecord(address: string): HostRecord {
  return { type: address.includes(":") ? "AAAA" : "A", content: pulumi.output(address) };
}

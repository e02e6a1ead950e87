import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerStore } from "./docker-store";
import { PavedInputError } from "./errors";
import { generatedPassword } from "./generated-password";
import { RailwayService, RailwayVolume } from "./resources/railway";
import { RenderKeyValue } from "./resources/render";

/** The hostname the Redis container answers to on the stack's private network. */
export const CACHE_ALIAS = "cache";

/** Where a Railway Redis keeps its data: the official image's working directory. */
const REDIS_DATA = "/data";

/** A Redis service beside the API on Railway, in the API's project and environment. */
export interface RailwayCacheArgs {
  /** The API's Railway project. */
  projectId: pulumi.Input<string>;
  /** The API's environment in it. */
  environmentId: pulumi.Input<string>;
  /** Service name, a DNS label: the private host is `<serviceName>.railway.internal`, e.g. `flightpro-redis-production`. */
  serviceName: string;
  /** Redis image with its registry, e.g. `docker.io/library/redis:7.4-alpine`. */
  image: string;
  /** Railway region of the service and its volume, e.g. `us-east4`. @default Railway's default region */
  region?: string;
  /** Redis's `--maxmemory`, in MB. */
  maxmemoryMb: number;
}

export interface CacheArgs {
  /** `docker` (a Redis container beside the API), `render` (Render Key Value) or `railway` (a Redis service on Railway). */
  provider: "docker" | "render" | "railway";
  /** Instance name at the provider, e.g. `lifeos-production`. */
  instanceName: string;
  /** Docker settings, with `provider: "docker"`. */
  docker?: { image: string; memoryMb: number; provider: docker.Provider; network: pulumi.Input<string> };
  /** Render settings, with `provider: "render"`; `allowCidrs` empty keeps it on the private network. */
  render?: { ownerId: string; plan: string; region: string; maxmemoryPolicy: string; allowCidrs: string[] };
  /** Railway settings, with `provider: "railway"`. */
  railway?: RailwayCacheArgs;
  /** Protect the data from deletion: `protect` and `retainOnDelete` on what holds it. @default false */
  protect?: boolean;
  /** Rotation label for the generated password (Docker, Railway). @default "initial" */
  rotation?: string;
  /** Id of an existing instance to adopt instead of creating one (Render Key Value id; Docker volume name). @default none */
  adopt?: string;
}

/** The environment's Redis, exposing only a secret connection URL. */
export class Cache extends pulumi.ComponentResource {
  static readonly TYPE = "paved:cache:Cache";
  /** `redis://` URL for the app, password included; always secret. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Cache.TYPE, name, {}, opts);
    const keep: pulumi.CustomResourceOptions = {
      parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false, import: args.adopt,
    };
    const url = args.provider === "render" ? this.createRender(name, args, keep)
      : args.provider === "railway" ? this.createRailway(name, args, keep)
      : this.createDocker(name, args, keep);
    this.url = pulumi.secret(url);
    this.registerOutputs({ url: this.url });
  }

  private createRender(name: string, args: CacheArgs, keep: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const render = args.render!;
    const kv = new RenderKeyValue(`${name}-keyvalue`, {
      ownerId: render.ownerId, name: args.instanceName, plan: render.plan, region: render.region, maxmemoryPolicy: render.maxmemoryPolicy,
      ipAllowList: render.allowCidrs.map((cidrBlock) => ({ cidrBlock, description: "allowed by paved:cache.render.allowCidrs" })),
    }, keep);
    return kv.internalConnectionString;
  }

  private createRailway(name: string, args: CacheArgs, keep: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const r = args.railway!;
    const password = generatedPassword(this, name, args.rotation);
    const redis = new RailwayService(`${name}-redis`, {
      projectId: r.projectId, environmentId: r.environmentId, name: r.serviceName, image: r.image, region: r.region,
      // A volume takes no replicas: one instance holds the data.
      numReplicas: 1,
      // Railway runs this in place of the image's entrypoint, unexpanded: a shell reads the password from the service's
      // variables, and the entrypoint still drops root and owns the volume. The password is letters and digits: no quoting.
      startCommand: `/bin/sh -c "exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --appendonly yes --dir ${REDIS_DATA} --maxmemory ${r.maxmemoryMb}mb"`,
      variables: { REDIS_PASSWORD: password },
    }, keep); // kept like its volume: deleting a service could take the volume mounted on it along
    new RailwayVolume(`${name}-data`, {
      projectId: r.projectId, environmentId: r.environmentId, serviceId: redis.serviceId, name: `${r.serviceName}-data`, mountPath: REDIS_DATA, region: r.region,
    }, keep);
    // No domain and no TCP proxy: only services of the project's environment reach its private host.
    return pulumi.interpolate`redis://default:${password}@${r.serviceName}.railway.internal:6379`;
  }

  private createDocker(name: string, args: CacheArgs, keep: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const host = args.docker!;
    const { password, volume } = dockerStore(this, name, { volumeName: args.adopt ?? `${args.instanceName}-redis`, rotation: args.rotation, provider: host.provider }, keep);
    new docker.Container(`${name}-redis`, {
      name: `${args.instanceName}-redis`,
      image: host.image,
      // The password reaches redis-server through the environment, so it never sits in the container's command line.
      command: ["sh", "-c", `exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes --maxmemory ${Math.floor(host.memoryMb * 0.75)}mb`],
      envs: [pulumi.secret(pulumi.interpolate`REDIS_PASSWORD=${password}`)],
      volumes: [{ volumeName: volume.name, containerPath: "/data" }],
      // No published ports: only containers on the private network reach it.
      networksAdvanced: [{ name: host.network, aliases: [CACHE_ALIAS] }],
      restart: "unless-stopped",
      memory: host.memoryMb,
      healthcheck: { tests: ["CMD-SHELL", 'redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'], interval: "10s", timeout: "5s", retries: 5 },
    }, { parent: this, provider: host.provider });
    return pulumi.interpolate`redis://:${password}@${CACHE_ALIAS}:6379/0`;
  }
}

function validate(name: string, args: CacheArgs): void {
  const problems: string[] = [];
  const where = `Cache "${name}"`;
  if (!args[args.provider]) problems.push(`${where}: provider is ${args.provider} but ${args.provider} settings are missing; expected args.${args.provider}`);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(args.instanceName)) {
    problems.push(`${where}: instanceName is "${args.instanceName}"; expected lowercase letters, digits and dashes, such as lifeos-production`);
  }
  if (args.docker && args.docker.memoryMb < 32) problems.push(`${where}: docker.memoryMb is ${args.docker.memoryMb}; expected at least 32`);
  if (args.provider === "railway" && args.railway) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(args.railway.serviceName)) {
      problems.push(`${where}: railway.serviceName is "${args.railway.serviceName}"; expected a DNS label (lowercase letters, digits, dashes), the private host <serviceName>.railway.internal`);
    }
    if (!Number.isInteger(args.railway.maxmemoryMb) || args.railway.maxmemoryMb < 32) {
      problems.push(`${where}: railway.maxmemoryMb is ${args.railway.maxmemoryMb}; expected a whole number of MB, at least 32`);
    }
    if (args.adopt !== undefined) problems.push(`${where}: adopt is "${args.adopt}" with provider railway; expected no adopt (paved creates the Railway Redis)`);
  }
  if (problems.length) throw new PavedInputError(problems);
}

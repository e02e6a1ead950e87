import * as pulumi from "@pulumi/pulumi";
import { createImage, type ImageArgs } from "./api-image";
import { createDocker, createFly, createRender, type DockerHostArgs, type FlyHostArgs, type HostContext, type HostRecord, type RenderHostArgs } from "./api-hosts";
import { createRailway, type RailwayHostArgs } from "./api-railway";
import { PavedInputError } from "./errors";

export type { ImageArgs } from "./api-image";
export type { DockerHostArgs, FlyHostArgs, HostRecord, RenderHostArgs } from "./api-hosts";
export type { RailwayHostArgs } from "./api-railway";

export interface ApiAppArgs {
  /** Where the API runs: `fly`, `render`, `docker` or `railway`. */
  host: "fly" | "render" | "docker" | "railway";
  /** Public hostname, e.g. `api.planningos.com`. @default none (local stacks) */
  hostname?: string;
  /** Port the app listens on inside its container. */
  port: number;
  /** Path that answers 200 when the app is healthy, e.g. `/health`. */
  healthPath: string;
  /** The container image; omitted only for a Render service built from the repository. @default none */
  image?: ImageArgs;
  /**
   * Migration command run with the new image against the stack's database before the new release
   * serves: Render's and Railway's pre-deploy step (set in their settings), a one-off machine on
   * Fly.io, a one-shot container on Docker. A failure stops the deploy. @default none
   */
  migrate?: string;
  /** Plain environment variables. @default {} */
  env?: Record<string, pulumi.Input<string>>;
  /** Secret environment variables (DATABASE_URL, JWT_SECRET, ...); always passed on as secret. @default {} */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Fly.io settings, with `host: "fly"`. */
  fly?: FlyHostArgs;
  /** Render settings, with `host: "render"`. */
  render?: RenderHostArgs;
  /** Docker settings, with `host: "docker"`. */
  docker?: DockerHostArgs;
  /** Railway settings, with `host: "railway"`. */
  railway?: RailwayHostArgs;
  /** GitHub owner/name, for a repo-backed Render or Railway service. @default none */
  repository?: string;
  /** Branch a repo-backed Render service deploys. @default none */
  branch?: string;
}

/** The API app: its image and the host it runs on, with health checks and secrets wired in. */
export class ApiApp extends pulumi.ComponentResource {
  static readonly TYPE = "paved:api:ApiApp";
  /** Public https URL of the API (`http://127.0.0.1:<port>` for local stacks). */
  readonly url: pulumi.Output<string>;
  /** The record the public hostname needs (AAAA to Fly's IPv6, CNAME to Render); none on a Docker server. */
  readonly record?: HostRecord;
  /** Image reference deployed, pinned by digest where the registry gives one; unknown until built. */
  readonly image: pulumi.Output<string | undefined>;
  readonly hostname?: string;
  /** The https URL browsers reach: the custom hostname, else the platform's own (`*.onrender.com`, `*.fly.dev`); undefined for a container with no hostname. */
  readonly publicUrl?: pulumi.Output<string>;
  readonly healthPath: string;
  /** The Railway project the service runs in, with `host: "railway"`; other stacks join it with `projectFrom`. */
  readonly railwayProjectId?: pulumi.Output<string>;
  /** This stack's environment in that project, with `host: "railway"`; a Railway cache joins it. */
  readonly railwayEnvironmentId?: pulumi.Output<string>;

  constructor(name: string, args: ApiAppArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(ApiApp.TYPE, name, {}, opts);
    const image = args.image && createImage(name, args.image, this);
    const ctx: HostContext = {
      name, parent: this, image, port: args.port, healthPath: args.healthPath, hostname: args.hostname,
      env: args.env ?? {}, secretEnv: Object.fromEntries(Object.entries(args.secretEnv ?? {}).map(([k, v]) => [k, pulumi.secret(v)])),
      repository: args.repository, branch: args.branch, migrate: args.migrate,
    };
    const railway = args.host === "railway" ? createRailway(ctx, args.railway!) : undefined;
    this.record = args.host === "fly" ? createFly(ctx, args.fly!)
      : args.host === "render" ? createRender(ctx, args.render!)
      : railway ? railway.record
      : createDocker(ctx, args.docker!);
    this.railwayProjectId = railway?.projectId;
    this.railwayEnvironmentId = railway?.environmentId;
    this.hostname = args.hostname;
    this.healthPath = args.healthPath;
    this.publicUrl = args.hostname ? pulumi.output(`https://${args.hostname}`)
      : args.host === "render" && this.record ? pulumi.interpolate`https://${this.record.content}`
      : args.host === "fly" && args.fly ? pulumi.output(`https://${flyAppHost(args.fly.appName)}`)
      : railway ? pulumi.interpolate`https://${railway.serviceDomain}`
      : undefined;
    this.url = this.publicUrl ?? pulumi.output(`http://127.0.0.1:${args.docker?.publishPort ?? args.port}`);
    this.image = image ?? pulumi.output<string | undefined>(undefined);
    this.registerOutputs({
      url: this.url, image: this.image,
      ...(railway ? { railwayProjectId: railway.projectId, railwayEnvironmentId: railway.environmentId } : {}),
    });
  }
}

function validate(name: string, args: ApiAppArgs): void {
  const problems: string[] = [];
  const where = `ApiApp "${name}"`;
  if (!args[args.host]) problems.push(`${where}: host is ${args.host} but ${args.host} settings are missing; expected args.${args.host}`);
  const repoBacked = (args.host === "render" && !!args.render?.buildCommand) || (args.host === "railway" && !!args.railway?.buildCommand);
  if (!args.image && !repoBacked) problems.push(`${where}: image is missing; expected an image to build, a digest, or a stack to promote from`);
  if (repoBacked && !args.repository) problems.push(`${where}: a repo-backed ${args.host === "render" ? "Render" : "Railway"} service needs repository; expected owner/name`);
  if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65_535) problems.push(`${where}: port is ${args.port}; expected a TCP port from 1 to 65535`);
  if (!args.healthPath.startsWith("/")) problems.push(`${where}: healthPath is "${args.healthPath}"; expected a path such as /health`);
  const shared = Object.keys(args.env ?? {}).filter((key) => key in (args.secretEnv ?? {}));
  if (shared.length) problems.push(`${where}: ${shared.join(", ")} in both env and secretEnv; expected each variable once`);
  if (args.fly && (args.fly.machines < 1 || args.fly.regions.length === 0)) problems.push(`${where}: fly needs at least one region and one machine; expected regions and machines >= 1`);
  if (problems.length) throw new PavedInputError(problems);
}

/** The name Fly.io serves an app on when it has no hostname of ours. */
export const flyAppHost = (appName: string) => `${appName}.fly.dev`;

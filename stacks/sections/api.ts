/** `paved:api`: the API app, its image and the host it runs on. */
import { isIP } from "node:net";
import { z } from "zod";
import { type ApiConfig, API_HOSTS, FLY_CHECK, type ImageSource, LOG_LEVELS } from "../../components/environment-config";
import { shellWords } from "../../components/shell-words";
import { bool, envName, expected, hostname, int, looksSecret, pinnedImage, relativeDir, text, urlPath } from "../fields";
import { quote, shownKey } from "../redact";

const image = z.strictObject({
  build: z.strictObject({
    context: relativeDir,
    dockerfile: relativeDir.optional(),
    platform: z.enum(["linux/amd64", "linux/arm64"], expected("linux/amd64 or linux/arm64")).optional(),
  }, expected("a map with context (and optionally dockerfile, platform)")).optional(),
  repository: z.string(expected("an image repository such as ghcr.io/owner/api"))
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+$/, expected("an image repository such as ghcr.io/owner/api")).optional(),
  digest: pinnedImage("ghcr.io/owner/api").optional(),
  promoteFrom: z.string(expected("a stack reference such as organization/paved/staging"))
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, expected("a stack reference such as organization/paved/staging")).optional(),
  registryUsername: text("the registry user that pushes images").optional(),
  registryPasswordSecret: envName.optional(),
}, expected("a map with one of build, digest or promoteFrom"));

const fly = z.strictObject({
  org: text("a Fly.io organization slug"),
  regions: z.array(z.string(expected("a Fly.io region code such as cdg")).regex(/^[a-z]{3}$/, expected("a Fly.io region code such as cdg")), expected("a list of Fly.io region codes")).min(1, expected("at least one region")).optional(),
  machines: int("machines per region", 1, 20).optional(),
  cpuKind: z.enum(["shared", "performance"], expected("shared or performance")).optional(),
  cpus: int("CPUs", 1, 16).optional(),
  memoryMb: int("MB of memory", 256, 65_536).optional(),
  minRunning: int("machines", 0, 20).optional(),
  autostop: z.enum(["off", "stop", "suspend"], expected("off, stop or suspend")).optional(),
  dedicatedIpv4: bool.optional(),
  /** The machines' health check, in seconds; Fly.io marks a machine failing after `timeout` and ignores it for `gracePeriod` after a start. */
  check: z.strictObject({
    interval: int("seconds", 5, 600).optional(),
    timeout: int("seconds", 1, 60).optional(),
    gracePeriod: int("seconds", 0, 600).optional(),
  }, expected("an object with interval, timeout and gracePeriod in seconds")).optional(),
}, expected("a map of Fly.io settings (org, regions, machines, ...)"));

const render = z.strictObject({
  ownerId: z.string(expected("a Render workspace id such as tea-abc123")).regex(/^(tea|usr)-[a-z0-9]+$/, expected("a Render workspace id such as tea-abc123")),
  region: z.enum(["oregon", "ohio", "virginia", "frankfurt", "singapore"], expected("one of oregon, ohio, virginia, frankfurt, singapore")).optional(),
  plan: z.enum(["starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"], expected("a Render instance plan such as starter or standard")).optional(),
  instances: int("instances", 1, 100).optional(),
  autoscaling: z.strictObject({
    min: int("instances", 1, 100),
    max: int("instances", 1, 100),
    cpuPercent: int("percent", 1, 90).optional(),
    memoryPercent: int("percent", 1, 90).optional(),
  }, expected("an object with min, max, and cpuPercent and/or memoryPercent")).optional(),
  runtime: z.enum(["node", "python", "go", "ruby", "rust", "elixir", "docker"], expected("a Render native runtime such as node")).optional(),
  rootDir: relativeDir.optional(),
  buildCommand: text("a shell command").optional(),
  startCommand: text("a shell command").optional(),
  preDeployCommand: text("a shell command").optional(),
  adopt: z.string(expected("an existing Render service id such as srv-abc123")).regex(/^srv-[a-z0-9]+$/, expected("an existing Render service id such as srv-abc123")).optional(),
}, expected("a map of Render settings (ownerId, region, plan, ...)"));

/** The engine of a Docker host. */
export const dockerHost = z.string(expected("a Docker host such as ssh://deploy@host or unix:///var/run/docker.sock"))
  .regex(/^(ssh|tcp|unix):\/\/\S+$/, expected("a Docker host such as ssh://deploy@host or unix:///var/run/docker.sock"));
/** A server's public address, for the A or AAAA record of the hosts it serves. */
export const ipAddress = z.string(expected("an IPv4 or IPv6 address such as 203.0.113.10"))
  .refine((v) => isIP(v) !== 0, expected("an IPv4 or IPv6 address such as 203.0.113.10"));

const docker = z.strictObject({
  host: dockerHost.optional(),
  address: ipAddress.optional(),
  memoryMb: int("MB of memory", 64, 262_144).optional(),
  cpus: z.number(expected("a number of CPUs such as 1.5")).positive(expected("a number of CPUs such as 1.5")).optional(),
  publishPort: int("a TCP port", 1, 65_535).optional(),
  healthcheck: z.array(z.string(), expected("a healthcheck command as a list, e.g. [CMD, /app/healthcheck]")).min(1, expected("a healthcheck command as a list")).optional(),
}, expected("a map of Docker settings (host, memoryMb, cpus, ...)"));

const railway = z.strictObject({
  project: z.string(expected("a Railway project name such as flightpro")).regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, expected("a Railway project name such as flightpro")).optional(),
  projectFrom: z.string(expected("a stack reference such as organization/paved/staging"))
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, expected("a stack reference such as organization/paved/staging")).optional(),
  workspaceId: text("a Railway workspace id").optional(),
  environment: z.string(expected("a Railway environment name such as staging")).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, expected("a Railway environment name such as staging")).optional(),
  region: z.string(expected("a Railway region such as us-east4")).regex(/^[a-z]+-[a-z]+\d+(-[a-z0-9]+)?$/, expected("a Railway region such as us-east4")).optional(),
  replicas: int("replicas", 1, 50).optional(),
  rootDirectory: relativeDir.optional(),
  buildCommand: text("a shell command").optional(),
  startCommand: text("a shell command").optional(),
}, expected("a map of Railway settings (project or projectFrom, environment, region, replicas, ...)"));

export const api = z.strictObject({
  host: z.enum(API_HOSTS, expected(`one of ${API_HOSTS.join(", ")}`)),
  hostname: hostname().optional(),
  port: int("a TCP port", 1, 65_535).optional(),
  healthPath: urlPath.optional(),
  migrate: text("a migration command such as prisma migrate deploy").optional(),
  image: image.optional(),
  fly: fly.optional(),
  render: render.optional(),
  docker: docker.optional(),
  railway: railway.optional(),
  env: z.record(envName, z.string(expected("a plain string value"))).optional(),
  secretEnv: z.array(envName, expected("a list of secret names")).optional(),
  corsOrigins: z.array(z.string(expected("an origin such as https://app.example.com")).regex(/^https?:\/\/[^/\s]+$/, expected("an origin such as https://app.example.com")), expected("a list of origins")).optional(),
  logLevel: z.enum([...LOG_LEVELS, ...LOG_LEVELS.map((l) => l.toUpperCase() as Uppercase<typeof l>)],
    expected(`one of ${LOG_LEVELS.join(", ")}, in lower or upper case as the application reads it`)).optional(),
  debug: bool.optional(),
}, expected("a map of API settings (host, port, healthPath, ...)"));

export type ApiSection = z.infer<typeof api>;


export interface ApiContext {
  kind: "production" | "staging" | "preview" | "local";
  stack: string;
  product: string;
  domain?: string;
  repository?: string;
  secretNames: ReadonlySet<string>;
}

/** Per environment kind: how many machines, how loud the logs. */
export const API_DEFAULTS = {
  production: { machines: 2, minRunning: 1, instances: 2, logLevel: "info", debug: false },
  staging: { machines: 1, minRunning: 0, instances: 1, logLevel: "info", debug: false },
  preview: { machines: 1, minRunning: 0, instances: 1, logLevel: "debug", debug: false },
  local: { machines: 1, minRunning: 0, instances: 1, logLevel: "debug", debug: true },
} as const;

export function resolveApi(section: ApiSection, ctx: ApiContext, problems: string[]): ApiConfig {
  const defaults = API_DEFAULTS[ctx.kind];
  const port = section.port ?? 8080;
  const name = `${ctx.product}-api-${ctx.stack}`;
  const repoBacked = (section.host === "render" && !!(section.render?.buildCommand || section.render?.startCommand)) ||
    (section.host === "railway" && !!section.railway?.buildCommand);
  if (section.railway) checkRailway(section.railway, problems);
  if (section.render?.autoscaling) checkAutoscaling(section.render, problems);
  checkMigrate(section, problems);
  // Docker needs settings only for a server, and that check below names the key it needs.
  if (!section[section.host] && section.host !== "docker") {
    problems.push(`paved:api.${section.host}: missing; expected the ${section.host} settings for api.host ${section.host}`);
  }
  for (const other of API_HOSTS) {
    if (other !== section.host && section[other]) problems.push(`paved:api.${other}: set while api.host is ${section.host}; expected only paved:api.${section.host}`);
  }
  if (ctx.kind === "local" && section.host !== "docker") problems.push(`paved:api.host: got ${quote("paved:api.host", section.host)}; expected docker for local stacks`);
  if (section.host === "docker" && ctx.kind !== "local" && !section.docker?.host) {
    problems.push(`paved:api.docker.host: missing; expected the server's Docker host, such as ssh://deploy@host`);
  }
  if (repoBacked && !(section.render?.buildCommand && section.render?.startCommand)) {
    problems.push(`paved:api.render: has only one of buildCommand and startCommand; expected both for a repo-backed service`);
  }
  if (ctx.kind === "production" && ["debug", "trace"].includes(section.logLevel?.toLowerCase() ?? "")) {
    problems.push(`paved:api.logLevel: got ${quote("paved:api.logLevel", section.logLevel)}; expected info, warn or error in production`);
  }
  if (ctx.kind === "production" && section.debug) problems.push(`paved:api.debug: got true; expected false in production`);
  section.corsOrigins?.forEach((origin, i) => {
    if (ctx.kind !== "local" && !origin.startsWith("https://")) problems.push(`paved:api.corsOrigins[${i}]: got ${quote(`paved:api.corsOrigins[${i}]`, origin)}; expected an https origin outside local stacks`);
  });
  section.secretEnv?.forEach((secret, i) => {
    if (!ctx.secretNames.has(secret)) problems.push(`paved:api.secretEnv[${i}]: got ${quote(`paved:api.secretEnv[${i}]`, secret)}; expected a secret that paved:secrets generates or reads (fromConfig)`);
  });
  const env = section.env ?? {};
  const reserved = ["DATABASE_URL", "REDIS_URL", "JWT_SECRET", "CORS_ORIGINS", "PORT", "LOG_LEVEL", "DEBUG", "APP_ENV"];
  for (const name of Object.keys(env)) {
    if (reserved.includes(name)) problems.push(`paved:api.env.${name}: set by paved itself; expected it left out`);
    else if (looksSecret(name)) {
      problems.push(`paved:api.env.${shownKey("env", name)}: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:api.secretEnv`);
    }
  }
  const hostLabel = ctx.kind === "production" ? "api" : `${ctx.kind === "local" ? "local" : ctx.stack}-api`;
  return {
    host: section.host,
    // One label under the apex keeps the host inside Cloudflare's universal *.domain certificate.
    hostname: ctx.kind === "local" ? undefined : section.hostname ?? (ctx.domain ? `${hostLabel}.${ctx.domain}` : undefined),
    port,
    healthPath: section.healthPath ?? "/health",
    image: repoBacked ? undefined : resolveImage(section, ctx, problems),
    fly: section.fly && {
      org: section.fly.org, appName: name, regions: section.fly.regions ?? ["cdg"], machines: section.fly.machines ?? defaults.machines,
      cpuKind: section.fly.cpuKind ?? "shared", cpus: section.fly.cpus ?? 1, memoryMb: section.fly.memoryMb ?? 512,
      minRunning: section.fly.minRunning ?? defaults.minRunning, autostop: section.fly.autostop ?? "stop", dedicatedIpv4: section.fly.dedicatedIpv4 ?? false,
      check: { ...FLY_CHECK, ...section.fly.check },
    },
    render: section.render && {
      ownerId: section.render.ownerId, serviceName: name, region: section.render.region ?? "oregon", plan: section.render.plan ?? "starter",
      instances: section.render.instances ?? defaults.instances, runtime: section.render.runtime, rootDir: section.render.rootDir,
      buildCommand: section.render.buildCommand, startCommand: section.render.startCommand, preDeployCommand: section.render.preDeployCommand ?? section.migrate,
      adopt: section.render.adopt, autoscaling: section.render.autoscaling,
    },
    docker: section.host === "docker" ? {
      host: section.docker?.host, address: section.docker?.address, containerName: name, memoryMb: section.docker?.memoryMb ?? 512, cpus: section.docker?.cpus,
      publishPort: section.docker?.publishPort ?? (ctx.kind === "local" ? port : undefined),
      healthcheck: section.docker?.healthcheck ?? ["CMD-SHELL", `wget -qO- http://127.0.0.1:${port}${section.healthPath ?? "/health"} || exit 1`],
    } : undefined,
    railway: section.railway && {
      project: section.railway.project, projectFrom: section.railway.projectFrom, workspaceId: section.railway.workspaceId,
      environment: section.railway.environment ?? ctx.stack, serviceName: name, region: section.railway.region,
      replicas: section.railway.replicas ?? defaults.instances, rootDirectory: section.railway.rootDirectory,
      buildCommand: section.railway.buildCommand, startCommand: section.railway.startCommand, preDeployCommand: section.migrate,
    },
    migrate: section.host === "fly" || section.host === "docker" ? section.migrate : undefined,
    env, secretEnv: section.secretEnv ?? [], corsOrigins: section.corsOrigins ?? [],
    logLevel: section.logLevel ?? defaults.logLevel, debug: section.debug ?? defaults.debug,
  };
}

/**
 * Where paved runs the migration: the host's own pre-deploy step on Render and Railway, a run of
 * its own on Fly.io and Docker, which start the command without a shell, so it must split into words.
 */
function checkMigrate(section: ApiSection, problems: string[]): void {
  if (!section.migrate) return;
  if (section.render?.preDeployCommand) {
    problems.push("paved:api.render.preDeployCommand: set with paved:api.migrate; expected one of them (migrate is Render's pre-deploy command)");
  }
  try {
    shellWords(section.migrate);
  } catch (err) {
    problems.push(`paved:api.migrate: got ${quote("paved:api.migrate", section.migrate)}, but ${(err as Error).message}; expected a command line such as prisma migrate deploy`);
  }
}

/** Render scales between min and max on CPU, memory or both; a fixed instance count is the other way. */
function checkAutoscaling(render: NonNullable<ApiSection["render"]>, problems: string[]): void {
  const a = render.autoscaling!;
  if (a.min > a.max) problems.push(`paved:api.render.autoscaling.min: got ${a.min}; expected at most max (${a.max})`);
  if (a.cpuPercent === undefined && a.memoryPercent === undefined) {
    problems.push("paved:api.render.autoscaling: has neither cpuPercent nor memoryPercent; expected at least one target Render scales on");
  }
  if (render.instances !== undefined) problems.push(`paved:api.render.instances: got ${render.instances} with autoscaling; expected one of them (autoscaling sets the count between min and max)`);
}

function checkRailway(railway: NonNullable<ApiSection["railway"]>, problems: string[]): void {
  if (railway.project && railway.projectFrom) {
    problems.push(`paved:api.railway: got both project ${quote("paved:api.railway.project", railway.project)} and projectFrom ${quote("paved:api.railway.projectFrom", railway.projectFrom)}; expected exactly one`);
  } else if (!railway.project && !railway.projectFrom) {
    problems.push(`paved:api.railway: has neither project nor projectFrom; expected project (a name, to create it) or projectFrom (the stack that created it)`);
  }
  if (railway.projectFrom && railway.workspaceId) {
    problems.push(`paved:api.railway.workspaceId: set with projectFrom; expected it only with project, where the project is created`);
  }
  if (!railway.buildCommand && railway.rootDirectory) {
    problems.push(`paved:api.railway.rootDirectory: got ${quote("paved:api.railway.rootDirectory", railway.rootDirectory)} without buildCommand; expected buildCommand for a service Railway builds from the repository`);
  }
}

function resolveImage(section: ApiSection, ctx: ApiContext, problems: string[]): ImageSource | undefined {
  const img = section.image ?? (ctx.kind === "local" ? { build: { context: "." } } : undefined);
  const given = (["build", "digest", "promoteFrom"] as const).filter((k) => img?.[k] !== undefined);
  if (given.length !== 1) {
    problems.push(`paved:api.image: ${given.length ? `got ${given.join(" and ")}` : "missing"}; expected exactly one of build, digest or promoteFrom`);
    return undefined;
  }
  if (img!.digest) return { kind: "digest", ref: img!.digest };
  if (img!.promoteFrom) return { kind: "promote", stack: img!.promoteFrom };
  const repository = img!.repository ?? (ctx.repository ? `ghcr.io/${ctx.repository.toLowerCase()}-api` : `${ctx.product}-api`);
  if (img!.registryPasswordSecret && !ctx.secretNames.has(img!.registryPasswordSecret)) {
    problems.push(`paved:api.image.registryPasswordSecret: got ${quote("paved:api.image.registryPasswordSecret", img!.registryPasswordSecret)}; expected a secret that paved:secrets generates or reads (fromConfig)`);
  }
  if (!!img!.registryPasswordSecret !== !!img!.registryUsername) {
    problems.push(`paved:api.image: has only one of registryUsername and registryPasswordSecret; expected both, or neither to use the local Docker login`);
  }
  return {
    kind: "build", context: img!.build!.context, dockerfile: img!.build!.dockerfile, platform: img!.build!.platform ?? "linux/amd64", repository,
    registry: img!.registryUsername && img!.registryPasswordSecret
      ? { server: repository.split("/")[0], username: img!.registryUsername, passwordSecret: img!.registryPasswordSecret } : undefined,
  };
}

/** `paved:web`: the front end: a Vercel project, or containers on the stack's Docker host. */
import { resolve as resolvePath } from "node:path";
import { z } from "zod";
import { INLINE_SCRIPT_FRAMEWORKS } from "./cdn";
import { WEB_APP_LISTEN_ENV } from "../../components/web-docker";
import type { Kind, WebAppConfig, WebConfig } from "../../components/environment-config";
import { dockerHost, ipAddress } from "./api";
import { bool, envName, expected, hostname, int, looksSecret, pinnedImage, relativeDir, text, urlPath } from "../fields";
import { quote, shownKey } from "../redact";

/** Vercel framework presets paved knows; a typo here would silently build nothing. */
export const FRAMEWORKS = [
  "vite", "nextjs", "remix", "react-router", "astro", "sveltekit-1", "nuxtjs",
  "create-react-app", "gatsby", "angular", "vue", "solidstart-1", "hono",
] as const;

const containerPath = z.string(expected("an absolute path inside the container, such as /app/.next/cache"))
  .regex(/^\/[A-Za-z0-9._@\/-]*$/, expected("an absolute path inside the container, such as /app/.next/cache"));

const docker = z.strictObject({
  host: dockerHost.optional(),
  root: z.string(expected("the path of the built front end on the Docker host, such as /srv/app/web"))
    .regex(/^[A-Za-z0-9._@\/-]+$/, expected("the path of the built front end on the Docker host, such as /srv/app/web")).optional(),
  image: pinnedImage("ghcr.io/owner/web").optional(),
  port: int("a TCP port", 1, 65_535).optional(),
  healthPath: urlPath.optional(),
  user: z.string(expected("a non-root user id such as 1001 or 1001:1001"))
    .regex(/^(?!0+(:|$))\d+(:\d+)?$/, expected("a non-root user id such as 1001 or 1001:1001")).optional(),
  readOnly: bool.optional(),
  tmpfs: z.array(containerPath, expected("a list of absolute paths inside the container")).optional(),
  memoryMb: int("MB of memory", 32, 65_536).optional(),
  cpus: z.number(expected("a number of CPUs such as 0.5")).positive(expected("a number of CPUs such as 0.5")).optional(),
  publishPort: int("a TCP port", 1, 65_535).optional(),
  address: ipAddress.optional(),
}, expected("a map of Docker settings (host, root or image, memoryMb, cpus, publishPort, address, ...)"));

export const web = z.strictObject({
  host: z.enum(["vercel", "docker"], expected("vercel or docker")).optional(),
  docker: docker.optional(),
  teamId: z.string(expected("a Vercel team id such as team_abc123")).regex(/^team_[A-Za-z0-9]+$/, expected("a Vercel team id such as team_abc123")).optional(),
  projectName: z.string(expected("a Vercel project name: lowercase letters, digits, '.', '_', '-' (at most 100)"))
    .regex(/^(?!.*---)[a-z0-9._-]{1,100}$/, expected("a Vercel project name: lowercase letters, digits, '.', '_', '-' (at most 100)"))
    .optional(),
  framework: z.enum(FRAMEWORKS, expected(`one of ${FRAMEWORKS.join(", ")}`)),
  rootDirectory: relativeDir.optional(),
  buildCommand: text("a shell command").optional(),
  installCommand: text("a shell command").optional(),
  outputDirectory: relativeDir.optional(),
  nodeVersion: z.enum(["20.x", "22.x", "24.x"], expected("one of 20.x, 22.x, 24.x")).optional(),
  domain: hostname().optional(),
  redirects: z.array(hostname(), expected("a list of hostnames that redirect to web.domain")).optional(),
  env: z.record(envName, z.string(expected("a plain string value"))).optional(),
  secretEnv: z.array(envName, expected("a list of secret names")).optional(),
  protection: z.enum(["standard", "all", "none"], expected("one of standard, all, none")).optional(),
}, expected("a map of web host settings (teamId, framework, ...)"));

export type WebSection = z.infer<typeof web>;

/** The directory of Pulumi.yaml. */
const PROJECT_ROOT = resolvePath(__dirname, "../..");

/** Why each Vercel-only key has no meaning for a container (env and secretEnv: for a static build). */
const DOCKER_LEAVES_OUT = {
  env: "a static build reads its variables when it is built",
  secretEnv: "a static build would hand secrets to every browser",
  redirects: "the server's reverse proxy redirects",
  teamId: "Vercel only",
  protection: "Vercel only",
} as const;

/** A front-end server's container, unless the stack file says otherwise. */
export const WEB_APP_DEFAULTS = { port: 3000, healthPath: "/", user: "1001:1001", readOnly: true, memoryMb: 512, cpus: 1 } as const;
/** Where a framework's server writes at run time: Next.js standalone keeps its cache in `.next/cache` of its /app. */
const WRITABLE_PATHS: Record<string, string[]> = { nextjs: ["/tmp", "/app/.next/cache"] };
/** Keys that only a front-end server's container reads. */
const APP_KEYS = ["port", "healthPath", "user", "readOnly", "tmpfs"] as const;


export interface WebContext {
  kind: Kind;
  stack: string;
  product: string;
  domain?: string;
  secretNames: ReadonlySet<string>;
}

/**
 * Defaults the host by kind: `app.`, `staging.`, or the stack's own name (`pr-42.`) under the
 * zone; with no zone, the project's own `<projectName>.vercel.app`.
 */
export function resolveWeb(web: WebSection, ctx: WebContext, problems: string[]): WebConfig {
  const host = web.host ?? "vercel";
  if (host === "vercel" && !web.teamId) problems.push("paved:web.teamId: missing; expected a Vercel team id such as team_abc123 (or web.host: docker)");
  if (host === "vercel" && web.docker) problems.push("paved:web.docker: set while web.host is vercel; expected web.host: docker");
  if (host === "docker") checkDocker(web, problems);
  for (const [name] of Object.entries(web.env ?? {})) {
    if (looksSecret(name)) {
      problems.push(`paved:web.env.${shownKey("env", name)}: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:web.secretEnv`);
    }
  }
  web.secretEnv?.forEach((name, i) => {
    if (!ctx.secretNames.has(name)) {
      problems.push(`paved:web.secretEnv[${i}]: got ${quote(`paved:web.secretEnv[${i}]`, name)}; expected a secret that paved:secrets generates or reads (fromConfig)`);
    }
  });
  const label = ctx.kind === "production" ? "app" : ctx.kind === "staging" ? "staging" : ctx.stack;
  const domain = web.domain ?? (ctx.domain ? `${label}.${ctx.domain}` : undefined);
  const redirects = web.redirects ?? [];
  if (redirects.length && !domain) {
    problems.push("paved:web.redirects: set without a custom domain; expected paved:web.domain (or paved:domain) for them to redirect to");
  }
  redirects.forEach((host, i) => {
    if (host === domain) problems.push(`paved:web.redirects[${i}]: got ${quote(`paved:web.redirects[${i}]`, host)}, which is web.domain itself; expected other hosts only`);
    else if (redirects.indexOf(host) !== i) problems.push(`paved:web.redirects[${i}]: got ${quote(`paved:web.redirects[${i}]`, host)} twice; expected each host once`);
  });
  const root = web.docker?.root;
  const app = resolveApp(web);
  return {
    host,
    docker: host === "docker" ? {
      host: web.docker?.host, containerName: `${ctx.product}-web-${ctx.stack}`,
      // A local stack's path is in the developer's checkout, beside Pulumi.yaml (the engine may run
      // the program from another directory); the engine needs it absolute.
      root: root && !root.startsWith("/") && ctx.kind === "local" ? resolvePath(PROJECT_ROOT, root) : root,
      app,
      memoryMb: web.docker?.memoryMb ?? (app ? WEB_APP_DEFAULTS.memoryMb : 128),
      cpus: web.docker?.cpus ?? (app ? WEB_APP_DEFAULTS.cpus : undefined),
      publishPort: web.docker?.publishPort ?? 8081,
      address: web.docker?.address, headers: {},
    } : undefined,
    teamId: web.teamId ?? "", projectName: web.projectName ?? `${ctx.product}-${ctx.stack}`.replace(/[^a-z0-9._-]/g, "-"),
    framework: web.framework, rootDirectory: web.rootDirectory, buildCommand: web.buildCommand,
    installCommand: web.installCommand, outputDirectory: web.outputDirectory, nodeVersion: web.nodeVersion,
    domain, redirects, env: web.env ?? {}, secretEnv: web.secretEnv ?? [], protection: web.protection ?? "standard",
  };
}

/**
 * A Docker web is a static build nginx serves (`root`) or a front end's own server (`image`),
 * never both; only the server reads variables when it starts, or runs inline scripts with a nonce.
 */
function checkDocker(web: WebSection, problems: string[]): void {
  const { root, image } = web.docker ?? {};
  if (root && image) {
    problems.push(`paved:web.docker: got both root ${quote("paved:web.docker.root", root)} and image ${quote("paved:web.docker.image", image)}; expected exactly one (root for a static build nginx serves, image for the front end's own server)`);
  } else if (!root && !image) {
    problems.push("paved:web.docker: has neither root nor image; expected root (the path of a static build on the Docker host, such as /srv/app/web) or image (the front end's server, pinned by digest, such as ghcr.io/owner/web@sha256:<64 hex>)");
  }
  const leftOut = image ? ["redirects", "teamId", "protection"] as const : ["env", "secretEnv", "redirects", "teamId", "protection"] as const;
  for (const key of leftOut) {
    if (web[key] !== undefined) problems.push(`paved:web.${key}: set while web.host is docker; expected it left out (${DOCKER_LEAVES_OUT[key]})`);
  }
  if (root && !image) {
    for (const key of APP_KEYS) {
      if (web.docker?.[key] !== undefined) problems.push(`paved:web.docker.${key}: set with web.docker.root; expected it only with web.docker.image (nginx serves a static build itself)`);
    }
    if (INLINE_SCRIPT_FRAMEWORKS.includes(web.framework)) {
      problems.push(`paved:web.framework: got ${quote("paved:web.framework", web.framework)} for web.docker.root; expected a front end whose build loads only its own script files, such as vite (nginx serves the build with script-src 'self'), or web.docker.image to run the front end's own server`);
    }
  }
  if (image) {
    for (const name of WEB_APP_LISTEN_ENV) {
      if (web.env?.[name] !== undefined) problems.push(`paved:web.env.${name}: set by paved itself (the app listens on web.docker.port); expected it left out`);
    }
  }
}

/** The front end's server, for `web.docker.image`; nginx learns whether it sets its own CSP once the edge is read. */
function resolveApp(web: WebSection): WebAppConfig | undefined {
  const d = web.docker;
  if (web.host !== "docker" || !d?.image || d.root) return undefined;
  return {
    image: d.image, port: d.port ?? WEB_APP_DEFAULTS.port, healthPath: d.healthPath ?? WEB_APP_DEFAULTS.healthPath,
    user: d.user ?? WEB_APP_DEFAULTS.user, readOnly: d.readOnly ?? WEB_APP_DEFAULTS.readOnly,
    tmpfs: d.tmpfs ?? WRITABLE_PATHS[web.framework] ?? ["/tmp"], cspFromApp: false,
  };
}

/** `paved:web`: the Vercel project of the environment. */
import { resolve as resolvePath } from "node:path";
import { z } from "zod";
import { INLINE_SCRIPT_FRAMEWORKS } from "./cdn";
import type { Kind, WebConfig } from "../../components/environment-config";
import { dockerHost, ipAddress } from "./api";
import { envName, expected, hostname, int, looksSecret, relativeDir, text } from "../fields";

/** Vercel framework presets paved knows; a typo here would silently build nothing. */
export const FRAMEWORKS = [
  "vite", "nextjs", "remix", "react-router", "astro", "sveltekit-1", "nuxtjs",
  "create-react-app", "gatsby", "angular", "vue", "solidstart-1", "hono",
] as const;

const docker = z.strictObject({
  host: dockerHost.optional(),
  root: z.string(expected("the path of the built front end on the Docker host, such as /srv/app/web"))
    .regex(/^[A-Za-z0-9._@\/-]+$/, expected("the path of the built front end on the Docker host, such as /srv/app/web")).optional(),
  memoryMb: int("MB of memory", 32, 65_536).optional(),
  cpus: z.number(expected("a number of CPUs such as 0.5")).positive(expected("a number of CPUs such as 0.5")).optional(),
  publishPort: int("a TCP port", 1, 65_535).optional(),
  address: ipAddress.optional(),
}, expected("a map of Docker settings (host, root, memoryMb, cpus, publishPort, address)"));

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

/** Why each Vercel-only key has no meaning for a container. */
const DOCKER_LEAVES_OUT = {
  env: "a static build reads its variables when it is built",
  secretEnv: "a static build would hand secrets to every browser",
  redirects: "the server's reverse proxy redirects",
  teamId: "Vercel only",
  protection: "Vercel only",
} as const;


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
  if (host === "docker") {
    if (!web.docker?.root) problems.push("paved:web.docker.root: missing; expected the path of the built front end on the Docker host, such as /srv/app/web");
    for (const key of ["env", "secretEnv", "redirects", "teamId", "protection"] as const) {
      if (web[key] !== undefined) problems.push(`paved:web.${key}: set while web.host is docker; expected it left out (${DOCKER_LEAVES_OUT[key]})`);
    }
    if (INLINE_SCRIPT_FRAMEWORKS.includes(web.framework)) {
      problems.push(`paved:web.framework: got "${web.framework}" for web.host docker; expected a front end whose build loads only its own script files, such as vite (the container serves the build with script-src 'self')`);
    }
  }
  for (const [name] of Object.entries(web.env ?? {})) {
    if (looksSecret(name)) {
      problems.push(`paved:web.env.${name}: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:web.secretEnv`);
    }
  }
  web.secretEnv?.forEach((name, i) => {
    if (!ctx.secretNames.has(name)) {
      problems.push(`paved:web.secretEnv[${i}]: got "${name}"; expected a secret that paved:secrets generates or reads (fromConfig)`);
    }
  });
  const label = ctx.kind === "production" ? "app" : ctx.kind === "staging" ? "staging" : ctx.stack;
  const domain = web.domain ?? (ctx.domain ? `${label}.${ctx.domain}` : undefined);
  const redirects = web.redirects ?? [];
  if (redirects.length && !domain) {
    problems.push("paved:web.redirects: set without a custom domain; expected paved:web.domain (or paved:domain) for them to redirect to");
  }
  redirects.forEach((host, i) => {
    if (host === domain) problems.push(`paved:web.redirects[${i}]: got "${host}", which is web.domain itself; expected other hosts only`);
    else if (redirects.indexOf(host) !== i) problems.push(`paved:web.redirects[${i}]: got "${host}" twice; expected each host once`);
  });
  const root = web.docker?.root;
  return {
    host,
    docker: host === "docker" ? {
      host: web.docker?.host, containerName: `${ctx.product}-web-${ctx.stack}`,
      // A local stack's path is in the developer's checkout, beside Pulumi.yaml (the engine may run
      // the program from another directory); the engine needs it absolute.
      root: root && !root.startsWith("/") && ctx.kind === "local" ? resolvePath(PROJECT_ROOT, root) : root ?? "",
      memoryMb: web.docker?.memoryMb ?? 128, cpus: web.docker?.cpus, publishPort: web.docker?.publishPort ?? 8081,
      address: web.docker?.address, headers: {},
    } : undefined,
    teamId: web.teamId ?? "", projectName: web.projectName ?? `${ctx.product}-${ctx.stack}`.replace(/[^a-z0-9._-]/g, "-"),
    framework: web.framework, rootDirectory: web.rootDirectory, buildCommand: web.buildCommand,
    installCommand: web.installCommand, outputDirectory: web.outputDirectory, nodeVersion: web.nodeVersion,
    domain, redirects, env: web.env ?? {}, secretEnv: web.secretEnv ?? [], protection: web.protection ?? "standard",
  };
}

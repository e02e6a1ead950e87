/** `paved:web`: the Vercel project of the environment. */
import { z } from "zod";
import type { Kind, WebConfig } from "../../components/environment-config";
import { envName, expected, hostname, relativeDir, SECRET_LOOKING, text } from "../fields";

/** Vercel framework presets paved knows; a typo here would silently build nothing. */
export const FRAMEWORKS = [
  "vite", "nextjs", "remix", "react-router", "astro", "sveltekit-1", "nuxtjs",
  "create-react-app", "gatsby", "angular", "vue", "solidstart-1", "hono",
] as const;

export const web = z.strictObject({
  teamId: z.string(expected("a Vercel team id such as team_abc123")).regex(/^team_[A-Za-z0-9]+$/, expected("a Vercel team id such as team_abc123")),
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
  for (const [name] of Object.entries(web.env ?? {})) {
    if (SECRET_LOOKING.test(name)) {
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
  return {
    teamId: web.teamId, projectName: web.projectName ?? `${ctx.product}-${ctx.stack}`.replace(/[^a-z0-9._-]/g, "-"),
    framework: web.framework, rootDirectory: web.rootDirectory, buildCommand: web.buildCommand,
    installCommand: web.installCommand, outputDirectory: web.outputDirectory, nodeVersion: web.nodeVersion,
    domain, redirects, env: web.env ?? {}, secretEnv: web.secretEnv ?? [], protection: web.protection ?? "standard",
  };
}

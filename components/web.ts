import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { PavedInputError } from "./errors";
import { appEnvs, createDockerWeb, createDockerWebApp, type DockerWebArgs, WEB_APP_LISTEN_ENV } from "./web-docker";

export type { DockerWebAppArgs, DockerWebArgs } from "./web-docker";

/** Vercel's names for the protection paved offers on non-production deployments. */
const PROTECTION = {
  standard: "standard_protection_new",
  all: "all_deployments",
  none: "none",
} as const;

export interface WebHostArgs {
  /** Where the front end runs: a Vercel project, or a container on the stack's Docker host. @default "vercel" */
  host?: "vercel" | "docker";
  /** The containers' settings; required for host docker. */
  docker?: DockerWebArgs;
  /** Vercel team that owns the project; always explicit so resources never land in a personal scope. */
  teamId: string;
  /** Vercel project name, e.g. `planningos-production`. */
  projectName: string;
  /** Vercel framework preset, e.g. `vite` or `nextjs`. */
  framework: string;
  /** GitHub repository as owner/name, e.g. `planningos/planningos`. */
  repository: string;
  /** Branch whose pushes become this environment's production deployments. */
  branch: string;
  /** The canonical custom domain, e.g. `app.planningos.com`. @default `<projectName>.vercel.app`, added to the project so a name taken elsewhere fails the deploy */
  domain?: string;
  /** More hosts that redirect (308) to `domain`, e.g. `www.plannior.com`. @default [] */
  redirects?: string[];
  /** Directory of the app inside the repository. @default the repository root */
  rootDirectory?: string;
  /** Build command. @default the framework preset's */
  buildCommand?: string;
  /** Install command. @default the framework preset's */
  installCommand?: string;
  /** Build output directory. @default the framework preset's */
  outputDirectory?: string;
  /** Node.js major for builds, e.g. `22.x`. @default Vercel's default */
  nodeVersion?: string;
  /** Public build/runtime variables, by name (on Docker, only a front-end server's, `docker.app`). @default {} */
  env?: Record<string, pulumi.Input<string>>;
  /** Secret variables, by name; stored as sensitive, never readable back (on Docker, only `docker.app`'s). @default {} */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Who may open non-production deployments. @default "standard" */
  protection?: keyof typeof PROTECTION;
}

/**
 * One environment's front end: a Vercel project (build settings, git link, domain, variables,
 * protection), or on a Docker host nginx over a static build or in front of the front end's server.
 */
export class WebHost extends pulumi.ComponentResource {
  static readonly TYPE = "paved:web:WebHost";
  /** The Vercel project's id, or the container's. */
  readonly projectId: pulumi.Output<string>;
  /** The environment's own https origin, e.g. `https://app.planningos.com`. */
  readonly url: pulumi.Output<string>;
  /** The canonical host: the custom domain, or the project's `.vercel.app` name. */
  readonly domain: string;
  /** Hosts that redirect to `domain`. */
  readonly redirects: string[];

  constructor(name: string, args: WebHostArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(WebHost.TYPE, name, {}, opts);
    this.domain = args.domain ?? (args.host === "docker" ? "127.0.0.1" : vercelAppHost(args.projectName));
    this.redirects = args.redirects ?? [];
    if (args.host === "docker") {
      const container = args.docker!.app
        ? createDockerWebApp(name, this, args.docker!, appEnvs(args.docker!.app, args.env ?? {}, args.secretEnv ?? {}), args.secretEnv ?? {})
        : createDockerWeb(name, this, args.docker!);
      this.projectId = container.id;
      this.url = pulumi.output(args.domain ? `https://${args.domain}` : `http://127.0.0.1:${args.docker!.publishPort}`);
    } else {
      const project = this.createProject(name, args);
      this.createDomains(name, args, project);
      this.createVariables(name, args, project);
      this.projectId = project.id;
      this.url = pulumi.output(`https://${this.domain}`);
    }
    this.registerOutputs({ projectId: this.projectId, url: this.url });
  }

  private createProject(name: string, args: WebHostArgs): vercel.Project {
    return new vercel.Project(`${name}-project`, {
      name: args.projectName,
      teamId: args.teamId,
      framework: args.framework,
      rootDirectory: args.rootDirectory,
      buildCommand: args.buildCommand,
      installCommand: args.installCommand,
      outputDirectory: args.outputDirectory,
      nodeVersion: args.nodeVersion,
      gitRepository: { type: "github", repo: args.repository, productionBranch: args.branch },
      vercelAuthentication: { deploymentType: PROTECTION[args.protection ?? "standard"] },
      // Builds from forks never see this project's variables.
      gitForkProtection: true,
      directoryListing: false,
      protectedSourcemaps: true,
    }, { parent: this });
  }

  private createDomains(name: string, args: WebHostArgs, project: vercel.Project): void {
    new vercel.ProjectDomain(`${name}-domain`, {
      projectId: project.id, teamId: args.teamId, domain: this.domain,
    }, { parent: this });
    for (const host of this.redirects) {
      new vercel.ProjectDomain(`${name}-redirect-${host.replace(/\./g, "-")}`, {
        projectId: project.id, teamId: args.teamId, domain: host, redirect: this.domain, redirectStatusCode: 308,
      }, { parent: this });
    }
  }

  private createVariables(name: string, args: WebHostArgs, project: vercel.Project): void {
    const variables = [
      ...Object.entries(args.env ?? {}).map(([key, value]) => ({ key, value, sensitive: false })),
      ...Object.entries(args.secretEnv ?? {}).map(([key, value]) => ({ key, value: pulumi.secret(value), sensitive: true })),
    ];
    for (const { key, value, sensitive } of variables) {
      new vercel.ProjectEnvironmentVariable(`${name}-env-${key.toLowerCase().replace(/_/g, "-")}`, {
        projectId: project.id, teamId: args.teamId, key, value, sensitive,
        // Sensitive values cannot target development deployments on Vercel.
        targets: ["production", "preview"],
      }, {
        parent: this,
        // Vercel rejects a second variable with the same key, so replace by deleting first.
        deleteBeforeReplace: true,
        transformations: [keepSecrecyAsPassed("value", value)],
      });
    }
  }
}

/**
 * The Vercel SDK wraps every `value` in `pulumi.secret`, so a plan or preview could never show a
 * plain one. This hands the engine the value as paved passed it instead: a secret stays secret
 * (secretEnv is wrapped above; a secret Output keeps its mark), a plain one stays readable. The
 * SDK's `additionalSecretOutputs` are kept, so the state Vercel reports back stays secret.
 */
function keepSecrecyAsPassed(key: string, value: pulumi.Input<string>): pulumi.ResourceTransformation {
  return ({ props, opts }) => ({ props: { ...props, [key]: value }, opts });
}

/** The production host Vercel gives a project of this name. */
export const vercelAppHost = (projectName: string) => `${projectName}.vercel.app`;

function validate(name: string, args: WebHostArgs): void {
  const problems: string[] = [];
  if (args.host === "docker") {
    validateDocker(name, args, problems);
    if (problems.length) throw new PavedInputError(problems);
    return;
  }
  if (!/^team_[A-Za-z0-9]+$/.test(args.teamId)) problems.push(`WebHost "${name}": teamId is "${args.teamId}"; expected a Vercel team id such as team_abc123`);
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(args.repository)) problems.push(`WebHost "${name}": repository is "${args.repository}"; expected owner/name`);
  for (const host of [args.domain, ...(args.redirects ?? [])].filter((h) => h !== undefined)) {
    if (!host.includes(".")) problems.push(`WebHost "${name}": domain is "${host}"; expected a hostname such as app.example.com`);
  }
  if (args.redirects?.length && !args.domain) problems.push(`WebHost "${name}": redirects are set without domain; expected a custom domain to redirect to`);
  if (args.domain && args.redirects?.includes(args.domain)) problems.push(`WebHost "${name}": ${args.domain} is both domain and a redirect; expected it once`);
  checkShared(name, args, problems);
  if (problems.length) throw new PavedInputError(problems);
}

function checkShared(name: string, args: WebHostArgs, problems: string[]): void {
  const shared = Object.keys(args.env ?? {}).filter((key) => key in (args.secretEnv ?? {}));
  if (shared.length) problems.push(`WebHost "${name}": ${shared.join(", ")} in both env and secretEnv; expected each variable once`);
}

/** A static build (`root`) or a front-end server (`app`); only the server reads variables when it starts. */
function validateDocker(name: string, args: WebHostArgs, problems: string[]): void {
  const d = args.docker;
  if (!d) problems.push(`WebHost "${name}": host is docker but docker settings are missing; expected args.docker`);
  else if (d.root !== undefined && d.app) problems.push(`WebHost "${name}": docker.root and docker.app are both set; expected one (a static build, or the front end's own server)`);
  else if (d.root === undefined && !d.app) problems.push(`WebHost "${name}": docker has neither root nor app; expected one (a static build, or the front end's own server)`);
  else if (d.root !== undefined && !d.root.startsWith("/")) problems.push(`WebHost "${name}": docker.root is "${d.root}"; expected an absolute path on the Docker host`);
  const variables = [...Object.keys(args.env ?? {}), ...Object.keys(args.secretEnv ?? {})];
  if (d?.app) {
    const reserved = variables.filter((key) => (WEB_APP_LISTEN_ENV as readonly string[]).includes(key));
    if (reserved.length) problems.push(`WebHost "${name}": ${reserved.join(", ")} given for docker.app; expected them left out (the app listens on docker.app.port)`);
    checkShared(name, args, problems);
  } else if (variables.length) {
    problems.push(`WebHost "${name}": ${variables.join(", ")} given for host docker; expected them in the front end's build, which reads its variables when it is built`);
  }
  if (args.redirects?.length) problems.push(`WebHost "${name}": redirects are set for host docker; expected them on the server's reverse proxy`);
}

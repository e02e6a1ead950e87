/**
 * The validated config of one stack, as the Environment component takes it. stacks/config.ts
 * builds it from a stack file; a program of its own can build it in code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CspSource } from "./cdn";
import type { Destination, Tier } from "./monitors";
import type { BranchRules } from "./repository";

export const KINDS = ["production", "staging", "preview", "local"] as const;
export type Kind = (typeof KINDS)[number];

export const API_HOSTS = ["fly", "render", "docker"] as const;
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
export const DATABASE_PROVIDERS = ["neon", "render", "docker"] as const;

export interface EnvironmentConfig {
  project: string; stack: string; kind: Kind; branch: string;
  domain?: string; repository?: string;
  /** Whether stateful resources carry `protect` and `retainOnDelete`. */
  protect: boolean;
  web?: WebConfig; cdn?: CdnConfig; secrets: SecretsConfig;
  api?: ApiConfig; database?: DatabaseConfig;
  github?: GithubConfig; monitors?: MonitorsConfig;
}

export interface SecretsConfig {
  rotation: string;
  /** `rotateEveryDays` only reports when a dated rotation label is due; the label is what regenerates. */
  generate: Record<string, { length: number; special: boolean; rotation: string; rotateEveryDays: number }>;
  /** Secrets read from encrypted stack config, already wrapped as secret Outputs. */
  provided: Record<string, pulumi.Output<string>>;
}

export interface WebConfig {
  host: "vercel" | "docker";
  /** The container, for host docker; `host` is its engine (the API's when both run there), `address` the server's public IP. */
  docker?: { host?: string; containerName: string; root: string; memoryMb: number; cpus?: number; publishPort: number; address?: string;
    /** Response headers the container sets: the edge's, so the site is the same with or without it. */
    headers: Record<string, string> };
  teamId: string; projectName: string; framework: string; rootDirectory?: string;
  buildCommand?: string; installCommand?: string; outputDirectory?: string; nodeVersion?: string;
  /** The canonical custom domain; undefined serves the project's `<projectName>.vercel.app`. */
  domain?: string;
  /** Hosts that redirect to `domain`, e.g. `www.` beside an apex. */
  redirects: string[];
  env: Record<string, string>; secretEnv: string[]; protection: "standard" | "all" | "none";
}

export interface CdnConfig {
  zoneId: string; accountId: string; ownsZone: boolean; domain: string;
  /** Zone-wide settings; present only in the stack that owns the zone. */
  zone?: {
    hsts: { maxAge: number; preload: boolean };
    headers: { contentSecurityPolicy: string; permissionsPolicy: string; referrerPolicy: string; frameOptions: string; cspSource: CspSource };
    rateLimit: { requestsPerPeriod: number; period: number; mitigationTimeout: number; otherHostsRequestsPerPeriod: number };
    cacheStaticAssets: boolean;
  };
}

export type ImageSource =
  | { kind: "build"; context: string; dockerfile?: string; platform?: string; repository: string;
      registry?: { server: string; username: string; passwordSecret: string } }
  | { kind: "digest"; ref: string }
  | { kind: "promote"; stack: string };

export interface ApiConfig {
  host: (typeof API_HOSTS)[number];
  /** Public hostname; undefined for local stacks, which publish on localhost. */
  hostname?: string;
  port: number;
  healthPath: string;
  /** Undefined for a repo-backed Render service, which Render builds itself. */
  image?: ImageSource;
  fly?: { org: string; appName: string; regions: string[]; machines: number; cpuKind: string; cpus: number; memoryMb: number;
    minRunning: number; autostop: "off" | "stop" | "suspend"; dedicatedIpv4: boolean };
  render?: { ownerId: string; serviceName: string; region: string; plan: string; instances: number; runtime?: string;
    rootDir?: string; buildCommand?: string; startCommand?: string; preDeployCommand?: string };
  docker?: { host?: string; address?: string; containerName: string; memoryMb: number; cpus?: number; publishPort?: number; healthcheck: string[] };
  env: Record<string, string>;
  secretEnv: string[];
  corsOrigins: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  debug: boolean;
}

export interface DatabaseConfig {
  provider: (typeof DATABASE_PROVIDERS)[number];
  /** Name of the database and of the role that owns it. */
  name: string;
  /** Resource name prefix at the provider, e.g. `planningos-production`. */
  instanceName: string;
  version: number;
  /** Point-in-time restore window (Neon). */
  retentionDays: number;
  /** A project of its own (`region`), or a copy-on-write branch of another stack's (`branchFrom`). */
  neon?: { region?: string; branchFrom?: string; orgId?: string; minCu: number; maxCu: number };
  render?: { ownerId: string; plan: string; region: string; diskSizeGb?: number; highAvailability: boolean; allowCidrs: string[] };
  docker?: { image: string; memoryMb: number };
}

export interface GithubConfig {
  /** owner/name. */
  repository: string;
  /** GitHub environment deploy workflows target: the kind for production/staging, the stack name for previews. */
  environment: string;
  ownsRepository: boolean;
  /** Protection of the stack's branch; absent for previews. */
  protection?: BranchRules;
  reviewers: { users: number[]; teams: number[] };
  /** Names of paved secrets handed to the environment's Actions secrets. */
  actionsSecrets: string[];
  /** The repository has a CODEOWNERS file (Scorecard counts code-owner review only then). */
  codeOwners: boolean;
}

export interface MonitorsConfig {
  zoneId: string; accountId: string;
  alerts: { emails: string[]; pagerdutyIntegrationId?: string; slackWebhookSecret?: string };
  routes: Record<Tier, Destination[]>;
  tiers: { api: Tier; web: Tier };
  consecutiveFails: number;
}

/**
 * The validated config of one stack, as the Environment component takes it. stacks/config.ts
 * builds it from a stack file; a program of its own can build it in code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  AlertRule, DbConnectionsAlert, Destination, ErrorCountAlert, ErrorRateAlert, LatencyAlert, PagedTier, ResourceAlert, RowReport, Tier,
} from "./alerting";
import type { CspSource } from "./cdn";
import type { BranchRules } from "./repository";

export const KINDS = ["production", "staging", "preview", "local"] as const;
export type Kind = (typeof KINDS)[number];

export const API_HOSTS = ["fly", "render", "docker", "railway"] as const;
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
/** A log level as the application reads it: `info` or `INFO`, passed on in the case given. */
export type LogLevel = (typeof LOG_LEVELS)[number] | Uppercase<(typeof LOG_LEVELS)[number]>;
export const DATABASE_PROVIDERS = ["neon", "render", "docker"] as const;
/** Build-time variables a front-end framework inlines into the browser bundle: public by design. */
export const PUBLIC_ENV_PREFIXES = ["NEXT_PUBLIC_", "VITE_", "PUBLIC_", "NUXT_PUBLIC_", "REACT_APP_", "GATSBY_"] as const;
export const CACHE_PROVIDERS = ["docker", "render", "railway"] as const;
/** The Fly.io health check's timing, in seconds, where the stack file names none. */
export const FLY_CHECK = { interval: 30, timeout: 10, gracePeriod: 20 } as const;
/** Where logs go: an Axiom dataset, or left with the platform that runs each service. */
export const LOG_SINKS = ["axiom", "host"] as const;

export interface EnvironmentConfig {
  project: string; stack: string; kind: Kind; branch: string;
  domain?: string; repository?: string;
  /** Whether stateful resources carry `protect` and `retainOnDelete`. */
  protect: boolean;
  web?: WebConfig; cdn?: CdnConfig; secrets: SecretsConfig;
  api?: ApiConfig; database?: DatabaseConfig; cache?: CacheConfig;
  github?: GithubConfig; monitors?: MonitorsConfig;
  /** Where logs go and how long they are kept. @default none: each host keeps its own */
  logs?: LogsConfig;
  /** The Doppler project and config that hold a copy of every secret. @default none */
  doppler?: DopplerConfig;
  /** The findings the stack file acknowledges (`paved:policy.acknowledge`), for the policy run. @default [] */
  acknowledgements?: { policy: string; resource: string; reason: string; expires: string }[];
  /** Config rules' findings it acknowledged: shown by the plan, never enforced while in force. @default [] */
  acknowledged?: { policy: string; resource: string; message: string; reason: string; expires: string }[];
  /** `paved:cost`, resolved: the plans no resource states, the budget and the estimate's assumptions. */
  cost?: CostConfig;
}

/** `paved:cost`, resolved with the kind's defaults. */
export interface CostConfig {
  /** The stack's monthly budget in USD; previews get a default cap. @default none (previews: 50) */
  budgetMonthlyUsd?: number;
  /** How a budget overrun is reported. @default advisory */
  budgetLevel: "advisory" | "mandatory";
  vercel: { plan: "hobby" | "pro"; seats: number };
  cloudflare: { plan: "free" | "pro" | "business" };
  sentry: { plan: "developer" | "team" | "business" };
  pagerduty: { plan: "free" | "professional" | "business"; users: number };
  neon: { plan: "free" | "launch" | "scale" };
  railway: { plan: "hobby" | "pro" };
  /** What usage-based prices are estimated with. */
  assume: { activeHoursPerDay: number; databaseGb: number; railwayMemoryGb: number; railwayVcpu: number };
  /** Which keys the stack file stated, so the plan can say which figures are assumed. */
  stated: string[];
}

/** `paved:logs`, resolved: the sink, and for Axiom its dataset, retention and the secrets its drains need. */
export type LogsConfig =
  | { sink: "host" }
  | { sink: "axiom"; dataset: string; retentionDays: number; ingestTokenSecret: string; fly?: { accessTokenSecret: string; image: string } };

/** `paved:doppler`, resolved: where the stack's secrets are copied. */
export interface DopplerConfig { project: string; config: string }

export interface SecretsConfig {
  rotation: string;
  /** `rotateEveryDays` only reports when a dated rotation label is due; the label is what regenerates. */
  generate: Record<string, { length: number; special: boolean; rotation: string; rotateEveryDays: number }>;
  /** Secrets read from encrypted stack config, already wrapped as secret Outputs. */
  provided: Record<string, pulumi.Output<string>>;
  /** Every name `fromConfig` declares, read or not: a name declared but wrongly stored is the secrets section's one problem. @default [] */
  declared?: string[];
  /** When supplied secrets were last rotated (a dated label) and how often they should be; reported, never acted on. */
  rotated?: Record<string, { rotation: string; rotateEveryDays: number }>;
}

export interface WebConfig {
  host: "vercel" | "docker";
  /**
   * The containers, for host docker: nginx over a static build (`root`), or nginx in front of the
   * front end's own server (`app`). `host` is their engine (the API's when both run there),
   * `address` the server's public IP; memory and CPUs are nginx's for a static build, the app's otherwise.
   */
  docker?: { host?: string; containerName: string; root?: string; app?: WebAppConfig; memoryMb: number; cpus?: number; publishPort: number; address?: string;
    /** Response headers nginx sets: the edge's, so the site is the same with or without it. */
    headers: Record<string, string> };
  teamId: string; projectName: string; framework: string; rootDirectory?: string;
  buildCommand?: string; installCommand?: string; outputDirectory?: string; nodeVersion?: string;
  /** The canonical custom domain; undefined serves the project's `<projectName>.vercel.app`. */
  domain?: string;
  /** Hosts that redirect to `domain`, e.g. `www.` beside an apex. */
  redirects: string[];
  env: Record<string, string>; secretEnv: string[]; protection: "standard" | "all" | "none";
}

/** A server-rendered front end's container, behind nginx on a private network. */
export interface WebAppConfig {
  /** Pinned by digest, e.g. `ghcr.io/owner/web@sha256:<64 hex>`. */
  image: string;
  port: number;
  healthPath: string;
  /** Non-root `uid` or `uid:gid`. */
  user: string;
  readOnly: boolean;
  /** Writable paths on a read-only root, each a tmpfs. */
  tmpfs: string[];
  /** The app sends its own CSP (a nonce per response): nginx sets the edge's only where it sent none. */
  cspFromApp: boolean;
}

export interface CdnConfig {
  zoneId: string; accountId: string; ownsZone: boolean; domain: string;
  /** Zone-wide settings; present only in the stack that owns the zone. */
  zone?: {
    hsts: { maxAge: number; preload: boolean };
    headers: { contentSecurityPolicy: string; permissionsPolicy: string; referrerPolicy: string; frameOptions: string; cspSource: CspSource };
    rateLimit: { requestsPerPeriod: number; period: number; mitigationTimeout: number; otherHostsRequestsPerPeriod: number };
    cacheStaticAssets: false | { browserDays?: number; immutable: boolean };
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
    minRunning: number; autostop: "off" | "stop" | "suspend"; dedicatedIpv4: boolean;
    check: { interval: number; timeout: number; gracePeriod: number } };
  render?: { ownerId: string; serviceName: string; region: string; plan: string; instances: number; runtime?: string;
    rootDir?: string; buildCommand?: string; startCommand?: string; preDeployCommand?: string; adopt?: string;
    autoscaling?: { min: number; max: number; cpuPercent?: number; memoryPercent?: number } };
  docker?: { host?: string; address?: string; containerName: string; memoryMb: number; cpus?: number; publishPort?: number; healthcheck: string[] };
  railway?: RailwayApiConfig;
  /** Migration command paved runs itself (Fly.io: a one-off machine; Docker: a one-shot container); Render and Railway take it as preDeployCommand. */
  migrate?: string;
  env: Record<string, string>;
  secretEnv: string[];
  corsOrigins: string[];
  logLevel: LogLevel;
  debug: boolean;
}

/** A Railway service in one environment of a project this stack creates (`project`) or another stack's (`projectFrom`). */
export interface RailwayApiConfig {
  project?: string; projectFrom?: string; workspaceId?: string; environment: string; serviceName: string;
  region?: string; replicas: number; rootDirectory?: string; buildCommand?: string; startCommand?: string;
  /** Railway's pre-deploy command: the stack's migration, run in the new release before it serves. */
  preDeployCommand?: string;
}

export interface DatabaseConfig {
  provider: (typeof DATABASE_PROVIDERS)[number];
  /** Name of the database and of the role that owns it. */
  name: string;
  /** Resource name prefix at the provider, e.g. `planningos-production`. */
  instanceName: string;
  version: number;
  /** Point-in-time restore window (Neon; Render's follows its plan, checked against it). */
  retentionDays: number;
  /** Id of an existing instance to adopt instead of creating one (Render Postgres id; Docker volume name). */
  adopt?: string;
  /** A project of its own (`region`), or a copy-on-write branch of another stack's (`branchFrom`). */
  neon?: { region?: string; branchFrom?: string; orgId?: string; minCu: number; maxCu: number };
  render?: { ownerId: string; plan: string; workspacePlan: string; region: string; diskSizeGb?: number; highAvailability: boolean; allowCidrs: string[] };
  docker?: { image: string; memoryMb: number; backups?: DockerBackups; preload: string[] };
  /** Extensions the app's migrations create; the server loads those that need it (`PRELOADED_EXTENSIONS`). @default [] */
  extensions: string[];
}

/** Scheduled dumps of a Docker Postgres, by a backup container on the same server. */
export interface DockerBackups {
  /** Cron schedule, e.g. `@daily`. */
  schedule: string;
  /** Days of dumps kept before the oldest are deleted. */
  keepDays: number;
  /** A postgres-backup-local image. */
  image: string;
  /** Point-in-time recovery over the last `keepDays` days: WAL archived at least every `archiveTimeoutSeconds`, daily base backups. */
  pitr?: { archiveTimeoutSeconds: number };
}

export interface CacheConfig {
  provider: (typeof CACHE_PROVIDERS)[number];
  /** Resource name prefix at the provider, e.g. `lifeos-production`. */
  instanceName: string;
  /** Id of an existing instance to adopt instead of creating one (Render Key Value id; Docker volume name). */
  adopt?: string;
  render?: { ownerId: string; plan: string; region: string; maxmemoryPolicy: string; allowCidrs: string[] };
  docker?: { image: string; memoryMb: number };
  /** A Redis service in the API's Railway project and environment (its region too). */
  railway?: { serviceName: string; image: string; maxmemoryMb: number };
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
  /** Checkly from several regions, or Cloudflare health checks (the zone needs a Pro plan); Checkly alerts after `downMinutes` failing or `failedRuns` failed runs, retrying a failed run from another region first when `retry` is on. */
  uptime: { provider: "checkly" | "cloudflare"; locations: string[]; downMinutes: number; failedRuns?: number; retry: boolean };
  /** Cloudflare zone and account, for `uptime.provider: cloudflare`. */
  zoneId: string; accountId: string;
  alerts: {
    emails: string[];
    /** The PagerDuty service connected to the Cloudflare account (Cloudflare uptime only). */
    pagerdutyIntegrationId?: string;
    slackWebhookSecret?: string;
    /** Named Slack destinations (`slack:<name>`); `default` is `slackWebhookSecret`. */
    slack: Record<string, { channel: string; webhookSecret: string }>;
    /** PagerDuty managed by paved: an existing service per paged tier, or services paging `escalateTo`. */
    pagerduty?: { services: Partial<Record<PagedTier, string>>; escalateTo: { users: string[]; schedules: string[] } };
  };
  sentry?: {
    organization: string; team: string; teamId?: string;
    /** The project of each service: an existing one by slug, or one paved creates. */
    projects: Partial<Record<"api" | "web", { slug: string; existing: boolean }>>;
    platform: string;
    pagerduty?: { integrationId: number; services: Partial<Record<PagedTier, string>> };
    slackIntegrationId?: number;
    errorRate?: ErrorRateAlert; errorCount?: ErrorCountAlert; latency?: LatencyAlert; newIssues?: { tier: Tier };
  };
  /** Memory and CPU alerts on the API's Fly.io machines, by Grafana over Fly.io's managed Prometheus, and client connections to a Neon database. */
  grafana?: {
    /** Fly.io organization and app the memory and CPU rules query (an API on Fly.io). */
    flyOrg?: string; flyApp?: string;
    /** Name of the paved secret (paved:secrets.fromConfig) holding the Fly.io token that reads metrics, with memory or cpu. */
    metricsTokenSecret?: string;
    folder?: string;
    memory?: ResourceAlert; cpu?: ResourceAlert;
    /** Client connections to the stack's database, which Grafana queries with the app role's credentials. */
    dbConnections?: DbConnectionsAlert;
  };
  routes: Record<Tier, Destination[]>;
  tiers: { api: Tier; web: Tier };
  /** Each deploy's outcome, posted by the deploy job to the Slack webhooks its tier routes to (secret names). */
  /** How each deploy ended, to `tier`'s Slack webhooks; a failed one also pages `failedTier` through PagerDuty. */
  deploys?: { tier: Tier; webhookSecrets: string[]; failedTier?: PagedTier };
  consecutiveFails: number;
  /** Every alert the stack plans, as the plan prints it. */
  rules: AlertRule[];
  /** Each row of the stack's monitoring table (the checklist's without one): planned by which resources, or why not. */
  report: RowReport[];
  /** The stack file states its table (paved:monitors.table); otherwise the rows are the checklist's. */
  tableStated: boolean;
}

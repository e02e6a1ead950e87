// Happy-path props for every resource type the pack reads, typed against the providers'
// own argument types so a renamed field fails to compile. Each test changes one property.
import type * as cloudflare from "@pulumi/cloudflare";
import type * as docker from "@pulumi/docker";
import type * as github from "@pulumi/github";
import type { Unwrap } from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import type * as vercel from "@pulumiverse/vercel";
import { BASE_BACKUP_SCRIPT, postgresArgs, postgresEntrypoint } from "../../components/postgres-pitr";

type Props<Args> = Unwrap<NonNullable<Args>>;

export const ZONE = "zone-1";
export const sts = { enabled: true, max_age: 31536000, include_subdomains: true, preload: true, nosniff: true };

export const zoneSetting = (settingId: string, value: unknown): Props<cloudflare.ZoneSettingArgs> =>
  ({ zoneId: ZONE, settingId, value });

export const dnsRecord: Props<cloudflare.DnsRecordArgs> = {
  zoneId: ZONE, name: "app.example.com", type: "CNAME", content: "cname.vercel-dns.com", proxied: true, ttl: 1,
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
export const headerRuleset: Props<cloudflare.RulesetArgs> = {
  zoneId: ZONE, kind: "zone", name: "headers", phase: "http_response_headers_transform",
  rules: [{
    action: "rewrite", expression: "true", enabled: true,
    actionParameters: {
      headers: {
        "Strict-Transport-Security": { operation: "set", value: "max-age=31536000; includeSubDomains; preload" },
        "Content-Security-Policy": { operation: "set", value: CSP },
        "X-Frame-Options": { operation: "set", value: "DENY" },
        "X-Content-Type-Options": { operation: "set", value: "nosniff" },
        "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
        "Permissions-Policy": { operation: "set", value: "camera=(), microphone=()" },
      },
    },
  }],
};

export const rateLimitRuleset: Props<cloudflare.RulesetArgs> = {
  zoneId: ZONE, kind: "zone", name: "rate limit", phase: "http_ratelimit",
  rules: [{
    action: "block", expression: "(http.host eq \"api.example.com\")", enabled: true,
    ratelimit: { characteristics: ["ip.src", "cf.colo.id"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 600 },
  }],
};

export const healthcheck: Props<cloudflare.HealthcheckArgs> = {
  zoneId: ZONE, name: "api", address: "api.example.com", type: "HTTPS",
  httpConfig: { path: "/health", expectedCodes: ["200"], allowInsecure: false, method: "GET" },
  interval: 60, timeout: 10, retries: 2, consecutiveFails: 5, suspended: false,
};

/** Sentry metric alerts as ErrorTracking plans them: tier first in the name, an action per destination. */
export const sentryErrorRate = {
  organization: "acme", project: "acme-api-production", name: "P1 · api error rate > 1 % for 5 min", dataset: "transactions", query: "",
  aggregate: "failure_rate()", timeWindow: 5, thresholdType: 0,
  triggers: [{ label: "critical", thresholdType: 0, alertThreshold: 0.01, actions: [{ type: "email", targetType: "team", targetIdentifier: "1" }] }],
};
export const sentryLatency = { ...sentryErrorRate, name: "P2 · api p99 > 500 ms for 5 min", aggregate: "p99(transaction.duration)", alertThreshold: 500 };
/** A Grafana rule over Fly.io's Prometheus: a PromQL query stage, then a threshold on it, routed to a contact point. */
export const grafanaRule = (expr: string, extra: object = {}) => ({
  name: "P2 · api alert", for: "10m", isPaused: false, notificationSettings: { contactPoint: "planningos production P2" },
  datas: [
    { refId: "A", datasourceUid: "fly-prometheus", model: JSON.stringify({ refId: "A", expr }) },
    { refId: "B", datasourceUid: "__expr__", model: JSON.stringify({ refId: "B", type: "threshold", expression: "A" }) },
  ],
  ...extra,
});
export const FLY_MEMORY = "100 * (1 - fly_instance_memory_mem_available / fly_instance_memory_mem_total)";
export const FLY_CPU = '100 * (1 - sum(rate(fly_instance_cpu{mode="idle"}[5m])) / sum(rate(fly_instance_cpu[5m])))';
export const grafanaRuleGroup = { name: "resources", folderUid: "folder-1", intervalSeconds: 60, rules: [grafanaRule(FLY_MEMORY), grafanaRule(FLY_CPU)] };
export const checklyCheck = {
  name: "api", type: "API", activated: true, muted: false, frequency: 1, locations: ["eu-central-1", "us-east-1"],
  request: { url: "https://api.example.com/health", method: "GET" },
};

export const notificationPolicy: Props<cloudflare.NotificationPolicyArgs> = {
  accountId: "account-1", name: "api down", alertType: "health_check_status_notification", enabled: true,
  mechanisms: { emails: [{ id: "ops@example.com" }] },
  filters: { healthCheckIds: ["hc-1"], statuses: ["Unhealthy"] },
};

export const vercelProject: Props<vercel.ProjectArgs> = {
  name: "web", teamId: "team-1", framework: "vite", rootDirectory: "apps/web",
  gitRepository: { type: "github", repo: "acme/planningos", productionBranch: "main" },
  vercelAuthentication: { deploymentType: "standard_protection" }, gitForkProtection: true, directoryListing: false,
};

export const vercelEnv: Props<vercel.ProjectEnvironmentVariableArgs> = {
  projectId: "prj-1", teamId: "team-1", key: "API_TOKEN", value: "tok", targets: ["production", "preview"], sensitive: true,
};

export const branchProtection: Props<github.BranchProtectionArgs> = {
  repositoryId: "planningos", pattern: "main", enforceAdmins: true, allowsDeletions: false, allowsForcePushes: false,
  requiredLinearHistory: true, requireConversationResolution: true, requireSignedCommits: true,
  requiredStatusChecks: [{ strict: true, contexts: ["ci"] }],
  requiredPullRequestReviews: [{
    requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true, requireLastPushApproval: true,
  }],
};

export const repositoryRuleset: Props<github.RepositoryRulesetArgs> = {
  repository: "planningos", name: "main", target: "branch", enforcement: "active",
  conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
  bypassActors: [],
  rules: {
    deletion: true, nonFastForward: true, requiredLinearHistory: true, requiredSignatures: true,
    pullRequest: {
      requiredApprovingReviewCount: 2, dismissStaleReviewsOnPush: true, requireCodeOwnerReview: true,
      requireLastPushApproval: true, requiredReviewThreadResolution: true,
    },
    requiredStatusChecks: { requiredChecks: [{ context: "ci" }], strictRequiredStatusChecksPolicy: true },
  },
};

export const repositoryEnvironment: Props<github.RepositoryEnvironmentArgs> = {
  repository: "planningos", environment: "production", reviewers: [{ users: [1234], teams: [] }],
  preventSelfReview: true, canAdminsBypass: false,
  deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
};

export const actionsSecret: Props<github.ActionsEnvironmentSecretArgs> = {
  repository: "planningos", environment: "production", secretName: "FLY_API_TOKEN", value: "tok",
};

export const actionsVariable: Props<github.ActionsEnvironmentVariableArgs> = {
  repository: "planningos", environment: "production", variableName: "API_URL", value: "https://api.example.com",
};

export const repository: Props<github.RepositoryArgs> = {
  name: "planningos", vulnerabilityAlerts: true, deleteBranchOnMerge: true,
  allowMergeCommit: false, allowSquashMerge: true, allowRebaseMerge: false,
  securityAndAnalysis: { secretScanning: { status: "enabled" }, secretScanningPushProtection: { status: "enabled" } },
};

export const randomPassword: Props<random.RandomPasswordArgs> = { length: 48, special: false, keepers: { rotation: "2025-q1" } };

export const container: Props<docker.ContainerArgs> = {
  name: "api", image: "ghcr.io/acme/api@sha256:abc", envs: ["LOG_LEVEL=info"], privileged: false,
  ports: [{ internal: 3001, external: 3001 }], restart: "unless-stopped",
};

export const postgresContainer: Props<docker.ContainerArgs> = {
  name: "db", image: "postgres:16", envs: [], ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
};

/** A Docker Postgres as paved runs it with point-in-time recovery: the server archiving WAL, and its base-backup job. */
export const pitrPostgresContainer: Props<docker.ContainerArgs> = {
  ...postgresContainer, ports: undefined, entrypoints: postgresEntrypoint(), command: postgresArgs(3600),
};
export const baseBackupContainer: Props<docker.ContainerArgs> = {
  name: "db-basebackup", image: "postgres:16", entrypoints: ["sh", "-c", BASE_BACKUP_SCRIPT],
  envs: ["PGHOST=127.0.0.1", "KEEP_DAYS=30"], networkMode: "container:0123abcd",
};

export const volume: Props<docker.VolumeArgs> = { name: "db-data" };

export const redisContainer: Props<docker.ContainerArgs> = {
  name: "cache", image: "redis:7-alpine", envs: [],
  command: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes'],
  networksAdvanced: [{ name: "production-private", aliases: ["cache"] }],
};

// paved's dynamic resources: their inputs as the providers in components/providers/ declare them.
export const flyMachine = {
  app: "planningos-api", name: "api-1", region: "cdg",
  config: {
    image: "registry.fly.io/planningos-api@sha256:abc",
    env: { LOG_LEVEL: "info", CORS_ORIGINS: "https://app.example.com", PORT: "3001" },
    services: [{ internal_port: 3001, ports: [{ port: 443, handlers: ["tls", "http"], force_https: true }], autostop: "off", autostart: true, min_machines_running: 1 }],
    checks: { health: { type: "http", path: "/health", interval: "30s", timeout: "5s" } },
  },
};

export const flySecrets = { app: "planningos-api", values: { JWT_SECRET: "k".repeat(20) + "Zq8vN2mP4rT6wY1x3c5b", DATABASE_URL: "postgres://u:p@h/db" } };

export const renderService = {
  name: "api", region: "frankfurt", plan: "starter", numInstances: 1, healthCheckPath: "/health",
  envVars: { LOG_LEVEL: "info", CORS_ORIGINS: "https://app.example.com" },
};

export const railwayService = {
  projectId: "p-1", environmentId: "e-1", name: "api", image: "ghcr.io/acme/api@sha256:abc", numReplicas: 2, healthcheckPath: "/health",
  variables: { LOG_LEVEL: "info", CORS_ORIGINS: "https://app.example.com" },
};

/** A Redis beside the API on Railway, as paved's Railway cache runs it. */
export const railwayRedis = {
  projectId: "p-1", environmentId: "e-1", name: "flightpro-redis-production", image: "docker.io/library/redis:7.4-alpine", numReplicas: 1,
  startCommand: '/bin/sh -c "exec docker-entrypoint.sh redis-server --requirepass $REDIS_PASSWORD --appendonly yes --dir /data --maxmemory 256mb"',
  variables: { REDIS_PASSWORD: "p".repeat(32) },
};

export const railwayVolume = { projectId: "p-1", environmentId: "e-1", serviceId: "s-1", name: "flightpro-redis-production-data", mountPath: "/data" };

export const renderPostgres = {
  plan: "basic_1gb", version: "16", region: "frankfurt", diskSizeGB: 10, enableHighAvailability: false, ipAllowList: [],
};

export const renderKeyValue = { ownerId: "tea-1", name: "cache", plan: "starter", region: "frankfurt", maxmemoryPolicy: "allkeys_lru", ipAllowList: [] };

export const neonProject = { name: "planningos", regionId: "aws-eu-central-1", pgVersion: 16, historyRetentionSeconds: 7 * 86400 };

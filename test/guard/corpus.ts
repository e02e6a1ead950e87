/**
 * Unsafe production configs that paved's config schema accepts, each breaking one item of
 * the security checklist, as a careless or hostile engineer would write them. Each must be
 * stopped: at config (the key it names) or by a mandatory policy (its name). Each has a twin,
 * the same change made safely, that must plan with no mandatory finding.
 */
import type { Base, Patch } from "./judge";

export interface GuardCase {
  id: string;
  base: Base;
  bad: Patch;
  good: Patch;
  /** `paved:<key>` (or another config key) for a config problem; a policy name otherwise. */
  stoppedBy: string;
}

const STRIPE_LIVE = "sk_live_51Hx9aQ2eZvKYlo2CabcdEFGHijklMNOPqrstu";
const RANDOM_40 = "q8Z2vN7rT4xLp9Wm3Kc6Yb1Hf5Dj0Gs8Ua2Ee7Ri";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

export const CLASSES: Record<string, GuardCase[]> = {
  "the environment's protections removed": [
    { id: "production stack says kind staging", base: "production", bad: { set: { kind: "staging" } }, good: { set: { kind: "production" } }, stoppedBy: "paved:kind" },
    { id: "production stack says kind preview", base: "production", bad: { set: { kind: "preview" } }, good: {}, stoppedBy: "paved:kind" },
    { id: "production stack says kind local", base: "production", bad: { set: { kind: "local" } }, good: {}, stoppedBy: "paved:kind" },
    { id: "a -production stack says kind staging", base: "projectflo", bad: { set: { kind: "staging" } }, good: {}, stoppedBy: "paved:kind" },
    { id: "production with no paved:github", base: "production", bad: { set: { github: undefined } }, good: {}, stoppedBy: "production-guardrails" },
    { id: "production that leaves the repository to no stack", base: "production", bad: { set: { "github.ownsRepository": false } }, good: { set: { "github.ownsRepository": true } }, stoppedBy: "production-guardrails" },
    { id: "production without pull requests", base: "production", bad: { set: { "github.requirePullRequest": false } }, good: { set: { "github.requirePullRequest": true } }, stoppedBy: "paved:github.requirePullRequest" },
    { id: "production with no required checks", base: "production", bad: { set: { "github.requiredChecks": [] } }, good: { set: { "github.requiredChecks": ["ci/test"] } }, stoppedBy: "paved:github.requiredChecks" },
    { id: "staging without deployment protection", base: "staging", bad: { set: { "web.protection": "none" } }, good: { set: { "web.protection": "standard" } }, stoppedBy: "vercel-deployment-protection" },
    { id: "production without deployment protection", base: "production", bad: { set: { "web.protection": "none" } }, good: { set: { "web.protection": "all" } }, stoppedBy: "vercel-deployment-protection" },
    { id: "production leaving its zone's settings to no one", base: "production", bad: { set: { "cdn.ownsZone": false, "cdn.headers": undefined, "cdn.cacheStaticAssets": undefined } }, good: { set: { "cdn.ownsZone": true } }, stoppedBy: "zone-settings-present" },
    { id: "production keeping no history", base: "production", bad: { set: { "database.retentionDays": 0 } }, good: { set: { "database.retentionDays": 7 } }, stoppedBy: "paved:database.retentionDays" },
    { id: "production keeping one day of history", base: "flightpro", bad: { set: { "database.retentionDays": 1 } }, good: { set: { "database.retentionDays": 14 } }, stoppedBy: "paved:database.retentionDays" },
  ],
  "one stack reaching into another's": [
    { id: "staging owns the zone", base: "staging", bad: { set: { "cdn.ownsZone": true } }, good: { set: { "cdn.ownsZone": false } }, stoppedBy: "paved:cdn.ownsZone" },
    { id: "a pull-request stack owns the zone", base: "preview", bad: { set: { "cdn.ownsZone": true } }, good: { set: { "cdn.ownsZone": false } }, stoppedBy: "paved:cdn.ownsZone" },
    { id: "a pull-request stack claims app.", base: "preview", bad: { set: { "web.domain": "app.planningos.com" } }, good: { set: { "web.domain": "pr-42.planningos.com" } }, stoppedBy: "paved:web.domain" },
    { id: "a pull-request stack claims api.", base: "preview", bad: { set: { "api.hostname": "api.planningos.com" } }, good: { set: { "api.hostname": "api-pr-42.planningos.com" } }, stoppedBy: "paved:api.hostname" },
    { id: "a pull-request stack claims the apex", base: "preview", bad: { set: { "web.domain": "planningos.com" } }, good: {}, stoppedBy: "paved:web.domain" },
    { id: "a pull-request stack redirects production's www", base: "preview", bad: { set: { "web.redirects": ["www.planningos.com"] } }, good: { set: { "web.redirects": ["www-pr-42.planningos.com"] } }, stoppedBy: "paved:web.redirects[0]" },
  ],
  "secrets in plain config": [
    { id: "a Stripe live key under an unknown name", base: "production", bad: { set: { "api.env": { STRIPE_SK: STRIPE_LIVE } } }, good: { set: { "api.env": { STRIPE_MODE: "live" } } }, stoppedBy: "paved:api.env.STRIPE_SK" },
    { id: "a database password as DB_PASS", base: "production", bad: { set: { "api.env": { DB_PASS: "hunter2-but-longer" } } }, good: { set: { "api.env": { DB_POOL: "10" } } }, stoppedBy: "paved:api.env.DB_PASS" },
    { id: "a connection string with a password", base: "production", bad: { set: { "api.env": { REPLICA: "postgres://app:s3cr3t-pw@db.example.net/app" } } }, good: { set: { "api.env": { REPLICA_HOST: "db.example.net" } } }, stoppedBy: "paved:api.env.REPLICA" },
    { id: "a JWT in plain env", base: "production", bad: { set: { "api.env": { SERVICE_AUTH: JWT } } }, good: { set: { "api.env": { SERVICE_AUTH_MODE: "jwt" } } }, stoppedBy: "paved:api.env.SERVICE_AUTH" },
    { id: "a long random string in plain env", base: "production", bad: { set: { "api.env": { UPSTREAM: RANDOM_40 } } }, good: { set: { "api.env": { UPSTREAM: "https://upstream.example.net" } } }, stoppedBy: "paved:api.env.UPSTREAM" },
    { id: "a GitHub token in plain env", base: "production", bad: { set: { "api.env": { GH: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" } } }, good: { set: { "api.env": { GH_ORG: "planningos" } } }, stoppedBy: "paved:api.env.GH" },
    { id: "an AWS key id in plain env", base: "production", bad: { set: { "api.env": { S3_ID: "AKIAIOSFODNN7EXAMPLE" } } }, good: { set: { "api.env": { S3_BUCKET: "planningos-uploads" } } }, stoppedBy: "paved:api.env.S3_ID" },
    { id: "a Slack webhook in the front end's env", base: "production", bad: { set: { "web.env": { VITE_APP_ENV: "production", VITE_HOOK: "https://hooks.slack.com/services/T0123/B0456/abcdefghijklmnop" } } }, good: {}, stoppedBy: "paved:web.env.VITE_HOOK" },
    { id: "a secret behind NEXT_PUBLIC_", base: "projectflo", bad: { set: { "web.env": { NEXT_PUBLIC_STRIPE_SECRET_KEY: "set-me" } } }, good: { set: { "web.env": { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_51Hx9aQ2eZvKYlo2C" } } }, stoppedBy: "paved:web.env.NEXT_PUBLIC_STRIPE_SECRET_KEY" },
    { id: "a token behind VITE_", base: "production", bad: { set: { "web.env": { VITE_ADMIN_TOKEN: "abc" } } }, good: { set: { "web.env": { VITE_APP_ENV: "production" } } }, stoppedBy: "paved:web.env.VITE_ADMIN_TOKEN" },
    { id: "a secret named as a public front-end secret", base: "projectflo", bad: { set: { "web.secretEnv": ["NEXT_PUBLIC_API_SECRET"] } }, good: {}, stoppedBy: "paved:web.secretEnv[0]" },
    { id: "a Checkly key in plain text", base: "production", bad: { plain: { "checkly:apiKey": "cu_0123456789abcdef0123456789abcdef" } }, good: { secret: { "checkly:apiKey": "cu_0123456789abcdef0123456789abcdef" } }, stoppedBy: "checkly:apiKey" },
    { id: "a Sentry token in plain text", base: "production", bad: { plain: { "sentry:token": "sntrys_abc" } }, good: { secret: { "sentry:token": "sntrys_abc" } }, stoppedBy: "sentry:token" },
    { id: "a PagerDuty token in plain text", base: "production", bad: { plain: { "pagerduty:token": "u+abcdefghij" } }, good: { secret: { "pagerduty:token": "u+abcdefghij" } }, stoppedBy: "pagerduty:token" },
    { id: "a Docker registry password in plain text", base: "production", bad: { plain: { "docker:registryAuth": "[{\"address\":\"ghcr.io\",\"password\":\"x\"}]" } }, good: {}, stoppedBy: "docker:registryAuth" },
    { id: "a Stripe key in an unrelated field", base: "production", bad: { set: { "monitors.sentry.platform": STRIPE_LIVE } }, good: {}, stoppedBy: "paved:monitors.sentry.platform" },
  ],
  "network exposure that is not literally 0.0.0.0/0": [
    { id: "Postgres open to both halves of IPv4", base: "projectflo", bad: { set: { "database.render.allowCidrs": ["0.0.0.0/1", "128.0.0.0/1"] } }, good: { set: { "database.render.allowCidrs": ["203.0.113.0/24"] } }, stoppedBy: "paved:database.render.allowCidrs" },
    { id: "Postgres open to a /4", base: "projectflo", bad: { set: { "database.render.allowCidrs": ["64.0.0.0/4"] } }, good: { set: { "database.render.allowCidrs": ["198.51.100.7/32"] } }, stoppedBy: "paved:database.render.allowCidrs" },
    { id: "Postgres open to all of IPv6", base: "projectflo", bad: { set: { "database.render.allowCidrs": ["::/0"] } }, good: { set: { "database.render.allowCidrs": ["203.0.113.0/24"] } }, stoppedBy: "paved:database.render.allowCidrs" },
    { id: "Redis open to most of IPv4", base: "renderCache", bad: { set: { "cache.render.allowCidrs": ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] } }, good: { set: { "cache.render.allowCidrs": ["203.0.113.0/24"] } }, stoppedBy: "paved:cache.render.allowCidrs" },
    { id: "a Docker engine over plain tcp", base: "lifeos", bad: { set: { "api.docker.host": "tcp://203.0.113.10:2375" } }, good: { set: { "api.docker.host": "ssh://deploy@203.0.113.10" } }, stoppedBy: "paved:api.docker.host" },
    { id: "the host's filesystem served", base: "lifeos", bad: { set: { "web.docker.root": "/" } }, good: { set: { "web.docker.root": "/srv/lifeos/site" } }, stoppedBy: "paved:web.docker.root" },
    { id: "the host's /etc served", base: "lifeos", bad: { set: { "web.docker.root": "/etc" } }, good: {}, stoppedBy: "paved:web.docker.root" },
    { id: "the deploy user's home served", base: "lifeos", bad: { set: { "web.docker.root": "/home/deploy" } }, good: {}, stoppedBy: "paved:web.docker.root" },
    { id: "DNS to loopback", base: "lifeos", bad: { set: { "web.docker.address": "127.0.0.1", "api.docker.address": "127.0.0.1" } }, good: { set: { "web.docker.address": "198.51.100.20", "api.docker.address": "198.51.100.20" } }, stoppedBy: "dns-no-private-address" },
    { id: "DNS to CGNAT", base: "lifeos", bad: { set: { "web.docker.address": "100.64.1.10", "api.docker.address": "100.64.1.10" } }, good: {}, stoppedBy: "dns-no-private-address" },
    { id: "DNS to an IPv4-mapped private address", base: "lifeos", bad: { set: { "web.docker.address": "::ffff:10.0.0.5", "api.docker.address": "::ffff:10.0.0.5" } }, good: { set: { "web.docker.address": "2001:db8::10", "api.docker.address": "2001:db8::10" } }, stoppedBy: "dns-no-private-address" },
    { id: "DNS to link-local", base: "lifeos", bad: { set: { "web.docker.address": "169.254.169.254", "api.docker.address": "169.254.169.254" } }, good: {}, stoppedBy: "dns-no-private-address" },
  ],
  "headers and CORS that look set but do nothing": [
    { id: "a CSP with no script restriction", base: "production", bad: { set: { "cdn.headers.contentSecurityPolicy": "img-src 'self'; frame-ancestors 'none'" } }, good: { set: { "cdn.headers.contentSecurityPolicy": "default-src 'self'; img-src 'self'; frame-ancestors 'none'; object-src 'none'" } }, stoppedBy: "security-headers" },
    { id: "default-src *", base: "production", bad: { set: { "cdn.headers.contentSecurityPolicy": "default-src *" } }, good: {}, stoppedBy: "security-headers" },
    { id: "script-src-elem 'unsafe-inline'", base: "production", bad: { set: { "cdn.headers.contentSecurityPolicy": "default-src 'self'; script-src-elem 'self' 'unsafe-inline'" } }, good: {}, stoppedBy: "security-headers" },
    { id: "scripts from any https origin", base: "production", bad: { set: { "cdn.headers.contentSecurityPolicy": "default-src 'self'; script-src https:" } }, good: {}, stoppedBy: "security-headers" },
    { id: "camera, microphone and location to everyone", base: "production", bad: { set: { "cdn.headers.permissionsPolicy": "camera=*, microphone=*, geolocation=*" } }, good: { set: { "cdn.headers.permissionsPolicy": "camera=(), microphone=(), geolocation=()" } }, stoppedBy: "security-headers" },
    { id: "CORS * as CORS_ALLOW_ORIGIN", base: "production", bad: { set: { "api.env": { CORS_ALLOW_ORIGIN: "*" } } }, good: { set: { "api.env": { CORS_ALLOW_ORIGIN: "https://app.planningos.com" } } }, stoppedBy: "cors-origins" },
    { id: "CORS * as ACCESS_CONTROL_ALLOW_ORIGIN", base: "projectflo", bad: { set: { "api.env": { ACCESS_CONTROL_ALLOW_ORIGIN: "*" } } }, good: {}, stoppedBy: "cors-origins" },
    { id: "corsOrigins naming another site", base: "production", bad: { set: { "api.corsOrigins": ["https://evil.example"] } }, good: { set: { "api.corsOrigins": ["https://app.planningos.com"] } }, stoppedBy: "paved:api.corsOrigins[0]" },
    { id: "corsOrigins over http", base: "production", bad: { set: { "api.corsOrigins": ["http://app.planningos.com"] } }, good: {}, stoppedBy: "paved:api.corsOrigins[0]" },
    { id: "debug as APP_DEBUG", base: "production", bad: { set: { "api.env": { APP_DEBUG: "true" } } }, good: { set: { "api.env": { APP_DEBUG: "false" } } }, stoppedBy: "no-debug-in-production" },
    { id: "debug as NODE_ENV=development", base: "projectflo", bad: { set: { "api.env": { NODE_ENV: "development" } } }, good: { set: { "api.env": { NODE_ENV: "production" } } }, stoppedBy: "no-debug-in-production" },
    { id: "debug as FLASK_DEBUG", base: "flightpro", bad: { set: { "api.env": { FLASK_DEBUG: "1" } } }, good: {}, stoppedBy: "no-debug-in-production" },
    { id: "debug as RUST_LOG=trace", base: "production", bad: { set: { "api.env": { RUST_LOG: "trace" } } }, good: { set: { "api.env": { RUST_LOG: "info" } } }, stoppedBy: "no-debug-in-production" },
    { id: "a rate limit no client reaches", base: "production", bad: { set: { "cdn.rateLimit.requestsPerPeriod": 1_000_000 } }, good: { set: { "cdn.rateLimit.requestsPerPeriod": 150 } }, stoppedBy: "rate-limit-rule" },
    { id: "certificate checks off for Node", base: "production", bad: { set: { "api.env": { NODE_TLS_REJECT_UNAUTHORIZED: "0" } } }, good: { set: { "api.env": { NODE_TLS_REJECT_UNAUTHORIZED: "1" } } }, stoppedBy: "paved:api.env.NODE_TLS_REJECT_UNAUTHORIZED" },
    { id: "Postgres without TLS", base: "projectflo", bad: { set: { "api.env": { PGSSLMODE: "disable" } } }, good: { set: { "api.env": { PGSSLMODE: "verify-full" } } }, stoppedBy: "paved:api.env.PGSSLMODE" },
    { id: "a rate limit that never blocks", base: "production", bad: { set: { "cdn.rateLimit.mitigationTimeout": 0 } }, good: { set: { "cdn.rateLimit.mitigationTimeout": 60 } }, stoppedBy: "rate-limit-rule" },
    { id: "the front end calls the API over http", base: "production", bad: { set: { "web.env": { VITE_APP_ENV: "production", VITE_API_URL: "http://api.planningos.com" } } }, good: { set: { "web.env": { VITE_APP_ENV: "production", VITE_API_URL: "https://api.planningos.com" } } }, stoppedBy: "paved:web.env.VITE_API_URL" },
    { id: "the API's public URL over http", base: "projectflo", bad: { set: { "api.env": { PUBLIC_URL: "http://api.projectflo.app" } } }, good: { set: { "api.env": { PUBLIC_URL: "https://api.projectflo.app" } } }, stoppedBy: "paved:api.env.PUBLIC_URL" },
  ],
  "monitoring that can never fire": [
    { id: "uptime alerting after 30 minutes down", base: "production", bad: { set: { "monitors.uptime.downMinutes": 30 } }, good: { set: { "monitors.uptime.downMinutes": 5 } }, stoppedBy: "paved:monitors.uptime.downMinutes" },
    { id: "ten failed probes before an alert", base: "production", bad: { set: { "monitors.consecutiveFails": 10 } }, good: { set: { "monitors.consecutiveFails": 3 } }, stoppedBy: "paved:monitors.consecutiveFails" },
    { id: "the API's outage at P3", base: "production", bad: { set: { "monitors.tiers": { api: "P3" } } }, good: { set: { "monitors.tiers": { api: "P1" } } }, stoppedBy: "paved:monitors.tiers.api" },
    { id: "the web's outage at P3", base: "production", bad: { set: { "monitors.tiers": { web: "P3" } } }, good: { set: { "monitors.tiers": { web: "P2" } } }, stoppedBy: "paved:monitors.tiers.web" },
    { id: "P1 to email only", base: "lifeos", bad: { set: { "monitors.routes": { P1: ["email"], P2: ["email", "slack:ops"], P3: ["slack:ops"] } } }, good: { set: { "monitors.routes": { P1: ["email", "slack:ops"], P2: ["email"], P3: ["slack:ops"] } } }, stoppedBy: "paved:monitors.routes.P1" },
    { id: "an error-rate alert at 100 %", base: "production", bad: { set: { "monitors.sentry.errorRate": { percent: 100 } } }, good: { set: { "monitors.sentry.errorRate": { percent: 1 } } }, stoppedBy: "paved:monitors.sentry.errorRate.percent" },
    { id: "an error-rate alert over a day", base: "production", bad: { set: { "monitors.sentry.errorRate": { windowMinutes: 1440 } } }, good: { set: { "monitors.sentry.errorRate": { windowMinutes: 5 } } }, stoppedBy: "paved:monitors.sentry.errorRate.windowMinutes" },
    { id: "a latency alert at a minute", base: "production", bad: { set: { "monitors.sentry.latency": { ms: 60000 } } }, good: { set: { "monitors.sentry.latency": { ms: 500 } } }, stoppedBy: "paved:monitors.sentry.latency.ms" },
    { id: "production paging no one", base: "production", bad: { set: { "monitors.alerts.pagerduty": undefined, "monitors.routes": undefined, "monitors.sentry.integrations.pagerduty": undefined } }, good: {}, stoppedBy: "paved:monitors.routes.P1" },
    { id: "a Docker health check of NONE", base: "lifeos", bad: { set: { "api.docker.healthcheck": ["NONE"] } }, good: { set: { "api.docker.healthcheck": ["CMD", "/app/healthcheck"] } }, stoppedBy: "paved:api.docker.healthcheck" },
    { id: "a Docker health check that always passes", base: "lifeos", bad: { set: { "api.docker.healthcheck": ["CMD-SHELL", "true"] } }, good: {}, stoppedBy: "paved:api.docker.healthcheck" },
  ],
  "supply chain and recovery": [
    { id: "production building its own image", base: "production", bad: { set: { "api.image": { build: { context: ".", dockerfile: "apps/api/Dockerfile" } } } }, good: {}, stoppedBy: "paved:api.image.build" },
    { id: "postgres:latest", base: "lifeos", bad: { set: { "database.docker.image": "postgres:latest" } }, good: { set: { "database.docker.image": "postgres:17.2-alpine" } }, stoppedBy: "paved:database.docker.image" },
    { id: "postgres with no tag", base: "lifeos", bad: { set: { "database.docker.image": "postgres" } }, good: {}, stoppedBy: "paved:database.docker.image" },
    { id: "redis:latest", base: "lifeos", bad: { set: { "cache.docker.image": "redis:latest" } }, good: { set: { "cache.docker.image": "redis:7.4-alpine" } }, stoppedBy: "paved:cache.docker.image" },
    { id: "a Railway Redis on latest", base: "flightpro", bad: { set: { "cache.railway.image": "docker.io/library/redis:latest" } }, good: { set: { "cache.railway.image": "docker.io/library/redis:7.4.1-alpine" } }, stoppedBy: "paved:cache.railway.image" },
    { id: "a backup image on latest", base: "lifeos", bad: { set: { "database.docker.backups.image": "prodrigestivill/postgres-backup-local:latest" } }, good: { set: { "database.docker.backups.image": "prodrigestivill/postgres-backup-local:17" } }, stoppedBy: "paved:database.docker.backups.image" },
    { id: "a backup schedule that never runs", base: "lifeos", bad: { set: { "database.docker.backups.schedule": "0 0 31 2 *" } }, good: { set: { "database.docker.backups.schedule": "0 3 * * *" } }, stoppedBy: "paved:database.docker.backups.schedule" },
    { id: "a backup once a year", base: "lifeos", bad: { set: { "database.docker.backups.schedule": "@yearly" } }, good: { set: { "database.docker.backups.schedule": "@daily" } }, stoppedBy: "paved:database.docker.backups.schedule" },
    { id: "backups off in production", base: "lifeos", bad: { set: { "database.docker.backups.enabled": false } }, good: { set: { "database.docker.backups.enabled": true } }, stoppedBy: "paved:database.docker.backups.enabled" },
    { id: "dumps kept a day", base: "lifeos", bad: { set: { "database.docker.backups.keepDays": 1 } }, good: { set: { "database.docker.backups.keepDays": 30 } }, stoppedBy: "paved:database.docker.backups.keepDays" },
    { id: "JWT rotated every 730 days", base: "production", bad: { set: { "secrets.generate.JWT_SECRET.rotateEveryDays": 730 } }, good: { set: { "secrets.generate.JWT_SECRET.rotateEveryDays": 90 } }, stoppedBy: "paved:secrets.generate.JWT_SECRET.rotateEveryDays" },
    { id: "a supplied token rotated every 730 days", base: "production", bad: { set: { "secrets.rotated": { FLY_METRICS_TOKEN: { rotation: "2026-11", rotateEveryDays: 730 } } } }, good: { set: { "secrets.rotated": { FLY_METRICS_TOKEN: { rotation: "2026-11", rotateEveryDays: 90 } } } }, stoppedBy: "paved:secrets.rotated.FLY_METRICS_TOKEN.rotateEveryDays" },
  ],
};

export const CORPUS: GuardCase[] = Object.values(CLASSES).flat();

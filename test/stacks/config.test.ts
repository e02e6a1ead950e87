import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const GITHUB = { requiredChecks: ["ci/test"], reviewers: { teams: [9182736] } };


const at = (path: string, value: unknown, base = PRODUCTION) => source(withValue(base, path, value));
const SENTRY = { organization: "planningos", team: "planningos", teamId: "42" };
/** Sentry's PagerDuty integration, for a production stack whose P1 alerts page. */
const SENTRY_PAGING = { pagerduty: { id: 104257, services: { P1: "88231" } } };
const PD = { escalateTo: { schedules: ["PSCHED1"] } };
/** `paved` as the stack file of a kind that never pages (the production fixture's pager routes nothing there). */
const unpaged = (paved: Record<string, unknown>) => withValue(paved, "monitors.alerts.pagerduty", undefined);
const SLACK = { alerts: { channel: "#alerts", webhookSecret: "SLACK_ALERTS" } };
const SLACK_TWO = { ...SLACK, deploys: { channel: "#deploys", webhookSecret: "SLACK_DEPLOYS" } };
const slackSecret = (paved: Record<string, unknown>) =>
  source(withValue(paved, "secrets.fromConfig", ["SLACK_ALERTS", "SLACK_DEPLOYS"]),
    { secret: { "paved:SLACK_ALERTS": "https://hooks.slack.com/services/x", "paved:SLACK_DEPLOYS": "https://hooks.slack.com/services/y" } });
/** An API, so Sentry alerts fire at P1 (error rate), P2 (latency) and P3 (new issues). */
const WITH_API = withValue(PRODUCTION, "api", { host: "fly", port: 3001, image: { digest: `ghcr.io/planningos/api@sha256:${"0".repeat(64)}` }, fly: { org: "planningos" } });
/** Sentry with no Slack integration, posting to `slack`'s channels by `routes` (P1 pages). */
const sentrySlack = (slack: Record<string, unknown>, routes: Record<string, string[]>) =>
  slackSecret(withValue(withValue(withValue(WITH_API, "monitors.alerts.slack", slack), "monitors.routes", routes), "monitors.sentry", { ...SENTRY, integrations: SENTRY_PAGING }));
/** Bad alert settings, each with its one-line message. */
const ALERT_CASES: Array<[string, ConfigSource, string[]]> = [
  ["one Checkly location", at("monitors.uptime", { locations: ["eu-central-1"] }), [
    'paved:monitors.uptime.locations: got ["eu-central-1"]; expected at least two Checkly locations, so one region\'s outage is not the product\'s',
  ]],
  ["a time down Checkly cannot alert after", at("monitors.uptime", { downMinutes: 3 }), [
    "paved:monitors.uptime.downMinutes: got 3; expected minutes: one of 5, 10, 15, 30",
  ]],
  ["a Sentry window Sentry does not offer", at("monitors.sentry", { ...SENTRY, errorRate: { windowMinutes: 7 } }), [
    "paved:monitors.sentry.errorRate.windowMinutes: got 7; expected minutes: one of 1, 5, 10, 15, 30, 60, 120, 240, 1440",
  ]],
  ["a PagerDuty schedule id that is not one", at("monitors.alerts.pagerduty", { escalateTo: { schedules: ["on-call"] } }), [
    'paved:monitors.alerts.pagerduty.escalateTo.schedules[0]: got "on-call"; expected a 7-character PagerDuty id such as PABC123',
  ]],
  ["a destination nobody is routed to", slackSecret(withValue(PRODUCTION, "monitors.alerts.slack", SLACK)), [
    "paved:monitors.alerts.slack.alerts: no alert is routed to slack:alerts; expected it in the route of a tier that fires (P1) or removed",
  ]],
  ["a tier that fires with no destination", at("monitors", { alerts: { email: ["a@b.co"], pagerduty: PD }, routes: { P3: [] }, sentry: { ...SENTRY, integrations: SENTRY_PAGING } }), [
    "paved:monitors.routes.P3: got no destination; expected one for the P3 alerts (web new-issues)",
  ]],
  ["P3 paging", at("monitors", { alerts: { pagerduty: PD, email: ["a@b.co"] }, routes: { P3: ["pagerduty"] } }), [
    'paved:monitors.routes.P3[0]: got "pagerduty"; expected Slack or email (P3 never pages)',
  ]],
  ["Sentry paging with no PagerDuty service in Sentry", at("monitors", { alerts: { pagerduty: PD, email: ["a@b.co"] }, sentry: SENTRY }), [
    "paved:monitors.sentry.integrations.pagerduty.services.P1: missing; expected the id Sentry's PagerDuty integration gives the P1 service (Sentry's P1 alerts page)",
  ]],
  ["Sentry emailing with no team id", at("monitors.sentry", { organization: "planningos", team: "planningos", integrations: SENTRY_PAGING }), [
    "paved:monitors.sentry.teamId: missing; expected the numeric id of the Sentry team to email (Sentry's P1 and P3 alerts go to email)",
  ]],
  ["Sentry posting to Slack with no Slack integration", slackSecret(withValue(withValue(PRODUCTION, "monitors.alerts.slack", SLACK), "monitors.sentry", { ...SENTRY, integrations: SENTRY_PAGING })), [
    "paved:monitors.sentry.integrations.slack: missing; expected the id of Sentry's Slack integration (Sentry's P3 alerts go to slack:alerts)",
  ]],
  ["Sentry posting two tiers to two Slack channels with no Slack integration", sentrySlack(SLACK_TWO, { P1: ["pagerduty", "email"], P2: ["slack:alerts"], P3: ["slack:deploys"] }), [
    "paved:monitors.sentry.integrations.slack: missing; expected the id of Sentry's Slack integration (Sentry's P2 alerts go to slack:alerts, P3 alerts to slack:deploys)",
  ]],
  ["Sentry posting two tiers to one Slack channel with no Slack integration", sentrySlack(SLACK, { P1: ["pagerduty", "email"], P2: ["slack:alerts"], P3: ["slack:alerts"] }), [
    "paved:monitors.sentry.integrations.slack: missing; expected the id of Sentry's Slack integration (Sentry's P2 and P3 alerts go to slack:alerts)",
  ]],
  ["Sentry posting a tier to two Slack channels with no Slack integration", sentrySlack(SLACK_TWO, { P1: ["pagerduty", "email"], P2: ["slack:alerts"], P3: ["slack:alerts", "slack:deploys"] }), [
    "paved:monitors.sentry.integrations.slack: missing; expected the id of Sentry's Slack integration (Sentry's P2 alerts go to slack:alerts, P3 alerts to slack:alerts and slack:deploys)",
  ]],
  ["Sentry emailing three tiers with no team id", at("monitors", {
    alerts: { email: ["a@b.co"], pagerduty: PD }, sentry: { organization: "planningos", team: "planningos", integrations: SENTRY_PAGING },
  }, WITH_API), [
    "paved:monitors.sentry.teamId: missing; expected the numeric id of the Sentry team to email (Sentry's P1, P2 and P3 alerts go to email)",
  ]],
  ["a named Slack webhook not declared as a secret", at("monitors.alerts.slack", SLACK), [
    'paved:monitors.alerts.slack.alerts.webhookSecret: got a string (not shown: this field names a secret); expected a secret named in paved:secrets.fromConfig',
  ]],
  ["a Cloudflare PagerDuty id with Checkly uptime", at("monitors.alerts.pagerdutyIntegrationId", "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7"), [
    "paved:monitors.alerts.pagerdutyIntegrationId: set with Checkly uptime; expected alerts.pagerduty (the id connects PagerDuty to Cloudflare health checks only)",
  ]],
  ["deploy status with no GitHub environment to hold its webhooks", at("monitors.deploys", true), [
    "paved:monitors.deploys: set without paved:github; expected a github section (the deploy job reads the webhooks from the stack's GitHub environment)",
  ]],
  ["deploy status in a tier that emails", source(withValue(withValue(PRODUCTION, "github", GITHUB), "monitors.deploys", true)), [
    "paved:monitors.deploys: tier P3 routes to email; expected only Slack destinations in paved:monitors.routes.P3 (the deploy job posts to Slack incoming webhooks), or another tier",
  ]],
  ["failed deploys paged on a tier that does not route to PagerDuty", source(withValue(withValue(PRODUCTION, "github", GITHUB), "monitors.deploys", { tier: "P3", failedTier: "P2" })), [
    "paved:monitors.deploys: tier P3 routes to email; expected only Slack destinations in paved:monitors.routes.P3 (the deploy job posts to Slack incoming webhooks), or another tier",
    "paved:monitors.deploys.failedTier: got P2, which routes to email; expected a tier routed to pagerduty in paved:monitors.routes (the deploy job opens a PagerDuty incident)",
  ]],
  ["failed deploys paged on a tier that never pages", at("monitors.deploys", { failedTier: "P3" }), [
    'paved:monitors.deploys.failedTier: got "P3"; expected P1 or P2: the paged tier a failed deploy opens an incident on',
  ]],
  ["deploy status that is neither true nor a tier", at("monitors.deploys", "slack"), [
    'paved:monitors.deploys: got "slack"; expected true or { tier, failedTier }',
  ]],
  ["deploy status in a pull-request stack", source(withValue(withValue(PRODUCTION, "kind", "preview"), "monitors.deploys", { tier: "P3" }), { stack: "pr-7" }), [
    "paved:monitors.deploys: set in a preview stack; expected it in the staging or production stack file (pull-request stacks deploy from the pull-request workflow)",
  ]],
];

describe("loadEnvironmentConfig rejects bad stack config with one line per problem", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["typo'd top-level key", source({ ...PRODUCTION, domian: "x.com" }), [
      'paved:domian: unknown key; expected one of kind, branch, domain, repository, web, cdn, secrets, api, database, cache, github, monitors, policy, delivery, logs, doppler, cost, or a secret named in paved:secrets.fromConfig',
    ]],
    ["typo'd nested key", at("web.framwork", "vite"), [
      "paved:web.framwork: unknown key; expected one of host, docker, teamId, projectName, framework, rootDirectory, buildCommand, installCommand, outputDirectory, nodeVersion, domain, redirects, env, secretEnv, protection",
    ]],
    ["bad web domain", at("web.domain", "app..planningos.com"), [
      'paved:web.domain: got "app..planningos.com"; expected a lowercase DNS name such as app.example.com',
    ]],
    ["web domain outside the zone", at("web.domain", "app.example.org"), [
      'paved:web.domain: got "app.example.org"; expected a host inside the zone planningos.com',
    ]],
    ["uppercase apex domain", at("domain", "PlanningOS.com"), [
      'paved:domain: got "PlanningOS.com"; expected the zone\'s apex domain, such as example.com',
    ]],
    ["unknown kind", at("kind", "prod"), [
      'paved:kind: got "prod"; expected one of production, staging, preview, local',
    ]],
    ["no kind and a stack name that implies none", source(withValue(PRODUCTION, "kind", undefined), { stack: "qa" }), [
      'paved:kind: missing, and stack name "qa" implies none; expected one of production, staging, preview, local',
    ]],
    ["bad branch", at("branch", "feature..x"), [
      'paved:branch: got "feature..x"; expected a git branch name such as main',
    ]],
    ["preview without a branch", source(withValue(withValue(PRODUCTION, "kind", "preview"), "branch", undefined), { stack: "pr-12" }), [
      "paved:branch: missing; expected the pull request's branch (required for preview stacks)",
    ]],
    ["bad repository", at("repository", "planningos"), [
      'paved:repository: got "planningos"; expected owner/name of a GitHub repository',
    ]],
    ["web without repository", source(withValue(PRODUCTION, "repository", undefined)), [
      "paved:repository: missing; expected owner/name of the GitHub repository Vercel builds from",
    ]],
    ["bad team id", at("web.teamId", "planningos"), [
      'paved:web.teamId: got "planningos"; expected a Vercel team id such as team_abc123',
    ]],
    ["unknown framework", at("web.framework", "vitejs"), [
      'paved:web.framework: got "vitejs"; expected one of vite, nextjs, remix, react-router, astro, sveltekit-1, nuxtjs, create-react-app, gatsby, angular, vue, solidstart-1, hono',
    ]],
    ["absolute root directory", at("web.rootDirectory", "/apps/web"), [
      'paved:web.rootDirectory: got "/apps/web"; expected a path relative to the repository root, such as apps/web',
    ]],
    ["secret-looking plain env var", at("web.env.STRIPE_SECRET_KEY", "sk_live_123"), [
      "paved:web.env.STRIPE_SECRET_KEY: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:web.secretEnv",
    ]],
    ["lowercase env var name", at("web.env", { api_url: "x" }), [
      'paved:web.env.api_url: got "api_url"; expected an environment variable name in UPPER_SNAKE_CASE',
    ]],
    ["secretEnv naming no secret", at("web.secretEnv", ["SENTRY_AUTH_TOKEN"]), [
      'paved:web.secretEnv[0]: got a string (not shown: this field names a secret); expected a secret that paved:secrets generates or reads (fromConfig)',
    ]],
    ["bad zone id", at("cdn.zoneId", "planningos.com"), [
      'paved:cdn.zoneId: got "planningos.com"; expected a 32-character hex Cloudflare zone id',
    ]],
    ["HSTS max-age too short", at("cdn.hsts", { maxAge: 86400 }), [
      "paved:cdn.hsts.maxAge: got 86400; expected seconds: a whole number from 15552000 to 63072000",
    ]],
    ["rate-limit period Cloudflare does not offer", at("cdn.rateLimit", { period: 30 }), [
      "paved:cdn.rateLimit.period: got 30; expected one of 10, 60, 120, 300, 600, 3600 (seconds)",
    ]],
    ["zone settings in a stack that does not own the zone", source(withValue(withValue(PRODUCTION, "kind", "staging"), "cdn.hsts", { maxAge: 31536000 }), { stack: "staging" }), [
      "paved:cdn.hsts: set in a stack that does not own the zone; expected it in the owner stack's file (or paved:cdn.ownsZone: true here)",
    ]],
    ["JWT secret too short", at("secrets.generate.JWT_SECRET.length", 32), [
      "paved:secrets.generate.JWT_SECRET.length: got 32; expected at least 48 characters",
    ]],
    ["generated secret below the floor", at("secrets.generate.API_KEY", { length: 8 }), [
      "paved:secrets.generate.API_KEY.length: got 8; expected characters: a whole number from 24 to 256",
    ]],
    ["missing rotation label", at("secrets.rotation", undefined), [
      "paved:secrets.rotation: missing; expected a rotation label such as 2026-11",
    ]],
    ["secret given in plain text", source(withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"]), { plain: { "paved:RESEND_API_KEY": "re_live_abcdef" } }), [
      "paved:RESEND_API_KEY: stored in plain text; expected a secret (pulumi config set --secret paved:RESEND_API_KEY <value>)",
    ]],
    ["declared secret missing", source(withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"])), [
      "paved:secrets.fromConfig[0]: got a string (not shown: this field names a secret) that no config key holds; expected the name of a secret set with pulumi config set --secret paved:<NAME> <value>",
    ]],
    ["provider token in plain text", source(PRODUCTION, { plain: { "cloudflare:apiToken": "cf-token-value" } }), [
      "cloudflare:apiToken: stored in plain text; expected a secret (pulumi config set --secret cloudflare:apiToken)",
    ]],
    ["secret hidden inside a settings key", source(PRODUCTION, { opaque: ["paved:web"] }), [
      "paved:web: holds a secret value; expected plain settings here, with each secret as its own key (paved:<NAME>, listed in paved:secrets.fromConfig)",
    ]],
    ["web in a local stack", source({ ...withValue(PRODUCTION, "kind", "local"), cdn: undefined, monitors: undefined }, { stack: "local" }), [
      "paved:web.host: not available as vercel for local stacks (they run in the local Docker engine); expected docker",
    ]],
    ["wrong type for a whole section", at("web", "vite"), [
      'paved:web: got "vite"; expected a map of web host settings (teamId, framework, ...)',
    ]],
    // paved:github
    ["production without deploy reviewers", at("github", { requiredChecks: ["ci/test"] }), [
      "paved:github.reviewers: missing; expected at least one user or team id for production stacks (deploys wait for their approval)",
    ]],
    ["protected branch without a required check", at("github", { reviewers: { teams: [9182736] } }), [
      "paved:github.requiredChecks: missing; expected at least one status check name, such as ci/test (required for production stacks)",
    ]],
    ["more approvals than GitHub allows", at("github", { ...GITHUB, approvals: 7 }), [
      "paved:github.approvals: got 7; expected approving reviews: a whole number from 1 to 6",
    ]],
    ["reviewer given by login instead of id", at("github", { ...GITHUB, reviewers: { users: ["octocat"] } }), [
      'paved:github.reviewers.users[0]: got "octocat"; expected numeric GitHub user ids',
    ]],
    ["production without pull requests", at("github", { ...GITHUB, requirePullRequest: false }), [
      "paved:github.requirePullRequest: got false; expected true for production stacks (changes reach production through reviewed pull requests)",
    ]],
    ["approvals on a branch that takes direct pushes", source(withValue(withValue(PRODUCTION, "kind", "staging"), "github", { requiredChecks: ["ci/test"], approvals: 2 }), { stack: "staging" }), [
      "paved:github.approvals: set while pull requests are not required; expected paved:github.requirePullRequest: true as well",
    ]],
    ["branch rules in a preview stack", source(withValue(withValue(PRODUCTION, "kind", "preview"), "github", { requiredChecks: ["ci/test"] }), { stack: "pr-7" }), [
      "paved:github.requiredChecks: set in a preview stack, which protects no branch; expected it in the production or staging stack file",
    ]],
    ["Actions secret paved does not have", at("github", { ...GITHUB, actionsSecrets: ["DEPLOY_TOKEN"] }), [
      'paved:github.actionsSecrets[0]: got a string (not shown: this field names a secret); expected a secret that paved:secrets generates or reads (fromConfig)',
    ]],
    ["provider owner other than the repository's", source(withValue(PRODUCTION, "github", GITHUB), { plain: { "github:owner": "someone-else" } }), [
      'github:owner: got "someone-else"; expected planningos, the owner in paved:repository',
    ]],
    ["github in a local stack", source({ ...withValue(PRODUCTION, "kind", "local"), web: undefined, cdn: undefined, monitors: undefined, github: GITHUB }, { stack: "local" }), [
      "paved:github: not available for local stacks (nothing deploys from GitHub); expected no github section",
    ]],
    // paved:monitors
    ["production without monitors", at("monitors", undefined), [
      "paved:monitors: missing; expected alert routes for production stacks (alerts.email, alerts.pagerduty or alerts.slack)",
    ]],
    ["production with no alert destination", at("monitors", { alerts: {} }), [
      "paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)",
    ]],
    ["production routing P1 nowhere", at("monitors.routes", { P1: [] }), [
      "paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)",
    ]],
    ["route to a destination not configured", at("monitors.routes", { P1: ["email", "pagerduty"] }, unpaged(PRODUCTION)), [
      'paved:monitors.routes.P1[1]: got "pagerduty"; expected a destination configured in paved:monitors.alerts',
    ]],
    ["unknown destination", at("monitors.routes", { P1: ["sms"] }), [
      'paved:monitors.routes.P1[0]: got "sms"; expected pagerduty, email, slack or slack:<name>',
    ]],
    ["Slack webhook not declared as a secret", at("monitors.alerts.slackWebhookSecret", "SLACK_WEBHOOK_URL"), [
      'paved:monitors.alerts.slackWebhookSecret: got a string (not shown: this field names a secret); expected a secret named in paved:secrets.fromConfig',
    ]],
    ["malformed alert email", at("monitors.alerts.email", ["oncall"]), [
      'paved:monitors.alerts.email[0]: got a string (not shown: this field holds addresses); expected an email address',
    ]],
    ["PagerDuty service given by name", at("monitors.alerts.pagerdutyIntegrationId", "planningos-oncall"), [
      'paved:monitors.alerts.pagerdutyIntegrationId: got "planningos-oncall"; expected the 32-character hex id of a PagerDuty service connected to the Cloudflare account',
    ]],
    // Cloudflare health checks page through the PagerDuty service connected to the Cloudflare account.
    ["Cloudflare uptime without a Cloudflare zone", source(withValue(withValue(withValue(unpaged(PRODUCTION), "cdn", undefined), "monitors.uptime", { provider: "cloudflare" }),
      "monitors.alerts.pagerdutyIntegrationId", "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7")), [
      'paved:monitors.uptime.provider: got "cloudflare" without paved:cdn; expected a cdn section (health checks live in its zone, alerts in its account) or provider checkly',
    ]],
    ...ALERT_CASES,
  ];

  it.each(cases)("%s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });

  it("refuses a Slack webhook stored in plain text: a secret named in fromConfig must be a secure: value", () => {
    const plain = source(withValue(withValue(PRODUCTION, "monitors.alerts.slack", SLACK), "secrets.fromConfig", ["SLACK_ALERTS"]),
      { plain: { "paved:SLACK_ALERTS": "https://hooks.slack.com/services/T0/B0/plain" } });
    const found = problems(plain);
    // One line, at the secret itself: the webhook key names a declared secret, so it is not a second problem.
    expect(found).toEqual(["paved:SLACK_ALERTS: stored in plain text; expected a secret (pulumi config set --secret paved:SLACK_ALERTS <value>)"]);
    expect(found.join("\n")).not.toContain("hooks.slack.com");
  });

  it.each([
    ["web.secretEnv", (p: Record<string, unknown>) => withValue(p, "web.secretEnv", ["RESEND_API_KEY"])],
    ["github.actionsSecrets", (p: Record<string, unknown>) => withValue(p, "github", { ...GITHUB, actionsSecrets: ["RESEND_API_KEY"] })],
  ])("reports a declared secret stored in plain text once, not again where %s names it", (_key, use) => {
    const plain = source(use(withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"])), { plain: { "paved:RESEND_API_KEY": "re_live_abcdef" } });
    expect(problems(plain)).toEqual(["paved:RESEND_API_KEY: stored in plain text; expected a secret (pulumi config set --secret paved:RESEND_API_KEY <value>)"]);
  });

  it("reports every problem at once", () => {
    const bad = withValue(withValue(withValue(PRODUCTION, "web.domain", "bad..host"), "cdn.zoneId", "x"), "kind", "prod");
    expect(problems(source(bad))).toHaveLength(3);
  });

  it("never prints a secret's value", () => {
    const src = source(withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"]), { plain: { "paved:RESEND_API_KEY": "re_live_abcdef" } });
    expect(problems(src).join("\n")).not.toContain("re_live_abcdef");
  });
});

describe("loadEnvironmentConfig keeps what the frameworks make public", () => {
  it("accepts public build-time variables whose names look like secrets: the framework ships them to every browser", () => {
    const env = { VITE_APP_ENV: "production", NEXT_PUBLIC_SENTRY_DSN: "https://k@o1.ingest.sentry.io/1", VITE_STRIPE_PUBLISHABLE_KEY: "pk_live_1", PUBLIC_POSTHOG_KEY: "phc_1" };
    expect(loadEnvironmentConfig(at("web.env", env)).web!.env).toEqual(env);
  });

  it("still rejects a secret-looking name without a public prefix", () => {
    expect(problems(at("web.env", { VITE_APP_ENV: "production", SENTRY_DSN: "https://k@o1.ingest.sentry.io/1" }))).toEqual([
      "paved:web.env.SENTRY_DSN: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:web.secretEnv",
    ]);
  });
});

describe("loadEnvironmentConfig applies per-kind defaults", () => {
  it("production owns the zone, protects data and serves app.<domain>", () => {
    const config = loadEnvironmentConfig(source(PRODUCTION));
    expect(config.kind).toBe("production");
    expect(config.protect).toBe(true);
    expect(config.cdn?.ownsZone).toBe(true);
    expect(config.cdn?.zone?.hsts).toEqual({ maxAge: 31_536_000, preload: false });
    expect(config.web?.domain).toBe("app.planningos.com");
    expect(config.web?.projectName).toBe("planningos-production");
    expect(config.secrets.generate).toEqual({ JWT_SECRET: { length: 64, special: false, rotation: "2026-11", rotateEveryDays: 90 } });
  });

  it("staging is inferred from the stack name and leaves the zone alone", () => {
    const config = loadEnvironmentConfig(source(withValue(withValue(unpaged(PRODUCTION), "kind", undefined), "branch", undefined), { stack: "staging" }));
    expect(config.kind).toBe("staging");
    expect(config.branch).toBe("develop");
    expect(config.protect).toBe(false);
    expect(config.cdn?.zone).toBeUndefined();
    expect(config.web?.domain).toBe("staging.planningos.com");
  });

  it("a pull-request stack serves pr-N.<domain>", () => {
    const config = loadEnvironmentConfig(source(withValue(withValue(unpaged(PRODUCTION), "kind", undefined), "branch", "feature/login"), { stack: "pr-42" }));
    expect(config.kind).toBe("preview");
    expect(config.web?.domain).toBe("pr-42.planningos.com");
  });

  it("reads declared secrets as secret Outputs; one the plan cannot decrypt is a known secret placeholder, as the engine would hand a value", async () => {
    const withSecret = withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"]);
    const known = loadEnvironmentConfig(source(withSecret, { secret: { "paved:RESEND_API_KEY": "re_live_abcdef" } }));
    const opaque = loadEnvironmentConfig(source(withSecret, { opaque: ["paved:RESEND_API_KEY"] }));
    const read = async (o: pulumi.Output<string>) => ({ secret: await pulumi.isSecret(o), value: await new Promise((r) => o.apply(r)) });
    expect(await read(known.secrets.provided.RESEND_API_KEY)).toEqual({ secret: true, value: "re_live_abcdef" });
    // Unknown would drop the secret mark on the wire (an unknown is sent bare): the plan would show [unknown] where `pulumi preview` shows [secret].
    expect(await read(opaque.secrets.provided.RESEND_API_KEY)).toEqual({ secret: true, value: "[secret]" });
  });
});

describe("loadEnvironmentConfig resolves paved:github and paved:monitors per kind", () => {
  it("production owns the repository and requires one reviewed, up-to-date pull request", () => {
    const config = loadEnvironmentConfig(source(withValue(PRODUCTION, "github", GITHUB)));
    expect(config.github).toEqual({
      repository: "planningos/planningos", environment: "production", ownsRepository: true,
      protection: { requiredChecks: ["ci/test"], pullRequest: { approvals: 1, codeOwnerReview: false }, enforceAdmins: true, linearHistory: true, conversationResolution: true },
      reviewers: { users: [], teams: [9182736] }, actionsSecrets: [], codeOwners: false,
    });
    expect(config.monitors).toMatchObject({ routes: { P1: ["pagerduty", "email"], P2: ["email"], P3: ["email"] }, tiers: { api: "P1", web: "P2" }, consecutiveFails: 5 });
  });

  it("staging protects develop with checks only; a preview gets its own environment and no protection", () => {
    const staging = loadEnvironmentConfig(source(withValue(withValue(unpaged(PRODUCTION), "kind", "staging"), "github", { requiredChecks: ["ci/test"] }), { stack: "staging" }));
    expect(staging.github).toMatchObject({ environment: "staging", ownsRepository: false,
      protection: { requiredChecks: ["ci/test"], pullRequest: undefined, linearHistory: false } });
    expect(staging.monitors?.tiers).toEqual({ api: "P2", web: "P3" });
    const preview = loadEnvironmentConfig(source(withValue(withValue(unpaged(PRODUCTION), "kind", "preview"), "github", {}), { stack: "pr-7" }));
    expect(preview.github).toMatchObject({ environment: "pr-7", protection: undefined, ownsRepository: false });
  });

  it("monitors a stack with no Cloudflare zone through Checkly: 60-second checks, API down pages PagerDuty P1", () => {
    const api = { host: "render", render: { ownerId: "tea-projectflo01", runtime: "node", buildCommand: "npm ci", startCommand: "node server.js" }, hostname: "api.planningos.com" };
    const noZone = withValue(withValue(withValue(PRODUCTION, "cdn", undefined), "api", api), "monitors", { alerts: { email: ["a@b.co"], pagerduty: PD } });
    const config = loadEnvironmentConfig(source(noZone));
    expect(config.monitors!.uptime).toEqual({ provider: "checkly", locations: ["eu-central-1", "us-east-1"], downMinutes: 5, failedRuns: undefined, retry: true });
    const window = "down 5 min (probed every 60 s, each failure retried from another region)";
    expect(config.monitors!.rules.filter((r) => r.kind === "uptime").map((r) => [r.watches, r.window, r.tier])).toEqual([
      ["https://api.planningos.com/health", window, "P1"], ["https://app.planningos.com/", window, "P2"],
    ]);
    expect(config.monitors!.routes.P1).toEqual(["pagerduty", "email"]);
  });

  it("asks Sentry for a PagerDuty service only for tiers its alerts fire at: without an API, latency fires nothing", () => {
    const webOnly = at("monitors", {
      alerts: { email: ["a@b.co"], pagerduty: PD }, routes: { P1: ["pagerduty", "email"], P2: ["pagerduty"], P3: ["email"] },
      sentry: { ...SENTRY, integrations: { pagerduty: { id: 104257, services: { P1: "88231" } } } },
    });
    const config = loadEnvironmentConfig(webOnly);
    expect(config.monitors!.rules.map((r) => `${r.tier} ${r.service} ${r.kind}`)).toEqual(["P1 web uptime", "P1 web error-rate", "P3 web new-issues"]);
  });

  it("routes P3 to Slack when a webhook secret is declared", () => {
    const withSlack = withValue(withValue(withValue(PRODUCTION, "secrets.fromConfig", ["SLACK_WEBHOOK_URL"]), "monitors.alerts.slackWebhookSecret", "SLACK_WEBHOOK_URL"),
      "monitors.sentry", { ...SENTRY, integrations: { ...SENTRY_PAGING, slack: 7 } });
    const config = loadEnvironmentConfig(source(withSlack, { secret: { "paved:SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x" } }));
    expect(config.monitors?.routes).toEqual({ P1: ["pagerduty", "email"], P2: ["email"], P3: ["slack"] });
  });
});

describe("rotation dates of secrets supplied through config", () => {
  const withSupplied = (rotated: unknown) => source({
    ...PRODUCTION, secrets: { rotation: "2026-11", fromConfig: ["STRIPE_API_KEY", "DATABASE_PASSWORD"], rotated },
  }, { stack: "production", secret: { "paved:STRIPE_API_KEY": "sk_live_x", "paved:DATABASE_PASSWORD": "pw" } });

  it("defaults API keys to 90 days and passwords to 180", () => {
    const config = loadEnvironmentConfig(withSupplied({ STRIPE_API_KEY: { rotation: "2026-10" }, DATABASE_PASSWORD: { rotation: "2026-09" } }));
    expect(config.secrets.rotated).toEqual({
      STRIPE_API_KEY: { rotation: "2026-10", rotateEveryDays: 90 }, DATABASE_PASSWORD: { rotation: "2026-09", rotateEveryDays: 180 },
    });
  });

  it("rejects a label for a secret it does not read, and a label that is not a date", () => {
    expect(problems(withSupplied({ JWT_SECRET: { rotation: "2026-10" }, STRIPE_API_KEY: { rotation: "soon" } }))).toEqual([
      'paved:secrets.rotated.JWT_SECRET: names no secret in paved:secrets.fromConfig; expected one of STRIPE_API_KEY, DATABASE_PASSWORD',
      'paved:secrets.rotated.STRIPE_API_KEY.rotation: got a string (not shown: this field belongs to a secret); expected the date it was last rotated, such as 2026-11 or 2026-11-03',
    ]);
  });
});

describe("paved:delivery", () => {
  it.each([
    ["a time zone that is none", { windows: { timezone: "Eastern", days: ["tue"], hours: "10:00-14:00" } }, 'paved:delivery.windows.timezone: got "Eastern"; expected an IANA time zone such as America/New_York'],
    ["hours that end before they start", { windows: { timezone: "UTC", days: ["tue"], hours: "14:00-10:00" } }, 'paved:delivery.windows.hours: got "14:00-10:00"; expected a start before the end, within one day'],
    ["a day that is none", { windows: { timezone: "UTC", days: ["tuesday"], hours: "10:00-14:00" } }, 'paved:delivery.windows.days[0]: got "tuesday"; expected a day: sun, mon, tue, wed, thu, fri, sat'],
    ["a freeze that ends before it starts", { freezes: [{ from: "2027-01-02", to: "2026-12-20", reason: "launch" }] }, 'paved:delivery.freezes[0].to: got "2026-12-20", before its from "2027-01-02"; expected the last day of the freeze'],
    ["no branch to merge from", { mergeFrom: [] }, "paved:delivery.mergeFrom: got []; expected at least one branch"],
  ])("rejects %s", (_, delivery, message) => {
    expect(problems(source({ ...PRODUCTION, delivery }))).toEqual([message]);
  });

  it("makes the merge rule a required check of the stack's branch", () => {
    const config = loadEnvironmentConfig(source({ ...PRODUCTION, github: GITHUB, delivery: { mergeFrom: ["staging"] } }));
    expect(config.github?.protection?.requiredChecks).toEqual(["ci/test", "paved merge source"]);
  });
});

describe("paved:delivery.smoke", () => {
  it.each([
    ["a service that is neither", [{ service: "db", path: "/" }], 'paved:delivery.smoke[0].service: got "db"; expected api or web: whose public URL the path is on'],
    ["a path that is a URL", [{ service: "api", path: "https://evil.example/" }], 'paved:delivery.smoke[0].path: got "https://evil.example/"; expected a URL path such as /health'],
    ["a status that is none", [{ service: "api", path: "/health", status: 42 }], "paved:delivery.smoke[0].status: got 42; expected an HTTP status such as 200"],
  ])("rejects %s", (_, smoke, message) => {
    expect(problems(source({ ...PRODUCTION, delivery: { smoke } }))).toEqual([message]);
  });
});

import { describe, expect, it } from "vitest";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const GITHUB = { requiredChecks: ["ci/test"], reviewers: { teams: [9182736] } };


const at = (path: string, value: unknown) => source(withValue(PRODUCTION, path, value));

describe("loadEnvironmentConfig rejects bad stack config with one line per problem", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["typo'd top-level key", source({ ...PRODUCTION, domian: "x.com" }), [
      'paved:domian: unknown key; expected one of kind, branch, domain, repository, web, cdn, secrets, api, database, github, monitors, or a secret named in paved:secrets.fromConfig',
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
      'paved:web.secretEnv[0]: got "SENTRY_AUTH_TOKEN"; expected a secret that paved:secrets generates or reads (fromConfig)',
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
      "paved:RESEND_API_KEY: missing; expected a secret (pulumi config set --secret paved:RESEND_API_KEY <value>)",
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
      'paved:github.actionsSecrets[0]: got "DEPLOY_TOKEN"; expected a secret that paved:secrets generates or reads (fromConfig)',
    ]],
    ["provider owner other than the repository's", source(withValue(PRODUCTION, "github", GITHUB), { plain: { "github:owner": "someone-else" } }), [
      'github:owner: got "someone-else"; expected planningos, the owner in paved:repository',
    ]],
    ["github in a local stack", source({ ...withValue(PRODUCTION, "kind", "local"), web: undefined, cdn: undefined, monitors: undefined, github: GITHUB }, { stack: "local" }), [
      "paved:github: not available for local stacks (nothing deploys from GitHub); expected no github section",
    ]],
    // paved:monitors
    ["production without monitors", at("monitors", undefined), [
      "paved:monitors: missing; expected alert routes for production stacks (alerts.email, alerts.pagerdutyIntegrationId or alerts.slackWebhookSecret)",
    ]],
    ["production with no alert destination", at("monitors", { alerts: {} }), [
      "paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)",
    ]],
    ["production routing P1 nowhere", at("monitors.routes", { P1: [] }), [
      "paved:monitors.routes.P1: got no destination; expected at least one for production stacks (P1 alerts when production is down)",
    ]],
    ["route to a destination not configured", at("monitors.routes", { P1: ["email", "pagerduty"] }), [
      'paved:monitors.routes.P1[1]: got "pagerduty"; expected a destination configured in paved:monitors.alerts',
    ]],
    ["unknown destination", at("monitors.routes", { P1: ["sms"] }), [
      'paved:monitors.routes.P1[0]: got "sms"; expected one of pagerduty, email, slack',
    ]],
    ["Slack webhook not declared as a secret", at("monitors.alerts.slackWebhookSecret", "SLACK_WEBHOOK_URL"), [
      'paved:monitors.alerts.slackWebhookSecret: got "SLACK_WEBHOOK_URL"; expected a secret named in paved:secrets.fromConfig',
    ]],
    ["malformed alert email", at("monitors.alerts.email", ["oncall"]), [
      'paved:monitors.alerts.email[0]: got "oncall"; expected an email address',
    ]],
    ["PagerDuty service given by name", at("monitors.alerts.pagerdutyIntegrationId", "planningos-oncall"), [
      'paved:monitors.alerts.pagerdutyIntegrationId: got "planningos-oncall"; expected the 32-character hex id of a PagerDuty service connected to the Cloudflare account',
    ]],
    ["monitors without a Cloudflare zone", at("cdn", undefined), [
      "paved:monitors: set without paved:cdn; expected a cdn section (health checks live in its zone, alerts in its account)",
    ]],
  ];

  it.each(cases)("%s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
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
    const config = loadEnvironmentConfig(source(withValue(withValue(PRODUCTION, "kind", undefined), "branch", undefined), { stack: "staging" }));
    expect(config.kind).toBe("staging");
    expect(config.branch).toBe("develop");
    expect(config.protect).toBe(false);
    expect(config.cdn?.zone).toBeUndefined();
    expect(config.web?.domain).toBe("staging.planningos.com");
  });

  it("a pull-request stack serves pr-N.<domain>", () => {
    const config = loadEnvironmentConfig(source(withValue(withValue(PRODUCTION, "kind", undefined), "branch", "feature/login"), { stack: "pr-42" }));
    expect(config.kind).toBe("preview");
    expect(config.web?.domain).toBe("pr-42.planningos.com");
  });

  it("reads declared secrets as secret Outputs, unknown when the plan cannot decrypt them", () => {
    const withSecret = withValue(PRODUCTION, "secrets.fromConfig", ["RESEND_API_KEY"]);
    const known = loadEnvironmentConfig(source(withSecret, { secret: { "paved:RESEND_API_KEY": "re_live_abcdef" } }));
    const opaque = loadEnvironmentConfig(source(withSecret, { opaque: ["paved:RESEND_API_KEY"] }));
    expect(Object.keys(known.secrets.provided)).toEqual(["RESEND_API_KEY"]);
    expect(Object.keys(opaque.secrets.provided)).toEqual(["RESEND_API_KEY"]);
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
    expect(config.monitors).toMatchObject({ routes: { P1: ["email"], P2: ["email"], P3: [] }, tiers: { api: "P1", web: "P2" }, consecutiveFails: 5 });
  });

  it("staging protects develop with checks only; a preview gets its own environment and no protection", () => {
    const staging = loadEnvironmentConfig(source(withValue(withValue(PRODUCTION, "kind", "staging"), "github", { requiredChecks: ["ci/test"] }), { stack: "staging" }));
    expect(staging.github).toMatchObject({ environment: "staging", ownsRepository: false,
      protection: { requiredChecks: ["ci/test"], pullRequest: undefined, linearHistory: false } });
    expect(staging.monitors?.tiers).toEqual({ api: "P2", web: "P3" });
    const preview = loadEnvironmentConfig(source(withValue(withValue(PRODUCTION, "kind", "preview"), "github", {}), { stack: "pr-7" }));
    expect(preview.github).toMatchObject({ environment: "pr-7", protection: undefined, ownsRepository: false });
  });

  it("routes P3 to Slack when a webhook secret is declared", () => {
    const withSlack = withValue(withValue(PRODUCTION, "secrets.fromConfig", ["SLACK_WEBHOOK_URL"]), "monitors.alerts.slackWebhookSecret", "SLACK_WEBHOOK_URL");
    const config = loadEnvironmentConfig(source(withSlack, { secret: { "paved:SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x" } }));
    expect(config.monitors?.routes).toEqual({ P1: ["email"], P2: ["email"], P3: ["slack"] });
  });
});

/** Stack config errors of the API and database sections, one exact line each. */
import { describe, expect, it } from "vitest";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const DIGEST = `ghcr.io/planningos/api@sha256:${"0".repeat(64)}`;
const BASE = {
  ...PRODUCTION,
  api: { host: "fly", port: 3001, image: { digest: DIGEST }, fly: { org: "planningos" } },
  database: { provider: "neon", neon: { region: "aws-eu-central-1" } },
};
const at = (path: string, value: unknown, stack = "production") => source(withValue(BASE, path, value), { stack });
/** BASE as the staging stack's file: staging's branch, and no pager (staging never pages). */
const STAGING = withValue(withValue(withValue(BASE, "kind", "staging"), "branch", "develop"), "monitors.alerts.pagerduty", undefined);


describe("API and database config errors", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["unknown API host", at("api.host", "heroku"), ['paved:api.host: got "heroku"; expected one of fly, render, docker, railway']],
    ["host without its settings", at("api.fly", undefined), ["paved:api.fly: missing; expected the fly settings for api.host fly"]],
    ["settings of another host", at("api.render", { ownerId: "tea-abc123" }), ["paved:api.render: set while api.host is fly; expected only paved:api.fly"]],
    ["two image sources", at("api.image", { digest: DIGEST, promoteFrom: "organization/paved/staging" }),
      ["paved:api.image: got digest and promoteFrom; expected exactly one of build, digest or promoteFrom"]],
    ["no image source", at("api.image", undefined), ["paved:api.image: missing; expected exactly one of build, digest or promoteFrom"]],
    ["a tag where a digest is required", at("api.image.digest", "ghcr.io/planningos/api:latest"),
      ['paved:api.image.digest: got "ghcr.io/planningos/api:latest"; expected an image reference pinned by digest, such as ghcr.io/owner/api@sha256:<64 hex>']],
    ["bad Fly region", at("api.fly.regions", ["paris"]), ['paved:api.fly.regions[0]: got "paris"; expected a Fly.io region code such as cdg']],
    ["debug logs in production", at("api.logLevel", "debug"), ['paved:api.logLevel: got "debug"; expected info, warn or error in production']],
    ["debug logs in production, in capitals", at("api.logLevel", "DEBUG"), ['paved:api.logLevel: got "DEBUG"; expected info, warn or error in production']],
    ["unknown log level", at("api.logLevel", "verbose"), ['paved:api.logLevel: got "verbose"; expected one of trace, debug, info, warn, error, in lower or upper case as the application reads it']],
    ["DEBUG on in production", at("api.debug", true), ["paved:api.debug: got true; expected false in production"]],
    ["plain-http CORS origin", at("api.corsOrigins", ["http://app.planningos.com"]),
      ['paved:api.corsOrigins[0]: got "http://app.planningos.com"; expected an https origin outside local stacks']],
    ["a variable paved sets itself", at("api.env", { DATABASE_URL: "postgres://x" }), ["paved:api.env.DATABASE_URL: set by paved itself; expected it left out"]],
    ["a secret in plain env", at("api.env", { STRIPE_SECRET_KEY: "sk_live_x" }),
      ["paved:api.env.STRIPE_SECRET_KEY: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:api.secretEnv"]],
    ["secretEnv naming no secret", at("api.secretEnv", ["STRIPE_SECRET_KEY"]),
      ['paved:api.secretEnv[0]: got a string (not shown: this field names a secret); expected a secret that paved:secrets generates or reads (fromConfig)']],
    ["API host outside the zone", at("api.hostname", "api.example.org"), ['paved:api.hostname: got "api.example.org"; expected a host inside the zone planningos.com']],
    ["Docker host without a server", at("api", { host: "docker", image: { digest: DIGEST } }),
      ["paved:api.docker.host: missing; expected the server's Docker host, such as ssh://deploy@host",
        // With a zone, a hostname with no record would only ever be probed and alert.
        "paved:api.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of api.planningos.com"]],
    ["Render with only a build command", at("api", { host: "render", render: { ownerId: "tea-abc123", buildCommand: "npm run build" } }),
      ["paved:api.render: has only one of buildCommand and startCommand; expected both for a repo-backed service"]],
    ["unknown database provider", at("database.provider", "supabase"), ['paved:database.provider: got "supabase"; expected one of neon, render, docker']],
    ["Render autoscaling upside down, on nothing, beside a fixed count", at("api", { host: "render", image: { digest: DIGEST }, render: { ownerId: "tea-abc123", instances: 2, autoscaling: { min: 4, max: 2 } } }), [
      "paved:api.render.autoscaling.min: got 4; expected at most max (2)",
      "paved:api.render.autoscaling: has neither cpuPercent nor memoryPercent; expected at least one target Render scales on",
      "paved:api.render.instances: got 2 with autoscaling; expected one of them (autoscaling sets the count between min and max)",
    ]],
    ["an extension paved does not know", at("database.extensions", ["timescaledb"]),
      ['paved:database.extensions[0]: got "timescaledb"; expected one of pg_stat_statements']],
    ["too little history in production", at("database.retentionDays", 3),
      ["paved:database.retentionDays: got 3; expected at least 7 days of point-in-time history in production"]],
    ["Neon autoscaling upside down", at("database.neon", { region: "aws-eu-central-1", minCu: 4, maxCu: 1 }),
      ["paved:database.neon.minCu: got 4; expected at most maxCu (1)"]],
    ["retention beyond what the Render plan gives", at("database", { provider: "render", retentionDays: 14, render: { ownerId: "tea-abc123", plan: "pro_4gb" } }),
      ['paved:database.retentionDays: got 14; expected at most 7 for Render plan "pro_4gb" in a professional workspace (Render\'s point-in-time recovery window)']],
    ["retention in a hobby workspace", at("database", { provider: "render", retentionDays: 7, render: { ownerId: "tea-abc123", plan: "basic_1gb", workspacePlan: "hobby" } }),
      ['paved:database.retentionDays: got 7; expected at most 3 for Render plan "basic_1gb" in a hobby workspace (Render\'s point-in-time recovery window)']],
    ["production in a hobby workspace", at("database", { provider: "render", render: { ownerId: "tea-abc123", plan: "basic_1gb", workspacePlan: "hobby" } }),
      ['paved:database.render.workspacePlan: got "hobby"; expected professional or higher in production (a hobby workspace keeps 3 days of point-in-time recovery; production needs 7)']],
    ["retention on Render's free plan", at("database", { provider: "render", retentionDays: 1, render: { ownerId: "tea-abc123", plan: "free" } }), [
      "paved:database.retentionDays: got 1; expected at least 7 days of point-in-time history in production",
      'paved:database.retentionDays: got 1; expected 0 for Render plan "free", which has no point-in-time recovery (choose a paid plan)',
    ]],
    ["an unknown workspace plan", at("database", { provider: "render", render: { ownerId: "tea-abc123", plan: "pro_4gb", workspacePlan: "team" } }),
      ['paved:database.render.workspacePlan: got "team"; expected the Render workspace\'s plan: one of hobby, professional, organization, enterprise']],
    ["retention for Docker", at("database", { provider: "docker", retentionDays: 7 }), [
      "paved:database.retentionDays: set for docker; expected paved:database.docker.backups.keepDays instead (the days a Docker Postgres keeps dumps and point-in-time recovery)",
    ]],
    ["too few dumps in production", at("database", { provider: "docker", docker: { backups: { keepDays: 3 } } }),
      ["paved:database.docker.backups.keepDays: got 3; expected at least 7 days of dumps in production"]],
    ["no dumps in production", at("database", { provider: "docker", docker: { backups: { enabled: false } } }),
      ["paved:database.docker.backups.enabled: got false; expected scheduled dumps in production"]],
    ["point-in-time recovery without backups", at("database", { provider: "docker", docker: { backups: { enabled: false, pitr: true } } }), [
      "paved:database.docker.backups.enabled: got false; expected scheduled dumps in production",
      "paved:database.docker.backups.pitr: got true with backups.enabled false; expected backups on for point-in-time recovery (or pitr: false)",
    ]],
    ["an archive timeout beyond an hour", at("database", { provider: "docker", docker: { backups: { archiveTimeoutSeconds: 7200 } } }),
      ["paved:database.docker.backups.archiveTimeoutSeconds: got 7200; expected seconds between forced WAL archives: a whole number from 60 to 3600"]],
    ["an archive timeout with point-in-time recovery off", at("database", { provider: "docker", docker: { backups: { pitr: false, archiveTimeoutSeconds: 600 } } }),
      ["paved:database.docker.backups.archiveTimeoutSeconds: got 600 with pitr off; expected it only with paved:database.docker.backups.pitr on"]],
    ["a schedule that is not cron", at("database", { provider: "docker", docker: { backups: { schedule: "daily" } } }),
      ['paved:database.docker.backups.schedule: got "daily"; expected a cron schedule such as @daily or 0 3 * * *']],
    ["adopting a Neon database", at("database", { provider: "neon", adopt: "proj-123", neon: { region: "aws-eu-central-1" } }),
      ["paved:database.adopt: set for neon; expected it only for render or docker (a Neon database is adopted by importing its project, role and database by hand)"]],
    ["adopting a Render database by a service id", at("database", { provider: "render", adopt: "srv-abc123", render: { ownerId: "tea-abc123", plan: "pro_4gb" } }),
      ['paved:database.adopt: got "srv-abc123"; expected a Render Postgres id such as dpg-abc123']],
    ["an open CIDR that is not one", at("database", { provider: "render", render: { ownerId: "tea-abc123", plan: "pro_4gb", allowCidrs: ["everyone"] } }),
      ['paved:database.render.allowCidrs[0]: got "everyone"; expected an IPv4 CIDR block such as 203.0.113.0/24']],
    ["a Neon project without a region", at("database.neon", {}),
      ["paved:database.neon.region: missing; expected a Neon region id such as aws-eu-central-1 (or neon.branchFrom to branch another stack's project)"]],
    ["production branching another stack", at("database.neon", { branchFrom: "organization/paved/staging" }),
      ['paved:database.neon.branchFrom: got "organization/paved/staging"; expected production to own its project (branches are for staging and previews)']],
    ["a branch with a region and a retention of its own", source(withValue(withValue(withValue(BASE, "kind", "preview"), "branch", "feature/x"),
      "database", { provider: "neon", retentionDays: 1, neon: { region: "aws-eu-central-1", branchFrom: "organization/paved/staging" } }), { stack: "pr-9" }), [
      "paved:database.neon.region: set with neon.branchFrom; expected one of them (a branch lives in its parent's region)",
      "paved:database.retentionDays: set with neon.branchFrom; expected it on the parent stack, whose project keeps the history",
    ]],
    ["Railway with neither project nor projectFrom", at("api", { host: "railway", image: { digest: DIGEST }, railway: { environment: "production" } }),
      ["paved:api.railway: has neither project nor projectFrom; expected project (a name, to create it) or projectFrom (the stack that created it)"]],
    ["Railway with both project and projectFrom", at("api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos", projectFrom: "organization/paved/staging" } }),
      ['paved:api.railway: got both project "planningos" and projectFrom "organization/paved/staging"; expected exactly one']],
    ["a Railway region that is not one", at("api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos", region: "Virginia" } }),
      ['paved:api.railway.region: got "Virginia"; expected a Railway region such as us-east4']],
    ["Railway replicas out of range", at("api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos", replicas: 0 } }),
      ["paved:api.railway.replicas: got 0; expected replicas: a whole number from 1 to 50"]],
    ["a workspace for a project another stack made", at("api", { host: "railway", image: { digest: DIGEST }, railway: { projectFrom: "organization/paved/staging", workspaceId: "ws-1" } }),
      ["paved:api.railway.workspaceId: set with projectFrom; expected it only with project, where the project is created"]],
    ["a Railway root directory with no build", at("api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos", rootDirectory: "apps/api" } }),
      ['paved:api.railway.rootDirectory: got "apps/api" without buildCommand; expected buildCommand for a service Railway builds from the repository']],
    ["Railway settings while the host is Fly", at("api.railway", { project: "planningos" }),
      ["paved:api.railway: set while api.host is fly; expected only paved:api.fly"]],
  ];

  it.each(cases)("%s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });

  it("keeps local stacks in the local Docker engine", () => {
    const local = { kind: "local", secrets: PRODUCTION.secrets, api: BASE.api, database: BASE.database };
    expect(problems(source(local, { stack: "local" }))).toEqual([
      'paved:api.host: got "fly"; expected docker for local stacks',
      'paved:database.provider: got "neon"; expected docker for local stacks',
    ]);
  });
});

describe("API settings kept as written", () => {
  it("keeps the log level's case, for applications that read INFO rather than info", () => {
    expect(loadEnvironmentConfig(at("api.logLevel", "INFO")).api!.logLevel).toBe("INFO");
  });
});

describe("API and database defaults per kind", () => {
  it("production: api.<domain>, two machines, one kept running, info logs, 7 days of history", () => {
    const config = loadEnvironmentConfig(source(BASE));
    expect(config.api).toMatchObject({ hostname: "api.planningos.com", port: 3001, healthPath: "/health", logLevel: "info", debug: false,
      fly: { appName: "planningos-api-production", regions: ["cdg"], machines: 2, minRunning: 1, autostop: "stop" } });
    expect(config.database).toMatchObject({ name: "app", instanceName: "planningos-production", version: 17, retentionDays: 7 });
  });

  it("staging: <stack>-api.<domain>, one machine, none kept running, 1 day of history", () => {
    const config = loadEnvironmentConfig(source(STAGING, { stack: "staging" }));
    expect(config.api).toMatchObject({ hostname: "staging-api.planningos.com", fly: { machines: 1, minRunning: 0 } });
    expect(config.database?.retentionDays).toBe(1);
    expect(config.protect).toBe(false);
  });

  it("railway: the stack's own environment and service name, replicas per kind", () => {
    const config = loadEnvironmentConfig(at("api", { host: "railway", image: { digest: DIGEST }, railway: { project: "planningos", region: "us-east4" } }));
    expect(config.api?.railway).toEqual({ project: "planningos", projectFrom: undefined, workspaceId: undefined, environment: "production",
      serviceName: "planningos-api-production", region: "us-east4", replicas: 2, rootDirectory: undefined, buildCommand: undefined, startCommand: undefined });
  });

  it("build: the image repository defaults to GHCR under the repository's owner", () => {
    // Staging builds the image; production promotes the digest staging ran.
    const config = loadEnvironmentConfig(source(withValue(STAGING, "api.image", { build: { context: ".", dockerfile: "apps/api/Dockerfile" } }), { stack: "staging" }));
    expect(config.api?.image).toEqual({ kind: "build", context: ".", dockerfile: "apps/api/Dockerfile", platform: "linux/amd64",
      repository: "ghcr.io/planningos/planningos-api", registry: undefined });
  });
});

describe("paved:api.migrate", () => {
  const api = (host: string, extra: Record<string, unknown>) => source({ ...PRODUCTION, api: { host, port: 8080, image: { promoteFrom: "organization/paved/staging" }, migrate: "prisma migrate deploy", ...extra } });

  it("runs before the new release serves: Render's and Railway's pre-deploy command, paved's own run on Fly.io and Docker", () => {
    const render = loadEnvironmentConfig(api("render", { render: { ownerId: "tea-abc123" } }));
    expect([render.api?.render?.preDeployCommand, render.api?.migrate]).toEqual(["prisma migrate deploy", undefined]);
    const railway = loadEnvironmentConfig(api("railway", { railway: { project: "shop" } }));
    expect([railway.api?.railway?.preDeployCommand, railway.api?.migrate]).toEqual(["prisma migrate deploy", undefined]);
    expect(loadEnvironmentConfig(api("fly", { fly: { org: "acme" } })).api?.migrate).toBe("prisma migrate deploy");
  });

  it.each([
    ["fly", { fly: { org: "acme" }, migrate: "sqlx migrate run --source 'db" },
      `paved:api.migrate: got "sqlx migrate run --source 'db", but the command has an unclosed ' quote; expected a command line such as prisma migrate deploy`],
    ["render", { render: { ownerId: "tea-abc123", preDeployCommand: "npm run migrate" } }, "paved:api.render.preDeployCommand: set with paved:api.migrate; expected one of them (migrate is Render's pre-deploy command)"],
  ])("refuses on %s a command that does not split into words, or one given twice", (host, extra, message) => {
    expect(problems(api(host, extra))).toContain(message);
  });
});

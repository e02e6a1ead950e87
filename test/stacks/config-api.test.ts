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


describe("API and database config errors", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["unknown API host", at("api.host", "heroku"), ['paved:api.host: got "heroku"; expected one of fly, render, docker']],
    ["host without its settings", at("api.fly", undefined), ["paved:api.fly: missing; expected the fly settings for api.host fly"]],
    ["settings of another host", at("api.render", { ownerId: "tea-abc123" }), ["paved:api.render: set while api.host is fly; expected only paved:api.fly"]],
    ["two image sources", at("api.image", { digest: DIGEST, promoteFrom: "organization/paved/staging" }),
      ["paved:api.image: got digest and promoteFrom; expected exactly one of build, digest or promoteFrom"]],
    ["no image source", at("api.image", undefined), ["paved:api.image: missing; expected exactly one of build, digest or promoteFrom"]],
    ["a tag where a digest is required", at("api.image.digest", "ghcr.io/planningos/api:latest"),
      ['paved:api.image.digest: got "ghcr.io/planningos/api:latest"; expected an image reference pinned by digest, such as ghcr.io/owner/api@sha256:<64 hex>']],
    ["bad Fly region", at("api.fly.regions", ["paris"]), ['paved:api.fly.regions[0]: got "paris"; expected a Fly.io region code such as cdg']],
    ["debug logs in production", at("api.logLevel", "debug"), ['paved:api.logLevel: got "debug"; expected info, warn or error in production']],
    ["DEBUG on in production", at("api.debug", true), ["paved:api.debug: got true; expected false in production"]],
    ["plain-http CORS origin", at("api.corsOrigins", ["http://app.planningos.com"]),
      ['paved:api.corsOrigins[0]: got "http://app.planningos.com"; expected an https origin outside local stacks']],
    ["a variable paved sets itself", at("api.env", { DATABASE_URL: "postgres://x" }), ["paved:api.env.DATABASE_URL: set by paved itself; expected it left out"]],
    ["a secret in plain env", at("api.env", { STRIPE_SECRET_KEY: "sk_live_x" }),
      ["paved:api.env.STRIPE_SECRET_KEY: holds what looks like a secret in plain text; expected it in paved:secrets and its name in paved:api.secretEnv"]],
    ["secretEnv naming no secret", at("api.secretEnv", ["STRIPE_SECRET_KEY"]),
      ['paved:api.secretEnv[0]: got "STRIPE_SECRET_KEY"; expected a secret that paved:secrets generates or reads (fromConfig)']],
    ["API host outside the zone", at("api.hostname", "api.example.org"), ['paved:api.hostname: got "api.example.org"; expected a host inside the zone planningos.com']],
    ["Docker host without a server", at("api", { host: "docker", image: { digest: DIGEST } }),
      ["paved:api.docker.host: missing; expected the server's Docker host, such as ssh://deploy@host",
        // With a zone, a hostname with no record would only ever be probed and alert.
        "paved:api.docker.address: missing; expected the server's public IPv4 or IPv6 address, for the record of api.planningos.com"]],
    ["Render with only a build command", at("api", { host: "render", render: { ownerId: "tea-abc123", buildCommand: "npm run build" } }),
      ["paved:api.render: has only one of buildCommand and startCommand; expected both for a repo-backed service"]],
    ["unknown database provider", at("database.provider", "supabase"), ['paved:database.provider: got "supabase"; expected one of neon, render, docker']],
    ["too little history in production", at("database.retentionDays", 3),
      ["paved:database.retentionDays: got 3; expected at least 7 days of point-in-time history in production"]],
    ["Neon autoscaling upside down", at("database.neon", { region: "aws-eu-central-1", minCu: 4, maxCu: 1 }),
      ["paved:database.neon.minCu: got 4; expected at most maxCu (1)"]],
    ["retention for Render", at("database", { provider: "render", retentionDays: 7, render: { ownerId: "tea-abc123", plan: "pro_4gb" } }),
      ["paved:database.retentionDays: set for render; expected it only for neon (Render's window follows the plan; Docker has none)"]],
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

describe("API and database defaults per kind", () => {
  it("production: api.<domain>, two machines, one kept running, info logs, 7 days of history", () => {
    const config = loadEnvironmentConfig(source(BASE));
    expect(config.api).toMatchObject({ hostname: "api.planningos.com", port: 3001, healthPath: "/health", logLevel: "info", debug: false,
      fly: { appName: "planningos-api-production", regions: ["cdg"], machines: 2, minRunning: 1, autostop: "stop" } });
    expect(config.database).toMatchObject({ name: "app", instanceName: "planningos-production", version: 17, retentionDays: 7 });
  });

  it("staging: <stack>-api.<domain>, one machine, none kept running, 1 day of history", () => {
    const config = loadEnvironmentConfig(source(withValue(withValue(BASE, "kind", "staging"), "branch", "develop"), { stack: "staging" }));
    expect(config.api).toMatchObject({ hostname: "staging-api.planningos.com", fly: { machines: 1, minRunning: 0 } });
    expect(config.database?.retentionDays).toBe(1);
    expect(config.protect).toBe(false);
  });

  it("build: the image repository defaults to GHCR under the repository's owner", () => {
    const config = loadEnvironmentConfig(at("api.image", { build: { context: ".", dockerfile: "apps/api/Dockerfile" } }));
    expect(config.api?.image).toEqual({ kind: "build", context: ".", dockerfile: "apps/api/Dockerfile", platform: "linux/amd64",
      repository: "ghcr.io/planningos/planningos-api", registry: undefined });
  });
});

import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import type { ApiAppArgs } from "../../components/api";
import { migrationOutcome } from "../../components/api-hosts";
import { capture, resolve, Secret, UNKNOWN } from "../harness";

const DIGEST = `ghcr.io/planningos/api@sha256:${"a".repeat(64)}`;
const FLY: ApiAppArgs = {
  host: "fly", hostname: "api.planningos.com", port: 3001, healthPath: "/health",
  image: { kind: "digest", ref: DIGEST },
  env: { LOG_LEVEL: "info" }, secretEnv: { JWT_SECRET: "jwt-value", DATABASE_URL: "postgres://u:p@h/db" },
  fly: { org: "planningos", appName: "planningos-api-production", regions: ["cdg", "ams"], machines: 2, cpuKind: "shared", cpus: 1,
    memoryMb: 512, minRunning: 1, autostop: "stop", dedicatedIpv4: false },
};

async function build(args: ApiAppArgs, withDocker = false, options: Parameters<typeof capture>[1] = {}) {
  return capture(async () => {
    const { ApiApp } = await import("../../components/api");
    const extra = withDocker ? { docker: { ...args.docker!, provider: new docker.Provider("engine", {}) } } : {};
    return new ApiApp("production-api", { ...args, ...extra });
  }, options);
}

describe("ApiApp on Fly.io", () => {
  it("creates the app and machines per region, each after the secrets they boot with", async () => {
    const run = await build(FLY);
    const machines = run.all("paved:fly:Machine");
    expect(machines.map((m) => m.name)).toEqual(["production-api-cdg-1", "production-api-cdg-2", "production-api-ams-1", "production-api-ams-2"]);
    const secrets = run.one("paved:fly:Secrets");
    for (const m of machines) {
      expect(m.parent).toBe(run.one("paved:api:ApiApp").urn);
      // After the secrets because their version flows into the machine's metadata: no dependsOn.
      expect(m.propertyDependencies.config).toContain(secrets.urn);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested provider config, asserted field by field
    const config = machines[0].inputs.config as Record<string, any>;
    expect(config.image).toBe(DIGEST);
    expect(config.env).toEqual({ LOG_LEVEL: "info" });
    expect(config.guest).toEqual({ cpu_kind: "shared", cpus: 1, memory_mb: 512 });
    expect(config.services[0]).toMatchObject({ internal_port: 3001, autostop: "stop", autostart: true, min_machines_running: 1 });
    expect(config.checks).toEqual({ health: { type: "http", port: 3001, path: "/health", method: "GET", interval: "30s", timeout: "10s", grace_period: "20s" } });
  });

  it("times the health check as the stack says", async () => {
    const run = await build({ ...FLY, fly: { ...FLY.fly!, check: { interval: 15, timeout: 5, gracePeriod: 10 } } });
    const config = run.all("paved:fly:Machine")[0].inputs.config as { checks: unknown };
    expect(config.checks).toEqual({ health: { type: "http", port: 3001, path: "/health", method: "GET", interval: "15s", timeout: "5s", grace_period: "10s" } });
  });

  it("hands secret env to Fly only as secrets, never in machine config", async () => {
    const run = await build(FLY);
    const values = run.one("paved:fly:Secrets").inputs.values as Record<string, unknown>;
    expect(Object.keys(values).sort()).toEqual(["DATABASE_URL", "JWT_SECRET"]);
    for (const v of Object.values(values)) expect(v).toBeInstanceOf(Secret);
    expect(JSON.stringify(run.all("paved:fly:Machine").map((m) => m.inputs))).not.toContain("jwt-value");
  });

  it("runs the migration in a one-off machine of the new image after the secrets, and updates no machine before it exits 0", async () => {
    const run = await build({ ...FLY, migrate: "sqlx migrate run" });
    const migration = run.one("paved:fly:Migration");
    expect(migration.name).toBe("production-api-migrate");
    expect(migration.parent).toBe(run.one("paved:api:ApiApp").urn);
    expect(migration.inputs).toEqual({
      app: UNKNOWN, region: "cdg", image: DIGEST, command: "sqlx migrate run", env: { LOG_LEVEL: "info" },
      guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
    });
    expect(migration.dependencies).toContain(run.one("paved:fly:Secrets").urn);
    for (const m of run.all("paved:fly:Machine")) expect(m.dependencies).toContain(migration.urn);
    expect((await build(FLY)).all("paved:fly:Migration")).toEqual([]);
  });

  it("certifies the hostname, allocates IPv6 and shared IPv4, and points DNS at the app's IPv6", async () => {
    const run = await build(FLY);
    expect(run.one("paved:fly:Certificate").inputs.hostname).toBe("api.planningos.com");
    expect(run.all("paved:fly:IpAddress").map((ip) => ip.inputs.type)).toEqual(["v6", "shared_v4"]);
    expect(run.value.record?.type).toBe("AAAA");
    const ipv6 = run.all("paved:fly:IpAddress").find((ip) => ip.inputs.type === "v6")!;
    expect(ipv6.name).toBe("production-api-ipv6");
    expect((await resolve(run.value.url)).value).toBe("https://api.planningos.com");
  });

  it("builds and pushes an image when asked, and deploys its digest", async () => {
    const run = await build({ ...FLY, image: { kind: "build", context: ".", dockerfile: "apps/api/Dockerfile", platform: "linux/amd64", repository: "ghcr.io/planningos/planningos-api",
      registry: { server: "ghcr.io", username: "bot", password: "ghcr-token" } } });
    const image = run.one("docker:index/image:Image");
    expect(image.inputs).toMatchObject({ imageName: "ghcr.io/planningos/planningos-api:test", skipPush: false, build: { context: ".", dockerfile: "apps/api/Dockerfile" } });
    expect((image.inputs.registry as { password: unknown }).password).toBeInstanceOf(Secret);
    expect((run.all("paved:fly:Machine")[0].inputs.config as { image: unknown }).image).toBe(UNKNOWN);
  });

  it("promotes the image another stack deployed", async () => {
    const run = await build({ ...FLY, image: { kind: "promote", stack: "organization/paved/staging" } });
    const ref = run.one("pulumi:pulumi:StackReference");
    expect(ref).toMatchObject({ name: "production-api-promoted", read: true });
    expect(ref.inputs.name).toBe("organization/paved/staging");
  });
});

describe("ApiApp on Render", () => {
  const RENDER: ApiAppArgs = {
    host: "render", hostname: "api.projectflo.app", port: 10000, healthPath: "/health", repository: "projectflo/projectflo", branch: "master",
    env: { NODE_ENV: "production" }, secretEnv: { JWT_SECRET: "jwt-value" },
    render: { ownerId: "tea-abc123", serviceName: "projectflo-api-production", region: "frankfurt", plan: "standard", instances: 2,
      runtime: "node", rootDir: "packages/backend", buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", preDeployCommand: "npm run migrate" },
  };

  it("builds from the repository with root dir, build and start commands, health check and pre-deploy", async () => {
    const run = await build(RENDER);
    const service = run.one("paved:render:Service");
    expect(service.inputs).toMatchObject({
      ownerId: "tea-abc123", name: "projectflo-api-production", region: "frankfurt", plan: "standard", numInstances: 2,
      repo: "https://github.com/projectflo/projectflo", branch: "master", rootDir: "packages/backend", runtime: "node",
      buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", healthCheckPath: "/health",
      preDeployCommand: "npm run migrate", customDomains: ["api.projectflo.app"],
    });
    const env = service.inputs.envVars as Record<string, unknown>;
    expect(env.NODE_ENV).toBe("production");
    expect(env.JWT_SECRET).toBeInstanceOf(Secret);
  });

  it("runs a prebuilt image when there are no build commands", async () => {
    const run = await build({ ...RENDER, render: { ...RENDER.render!, buildCommand: undefined, startCommand: undefined }, image: { kind: "digest", ref: DIGEST } });
    expect(run.one("paved:render:Service").inputs).toMatchObject({ image: { imagePath: DIGEST }, runtime: "image" });
  });
});

describe("ApiApp on a Docker host", () => {
  const DOCKER = {
    host: "docker", port: 8080, healthPath: "/health", image: { kind: "digest", ref: DIGEST },
    env: { LOG_LEVEL: "info" }, secretEnv: { DATABASE_URL: "postgres://app:pw@db:5432/app" },
    docker: { containerName: "lifeos-api-production", memoryMb: 512, cpus: 1.5, publishPort: 8080, healthcheck: ["CMD", "/app/healthcheck"], network: "production-private" },
  } as unknown as ApiAppArgs;

  it("runs one container on the private network with limits, a healthcheck and secret envs", async () => {
    const run = await build(DOCKER, true);
    const container = run.one("docker:index/container:Container");
    expect(container.inputs).toMatchObject({
      name: "lifeos-api-production", image: DIGEST, restart: "unless-stopped", memory: 512, cpus: "1.5",
      healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "30s", timeout: "10s" },
      networksAdvanced: [{ name: "production-private", aliases: ["api"] }],
      ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
    });
    const envs = container.inputs.envs as unknown[];
    expect(envs[1]).toBe("LOG_LEVEL=info");
    expect(envs[0]).toBeInstanceOf(Secret);
    // The secret entries are secret name and all: the label says which the container gets.
    expect(container.inputs.labels).toEqual([{ label: "paved.secret-env", value: "DATABASE_URL" }]);
    expect(container.provider).toMatch(/engine/);
  });

  const migrated = (exitCode: number, containerLogs: string) => ({
    preview: false,
    outputs: (_type: string, name: string) => (name === "production-api-migrate" ? { exitCode, containerLogs } : {}),
  });

  it("runs the migration as a one-shot container of the new image on the private network, before the API container", async () => {
    const run = await build({ ...DOCKER, migrate: `alembic -x "db=app main" upgrade head` }, true, migrated(0, "INFO  [alembic] Running upgrade"));
    const migration = run.one("docker:index/container:Container", "production-api-migrate");
    expect(migration.inputs).toMatchObject({
      name: "lifeos-api-production-migrate", image: DIGEST, command: ["alembic", "-x", "db=app main", "upgrade", "head"],
      attach: true, logs: true, mustRun: false, restart: "no", networksAdvanced: [{ name: "production-private" }],
    });
    expect(migration.inputs.envs).toEqual((run.one("docker:index/container:Container", "production-api-container").inputs.envs));
    expect(migration).toMatchObject({ deleteBeforeReplace: true, additionalSecretOutputs: ["containerLogs"] });
    const api = run.one("docker:index/container:Container", "production-api-container");
    expect(api.inputs.labels).toEqual([{ label: "paved.secret-env", value: "DATABASE_URL" }, { label: "paved.migration", value: "exited 0" }]);
    expect(api.propertyDependencies.labels).toEqual([migration.urn]);
  });

  it("stops the deploy when the migration exits non-zero, with its status and last lines, credentials masked", () => {
    // Docker's multiplexed stream: an 8-byte header before each frame.
    const logs = "\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u000bconnecting\n\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0040" +
      "FATAL: password authentication failed for postgres://app:s3cret-pw@db:5432/app\n";
    const outcome = (code: number | undefined) => () => migrationOutcome("alembic upgrade head", "lifeos-api-production-migrate", code, logs);
    const lines = "Its last lines:\n  connecting\n  FATAL: password authentication failed for postgres://[not shown: user and password]@db:5432/app";
    expect(outcome(1)).toThrow(
      `Migration "alembic upgrade head" exited with status 1 in container lifeos-api-production-migrate; the API container was not changed and keeps serving the previous release. ${lines}`,
    );
    expect(outcome(undefined)).toThrow(`Migration "alembic upgrade head" reported no exit status in container lifeos-api-production-migrate;`);
    expect(outcome(0)()).toBe("exited 0");
  });
});

describe("ApiApp validation", () => {
  it.each<[Partial<ApiAppArgs>, string]>([
    [{ fly: undefined }, 'ApiApp "production-api": host is fly but fly settings are missing; expected args.fly'],
    [{ image: undefined }, 'ApiApp "production-api": image is missing; expected an image to build, a digest, or a stack to promote from'],
    [{ port: 70000 }, 'ApiApp "production-api": port is 70000; expected a TCP port from 1 to 65535'],
    [{ healthPath: "health" }, 'ApiApp "production-api": healthPath is "health"; expected a path such as /health'],
    [{ env: { JWT_SECRET: "x" } }, 'ApiApp "production-api": JWT_SECRET in both env and secretEnv; expected each variable once'],
  ])("rejects bad args before creating anything (%#)", async (patch, message) => {
    await expect(build({ ...FLY, ...patch })).rejects.toThrow(message);
  });
});

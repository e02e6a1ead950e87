import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const planned = planOnce("examples/Pulumi.lifeos-production.yaml", "production");
const ofType = planned.ofType;
const container = (name: string) => ofType("docker:index/container:Container").find((c) => c.name === name)!;

describe("Life-OS: the API, Postgres and Redis on one Docker server", () => {
  it("uses one engine over SSH and one private network for every container", () => {
    const [engine] = ofType("pulumi:providers:docker");
    expect(engine.inputs.host).toBe("ssh://deploy@lifeos.example.net");
    const containers = ofType("docker:index/container:Container");
    expect(containers.map((c) => c.name).sort()).toEqual([
      "production-api-container", "production-cache-redis", "production-database-backup", "production-database-postgres",
    ]);
    for (const c of containers) {
      expect(c.provider).toContain(engine.urn);
      expect((c.inputs.networksAdvanced as Array<{ name: unknown }>)[0].name).toBe("production-private");
    }
  });

  it("publishes the API on loopback only and keeps Postgres unpublished on a protected volume", () => {
    const api = container("production-api-container");
    expect(api.inputs).toMatchObject({ memory: 1024, cpus: "1.5", restart: "unless-stopped", ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }] });
    const envs = api.inputs.envs as unknown[];
    expect(envs).toContain("LOG_LEVEL=info");
    // DATABASE_URL, REDIS_URL, JWT_SECRET and SENTRY_DSN are known at deploy time: secret or unknown, never plain text here.
    expect(envs.filter((e) => typeof e === "string" && /^(DATABASE_URL|REDIS_URL|JWT_SECRET|SENTRY_DSN)=/.test(e))).toEqual([]);
    expect(envs.filter((e) => e instanceof Secret || e === UNKNOWN)).toHaveLength(4);
    expect(container("production-database-postgres").inputs.ports).toBeUndefined();
    for (const volume of ofType("docker:index/volume:Volume")) expect(volume).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("dumps Postgres daily and keeps 30 days of dumps, on a volume of their own", () => {
    const backup = container("production-database-backup");
    expect(backup.inputs).toMatchObject({
      image: "prodrigestivill/postgres-backup-local:17",
      volumes: [{ volumeName: "lifeos-production-pgbackups", containerPath: "/backups" }],
    });
    expect(backup.inputs.envs).toEqual(expect.arrayContaining(["SCHEDULE=@daily", "BACKUP_KEEP_DAYS=30", "POSTGRES_HOST=db"]));
    expect(ofType("docker:index/volume:Volume").map((v) => v.inputs.name).sort()).toEqual([
      "lifeos-production-pgbackups", "lifeos-production-pgdata", "lifeos-production-redis",
    ]);
  });

  it("runs Redis with a password, unpublished, and hands the API its URL as a secret", () => {
    const redis = container("production-cache-redis");
    expect(redis.inputs).toMatchObject({ image: "redis:7-alpine", memory: 256, networksAdvanced: [{ name: "production-private", aliases: ["cache"] }] });
    expect(redis.inputs.ports).toBeUndefined();
    expect((redis.inputs.command as string[]).join(" ")).toContain('--requirepass "$REDIS_PASSWORD"');
    // The password is generated at deploy time: unknown in the plan, never plain text.
    expect((redis.inputs.envs as unknown[]).map((e) => e instanceof Secret || e === UNKNOWN)).toEqual([true]);
  });
});

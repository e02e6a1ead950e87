import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const planned = planOnce("examples/Pulumi.lifeos-production.yaml", "production");
const ofType = planned.ofType;

describe("Life-OS: the API and Postgres on one Docker server", () => {
  it("uses one engine over SSH and one private network for both containers", () => {
    const [engine] = ofType("pulumi:providers:docker");
    expect(engine.inputs.host).toBe("ssh://deploy@lifeos.example.net");
    const containers = ofType("docker:index/container:Container");
    expect(containers).toHaveLength(2);
    for (const c of containers) {
      expect(c.provider).toContain(engine.urn);
      expect((c.inputs.networksAdvanced as Array<{ name: unknown }>)[0].name).toBe("production-private");
    }
  });

  it("publishes the API on loopback only and keeps Postgres unpublished on a protected volume", () => {
    const api = ofType("docker:index/container:Container").find((c) => c.name === "production-api-container")!;
    expect(api.inputs).toMatchObject({ memory: 1024, cpus: "1.5", restart: "unless-stopped", ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }] });
    const envs = api.inputs.envs as unknown[];
    expect(envs).toContain("LOG_LEVEL=info");
    // DATABASE_URL, JWT_SECRET and SENTRY_DSN are known at deploy time: secret or unknown, never plain text here.
    expect(envs.filter((e) => typeof e === "string" && /^(DATABASE_URL|JWT_SECRET|SENTRY_DSN)=/.test(e))).toEqual([]);
    expect(envs.filter((e) => e instanceof Secret || e === UNKNOWN)).toHaveLength(3);
    const db = ofType("docker:index/container:Container").find((c) => c.name === "production-database-postgres")!;
    expect(db.inputs.ports).toBeUndefined();
    expect(ofType("docker:index/volume:Volume")[0]).toMatchObject({ protect: true, retainOnDelete: true });
  });
});

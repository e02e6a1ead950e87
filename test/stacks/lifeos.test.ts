import { describe, expect, it } from "vitest";
import { alertRouting, planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";
import { BASE_BACKUP_SCRIPT, archiveCommand } from "../../components/postgres-pitr";

const planned = planOnce("examples/Pulumi.lifeos-production.yaml", "production");
const ofType = planned.ofType;
const staging = planOnce("examples/Pulumi.lifeos-staging.yaml", "staging");
const container = (name: string) => ofType("docker:index/container:Container").find((c) => c.name === name)!;

describe("Life-OS: the web, the API, Postgres and Redis on one Docker server", () => {
  it("uses one engine over SSH for every container, and one private network for all but the web", () => {
    const engines = ofType("pulumi:providers:docker");
    expect(engines.map((e) => e.inputs.host)).toEqual(["ssh://deploy@lifeos.example.net"]);
    const containers = ofType("docker:index/container:Container");
    expect(containers.map((c) => c.name).sort()).toEqual([
      "production-api-container", "production-cache-redis", "production-database-backup", "production-database-basebackup",
      "production-database-password", "production-database-postgres", "production-logs-vector", "production-web-container",
    ]);
    for (const c of containers) expect(c.provider).toContain(engines[0].urn);
    // The base backups and the password setter run in Postgres's own network namespace instead (below); the log
    // shipper reads the engine's socket and needs no network of the app's.
    for (const c of containers.filter((c) => !["production-web-container", "production-database-basebackup", "production-database-password", "production-logs-vector"].includes(c.name))) {
      expect((c.inputs.networksAdvanced as Array<{ name: unknown }>)[0].name).toBe("production-private");
    }
  });

  it("serves the built front end from nginx with a health check, restart policy, limits, loopback only", () => {
    const web = ofType("docker:index/container:Container").find((c) => c.name === "production-web-container")!;
    expect(web.parent).toBe(ofType("paved:web:WebHost")[0].urn);
    expect(web.inputs).toMatchObject({
      name: "lifeos-web-production", image: "nginxinc/nginx-unprivileged:1.27-alpine", restart: "unless-stopped", memory: 128, cpus: "0.5",
      ports: [{ internal: 8080, external: 8081, ip: "127.0.0.1" }],
      volumes: [{ hostPath: "/srv/lifeos/web", containerPath: "/usr/share/nginx/html", readOnly: true }],
      healthcheck: { tests: ["CMD-SHELL", "wget -qO- http://127.0.0.1:8080/healthz || exit 1"], interval: "30s", retries: 3 },
    });
    expect(web.inputs.networksAdvanced).toBeUndefined();
    expect(ofType("vercel:index/project:Project")).toEqual([]);
  });

  it("sets in the container the same security headers the edge sets, and HSTS", () => {
    const web = ofType("docker:index/container:Container").find((c) => c.name === "production-web-container")!;
    const [upload] = web.inputs.uploads as Array<{ file: string; content: string }>;
    expect(upload.file).toBe("/etc/nginx/conf.d/default.conf");
    const edge = ofType("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === "http_response_headers_transform")!;
    const edgeHeaders = (edge.inputs.rules as Array<{ actionParameters: { headers: Record<string, { value: string }> } }>)
      .flatMap((rule) => Object.entries(rule.actionParameters.headers));
    expect(edgeHeaders).toHaveLength(5);
    for (const [name, { value }] of edgeHeaders) expect(upload.content).toContain(`add_header ${name} "${value}" always;`);
    expect(upload.content).toContain('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;');
  });

  it("routes os. and os-api. in its own zone fcy.sh as proxied A records to the server's address, and probes only those", () => {
    const records = ofType("cloudflare:index/dnsRecord:DnsRecord").map((r) => r.inputs);
    expect(records.map((r) => [r.name, r.type, r.content, r.proxied]).sort()).toEqual([
      ["os-api.fcy.sh", "A", "203.0.113.10", true],
      ["os.fcy.sh", "A", "203.0.113.10", true],
    ]);
    const probed = ofType("checkly:index/check:Check").map((c) => (c.inputs.request as { url: string }).url).sort();
    expect(probed).toEqual(["https://os-api.fcy.sh/health", "https://os.fcy.sh/"]);
  });

  it("lets only the web's origin call the API", () => {
    const api = ofType("docker:index/container:Container").find((c) => c.name === "production-api-container")!;
    expect(api.inputs.envs as unknown[]).toContain("CORS_ORIGINS=https://os.fcy.sh");
  });

  it.each(["production", "staging"])("%s: the API gets what the guide's .env names: its environment, auth on, its base URL, JWT_SECRET_KEY and the AI keys as secrets", (kind) => {
    const plan = kind === "production" ? planned : staging;
    const api = plan.ofType("docker:index/container:Container").find((c) => c.name === `${kind}-api-container`)!;
    const envs = api.inputs.envs as unknown[];
    const web = kind === "production" ? "os.fcy.sh" : "os-staging.fcy.sh";
    expect(envs).toEqual(expect.arrayContaining([`ENVIRONMENT=${kind}`, "REQUIRE_AUTH=true", `BASE_URL=https://${web}`]));
    expect(envs.filter((e) => typeof e === "string" && /^(JWT_SECRET_KEY|GEMINI_API_KEY|OPENAI_API_KEY)=/.test(e))).toEqual([]);
    expect(plan.ofType("random:index/randomPassword:RandomPassword").map((p) => p.name)).toContain(`${kind}-secrets-jwt-secret-key`);
  });

  it("publishes the API on loopback only and keeps Postgres unpublished on a protected volume", () => {
    const api = container("production-api-container");
    expect(api.inputs).toMatchObject({ memory: 1024, cpus: "1.5", restart: "unless-stopped", ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }] });
    const envs = api.inputs.envs as unknown[];
    expect(envs).toContain("LOG_LEVEL=info");
    // DATABASE_URL, REDIS_URL, JWT_SECRET_KEY, the AI keys and SENTRY_DSN are known at deploy time: secret or unknown, never plain text here.
    expect(envs.filter((e) => typeof e === "string" && /^(DATABASE_URL|REDIS_URL|JWT_SECRET|SENTRY_DSN)/.test(e))).toEqual([]);
    expect(envs.filter((e) => e instanceof Secret || e === UNKNOWN)).toHaveLength(6);
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
      "lifeos-production-pgbackups", "lifeos-production-pgbase", "lifeos-production-pgdata", "lifeos-production-pgwal", "lifeos-production-redis",
    ]);
  });

  it("recovers Postgres to any moment of the last 30 days: WAL archived at least hourly, a base backup daily", () => {
    const postgres = container("production-database-postgres");
    expect(postgres.inputs.volumes).toEqual([
      { volumeName: "lifeos-production-pgdata", containerPath: "/var/lib/postgresql/data" },
      { volumeName: "lifeos-production-pgwal", containerPath: "/var/lib/postgresql/wal-archive" },
    ]);
    expect(postgres.inputs.command).toEqual([
      "postgres", "-c", "wal_level=replica", "-c", "archive_mode=on", "-c", "archive_timeout=3600",
      "-c", `archive_command=${archiveCommand("/var/lib/postgresql/wal-archive")}`,
    ]);
    const base = container("production-database-basebackup");
    expect(base.inputs).toMatchObject({
      name: "lifeos-production-pgbasebackup", image: "postgres:17-alpine", entrypoints: ["sh", "-c", BASE_BACKUP_SCRIPT],
      volumes: [
        { volumeName: "lifeos-production-pgbase", containerPath: "/var/lib/postgresql/base-backups" },
        { volumeName: "lifeos-production-pgwal", containerPath: "/var/lib/postgresql/wal-archive" },
      ],
    });
    // Postgres's id is known once it exists: the plan shows the namespace's container as unknown, and the link as a dependency.
    expect(base.inputs.networkMode).toBe(UNKNOWN);
    expect(base.dependencies).toContain(postgres.urn);
    expect(base.inputs.networksAdvanced).toBeUndefined();
    const envs = base.inputs.envs as unknown[];
    expect(envs).toEqual(expect.arrayContaining(["PGHOST=127.0.0.1", "PGUSER=app", "KEEP_DAYS=30", "INTERVAL_SECONDS=86400"]));
    // The password is generated at deploy time: secret or unknown, never plain text, in no container's command either.
    expect(envs.filter((e) => typeof e === "string" && e.startsWith("PGPASSWORD="))).toEqual([]);
    expect(envs.filter((e) => e instanceof Secret || e === UNKNOWN)).toHaveLength(1);
    for (const c of [postgres, base]) expect(JSON.stringify([c.inputs.command, c.inputs.entrypoints])).not.toMatch(/PASSWORD=/);
    for (const volume of ofType("docker:index/volume:Volume")) expect(volume).toMatchObject({ protect: true, retainOnDelete: true });
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

describe("Life-OS: errors > 10/min or downtime > 5 min reach email and Slack", () => {
  it("routes both uptime checks and the error-count alerts to the team's email and #lifeos-ops", () => {
    const { checks, sentry, slack } = alertRouting(planned);
    expect(slack).toEqual({ "slack-ops": { channel: "#lifeos-ops", url: "[secret]" } });
    expect(Object.values(checks)).toEqual([["email-0", "slack-ops"], ["email-0", "slack-ops"]]);
    expect(sentry["P2 · api errors > 10/min"]).toEqual(["email 4505003", "slack #lifeos-ops"]);
    expect(sentry["P2 · web errors > 10/min"]).toEqual(["email 4505003", "slack #lifeos-ops"]);
  });
});

describe("Life-OS staging: its own containers on the same server, from the staging branch", () => {
  const containers = () => staging.ofType("docker:index/container:Container");

  it("names every container, volume and network for staging, so production's are never touched", () => {
    expect(containers().map((c) => c.inputs.name).sort()).toEqual([
      "lifeos-api-staging", "lifeos-staging-logs", "lifeos-staging-pgbackup", "lifeos-staging-pgbasebackup", "lifeos-staging-pgpassword", "lifeos-staging-postgres", "lifeos-staging-redis", "lifeos-web-staging",
    ]);
    expect(staging.ofType("docker:index/volume:Volume").map((v) => v.inputs.name).sort()).toEqual([
      "lifeos-staging-pgbackups", "lifeos-staging-pgbase", "lifeos-staging-pgdata", "lifeos-staging-pgwal", "lifeos-staging-redis",
    ]);
    expect(staging.ofType("docker:index/network:Network").map((n) => n.inputs.name)).toEqual(["staging-private"]);
    expect(staging.ofType("pulumi:providers:docker").map((e) => e.inputs.host)).toEqual(["ssh://deploy@lifeos.example.net"]);
  });

  it("publishes on loopback ports of its own and dumps Postgres daily, keeping 7 days", () => {
    const ports = containers().flatMap((c) => (c.inputs.ports as Array<{ external: number; ip: string }> | undefined) ?? []);
    expect(ports.map((p) => [p.external, p.ip]).sort()).toEqual([[8082, "127.0.0.1"], [8090, "127.0.0.1"]]);
    const backup = containers().find((c) => c.name === "staging-database-backup")!;
    expect(backup.inputs.envs).toEqual(expect.arrayContaining(["SCHEDULE=@daily", "BACKUP_KEEP_DAYS=7"]));
  });

  it("adds only its two records to the zone production owns, and protects the staging branch with status checks", () => {
    const records = staging.ofType("cloudflare:index/dnsRecord:DnsRecord").map((r) => [r.inputs.name, r.inputs.type, r.inputs.content, r.inputs.proxied]);
    expect(records.sort()).toEqual([["os-staging-api.fcy.sh", "A", "203.0.113.10", true], ["os-staging.fcy.sh", "A", "203.0.113.10", true]]);
    expect(staging.ofType("cloudflare:index/ruleset:Ruleset")).toEqual([]);
    const [branch] = staging.ofType("github:index/branchProtection:BranchProtection");
    expect(branch.inputs).toMatchObject({ pattern: "staging", requiredStatusChecks: [{ strict: true, contexts: ["test"] }], requiredPullRequestReviews: [] });
  });

  it("never pages: downtime and errors email the team and post to #lifeos-ops", () => {
    const { checks } = alertRouting(staging);
    expect(checks).toEqual({ "staging-uptime api (P2)": ["email-0", "slack-ops"], "staging-uptime web (P3)": ["slack-ops"] });
    expect(staging.ofType("pagerduty:index/service:Service")).toEqual([]);
  });
});

describe("Life-OS production: main as the guide guards it", () => {
  it("needs one approving review and status checks (merges from staging only, by the check paved merge source), binds admins, keeps history linear and conversations resolved", () => {
    const [branch] = planned.ofType("github:index/branchProtection:BranchProtection");
    expect(branch.inputs).toMatchObject({
      pattern: "main", enforceAdmins: true, requiredLinearHistory: true, requireConversationResolution: true,
      allowsForcePushes: false, allowsDeletions: false,
      requiredStatusChecks: [{ strict: true, contexts: ["test", "paved merge source"] }], requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1 }],
    });
  });
});

describe("Life-OS: logs to an external service", () => {
  it("ships the API's and the web's container logs to its Axiom dataset from a Vector container, and plans the table's logs row by it", () => {
    const [vector] = ofType("docker:index/container:Container").filter((c) => c.name === "production-logs-vector");
    expect(vector.inputs).toMatchObject({ name: "lifeos-production-logs", envs: [expect.anything()] });
    expect(ofType("paved:axiom:Dataset").map((d) => [d.inputs.name, d.inputs.retentionDays])).toEqual([["lifeos-production", 30]]);
    expect(planned.plan.config.monitors!.report.find((r) => r.kind === "logs")).toEqual({
      row: "logs to external services", kind: "logs", planned: ["paved:axiom:Dataset production-logs-dataset"],
    });
  });
});

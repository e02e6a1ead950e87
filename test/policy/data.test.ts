import { describe, expect, it } from "vitest";
import { cacheNoPublicDomain, cachePassword, cachePrivateNetwork, databasePrivateNetwork, databaseRetention, protectStateful } from "../../policy/data";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { UNKNOWN } from "../../policy/offline";
import { check, checkStack, planned, violations } from "./harness";

describe("database-retention", () => {
  it("passes a week of Neon history", () => expect(check(databaseRetention, T.neonProject, f.neonProject)).toEqual([]));
  it("passes a paid Render plan", () => expect(check(databaseRetention, T.renderPostgres, f.renderPostgres)).toEqual([]));
  it("fails a day of Neon history in production", () => {
    expect(check(databaseRetention, T.neonProject, { ...f.neonProject, historyRetentionSeconds: 86400 }))
      .toEqual(["Keep at least 7 days of point-in-time history."]);
  });
  it("reads Neon's default of one day", () => {
    expect(check(databaseRetention, T.neonProject, { ...f.neonProject, historyRetentionSeconds: undefined }))
      .toEqual(["Keep at least 7 days of point-in-time history."]);
    expect(check(databaseRetention, T.neonProject, { ...f.neonProject, historyRetentionSeconds: undefined }, { config: { minRetentionDays: 1 } }))
      .toEqual([]);
  });
  it("passes a Docker Postgres archiving WAL hourly, and its base-backup job keeping 30 days", () => {
    expect(check(databaseRetention, T.container, f.pitrPostgresContainer)).toEqual([]);
    expect(check(databaseRetention, T.container, f.baseBackupContainer)).toEqual([]);
  });
  it("ignores other containers, and a Docker Postgres where no history is asked for", () => {
    expect(check(databaseRetention, T.container, f.redisContainer)).toEqual([]);
    expect(check(databaseRetention, T.container, f.postgresContainer, { config: { minRetentionDays: 0 } })).toEqual([]);
  });
  const ARCHIVING = "Archive the database's WAL (archive_mode=on with an archive_command) for point-in-time recovery.";
  it.each<[string, Record<string, unknown>]>([
    ["the image's own command", { entrypoints: undefined, command: undefined }],
    ["archive_mode off", { command: f.pitrPostgresContainer.command!.map((a) => (a === "archive_mode=on" ? "archive_mode=off" : a)) }],
    ["no archive_command", { command: ["postgres", "-c", "wal_level=replica", "-c", "archive_mode=on", "-c", "archive_timeout=3600"] }],
  ])("fails a Docker Postgres with %s", (_, patch) => {
    expect(check(databaseRetention, T.container, { ...f.pitrPostgresContainer, ...patch })).toEqual([ARCHIVING]);
  });
  it.each(["archive_timeout=7200", "archive_timeout=0"])("fails a Docker Postgres with %s", (timeout) => {
    const command = f.pitrPostgresContainer.command!.map((a) => (String(a).startsWith("archive_timeout=") ? timeout : a));
    expect(check(databaseRetention, T.container, { ...f.pitrPostgresContainer, command }))
      .toEqual(["Archive WAL at least every 3600 s (archive_timeout): the recovery point objective is 1 hour."]);
  });
  it("fails a base-backup job that keeps fewer days than production's history", () => {
    expect(check(databaseRetention, T.container, { ...f.baseBackupContainer, envs: ["PGHOST=127.0.0.1", "KEEP_DAYS=3"] }))
      .toEqual(["Keep at least 7 days of point-in-time history."]);
  });
  it("fails Render's free plan", () => {
    expect(check(databaseRetention, T.renderPostgres, { ...f.renderPostgres, plan: "free" }))
      .toEqual(["Use a paid Render Postgres plan: the free plan has no point-in-time recovery."]);
  });
});

describe("database-private-network", () => {
  it("passes an empty Render allow list", () => expect(check(databasePrivateNetwork, T.renderPostgres, f.renderPostgres)).toEqual([]));
  it("passes a named office network", () => {
    const props = { ...f.renderPostgres, ipAllowList: [{ cidrBlock: "198.51.100.0/24", description: "office" }] };
    expect(check(databasePrivateNetwork, T.renderPostgres, props)).toEqual([]);
  });
  it("passes a loopback-bound Postgres container", () => expect(check(databasePrivateNetwork, T.container, f.postgresContainer)).toEqual([]));
  it("ignores an app container", () => expect(check(databasePrivateNetwork, T.container, f.container)).toEqual([]));
  it("fails a missing Render allow list", () => {
    expect(check(databasePrivateNetwork, T.renderPostgres, { ...f.renderPostgres, ipAllowList: undefined }))
      .toEqual(["Set the database's IP allow list; leave it empty for private network only."]);
  });
  it.each(["0.0.0.0/0", "::/0"])("fails an allow list open to %s", (cidrBlock) => {
    expect(check(databasePrivateNetwork, T.renderPostgres, { ...f.renderPostgres, ipAllowList: [{ cidrBlock, description: "all" }] }))
      .toEqual(["Remove the open network from the database's IP allow list."]);
  });
  it.each([[["0.0.0.0/1", "128.0.0.0/1"]], [["64.0.0.0/4"]], [["198.51.0.0/16", "203.0.0.0/16"]]])("fails an allow list that admits more than a /16: %j", (blocks) => {
    const ipAllowList = blocks.map((cidrBlock) => ({ cidrBlock, description: "wide" }));
    expect(check(databasePrivateNetwork, T.renderPostgres, { ...f.renderPostgres, ipAllowList }))
      .toEqual(["Narrow the database's IP allow list: together its blocks admit more than a /16."]);
  });
  it.each([undefined, "0.0.0.0"])("fails a Postgres port published on ip %s", (ip) => {
    const props = { ...f.postgresContainer, image: "docker.io/library/postgres:16", ports: [{ internal: 5432, external: 5432, ip }] };
    expect(check(databasePrivateNetwork, T.container, props)).toEqual(["Bind the database port to 127.0.0.1 or keep it on the private network."]);
  });
});

describe("protect-stateful", () => {
  it.each([
    [T.neonProject, f.neonProject], [T.neonBranch, { projectId: "p" }], [T.renderPostgres, f.renderPostgres],
    [T.renderKeyValue, f.renderKeyValue], [T.volume, f.volume], [T.railwayVolume, f.railwayVolume], [T.repository, f.repository],
  ])("passes a protected %s", (type, props) => expect(check(protectStateful, type, props, { protect: true })).toEqual([]));
  it("ignores stateless resources", () => expect(check(protectStateful, T.dnsRecord, f.dnsRecord)).toEqual([]));
  it.each([
    [T.neonProject, f.neonProject], [T.renderPostgres, f.renderPostgres], [T.renderKeyValue, f.renderKeyValue], [T.volume, f.volume],
    [T.railwayVolume, f.railwayVolume], [T.repository, f.repository],
  ])(
    "fails an unprotected %s", (type, props) => {
      expect(check(protectStateful, type, props)).toEqual(["Protect the resource from deletion (protect: true)."]);
    });
});

describe("cache-private-network", () => {
  it("passes an empty Key Value allow list", () => expect(check(cachePrivateNetwork, T.renderKeyValue, f.renderKeyValue)).toEqual([]));
  it("passes an unpublished Redis container", () => expect(check(cachePrivateNetwork, T.container, f.redisContainer)).toEqual([]));
  it("ignores an app container that publishes a port", () => expect(check(cachePrivateNetwork, T.container, f.container)).toEqual([]));
  it("fails a missing Key Value allow list", () => {
    expect(check(cachePrivateNetwork, T.renderKeyValue, { ...f.renderKeyValue, ipAllowList: undefined }))
      .toEqual(["Set the cache's IP allow list; leave it empty for private network only."]);
  });
  it.each(["0.0.0.0/0", "::/0"])("fails a Key Value allow list open to %s", (cidrBlock) => {
    expect(check(cachePrivateNetwork, T.renderKeyValue, { ...f.renderKeyValue, ipAllowList: [{ cidrBlock, description: "all" }] }))
      .toEqual(["Remove the open network from the cache's IP allow list."]);
  });
  it("fails a Key Value allow list that admits more than a /16", () => {
    const ipAllowList = ["0.0.0.0/2", "64.0.0.0/2"].map((cidrBlock) => ({ cidrBlock, description: "wide" }));
    expect(check(cachePrivateNetwork, T.renderKeyValue, { ...f.renderKeyValue, ipAllowList }))
      .toEqual(["Narrow the cache's IP allow list: together its blocks admit more than a /16."]);
  });
  it.each(["127.0.0.1", "0.0.0.0"])("fails a Redis port published on %s", (ip) => {
    expect(check(cachePrivateNetwork, T.container, { ...f.redisContainer, ports: [{ internal: 6379, external: 6379, ip }] }))
      .toEqual(["Publish no Redis port; reach the cache over the private Docker network."]);
  });
});

describe("cache-no-public-domain", () => {
  const redis = planned(T.railwayService, "cache-redis", { name: "acme-redis-production", startCommand: '/bin/sh -c "exec redis-server --requirepass $REDIS_PASSWORD"' });
  const api = planned(T.railwayService, "api-service", { name: "acme-api-production", healthcheckPath: "/health" });
  const domainOf = (type: string, service: { urn: string }) => planned(type, `domain-of-${service.urn.length}`, { serviceId: UNKNOWN }, { propertyDependencies: { serviceId: [service.urn] } });
  const MESSAGE = "Give the cache no domain; reach it on the private network.";
  it("passes a Redis service with no domain beside an API with one", () => {
    expect(checkStack(cacheNoPublicDomain, [redis, api, domainOf(T.railwayServiceDomain, api), domainOf(T.railwayCustomDomain, api)])).toEqual([]);
  });
  it("fails a Railway service domain on the Redis service", () => {
    expect(checkStack(cacheNoPublicDomain, [redis, domainOf(T.railwayServiceDomain, redis)])).toEqual([MESSAGE]);
  });
  it("fails a custom domain on the Redis service", () => {
    expect(checkStack(cacheNoPublicDomain, [redis, domainOf(T.railwayCustomDomain, redis)])).toEqual([MESSAGE]);
  });
});

describe("cache-password", () => {
  it("passes Redis run with --requirepass", () => expect(check(cachePassword, T.container, f.redisContainer)).toEqual([]));
  it("ignores a Postgres container", () => expect(check(cachePassword, T.container, f.postgresContainer)).toEqual([]));
  it("passes a Railway Redis started with --requirepass", () => expect(check(cachePassword, T.railwayService, f.railwayRedis)).toEqual([]));
  it("ignores the API's Railway service, even before its image is known", () => {
    expect(check(cachePassword, T.railwayService, f.railwayService)).toEqual([]);
    expect(violations(cachePassword, [planned(T.railwayService, "api", { ...f.railwayService, image: UNKNOWN })])).toEqual([]);
  });
  it.each([[undefined], ["redis-server --appendonly yes"]])("fails a Railway Redis with start command %j", (startCommand) => {
    expect(check(cachePassword, T.railwayService, { ...f.railwayRedis, startCommand }))
      .toEqual(["Run redis-server with --requirepass and a generated password."]);
  });
  it.each([[undefined], [["redis-server", "--appendonly", "yes"]]])("fails Redis with command %j", (command) => {
    expect(check(cachePassword, T.container, { ...f.redisContainer, image: "docker.io/library/valkey:8", command }))
      .toEqual(["Run redis-server with --requirepass and a generated password."]);
  });
});

/** Stack config of the logs and Doppler sections: defaults, and errors one exact line each. */
import { describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const TOKENS = { "paved:AXIOM_INGEST_TOKEN": "xaat-ingest-0123456789", "paved:FLY_LOGS_TOKEN": "FlyV1 fm2_readonly_0123456789" };
const FLY = {
  ...PRODUCTION,
  api: { host: "fly", port: 3001, image: { digest: `ghcr.io/planningos/api@sha256:${"0".repeat(64)}` }, fly: { org: "planningos" } },
  secrets: { rotation: "2026-11", generate: { JWT_SECRET: { length: 64 } }, fromConfig: ["AXIOM_INGEST_TOKEN", "FLY_LOGS_TOKEN"] },
  logs: { sink: "axiom", ingestTokenSecret: "AXIOM_INGEST_TOKEN", fly: { accessTokenSecret: "FLY_LOGS_TOKEN" } },
};
const RENDER = {
  ...FLY,
  api: { host: "render", port: 8080, image: { digest: `ghcr.io/planningos/api@sha256:${"0".repeat(64)}` }, render: { ownerId: "tea-abc123" } },
  logs: { sink: "axiom", ingestTokenSecret: "AXIOM_INGEST_TOKEN" },
};
const at = (base: Record<string, unknown>, path: string, value: unknown, stack = "production") =>
  source(withValue(base, path, value), { stack, secret: TOKENS });

describe("logs defaults", () => {
  it("axiom: a dataset named for the product and stack, 30 days in production, the shipper at the build fly logs shipper runs", () => {
    expect(loadEnvironmentConfig(source(FLY, { secret: TOKENS })).logs).toEqual({
      sink: "axiom", dataset: "planningos-production", retentionDays: 30, ingestTokenSecret: "AXIOM_INGEST_TOKEN",
      fly: { accessTokenSecret: "FLY_LOGS_TOKEN", image: "docker.io/flyio/log-shipper:auto-a14aa63" },
    });
  });

  it.each([["staging", 14], ["pr-42", 3]])("keeps %s's logs %i days unless the stack file says", (stack, days) => {
    const file = withValue(withValue(withValue(FLY, "kind", undefined), "branch", "feature/x"), "monitors", undefined);
    const config = loadEnvironmentConfig(source(withValue(file, "cdn", undefined), { stack, secret: TOKENS }));
    expect(config.logs).toMatchObject({ dataset: `planningos-${stack}`, retentionDays: days });
  });

  it("host: nothing to plan, the host keeps its logs", () => {
    expect(loadEnvironmentConfig(at(RENDER, "logs", { sink: "host" })).logs).toEqual({ sink: "host" });
  });

  it("doppler: prd for production, stg for staging", () => {
    expect(loadEnvironmentConfig(at(FLY, "doppler", { project: "planningos" })).doppler).toEqual({ project: "planningos", config: "prd" });
    expect(loadEnvironmentConfig(at(FLY, "doppler", { project: "planningos", config: "prd_eu" })).doppler).toEqual({ project: "planningos", config: "prd_eu" });
  });
});

describe("logs and doppler errors: one line each, naming the key, the value and what is expected", () => {
  it.each([
    ["logs.sink", "papertrail", 'paved:logs.sink: got "papertrail"; expected one of axiom, host'],
    ["logs.dataset", "axiom-logs", `paved:logs.dataset: got "axiom-logs"; expected an Axiom dataset name: up to 80 letters, digits, '-', '_' or '.', such as planningos-production`],
    ["logs.retentionDays", 0, "paved:logs.retentionDays: got 0; expected days: a whole number from 1 to 3650"],
    ["logs.ingestTokenSecret", undefined, "paved:logs.ingestTokenSecret: missing; expected the name of the secret that holds an Axiom ingest token, listed in paved:secrets.fromConfig"],
    ["logs.ingestTokenSecret", "AXIOM_TOKEN", "paved:logs.ingestTokenSecret: got a string (not shown: this field names a secret); expected a secret named in paved:secrets.fromConfig"],
    ["logs.fly", undefined, "paved:logs.fly.accessTokenSecret: missing; expected the name of the secret that holds a read-only Fly.io token for the log shipper, listed in paved:secrets.fromConfig"],
    ["doppler.project", "Planning OS", 'paved:doppler.project: got "Planning OS"; expected a Doppler project slug such as planningos'],
  ])("%s = %j", (path, value, message) => {
    expect(problems(at(FLY, path, value))).toEqual([message]);
  });

  it("refuses Axiom settings with sink host, and the Fly.io shipper without a Fly.io API", () => {
    expect(problems(at(RENDER, "logs", { sink: "host", retentionDays: 30 }))).toEqual([
      "paved:logs.retentionDays: set while logs.sink is host; expected it only with sink axiom (the host keeps its logs as its plan says)",
    ]);
    expect(problems(at(RENDER, "logs.fly", { accessTokenSecret: "FLY_LOGS_TOKEN" }))).toEqual([
      "paved:logs.fly: set while api.host is render; expected it only with api.host fly",
    ]);
  });

  it("asks a preview stack which Doppler config it writes", () => {
    const file = withValue(withValue(withValue(withValue(FLY, "kind", undefined), "branch", "feature/x"), "cdn", undefined), "monitors", undefined);
    expect(problems(source(withValue(file, "doppler", { project: "planningos" }), { stack: "pr-42", secret: TOKENS }))).toEqual([
      "paved:doppler.config: missing; expected the Doppler config a preview stack writes, such as stg_pr-42 (a branch config of stg)",
    ]);
  });

  it("never shows an ingest token typed where its name belongs", () => {
    const lines = problems(at(FLY, "logs.ingestTokenSecret", "XAAT_0123456789ABCDEF0123456789ABCDEF"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("0123456789ABCDEF");
  });
});

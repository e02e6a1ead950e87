/** PlanningOS ships its logs to Axiom and keeps every secret in Doppler, as its guide says. */
import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";
import { Secret, UNKNOWN } from "../harness";

const planned = planOnce("production");
const one = (type: string) => {
  const found = planned.ofType(type).filter((r) => r.parent?.includes("paved:logs:Logs") ?? false);
  expect(found).toHaveLength(1);
  return found[0];
};

describe("PlanningOS production: logs", () => {
  it("keeps 30 days of events in the Axiom dataset planningos-production, protected", () => {
    const dataset = planned.ofType("paved:axiom:Dataset");
    expect(dataset).toHaveLength(1);
    expect(dataset[0]).toMatchObject({ protect: true, retainOnDelete: true, inputs: { name: "planningos-production", retentionDays: 30, kind: "axiom:events:v1" } });
  });

  it("drains the Vercel project to the dataset with the ingest token in a secret header", () => {
    const drain = one("vercel:index/logDrain:LogDrain");
    const project = planned.ofType("vercel:index/project:Project")[0];
    expect(drain.inputs).toMatchObject({ teamId: "team_planningos", name: "planningos-production", environments: ["production", "preview"], deliveryFormat: "json" });
    expect(drain.dependencies).toEqual(expect.arrayContaining([project.urn, planned.ofType("paved:axiom:Dataset")[0].urn]));
    expect(drain.inputs.headers).toBeInstanceOf(Secret);
  });

  it("ships the API app's logs with Fly.io's log shipper in cdg, its tokens Fly secrets read from encrypted config", () => {
    expect(one("paved:fly:App").inputs).toEqual({ name: "planningos-api-production-logs", orgSlug: "planningos" });
    const secrets = one("paved:fly:Secrets").inputs.values as Record<string, unknown>;
    expect(Object.keys(secrets).sort()).toEqual(["ACCESS_TOKEN", "AXIOM_TOKEN"]);
    for (const v of Object.values(secrets)) expect(v instanceof Secret || v === UNKNOWN).toBe(true);
    const machine = one("paved:fly:Machine");
    expect(machine.inputs).toMatchObject({ region: "cdg", config: { env: { ORG: "planningos", SUBJECT: "logs.planningos-api-production.>", AXIOM_DATASET: "planningos-production" } } });
  });

  it("writes every secret of the stack to Doppler planningos/prd", () => {
    const names = planned.ofType("doppler:index/secret:Secret").map((r) => r.inputs.name).sort();
    expect(names).toEqual(["AXIOM_INGEST_TOKEN", "DATABASE_URL", "FLY_LOGS_TOKEN", "FLY_METRICS_TOKEN", "JWT_SECRET", "SLACK_WEBHOOK_URL"]);
    for (const r of planned.ofType("doppler:index/secret:Secret")) {
      expect(r.inputs).toMatchObject({ project: "planningos", config: "prd", visibility: "masked" });
      expect(r.inputs.value instanceof Secret || r.inputs.value === UNKNOWN).toBe(true);
    }
  });
});

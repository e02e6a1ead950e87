import { describe, expect, it } from "vitest";
import { labelDate, renderRotation, rotationStatus } from "../../scripts/lib/rotation";
import type { SecretsConfig } from "../../stacks/config";

const secrets = (generate: SecretsConfig["generate"]): SecretsConfig => ({ rotation: "x", generate, provided: {} });
const TODAY = new Date(Date.UTC(2026, 10, 21));

describe("secret rotation", () => {
  it.each([
    ["2026-11", "2026-11-01"], ["2026-02-28", "2026-02-28"],
  ])("reads the label %s as a date", (label, iso) => {
    expect(labelDate(label)?.toISOString().slice(0, 10)).toBe(iso);
  });

  it.each(["initial", "2026-13", "2026-02-30", "v2"])("does not date the label %s", (label) => {
    expect(labelDate(label)).toBeUndefined();
  });

  it("reports due, overdue and undated secrets", () => {
    const statuses = rotationStatus(secrets({
      JWT_SECRET: { length: 64, special: false, rotation: "2026-11", rotateEveryDays: 90 },
      API_KEY: { length: 48, special: false, rotation: "2026-05", rotateEveryDays: 90 },
      DB_PASSWORD: { length: 32, special: false, rotation: "initial", rotateEveryDays: 180 },
    }), TODAY);
    expect(statuses).toEqual([
      { secret: "API_KEY", label: "2026-05", everyDays: 90, due: "2026-07-30", overdue: true },
      { secret: "DB_PASSWORD", label: "initial", everyDays: 180, overdue: false },
      { secret: "JWT_SECRET", label: "2026-11", everyDays: 90, due: "2027-01-30", overdue: false },
    ]);
    expect(renderRotation(statuses)).toBe([
      "Secret rotation:",
      "  API_KEY: label 2026-05, every 90 days; OVERDUE since 2026-07-30: set a new label (paved:secrets.rotation or generate.API_KEY.rotation) and run pulumi up",
      "  DB_PASSWORD: label initial, every 180 days; label is not a date, age unknown",
      "  JWT_SECRET: label 2026-11, every 90 days; due 2027-01-30",
    ].join("\n"));
  });
});

describe("rotation of secrets supplied through config", () => {
  it("dates each from the label of its last rotation: API keys every 90 days, database passwords every 180", () => {
    const statuses = rotationStatus({
      ...secrets({}),
      rotated: { STRIPE_API_KEY: { rotation: "2026-10", rotateEveryDays: 90 }, DATABASE_PASSWORD: { rotation: "2026-01-15", rotateEveryDays: 180 } },
    }, TODAY);
    expect(statuses).toEqual([
      { secret: "DATABASE_PASSWORD", label: "2026-01-15", everyDays: 180, due: "2026-07-14", overdue: true, supplied: true },
      { secret: "STRIPE_API_KEY", label: "2026-10", everyDays: 90, due: "2026-12-30", overdue: false, supplied: true },
    ]);
    expect(renderRotation(statuses)).toBe([
      "Secret rotation:",
      "  DATABASE_PASSWORD: label 2026-01-15, every 180 days; OVERDUE since 2026-07-14: rotate it at its issuer, set it again (pulumi config set --secret paved:DATABASE_PASSWORD), update secrets.rotated.DATABASE_PASSWORD.rotation and run pulumi up",
      "  STRIPE_API_KEY: label 2026-10, every 90 days; due 2026-12-30",
    ].join("\n"));
  });
});

describe("rotation of the database's own password", () => {
  const db = (provider: "neon" | "render" | "docker", extra: object = {}) => ({ provider, name: "app", ...extra }) as unknown as Parameters<typeof rotationStatus>[2];
  it("dates a Neon role's or a Docker Postgres user's password from the stack's label, every 180 days", () => {
    const statuses = rotationStatus({ ...secrets({}), rotation: "2026-05" }, TODAY, db("neon", { neon: { region: "aws-eu-central-1" } }));
    expect(statuses).toEqual([{ secret: "database password (Neon role app)", label: "2026-05", everyDays: 180, due: "2026-10-28", overdue: true, database: true }]);
    expect(renderRotation(statuses)).toBe([
      "Secret rotation:",
      "  database password (Neon role app): label 2026-05, every 180 days; OVERDUE since 2026-10-28: set a new paved:secrets.rotation label and run pulumi up (paved resets the password and hands the API the new URL)",
    ].join("\n"));
    expect(rotationStatus({ ...secrets({}), rotation: "2026-11" }, TODAY, db("docker"))).toEqual([
      { secret: "database password (Docker Postgres user app)", label: "2026-11", everyDays: 180, due: "2027-04-30", overdue: false, database: true },
    ]);
  });

  it("leaves out a password paved does not hold: Render's own, and a pull-request branch's (its parent's role)", () => {
    expect(rotationStatus(secrets({}), TODAY, db("render"))).toEqual([]);
    expect(rotationStatus(secrets({}), TODAY, db("neon", { neon: { branchFrom: "o/p/staging" } }))).toEqual([]);
  });
});

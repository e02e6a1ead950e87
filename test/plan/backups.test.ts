import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBackups } from "../../scripts/lib/backups";
import { readStackFile } from "../../scripts/lib/stack-file";
import { loadEnvironmentConfig } from "../../stacks/config";

const ROOT = resolve(__dirname, "../..");
const backupsOf = (file: string, stack?: string) => renderBackups(loadEnvironmentConfig(readStackFile(file, ROOT, stack).source));

describe("the plan's Backups section", () => {
  it("says how far back Neon restores, and that production's project is protected", () => {
    expect(backupsOf("production")).toBe([
      "Backups:",
      "  Postgres (Neon planningos-production): point-in-time restore to any moment of the last 7 days (history retention); protected, kept if the stack is destroyed",
    ].join("\n"));
    expect(backupsOf("staging")).toBe("Backups:\n  Postgres (Neon planningos-staging): point-in-time restore to any moment of the last 1 day (history retention)");
  });

  it("gives Render's recovery window by plan and workspace", () => {
    expect(backupsOf("examples/Pulumi.projectflo-production.yaml", "production")).toBe([
      "Backups:",
      "  Postgres (Render projectflo-production, plan pro_4gb): point-in-time recovery over the last 7 days (a professional workspace); protected, kept if the stack is destroyed",
      "      extensions: pg_stat_statements; Render loads them, and its API creates none; the app's migrations create them: CREATE EXTENSION IF NOT EXISTS pg_stat_statements;",
    ].join("\n"));
  });

  it("gives a Docker Postgres's point-in-time window and RPO, and names what it leaves out: a copy off the server (Life-OS asks for PITR)", () => {
    expect(backupsOf("examples/Pulumi.lifeos-production.yaml", "production")).toBe([
      "Backups:",
      "  Postgres (Docker lifeos-production): a dump daily, 30 days of dumps kept on a volume of their own; protected, kept if the stack is destroyed",
      "      point-in-time recovery to any moment of the last 30 days, WAL archived at least every 3600 s (a base backup daily, on volumes of their own)",
      "      not covered: a copy off the server (the dumps, base backups and WAL share its disk; copy them elsewhere, e.g. with the host's own backup)",
      "  Redis (Docker lifeos-production): append-only file on its volume, no backups (a cache: its data can be rebuilt)",
    ].join("\n"));
  });

  it("names point-in-time recovery as not covered when a Docker Postgres's pitr is off", () => {
    const { source } = readStackFile("examples/Pulumi.lifeos-staging.yaml", ROOT, "staging");
    const database = JSON.parse(source.values["paved:database"]) as { docker: { backups: Record<string, unknown> } };
    database.docker.backups.pitr = false;
    const values = { ...source.values, "paved:database": JSON.stringify(database) };
    expect(renderBackups(loadEnvironmentConfig({ ...source, values }))).toBe([
      "Backups:",
      "  Postgres (Docker lifeos-staging): a dump daily, 7 days of dumps kept on a volume of their own",
      "      not covered: point-in-time recovery (a dump restores to the moment it was taken; paved:database.docker.backups.pitr archives WAL for recovery to any moment)",
      "      not covered: a copy off the server (the dumps share its disk; copy them elsewhere, e.g. with the host's own backup)",
      "  Redis (Docker lifeos-staging): append-only file on its volume, no backups (a cache: its data can be rebuilt)",
    ].join("\n"));
  });

  it("keeps a local stack's section short, and prints none for a stack with no store", () => {
    expect(backupsOf("local")).toBe("Backups:\n  Postgres (Docker planningos-local): no scheduled dumps (paved:database.docker.backups)");
    const { source } = readStackFile("production", ROOT);
    const values = Object.fromEntries(Object.entries(source.values).filter(([k]) => k !== "paved:database"));
    expect(renderBackups(loadEnvironmentConfig({ ...source, values }))).toBeUndefined();
  });
});

describe("the plan's Backups section for a Railway API", () => {
  it("names the Railway Redis beside Neon", () => {
    expect(backupsOf("examples/Pulumi.flightpro-production.yaml", "production")).toBe([
      "Backups:",
      "  Postgres (Neon flightpro-production): point-in-time restore to any moment of the last 7 days (history retention); protected, kept if the stack is destroyed",
      "  Redis (Railway flightpro-production): append-only file on its volume, no backups (a cache: its data can be rebuilt)",
    ].join("\n"));
  });
});

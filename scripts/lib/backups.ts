/**
 * The plan's "Backups" section: how far back each stateful store can be restored, and what the
 * stack leaves out (a Docker Postgres without `pitr` dumps on a schedule but has no point-in-time recovery).
 */
import type { EnvironmentConfig } from "../../stacks/config";

export function renderBackups(config: EnvironmentConfig): string | undefined {
  const { database: db, cache } = config;
  if (!db && !cache) return undefined;
  const lines = ["Backups:"];
  const kept = config.protect ? "; protected, kept if the stack is destroyed" : "";
  if (db?.provider === "neon") {
    lines.push(db.neon?.branchFrom
      ? `  Postgres (Neon): a branch of ${db.neon.branchFrom}'s project; restores come from that project's history`
      : `  Postgres (Neon ${db.instanceName}): point-in-time restore to any moment of the last ${db.retentionDays} ${days(db.retentionDays)} (history retention)${kept}`);
  } else if (db?.provider === "render") {
    lines.push(db.retentionDays > 0
      ? `  Postgres (Render ${db.instanceName}, plan ${db.render!.plan}): point-in-time recovery over the last ${db.retentionDays} ${days(db.retentionDays)} (a ${db.render!.workspacePlan} workspace)${kept}`
      : `  Postgres (Render ${db.instanceName}, plan ${db.render!.plan}): no point-in-time recovery on this plan`);
  } else if (db?.provider === "docker") {
    const b = db.docker?.backups;
    lines.push(b
      ? `  Postgres (Docker ${db.instanceName}): a dump ${b.schedule === "@daily" ? "daily" : `on "${b.schedule}"`}, ${b.keepDays} ${days(b.keepDays)} of dumps kept on a volume of their own${kept}`
      : `  Postgres (Docker ${db.instanceName}): no scheduled dumps (paved:database.docker.backups)`);
    if (b?.pitr) {
      lines.push(`      point-in-time recovery to any moment of the last ${b.keepDays} ${days(b.keepDays)}, WAL archived at least every ${b.pitr.archiveTimeoutSeconds} s (a base backup daily, on volumes of their own)`);
    } else if (config.kind !== "local") {
      // Said once, plainly: a guide that asks for PITR (Life-OS) is not met by dumps. A local stack's data is a developer's own.
      lines.push("      not covered: point-in-time recovery (a dump restores to the moment it was taken; paved:database.docker.backups.pitr archives WAL for recovery to any moment)");
    }
    if (b) lines.push(`      not covered: a copy off the server (the ${b.pitr ? "dumps, base backups and WAL" : "dumps"} share its disk; copy them elsewhere, e.g. with the host's own backup)`);
  }
  if (db?.extensions.length) {
    const loads = db.provider === "docker" ? "the server loads them at start (shared_preload_libraries)" : `${db.provider === "neon" ? "Neon" : "Render"} loads them, and its API creates none`;
    lines.push(`      extensions: ${db.extensions.join(", ")}; ${loads}; the app's migrations create them: ` +
      db.extensions.map((e) => `CREATE EXTENSION IF NOT EXISTS ${e};`).join(" "));
  }
  if (cache) {
    const where = { docker: "Docker", railway: "Railway", render: "Render Key Value" }[cache.provider] ?? cache.provider;
    lines.push(cache.provider === "render"
      ? `  Redis (${where} ${cache.instanceName}): Render's own persistence, no backups (a cache: its data can be rebuilt)`
      : `  Redis (${where} ${cache.instanceName}): append-only file on its volume, no backups (a cache: its data can be rebuilt)`);
  }
  return lines.join("\n");
}

const days = (n: number) => (n === 1 ? "day" : "days");

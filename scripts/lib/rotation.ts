/** When generated secrets are due to rotate, read from dated rotation labels (`2026-11`, `2026-11-03`). */
import type { SecretsConfig } from "../../stacks/config";

export interface RotationStatus {
  secret: string;
  label: string;
  everyDays: number;
  /** Undefined when the label is not a date: paved cannot tell its age. */
  due?: string;
  overdue: boolean;
}

/** `2026-11` counts from the first of the month. */
export function labelDate(label: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(label);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? "1")));
  return Number.isNaN(date.getTime()) || date.getUTCMonth() !== Number(m[2]) - 1 ? undefined : date;
}

export function rotationStatus(secrets: SecretsConfig, today: Date): RotationStatus[] {
  return Object.entries(secrets.generate).sort(([a], [b]) => a.localeCompare(b)).map(([secret, spec]) => {
    const since = labelDate(spec.rotation);
    if (!since) return { secret, label: spec.rotation, everyDays: spec.rotateEveryDays, overdue: false };
    const due = new Date(since.getTime() + spec.rotateEveryDays * 86_400_000);
    return { secret, label: spec.rotation, everyDays: spec.rotateEveryDays, due: due.toISOString().slice(0, 10), overdue: due < today };
  });
}

export function renderRotation(statuses: RotationStatus[]): string {
  const lines = ["Secret rotation:"];
  for (const s of statuses) {
    const when = s.due === undefined ? "label is not a date, age unknown"
      : s.overdue ? `OVERDUE since ${s.due}: set a new label (paved:secrets.rotation or generate.${s.secret}.rotation) and run pulumi up`
      : `due ${s.due}`;
    lines.push(`  ${s.secret}: label ${s.label}, every ${s.everyDays} days; ${when}`);
  }
  return lines.join("\n");
}

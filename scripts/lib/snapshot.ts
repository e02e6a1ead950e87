/** The plan snapshot: what `--json` writes and `--diff` reads. Stable bytes for stable input. */
import type { CostEstimate, CostLine } from "./cost";
import { type CapturedResource, Secret, UNKNOWN } from "./values";

export interface SnapshotResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  dependencies: string[];
  provider: string | null;
  /** Present only for an adopted resource: the existing id it imports. */
  importId?: string;
  /** Its share of the stack's monthly estimate, US dollars (billed resources only). */
  cost?: { low: number; high: number };
}

export interface Snapshot {
  stack: string;
  project: string;
  resources: SnapshotResource[];
  policy?: unknown;
  /** Fingerprints of the stack file's `secure:` values by key (see `secretVersion`); never the values. */
  secrets?: Record<string, string>;
  /** The stack's monthly estimate: its total, the price table's date and a line per billed thing. */
  cost?: { low: number; high: number; tableDate: string; kind: string; lines: Omit<CostLine, "urns">[] };
}

/** Secrets become "[secret]" and unknowns "[unknown]": nothing secret ever reaches a snapshot. */
export function mask(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (value instanceof Secret) return "[secret]";
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mask(v)]));
  }
  return value;
}

/**
 * Inputs as a person may see them. A value is masked where the program passed it as a secret:
 * the wire marks it, whatever the provider's schema says. Under an output the engine stores as
 * secret (`additionalSecretOutputs`), an unknown value is masked too, since an unknown loses its
 * secret mark on the wire; known plain values there stay readable, as the program passed them.
 */
export function visibleInputs(resource: Pick<CapturedResource, "inputs" | "additionalSecretOutputs">): Record<string, unknown> {
  const secretKeys = new Set(resource.additionalSecretOutputs);
  return Object.fromEntries(Object.entries(resource.inputs)
    .map(([k, v]) => [k, secretKeys.has(k) ? maskUnknownAsSecret(v) : mask(v)]));
}

function maskUnknownAsSecret(value: unknown): unknown {
  if (value === UNKNOWN || value instanceof Secret) return "[secret]";
  if (Array.isArray(value)) return value.map(maskUnknownAsSecret);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskUnknownAsSecret(v)]));
  }
  return value;
}

export function toSnapshot(
  project: string, stack: string, resources: CapturedResource[], policy?: unknown, secrets?: Record<string, string>, cost?: CostEstimate,
): Snapshot {
  const snapshot: Snapshot = {
    stack,
    project,
    resources: [...resources]
      .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))
      .map((r) => ({
        urn: r.urn, type: r.type, name: r.name, parent: r.parent, inputs: visibleInputs(r),
        protect: r.protect, retainOnDelete: r.retainOnDelete, dependencies: r.dependencies, provider: r.provider,
        ...(r.importId ? { importId: r.importId } : {}),
      })),
  };
  if (cost) attachCost(snapshot, cost);
  if (policy !== undefined) snapshot.policy = policy;
  if (secrets && Object.keys(secrets).length) snapshot.secrets = secrets;
  return snapshot;
}

/** Sets the snapshot's estimate and each billed resource's share of it (in place). */
export function attachCost(snapshot: Snapshot, cost: CostEstimate): Snapshot {
  const shares = costShares(cost);
  for (const r of snapshot.resources) {
    delete r.cost;
    const share = shares.get(r.urn);
    if (share) r.cost = share;
  }
  snapshot.cost = { low: cost.low, high: cost.high, tableDate: cost.tableDate, kind: cost.kind, lines: cost.lines.map(({ urns: _urns, ...line }) => line) };
  return snapshot;
}

/** Each billed resource's share of the lines it is counted in, split evenly between a line's resources. */
function costShares(cost: CostEstimate): Map<string, { low: number; high: number }> {
  const shares = new Map<string, { low: number; high: number }>();
  for (const line of cost.lines) {
    if (line.unpriced || line.countedIn) continue;
    for (const urn of line.urns) {
      const share = shares.get(urn) ?? { low: 0, high: 0 };
      share.low = Math.round((share.low + line.low / line.urns.length) * 100) / 100;
      share.high = Math.round((share.high + line.high / line.urns.length) * 100) / 100;
      shares.set(urn, share);
    }
  }
  return shares;
}

/** JSON with object keys sorted at every depth, two-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

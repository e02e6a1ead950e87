/** Markdown summary of two plan snapshots, for a pull-request comment. */
import { display } from "./render";
import type { Snapshot, SnapshotResource } from "./snapshot";

export interface Change { path: string; before: unknown; after: unknown }

/** One resource in both snapshots whose inputs or options differ. */
export interface Changed { key: string; resource: SnapshotResource; before: SnapshotResource; list: Change[] }

/** What differs between two snapshots, each resource keyed by its stack-independent identity. */
export interface SnapshotDiff {
  base: Map<string, SnapshotResource>;
  head: Map<string, SnapshotResource>;
  added: string[];
  removed: string[];
  changed: Changed[];
  unchanged: number;
}

/**
 * Stack-independent identity: the type chain and the name with its leading stack name generalised.
 * A snapshot from before paved's provider plugin names its resources `pulumi-nodejs:dynamic/<area>:<Kind>`;
 * they are the same resources (each `paved:` type aliases its old token), so both read as one.
 */
function identity(r: SnapshotResource, stack: string): string {
  const [, , typed = "", name = ""] = r.urn.split("::");
  const chain = typed.replace(/pulumi-nodejs:dynamic\//g, "paved:");
  const general = name === stack ? "{stack}" : name.startsWith(`${stack}-`) ? `{stack}${name.slice(stack.length)}` : name;
  return `${chain}::${general}`;
}

function changes(before: unknown, after: unknown, path = ""): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const b = before as Record<string, unknown>, a = after as Record<string, unknown>;
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()
      .flatMap((k) => changes(b[k], a[k], path ? `${path}.${k}` : k));
  }
  return [{ path: path || "(value)", before, after }];
}

export const code = (v: unknown) => {
  const text = v === undefined ? "(none)" : display(v);
  return `\`${(text.length > 60 ? `${text.slice(0, 59)}…` : text).replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
};

export function diffSnapshots(base: Snapshot, head: Snapshot): SnapshotDiff {
  const index = (s: Snapshot) => new Map(s.resources.map((r) => [identity(r, s.stack), r]));
  const b = index(base), h = index(head);
  const added = [...h.keys()].filter((k) => !b.has(k)).sort();
  const removed = [...b.keys()].filter((k) => !h.has(k)).sort();
  const changed = [...h.keys()].filter((k) => b.has(k)).sort().map((k) => {
    const before = b.get(k)!, after = h.get(k)!;
    const list = changes(before.inputs, after.inputs);
    for (const opt of ["protect", "retainOnDelete"] as const) {
      if (before[opt] !== after[opt]) list.push({ path: `(option) ${opt}`, before: before[opt], after: after[opt] });
    }
    return { key: k, resource: after, before, list };
  }).filter((c) => c.list.length > 0);
  return { base: b, head: h, added, removed, changed, unchanged: h.size - added.length - changed.length };
}

export function renderDiff(base: Snapshot, head: Snapshot): string {
  const { base: b, head: h, added, removed, changed, unchanged } = diffSnapshots(base, head);
  const secrets = secretChanges(base.secrets ?? {}, head.secrets ?? {});

  const title = base.stack === head.stack ? `stack \`${head.stack}\`` : `\`${base.stack}\` → \`${head.stack}\``;
  const out = [
    `### paved plan: ${title}`,
    "",
    `**${added.length} to add · ${removed.length} to remove · ${changed.length} to change · ${unchanged} unchanged**`,
  ];
  if (added.length + removed.length + changed.length + secrets.length === 0) return [...out, "", "No differences."].join("\n") + "\n";
  if (added.length + removed.length + changed.length > 0) out.push("", "| | resource | type | what changes |", "|---|---|---|---|");
  for (const k of added) out.push(`| + | \`${h.get(k)!.name}\` | \`${h.get(k)!.type}\` | new |`);
  for (const k of removed) out.push(`| − | \`${b.get(k)!.name}\` | \`${b.get(k)!.type}\` | removed${b.get(k)!.protect ? " (protected: the engine will refuse)" : ""} |`);
  for (const c of changed) {
    const detail = c.list.slice(0, 6).map((x) => `\`${x.path}\`: ${code(x.before)} → ${code(x.after)}`).join("<br>");
    const more = c.list.length > 6 ? `<br>…and ${c.list.length - 6} more` : "";
    out.push(`| ~ | \`${c.resource.name}\` | \`${c.resource.type}\` | ${detail}${more} |`);
  }
  if (secrets.length) out.push("", "| | secret in the stack file | what changes |", "|---|---|---|", ...secrets);
  out.push("", "<sub>Secret values are shown as `[secret]`, and a secret set again in the stack file as changed, never its value; values computed at deploy time as `[unknown]`.</sub>");
  return out.join("\n") + "\n";
}

/** Rows for the stack file's secrets that differ, compared by their fingerprints alone. */
function secretChanges(base: Record<string, string>, head: Record<string, string>): string[] {
  return [...new Set([...Object.keys(base), ...Object.keys(head)])].sort().flatMap((key) => {
    if (!(key in base)) return [`| + | \`${key}\` | new (secret) |`];
    if (!(key in head)) return [`| − | \`${key}\` | removed (secret) |`];
    return base[key] === head[key] ? [] : [`| ~ | \`${key}\` | changed (secret) |`];
  });
}

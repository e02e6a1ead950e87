/** The human-readable plan: the resource tree with key inputs, then a count per type. */
import type { CapturedResource } from "./values";
import { visibleInputs } from "./snapshot";

const MAX_VALUE = 96;

export function renderTree(resources: CapturedResource[]): string {
  const children = new Map<string | null, CapturedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, prefix: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name));
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === null ? "" : last ? "└─ " : "├─ ";
      const flags = [r.read && "read", r.importId && `import ${r.importId}`, r.protect && "protect", r.retainOnDelete && "retainOnDelete", r.deleteBeforeReplace && "deleteBeforeReplace"]
        .filter(Boolean).map((f) => `[${f}]`).join(" ");
      lines.push(`${prefix}${branch}${r.type}  ${r.name}${flags ? `  ${flags}` : ""}`);
      const inner = parent === null ? "" : prefix + (last ? "   " : "│  ");
      const detail = inner + ((children.get(r.urn)?.length ?? 0) > 0 ? "│  " : "   ");
      if (r.custom) {
        for (const [key, value] of Object.entries(visibleInputs(r)).sort(([a], [b]) => a.localeCompare(b))) {
          lines.push(`${detail}  ${key} = ${short(value)}`);
        }
      }
      walk(r.urn, inner);
    });
  };
  walk(null, "");
  return lines.join("\n");
}

export function renderCounts(resources: CapturedResource[]): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const width = Math.max(...[...counts.keys()].map((k) => k.length));
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `  ${type.padEnd(width)}  ${n}`)
    .join("\n");
}

/** A masked value as one line of JSON, with `[secret]` and `[unknown]` unquoted. */
export function display(value: unknown): string {
  return JSON.stringify(value).replace(/"\[(secret|unknown)\]"/g, "[$1]");
}

function short(value: unknown): string {
  const text = display(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

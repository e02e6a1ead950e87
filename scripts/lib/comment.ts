/**
 * The pull-request comment for one stack: a one-line summary, the diff table, a collapsible
 * detail per resource and the policy verdict, ending in the marker CI finds it by.
 */
import type { Violation } from "../../policy/offline";
import { monthlyChange, renderCostChange } from "./cost-diff";
import { type Change, code, diffSnapshots, renderDiff, type SnapshotDiff } from "./diff";
import type { PolicyReport } from "./policy";
import { replaceReasons } from "./replacements";
import type { Snapshot, SnapshotResource } from "./snapshot";

/** The HTML comment that identifies a stack's comment, so CI updates it instead of adding one. */
export const commentMarker = (stack: string) => `<!-- paved-plan:${stack} -->`;

interface Entry {
  op: "+" | "~" | "-" | "±";
  resource: SnapshotResource;
  list: Change[];
  /** Why a replacement replaces: the inputs that force it, or its URN changing. */
  because?: string;
  protectedBefore: boolean;
}

/** Every resource that differs, replacements told apart from in-place updates. */
export function classify(diff: SnapshotDiff): Entry[] {
  const nameOf = (key: string) => key.slice(key.lastIndexOf("::") + 2);
  const added = new Map(diff.added.map((k) => [nameOf(k), k]));
  const paired = new Set<string>();
  const entries: Entry[] = [];
  for (const k of diff.removed) {
    const before = diff.base.get(k)!;
    const twin = added.get(nameOf(k));
    // Same name, different type or parent: a new URN, so the engine deletes the old one.
    if (twin) {
      paired.add(twin);
      const after = diff.head.get(twin)!;
      entries.push({ op: "±", resource: after, because: "its type or parent changes its URN", protectedBefore: before.protect,
        list: [{ path: "(urn)", before: before.type, after: after.type }] });
    } else {
      entries.push({ op: "-", resource: before, list: [], protectedBefore: before.protect });
    }
  }
  for (const k of diff.added) if (!paired.has(k)) entries.push({ op: "+", resource: diff.head.get(k)!, list: [], protectedBefore: false });
  for (const c of diff.changed) {
    const reasons = replaceReasons(c.resource.type, c.list.map((x) => x.path));
    entries.push({ op: reasons.length ? "±" : "~", resource: c.resource, list: c.list, protectedBefore: c.before.protect,
      because: reasons.length ? `of ${reasons.map((r) => `\`${r}\``).join(", ")}` : undefined });
  }
  const order = { "±": 0, "-": 1, "~": 2, "+": 3 };
  return entries.sort((a, b) => order[a.op] - order[b.op] || a.resource.name.localeCompare(b.resource.name));
}

/** `⚠️ replaces protected … · +N ~N -N (N replaced) · policy …`: the comment's first line. */
export function summaryLine(stack: string, entries: Entry[], policy: PolicyReport | undefined, cost?: string): string {
  const names = (op: Entry["op"]) => entries.filter((e) => e.op === op && e.protectedBefore).map((e) => `\`${e.resource.name}\``);
  const danger = [
    ...(names("±").length ? [`**replaces protected** ${names("±").join(", ")}`] : []),
    ...(names("-").length ? [`**deletes protected** ${names("-").join(", ")}`] : []),
  ];
  const count = (...ops: Entry["op"][]) => entries.filter((e) => ops.includes(e.op)).length;
  const replaced = count("±");
  const counts = `+${count("+")} ~${count("~", "±")} -${count("-")}${replaced ? ` (${replaced} replaced)` : ""}`;
  return [`**paved plan \`${stack}\`**`, ...(danger.length ? [`⚠️ ${danger.join(", ")}`] : []), counts, ...(cost ? [cost] : []), verdict(policy)].join(" · ");
}

function verdict(policy: PolicyReport | undefined): string {
  if (!policy) return "policy not run";
  const mark = policy.mandatory > 0 ? "❌" : "✅";
  return `policy ${mark} ${policy.mandatory} mandatory, ${policy.advisory} advisory${policy.acknowledged ? `, ${policy.acknowledged} acknowledged` : ""}`;
}

function detail(entry: Entry): string {
  const what = { "+": "created", "-": "deleted", "~": "updated in place", "±": "replaced" }[entry.op];
  const why = entry.because ? ` (because ${entry.because})` : "";
  const guard = entry.protectedBefore && (entry.op === "-" || entry.op === "±") ? " — protected: the engine will refuse until it is unprotected" : "";
  const lines = entry.op === "+"
    ? Object.keys(entry.resource.inputs).sort().map((k) => `- \`${k}\`: ${code(entry.resource.inputs[k])}`)
    : entry.list.map((x) => `- \`${x.path}\`: ${code(x.before)} → ${code(x.after)}`);
  return [
    `<details><summary><code>${entry.op}</code> <code>${entry.resource.name}</code> <code>${entry.resource.type}</code>: ${what}${why}</summary>`,
    "",
    `${what[0].toUpperCase()}${what.slice(1)}${why}${guard}.`,
    ...(lines.length ? ["", ...lines] : []),
    "",
    "</details>",
  ].join("\n");
}

/** The policy verdict, each violation marked `new` when the base did not have it. */
export function renderVerdict(head: PolicyReport | undefined, base: PolicyReport | undefined, stacks: { base: string; head: string }): string {
  if (!head) return "#### Policy\n\nThe head snapshot carries no policy report.";
  const key = (v: Violation, stack: string) => `${v.policy}|${(v.resource ?? "").replace(`::${stack}-`, "::{stack}-")}|${v.message}`;
  const before = new Set((base?.violations ?? []).map((v) => key(v, stacks.base)));
  const line = (v: Violation) => `- **${v.level}** \`${v.policy}\`${v.resource ? ` on \`${v.resource.split("::")[1]}\`` : ""}: ${v.message}${base && !before.has(key(v, stacks.head)) ? " *(new)*" : ""}`;
  const mandatory = head.violations.filter((v) => v.level === "mandatory" && !v.acknowledged);
  const advisory = head.violations.filter((v) => v.level === "advisory" && !v.acknowledged);
  const acknowledged = head.violations.filter((v) => v.acknowledged);
  const out = [`#### Policy (\`policy/config/${head.environment}.json\`): ${verdict(head).replace(/^policy /, "")}`];
  if (mandatory.length) out.push("", "A mandatory violation fails this check:", "", ...mandatory.map(line));
  if (advisory.length) out.push("", `<details><summary>${advisory.length} advisory</summary>`, "", ...advisory.map(line), "", "</details>");
  if (acknowledged.length) {
    out.push("", "Acknowledged in the stack file (`paved:policy.acknowledge`), each until its date:", "",
      ...acknowledged.map((v) => `${line(v)} — *acknowledged until ${v.acknowledged!.expires}: ${v.acknowledged!.reason}*`));
  }
  return out.join("\n");
}

/** The whole comment for `head` against `base`. */
export function renderComment(base: Snapshot, head: Snapshot): string {
  const entries = classify(diffSnapshots(base, head));
  const policy = head.policy as PolicyReport | undefined;
  const cost = renderCostChange(base, head);
  return [
    summaryLine(head.stack, entries, policy, monthlyChange(base, head)),
    "",
    renderDiff(base, head).trimEnd(),
    ...(cost ? ["", cost] : []),
    ...(entries.length ? ["", "#### Each resource", "", entries.map(detail).join("\n")] : []),
    "",
    renderVerdict(policy, base.policy as PolicyReport | undefined, { base: base.stack, head: head.stack }),
    "",
    commentMarker(head.stack),
    "",
  ].join("\n");
}

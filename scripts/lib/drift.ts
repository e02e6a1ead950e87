/**
 * The drift issue body, from the JSON of a refresh preview
 * (`pulumi refresh --preview-only --expect-no-changes --json`). Names what drifted, never a
 * value: a provider may report a secret without marking it.
 */
import { stackOfUrn } from "../../policy/stack";
import { redactCredentials } from "../../components/credentials";

/** A step of `pulumi preview --json` / `refresh --json` (Pulumi's `PreviewDigest`), as far as drift needs it. */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { protect?: boolean; outputs?: Record<string, unknown> } | null;
  newState?: { protect?: boolean; outputs?: Record<string, unknown> } | null;
  diffReasons?: string[] | null;
  detailedDiff?: Record<string, { kind?: string }> | null;
}

export interface PreviewDigest {
  steps?: PreviewStep[] | null;
  changeSummary?: Record<string, number> | null;
  diagnostics?: { urn?: string; message?: string; severity?: string }[] | null;
}

/** The HTML comment that identifies a stack's drift issue. */
export const driftMarker = (stack: string) => `<!-- paved-drift:${stack} -->`;

export interface DriftedResource { op: string; name: string; type: string; keys: string[]; protect: boolean }

const QUIET = new Set(["same", "read"]);

function driftedKeys(step: PreviewStep): string[] {
  if (step.detailedDiff && Object.keys(step.detailedDiff).length) return Object.keys(step.detailedDiff).sort();
  if (step.diffReasons?.length) return [...step.diffReasons].sort();
  const before = step.oldState?.outputs ?? {}, after = step.newState?.outputs ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** The resources whose real state no longer matches the stack's. */
export function driftedResources(digest: PreviewDigest): DriftedResource[] {
  return (digest.steps ?? []).flatMap((step) => {
    if (QUIET.has(step.op)) return [];
    const keys = step.op === "delete" ? [] : driftedKeys(step);
    // A refresh step that changed nothing is no drift.
    if (step.op === "refresh" && keys.length === 0) return [];
    const [, , chain = "", name = ""] = step.urn.split("::");
    return [{ op: step.op, name, type: chain.slice(chain.lastIndexOf("$") + 1), keys,
      protect: !!(step.oldState?.protect ?? step.newState?.protect) }];
  }).sort((a, b) => Number(b.protect) - Number(a.protect) || a.name.localeCompare(b.name));
}

/** The stack the refresh ran on, from its resources' URNs. */
export function stackOf(digest: PreviewDigest): string | undefined {
  return digest.steps?.map((s) => stackOfUrn(s.urn)).find(Boolean);
}

const OPS: Record<string, { mark: string; what: string }> = {
  delete: { mark: "-", what: "gone: deleted outside Pulumi" },
  create: { mark: "+", what: "missing from the stack's state" },
};

export function renderDrift(digest: PreviewDigest, stack: string): string {
  const drifted = driftedResources(digest);
  if (drifted.length === 0) {
    return [`**paved drift \`${stack}\`** · no drift: the cloud matches the stack's state.`, "", driftMarker(stack), ""].join("\n");
  }
  const gone = drifted.filter((d) => d.op === "delete");
  const protectedGone = gone.filter((d) => d.protect).map((d) => `\`${d.name}\``);
  const first = [
    `**paved drift \`${stack}\`**`,
    ...(protectedGone.length ? [`⚠️ **protected gone** ${protectedGone.join(", ")}`] : []),
    `${drifted.length} resource${drifted.length === 1 ? "" : "s"} drifted: ~${drifted.length - gone.length} -${gone.length}`,
  ].join(" · ");
  const rows = drifted.map((d) => {
    const { mark, what } = OPS[d.op] ?? { mark: "~", what: d.keys.length ? d.keys.map((k) => `\`${k}\``).join(", ") : "changed outside Pulumi" };
    return `| ${mark} | \`${d.name}\`${d.protect ? " (protected)" : ""} | \`${d.type}\` | ${what} |`;
  });
  // A provider's error may quote a connection string or a token it was handed.
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error")
    .map((d) => `- ${redactCredentials((d.message ?? "").trim().split("\n")[0])}`);
  return [
    first,
    "",
    `The scheduled refresh preview (\`pulumi refresh --preview-only --expect-no-changes -s ${stack}\`) found resources that no longer match the stack's state.`,
    "",
    "| | resource | type | what drifted |",
    "|---|---|---|---|",
    ...rows,
    ...(errors.length ? ["", "Errors during the refresh:", "", ...errors] : []),
    "",
    `Values are not shown: a drifted value may be a secret. Keep the cloud's values with \`pulumi refresh -s ${stack}\`, or restore the program's with \`pulumi up -s ${stack}\` (for production, through the deploy workflow). This issue closes itself when the stack is clean again.`,
    "",
    driftMarker(stack),
    "",
  ].join("\n");
}

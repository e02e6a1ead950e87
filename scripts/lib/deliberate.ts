/**
 * The plan's "Deliberately not as some guides have it" section: where paved plans something safer
 * than a deployment guide may ask for, one line each, so a team that follows a guide sees why
 * its value is not there rather than taking it for a gap.
 */
import type { CapturedResource } from "./capture";

const HEADERS = "cloudflare:index/ruleset:Ruleset";
const PROTECTION = "github:index/branchProtection:BranchProtection";

export function renderDeliberate(resources: readonly CapturedResource[]): string | undefined {
  const lines: string[] = [];
  if (resources.some((r) => r.type === HEADERS && r.inputs.phase === "http_response_headers_transform")) {
    lines.push("  X-XSS-Protection: not sent, where a guide asks for \"1; mode=block\": browsers removed the filter it switched on, " +
      "OWASP advises against sending it, and the Content-Security-Policy is what blocks injected scripts");
  }
  const linear = resources.filter((r) => r.type === PROTECTION && r.inputs.requiredLinearHistory === true).map((r) => String(r.inputs.pattern));
  if (linear.length) {
    lines.push(`  merges into ${linear.join(", ")}: squash or rebase, never a merge commit (where a guide merges with --no-ff): ` +
      "history stays linear, so each commit on the branch is one reviewed change that can be reverted alone");
  }
  return lines.length ? ["Deliberately not as some guides have it:", ...lines].join("\n") : undefined;
}

/**
 * Which pull-request stacks to destroy: those whose pull request closed without its stack being
 * destroyed (a failed or cancelled run), and those whose pull request has gone quiet for longer
 * than the preview template says (`paved:delivery.expireAfterDays`; Render's previews expire the
 * same way). Reads what `pulumi stack ls --json` and `gh pr list --json` print.
 */
import { UsageError } from "./stack-file";

export interface StaleStack { number: number; branch: string; why: string }

interface ListedStack { name: string }
interface ListedPr { number: number; state: string; updatedAt: string; headRefName: string }

/** The pr-<N> stacks to destroy at `now`, each with the branch its stack file is derived from. */
export function stalePreviews(stacks: unknown, prs: unknown, expireAfterDays: number, now: Date): StaleStack[] {
  if (!Array.isArray(stacks) || !Array.isArray(prs)) throw new UsageError("stale: expected STACKS and PRS as JSON lists");
  const byNumber = new Map((prs as ListedPr[]).map((pr) => [pr.number, pr]));
  const stale: StaleStack[] = [];
  for (const { name } of stacks as ListedStack[]) {
    const number = Number(/(?:^|\/)pr-(\d+)$/.exec(String(name))?.[1]);
    if (!number) continue;
    const pr = byNumber.get(number);
    if (!pr) {
      stale.push({ number, branch: `pr-${number}`, why: `pull request #${number} is not found` });
    } else if (pr.state !== "OPEN") {
      stale.push({ number, branch: pr.headRefName, why: `pull request #${number} is ${pr.state.toLowerCase()}` });
    } else {
      const quietDays = (now.getTime() - Date.parse(pr.updatedAt)) / 86_400_000;
      if (quietDays > expireAfterDays) {
        stale.push({ number, branch: pr.headRefName, why: `pull request #${number} has been quiet for ${Math.floor(quietDays)} days (more than ${expireAfterDays})` });
      }
    }
  }
  return stale.sort((a, b) => a.number - b.number);
}

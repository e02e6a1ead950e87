import type { ApiClient } from "./http";
import { type ReleaseState, settleRelease, withLastLines } from "./release";

interface DeployBody {
  id: string;
  status?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** The `details.reason.failure` of a pre_deploy_ended event: how the command ended. */
interface CommandFailure {
  nonZeroExit?: number;
  oomKilled?: { memoryLimit: string };
  timedOutSeconds?: number;
  evicted?: boolean;
}

interface PreDeployEnded {
  event: { details: { deployId?: string; reason?: { failure?: CommandFailure } } };
}

/** Render's deployStatus enum, by where it leaves the deploy. */
const STATES: Record<string, ReleaseState> = {
  created: "pending", queued: "pending", build_in_progress: "pending", pre_deploy_in_progress: "pending", update_in_progress: "pending",
  live: "live",
  build_failed: "failed", pre_deploy_failed: "failed", update_failed: "failed", canceled: "failed", deactivated: "failed",
};

/** Whether a recorded status is a deploy that went live. */
export const wentLive = (status: string): boolean => STATES[status] === "live";

const WHAT_FAILED: Record<string, string> = {
  build_failed: "the build failed",
  pre_deploy_failed: "the pre-deploy command failed",
  update_failed: "the new instances failed to start or to pass their health check",
  canceled: "it was canceled",
  deactivated: "a newer deploy replaced it before it went live",
};

/** What a service's deploy is, for an error message: `Render service api (srv-1) deploy dep-2`. */
export interface DeployTarget {
  serviceId: string;
  name: string;
  ownerId: string;
  preDeployCommand?: string;
  /** Whether a release was serving before this deploy (not so for a new service). */
  hadRelease: boolean;
  /** Values that must never appear in the message (the service's env vars). */
  secrets: readonly string[];
}

function howItEnded(f: CommandFailure | undefined): string {
  if (f?.nonZeroExit !== undefined) return `exited with status ${f.nonZeroExit}`;
  if (f?.oomKilled) return `was killed for lack of memory (limit ${f.oomKilled.memoryLimit})`;
  if (f?.timedOutSeconds !== undefined) return `timed out after ${f.timedOutSeconds} s`;
  if (f?.evicted) return "was evicted";
  return "failed";
}

/** How the deploy's pre-deploy command ended, from its pre_deploy_ended event. */
async function preDeployOutcome(c: ApiClient, t: DeployTarget, d: DeployBody): Promise<string> {
  const events = await c.request<PreDeployEnded[]>("GET", `/services/${t.serviceId}/events`, {
    query: { type: "pre_deploy_ended", startTime: d.createdAt, limit: "100" },
  });
  const ended = events.find((e) => e.event.details.deployId === d.id);
  return `the pre-deploy command "${t.preDeployCommand}" ${howItEnded(ended?.event.details.reason?.failure)}`;
}

/** The service's log lines from the deploy's start to its end, oldest first. */
async function deployLogs(c: ApiClient, t: DeployTarget, d: DeployBody): Promise<string[]> {
  const page = await c.request<{ logs: { message: string }[] }>("GET", "/logs", {
    query: {
      ownerId: t.ownerId, resource: [t.serviceId], startTime: d.startedAt ?? d.createdAt, endTime: d.finishedAt,
      direction: "backward", limit: "100",
    },
  });
  // Backward is newest first.
  return page.logs.map((l) => l.message).reverse();
}

async function explain(c: ApiClient, t: DeployTarget, d: DeployBody): Promise<string> {
  const status = d.status ?? "unknown";
  const why = status === "pre_deploy_failed" && t.preDeployCommand ? await preDeployOutcome(c, t, d) : WHAT_FAILED[status] ?? status;
  // Render routes traffic to a deploy only once it is live; until then the one before keeps it.
  const serving = t.hadRelease ? "the previous release keeps serving" : "the service has no release serving yet";
  const head = `Render service ${t.name} (${t.serviceId}): deploy ${d.id} ended ${status}: ${why}; ${serving}.`;
  return withLastLines(head, await deployLogs(c, t, d), t.secrets);
}

/**
 * Waits for deploy `deployId` of a service to go live; throws ReleaseFailed (with `outs` for the
 * status it ended in) when it fails or never settles, naming the deploy, its status, how the
 * pre-deploy command ended, and the service's last log lines from the deploy.
 */
export function awaitDeploy<O>(c: ApiClient, t: DeployTarget, deployId: string, outs: (status: string) => O): Promise<O> {
  return settleRelease(
    {
      what: `Render service ${t.name} (${t.serviceId}) deploy ${deployId}`,
      read: () => c.request<DeployBody>("GET", `/services/${t.serviceId}/deploys/${deployId}`),
      status: (d) => d.status ?? "unknown",
      // A status newer than this list is waited on, up to the deadline, rather than taken as live.
      state: (s) => STATES[s] ?? "pending",
    },
    { id: t.serviceId, outs },
    (d) => explain(c, t, d),
  );
}

/** The service's newest deploy: the one Render started for a create whose answer was lost. */
export async function latestDeploy(c: ApiClient, serviceId: string): Promise<string | undefined> {
  const list = await c.request<{ deploy?: DeployBody }[]>("GET", `/services/${serviceId}/deploys`, { query: { limit: "1" } });
  return list[0]?.deploy?.id;
}

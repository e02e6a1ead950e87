import { nodes, type RailwayClient } from "./railway-api";
import { type ReleaseState, settleRelease, withLastLines } from "./release";

/** Railway's DeploymentStatus enum, by where it leaves the deployment. */
const STATES: Record<string, ReleaseState> = {
  QUEUED: "pending", WAITING: "pending", INITIALIZING: "pending", BUILDING: "pending", DEPLOYING: "pending", NEEDS_APPROVAL: "pending",
  // A sleeping deployment went live and then slept for want of traffic.
  SUCCESS: "live", SLEEPING: "live",
  FAILED: "failed", CRASHED: "failed", REMOVING: "failed", REMOVED: "failed", SKIPPED: "failed",
};

/** Whether a recorded status is a deployment that went live. */
export const wentLive = (status: string): boolean => STATES[status] === "live";

const WHAT_FAILED: Record<string, string> = {
  FAILED: "it failed",
  CRASHED: "it crashed after it started",
  REMOVING: "it was removed before it went live",
  REMOVED: "it was removed before it went live",
  SKIPPED: "Railway skipped it",
};

/** The service a deployment belongs to, for messages and the state recorded with a failure. */
export interface DeploymentTarget {
  /** The resource's id, `<environmentId>/<serviceId>`. */
  id: string;
  serviceId: string;
  name: string;
  preDeployCommand?: string;
  /** Values that must never appear in the message (the service's variables). */
  secrets: readonly string[];
}

interface EventNode {
  step: string;
  payload?: { error?: string | null } | null;
}

async function explain(c: RailwayClient, t: DeploymentTarget, id: string, status: string): Promise<string> {
  const events = nodes(await c.call<{ edges: { node: EventNode }[] }>("deploymentEvents", { id, last: 50 }));
  const preDeploy = events.find((e) => e.step === "PRE_DEPLOY_COMMAND" && e.payload?.error);
  const failed = events.find((e) => e.payload?.error);
  // Railway's docs: a pre-deploy command that fails "will not be retried and the deployment will not proceed".
  const why = preDeploy
    ? `the pre-deploy command "${t.preDeployCommand ?? ""}" failed (${preDeploy.payload!.error}); the deployment did not proceed`
    : failed ? `${failed.step.toLowerCase().replace(/_/g, " ")} failed (${failed.payload!.error})` : WHAT_FAILED[status] ?? status;
  const logs = await c.call<{ message: string }[]>("deploymentLogs", { deploymentId: id, limit: 100 });
  return withLastLines(`Railway service ${t.name} (${t.serviceId}): deployment ${id} ended ${status}: ${why}.`, logs.map((l) => l.message), t.secrets);
}

/**
 * Waits for deployment `id` to succeed; throws ReleaseFailed (with `outs` for the status it ended
 * in) when it fails or never settles, naming the deployment, its status, the failed step's
 * error (the pre-deploy command's, for a migration) and its last log lines.
 */
export function awaitDeployment<O>(c: RailwayClient, t: DeploymentTarget, id: string, outs: (status: string) => O): Promise<O> {
  return settleRelease(
    {
      what: `Railway service ${t.name} (${t.serviceId}) deployment ${id}`,
      read: () => c.call<{ status: string }>("deployment", { id }),
      status: (d) => d.status,
      state: (s) => STATES[s] ?? "pending",
    },
    { id: t.id, outs },
    (d) => explain(c, t, id, d.status),
  );
}

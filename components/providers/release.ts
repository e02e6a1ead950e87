import { lastLines } from "../credentials";
import { pollUntil } from "./http";

/** Where a release (a deploy of new settings or a new image) stands. */
export type ReleaseState = "live" | "failed" | "pending";

/**
 * A release that failed after its object was created or changed. The plugin hands `id` and
 * `outs` to the engine with the message, so the state holds the object as it now is (failed to
 * initialise) and the next `pulumi up` updates it again rather than making a second one.
 */
export class ReleaseFailed<O = unknown> extends Error {
  constructor(message: string, readonly id: string, readonly outs: O) {
    super(message);
  }
}

/** One release to wait for: how to read it, and what its status means. */
export interface Release<T> {
  /** Names it in messages, e.g. `Render service api (srv-1) deploy dep-2`. */
  what: string;
  read: () => Promise<T>;
  status: (r: T) => string;
  state: (status: string) => ReleaseState;
}

/**
 * Polls a release (pollSettings: interval and deadline) until it is live or failed. Live returns
 * the outputs for its status; anything else throws ReleaseFailed with those outputs and, for a
 * release that failed, `explain`'s message, or for one that never settled, the status it stayed in.
 */
export async function settleRelease<T, O>(
  r: Release<T>,
  record: { id: string; outs: (status: string) => O },
  explain: (settled: T) => Promise<string>,
): Promise<O> {
  let last = "unknown";
  let settled: T;
  try {
    const read = async () => {
      const v = await r.read();
      last = r.status(v);
      return v;
    };
    settled = await pollUntil(`${r.what} to finish`, read, (v) => r.state(r.status(v)) !== "pending", (v) => `it was still ${r.status(v)}`);
  } catch (err) {
    throw new ReleaseFailed((err as Error).message, record.id, record.outs(last));
  }
  if (r.state(last) === "live") return record.outs(last);
  const message = await explain(settled).catch((err: Error) => `${r.what} ended ${last}; what went wrong could not be read: ${err.message}`);
  throw new ReleaseFailed(message, record.id, record.outs(last));
}

/** `head`, then the last lines of a release's output, with secrets and credential-shaped text masked. */
export function withLastLines(head: string, output: readonly string[], secrets: readonly string[]): string {
  const lines = lastLines(output, secrets);
  if (!lines.length) return `${head} It left no log lines.`;
  return `${head} Its last log lines:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

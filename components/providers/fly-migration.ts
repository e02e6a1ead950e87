import { createHash } from "node:crypto";
import type { FlyMachineConfig } from "../resources/fly";
import { shellWords } from "../shell-words";
import { Checker, type Crud, diffFields, stableJson } from "./common";
import { flyClient, seg } from "./fly-api";
import { type MachineBody, type MachineEvent, waitFor } from "./fly";
import { isAmbiguous, isNotFound } from "./http";

export interface FlyMigrationInputs {
  app: string;
  region: string;
  image: string;
  command: string;
  env?: Record<string, string>;
  guest?: FlyMachineConfig["guest"];
  timeoutSeconds?: number;
}

export interface FlyMigrationOutputs extends FlyMigrationInputs {
  machineId: string;
  exitCode: number;
}

const FIELDS = ["app", "region", "image", "command", "env", "guest", "timeoutSeconds"] as const;
const DEFAULT_TIMEOUT_SECONDS = 600;

/** The machine's name: the same for the same run, so a machine whose create answer was lost is found again. */
const machineName = (i: FlyMigrationInputs) =>
  `paved-migrate-${createHash("sha256").update(stableJson({ image: i.image, command: i.command, env: i.env })).digest("hex").slice(0, 12)}`;

/** The exit event of the machine's last run: Fly lists events newest first, fly-go's GetLatestEventOfType takes the first. */
function lastExit(events: MachineEvent[] | undefined): NonNullable<MachineEvent["request"]>["exit_event"] | undefined {
  const exits = (events ?? []).filter((e) => e.type === "exit");
  exits.sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0));
  return exits[0]?.request?.exit_event;
}

function failure(i: FlyMigrationInputs, m: MachineBody, exit: ReturnType<typeof lastExit>): Error {
  const how = exit?.oom_killed ? ` (killed for lack of memory; give it more with paved:api.fly.memoryMb)`
    : exit?.signal ? ` (signal ${exit.signal})` : "";
  const status = exit?.exit_code === undefined ? "with no exit status" : `with status ${exit.exit_code}${how}`;
  return new Error(
    `Migration "${i.command}" exited ${status} on Fly machine ${m.id} (app ${i.app}, image ${i.image}); ` +
    `the app's machines were not updated and keep serving the previous release. Its output: fly logs --app ${i.app} --machine ${m.id}`,
  );
}

/**
 * CRUD for `paved:fly:Migration`: the release command flyctl runs before a deploy (a one-off
 * machine, `auto_destroy`, no restarts, the app's secrets), as a resource the app's machines
 * depend on, so a failing command stops `pulumi up` before any of them changes.
 */
export const flyMigrationProvider: Crud<FlyMigrationInputs, FlyMigrationOutputs> = {
  async check(_olds, news) {
    const c = new Checker(news as never);
    c.string("app", { required: true });
    c.string("region", { required: true, pattern: /^[a-z]{3}$/, hint: "a three-letter Fly region code, e.g. cdg" });
    c.string("image", { required: true });
    c.string("command", { required: true });
    c.number("timeoutSeconds", { integer: true, min: 1, max: 3_600 });
    if (typeof news.command === "string" && news.command !== "") {
      try {
        if (shellWords(news.command).length === 0) c.fail("command", "command is empty: expected a command such as sqlx migrate run");
      } catch (err) {
        c.fail("command", `command "${news.command}" cannot be split into words: ${(err as Error).message}`);
      }
    }
    return c.result(news);
  },

  async diff(_id, olds, news) {
    // Every change is a new run; the old one left nothing behind, so the new one need not wait for it.
    return diffFields(olds as never, news as never, FIELDS, FIELDS);
  },

  async create(inputs) {
    const c = flyClient();
    const base = `/apps/${seg(inputs.app)}/machines`;
    const name = machineName(inputs);
    const config = {
      image: inputs.image,
      env: inputs.env,
      guest: inputs.guest,
      init: { cmd: shellWords(inputs.command) },
      auto_destroy: true,
      restart: { policy: "no" },
      metadata: { paved_role: "migration" },
    };
    let m: MachineBody;
    try {
      m = await c.request<MachineBody>("POST", base, { body: { name, region: inputs.region, config } });
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const all = await c.request<MachineBody[]>("GET", base);
      const found = all.find((x) => x.name === name && x.state !== "destroyed" && x.state !== "destroying");
      if (!found) throw err;
      m = found;
    }
    const timeoutMs = (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1_000;
    const stopped = await waitFor(c, inputs.app, m.id, m.instance_id, "stopped", timeoutMs).catch((err) => {
      throw new Error(`Migration "${inputs.command}" on Fly machine ${m.id} (app ${inputs.app}) did not finish: ${(err as Error).message}`);
    });
    const exit = lastExit(stopped.events);
    if (exit?.exit_code !== 0) throw failure(inputs, stopped, exit);
    return { id: `${inputs.app}/${m.id}`, outs: { ...inputs, machineId: m.id, exitCode: 0 } };
  },

  async read(id, props) {
    // A run that finished is a record, not an object on Fly: its machine destroyed itself. An
    // import has nothing to adopt.
    if (!props?.machineId) return { id: "" };
    return { id, props };
  },

  async delete(id) {
    const [app, mid] = id.split("/");
    // Normally gone already (auto_destroy); one still running from a timed-out run is stopped here.
    await flyClient().request("DELETE", `/apps/${seg(app)}/machines/${mid}`, { query: { force: true }, retry: true }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  },
};

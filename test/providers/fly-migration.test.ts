import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flyAppProvider } from "../../components/providers/fly";
import { flyMigrationProvider, type FlyMigrationInputs } from "../../components/providers/fly-migration";
import { shellWords } from "../../components/shell-words";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeFly } from "../fakes/fly";

const TOKEN = "fo1_TEST_FLY_MIGRATE_TOKEN_7b1e";
const fake = new FakeFly(TOKEN);
const migration = flyMigrationProvider as Required<typeof flyMigrationProvider>;

const inputs: FlyMigrationInputs = {
  app: "api-production", region: "cdg", image: `registry.fly.io/api@sha256:${"a".repeat(64)}`,
  command: "sqlx migrate run --source 'db/migrations'", env: { RUST_LOG: "info" }, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
};

beforeAll(async () => useFastEnv({ FLY_API_TOKEN: TOKEN, FLY_API_URL: await fake.start() }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(async () => {
  fake.clearFaults();
  fake.apps.clear();
  fake.machines.clear();
  fake.exitCodeOf = () => 0;
  await flyAppProvider.create({ name: "api-production", orgSlug: "acme" });
  fake.calls.length = 0;
});

describe("fly:Migration", () => {
  it("runs the command once in a one-off machine of the new image, and records its exit", async () => {
    const { id, outs } = await migration.create(inputs);
    const [m] = [...fake.machines.values()];
    expect(id).toBe(`api-production/${m.id}`);
    expect(outs).toEqual({ ...inputs, machineId: m.id, exitCode: 0 });
    expect(m.config).toEqual({
      image: inputs.image, env: { RUST_LOG: "info" }, guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
      init: { cmd: ["sqlx", "migrate", "run", "--source", "db/migrations"] }, auto_destroy: true, restart: { policy: "no" },
      metadata: { paved_role: "migration" },
    });
    expect(m.state).toBe("destroyed");
    expect(fake.calls.filter((c) => c.path.endsWith("/wait")).map((c) => new URLSearchParams(c.query).get("state"))).toEqual(["stopped", "stopped"]);
    expect(new URLSearchParams(fake.calls.find((c) => c.path.endsWith("/wait"))!.query).get("instance_id")).toBe(m.instance_id);
  });

  it("fails with the command's exit status when it exits non-zero", async () => {
    fake.exitCodeOf = (cmd) => (cmd[0] === "sqlx" ? 3 : 0);
    const err = await errorOf(() => migration.create(inputs));
    const [m] = [...fake.machines.values()];
    expect(err.message).toBe(
      `Migration "sqlx migrate run --source 'db/migrations'" exited with status 3 on Fly machine ${m.id} (app api-production, image ${inputs.image}); ` +
      `the app's machines were not updated and keep serving the previous release. Its output: fly logs --app api-production --machine ${m.id}`,
    );
  });

  it("fails with the deadline when the command never ends", async () => {
    fake.inject("GET", /\/wait$/, { status: 408, body: { error: "deadline_exceeded: timeout waiting for machine" } }, 1_000);
    const err = await errorOf(() => migration.create({ ...inputs, timeoutSeconds: 1 }));
    expect(err.message).toMatch(/^Migration "sqlx migrate run --source 'db\/migrations'" on Fly machine m[0-9a-f]+ \(app api-production\) did not finish: /);
  });

  it("runs again on any change, never in place", async () => {
    const { id, outs } = await created(migration, inputs);
    expect(await migration.diff(id, outs, { ...inputs, image: "registry.fly.io/api:deployment-2" })).toEqual({ changes: true, replaces: ["image"], deleteBeforeReplace: false });
    expect(await migration.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("keeps a finished run on refresh, and has nothing to adopt on import", async () => {
    const { id, outs } = await created(migration, inputs);
    expect(await migration.read(id, outs)).toEqual({ id, props: outs });
    expect(await migration.read(id, undefined)).toEqual({ id: "" });
    await migration.delete(id, outs); // its machine destroyed itself: nothing left to delete
  });

  it.each([
    [{ command: "" }, "command", "command is required"],
    [{ command: "   " }, "command", "command is empty: expected a command such as sqlx migrate run"],
    [{ command: "sqlx 'migrate" }, "command", `command "sqlx 'migrate" cannot be split into words: the command has an unclosed ' quote`],
    [{ region: "paris" }, "region", 'region "paris" is invalid: expected a three-letter Fly region code, e.g. cdg'],
    [{ timeoutSeconds: 0 }, "timeoutSeconds", "timeoutSeconds must be an integer >= 1 <= 3600, got 0"],
  ])("refuses %j", async (patch, property, reason) => {
    expect((await migration.check({}, { ...inputs, ...patch })).failures).toEqual([{ property, reason }]);
  });
});

describe("shellWords", () => {
  it.each([
    ["prisma migrate deploy", ["prisma", "migrate", "deploy"]],
    [`alembic -x "db=app main" upgrade head`, ["alembic", "-x", "db=app main", "upgrade", "head"]],
    [String.raw`run a\ b 'c "d"' "e \"f\""`, ["run", "a b", `c "d"`, `e "f"`]],
    ["  ''  x  ", ["", "x"]],
  ])("splits %s", (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });
});

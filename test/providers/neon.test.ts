import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  neonBranchProvider, neonDatabaseProvider, neonProjectProvider, neonRoleProvider, type NeonProjectInputs,
} from "../../components/providers/neon";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeNeon } from "../fakes/neon";

const TOKEN = "napi_TEST_NEON_KEY_b7e1f0";
const fake = new FakeNeon(TOKEN);
const project = neonProjectProvider as Required<typeof neonProjectProvider>;
const branch = neonBranchProvider as Required<typeof neonBranchProvider>;
const role = neonRoleProvider as Required<typeof neonRoleProvider>;
const database = neonDatabaseProvider as Required<typeof neonDatabaseProvider>;

async function projectInputs(over: Partial<NeonProjectInputs> = {}): Promise<NeonProjectInputs> {
  const r = await project.check({} as never, { name: "planningos-staging", regionId: "aws-eu-central-1", ...over } as never);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs!;
}

beforeAll(async () => useFastEnv({ NEON_API_KEY: TOKEN, NEON_API_URL: await fake.start() }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(() => {
  fake.clearFaults();
  for (const m of [fake.projects, fake.branches, fake.roles, fake.databases]) m.clear();
  fake.calls.length = 0;
});

const OPS = /\/operations\//;

describe("neon:Project", () => {
  it("runs create -> read -> diff -> update -> delete, waiting for operations", async () => {
    const inputs = await projectInputs({ allowedIps: ["203.0.113.0/24"] });
    expect(inputs).toMatchObject({ pgVersion: 17, historyRetentionSeconds: 86400, autoscalingLimitMinCu: 0.25, defaultBranchName: "main" });
    const { id, outs } = await created(project, inputs);
    expect(outs).toMatchObject({ projectId: id, defaultBranchId: expect.stringMatching(/^br-/), host: expect.stringMatching(/^ep-.*neon\.tech$/) });
    expect(fake.count("GET", OPS)).toBe(4); // two operations, each polled until finished
    expect([...fake.operations.values()].every((o) => o.status === "finished")).toBe(true);

    expect((await project.read(id, outs)).props).toEqual(outs);
    const next = { ...inputs, name: "renamed", historyRetentionSeconds: 604800, autoscalingLimitMaxCu: 2, defaultBranchName: "staging" };
    expect(await project.diff(id, outs, next)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await project.diff(id, outs, { ...inputs, regionId: "aws-us-east-1", pgVersion: 16 })).replaces).toEqual(["regionId", "pgVersion"]);

    const up = await project.update(id, outs, next);
    expect(up.outs).toMatchObject({ name: "renamed", historyRetentionSeconds: 604800, autoscalingLimitMaxCu: 2, defaultBranchName: "staging" });
    expect(fake.branches.get(outs.defaultBranchId)!.name).toBe("staging");

    await project.delete(id, outs);
    expect(fake.projects.size).toBe(0);
    await project.delete(id, outs);
    expect(await project.read(id, outs)).toEqual({ id: "" });
  });

  it("validates with field-named messages", async () => {
    const r = await project.check({} as never, { name: "x", regionId: "eu-west", pgVersion: 12, autoscalingLimitMinCu: 4, autoscalingLimitMaxCu: 2 } as never);
    expect(r.failures?.map((f) => f.reason)).toEqual([
      'regionId "eu-west" is invalid: expected a Neon region id such as "aws-eu-central-1"',
      "pgVersion must be an integer >= 14 <= 18, got 12",
      "autoscalingLimitMinCu 4 is above autoscalingLimitMaxCu 2",
    ]);
  });

  it("recovers a lost create by exact name, without a duplicate", async () => {
    await created(project, await projectInputs({ name: "planningos-staging-old" })); // a partial-name match that is not ours
    fake.inject("POST", /^\/projects$/, { loseResponse: true });
    const { id } = await created(project, await projectInputs());
    expect([...fake.projects.values()].filter((p) => p.name === "planningos-staging").map((p) => p.id)).toEqual([id]);
    expect(fake.count("POST", /^\/projects$/)).toBe(2);
  });

  it("retries 423 (operation in progress) on a PATCH, as Neon documents", async () => {
    const { id, outs } = await created(project, await projectInputs());
    fake.inject("PATCH", /^\/projects\/[^/]+$/, { status: 423, body: { code: "", message: "project already has running conflicting operations" } }, 2);
    await project.update(id, outs, { ...outs, name: "next" });
    expect(fake.count("PATCH", /^\/projects\/[^/]+$/)).toBe(3);
    expect(fake.projects.get(id)!.name).toBe("next");
  });

  it("retries 503 on a POST but not 500", async () => {
    fake.inject("POST", /^\/projects$/, { status: 503 });
    await created(project, await projectInputs());
    expect(fake.count("POST", /^\/projects$/)).toBe(2);
    expect(fake.projects.size).toBe(1);

    fake.projects.clear();
    fake.calls.length = 0;
    fake.inject("POST", /^\/projects$/, { status: 500, body: { code: "INTERNAL", message: "boom" } });
    const err = await errorOf(async () => project.create(await projectInputs()));
    expect(err.message).toBe("Neon API POST /projects failed (HTTP 500): INTERNAL: boom");
    expect(fake.count("POST", /^\/projects$/)).toBe(1);
    expect(fake.projects.size).toBe(0);
  });

  it("retries GET on 500, a hang and a 429 with Retry-After", async () => {
    const { id, outs } = await created(project, await projectInputs());
    fake.inject("GET", /^\/projects\/[^/]+$/, { status: 500 });
    fake.inject("GET", /^\/projects\/[^/]+$/, { hang: true });
    fake.inject("GET", /^\/projects\/[^/]+$/, { status: 429, headers: { "retry-after": "1" } });
    fake.calls.length = 0;
    await project.read(id, outs);
    const gets = fake.calls.filter((c) => /^\/projects\/[^/]+$/.test(c.path));
    expect(gets).toHaveLength(4);
    expect(gets[3].at - gets[2].at).toBeGreaterThanOrEqual(950);
  });

  it("fails clearly on a failed operation and on a malformed body, never showing the key", async () => {
    fake.failNextOperation = true;
    const err = await errorOf(async () => project.create(await projectInputs()));
    expect(err.message).toMatch(/^Neon API GET \/projects\/p-\d+\/operations\/[0-9a-f-]{36} failed: operation create_timeline failed: compute failed to start$/);

    const { id, outs } = await created(project, await projectInputs());
    fake.inject("GET", /^\/projects\/[^/]+$/, { malformed: true });
    const bad = await errorOf(() => project.read(id, outs));
    expect(bad.message).toBe(`Neon API GET /projects/${id} failed: response body is not valid JSON (9 bytes)`);

    fake.inject("GET", /^\/projects\/[^/]+$/, { status: 401, body: { code: "", message: `key ${TOKEN} is not valid` } });
    const auth = await errorOf(() => project.read(id, outs));
    expect(auth.message).toContain("(HTTP 401)");
    expect(auth.message).not.toContain(TOKEN);
  });
});

describe("neon:Project allow-list", () => {
  it("reads no drift for a project without an allow-list, which Neon answers as an empty one", async () => {
    const inputs = await projectInputs();
    const { id } = await created(project, inputs);
    const read = await project.read(id, {} as never);
    expect(await project.diff(id, read.props!, inputs)).toMatchObject({ changes: false });
  });

  it("removes an allow-list at Neon when the input drops it", async () => {
    const { id, outs } = await created(project, await projectInputs({ allowedIps: ["203.0.113.0/24"] }));
    const without = await projectInputs();
    expect((await project.diff(id, outs, without)).changes).toBe(true);
    await project.update(id, outs, without);
    expect(fake.projects.get(id)!.settings.allowed_ips.ips).toEqual([]);
    expect((await project.read(id, {} as never)).props!.allowedIps).toBeUndefined();
  });
});

describe("neon:Branch, Role, Database", () => {
  it("branch: create -> read -> update -> delete, and a lost create is recovered", async () => {
    const { outs: p } = await created(project, await projectInputs());
    const inputs = (await branch.check({} as never, { projectId: p.projectId, name: "pr-123", parentId: p.defaultBranchId } as never)).inputs!;
    const { id, outs } = await created(branch, inputs);
    expect(id).toBe(`${p.projectId}/${outs.branchId}`);
    expect(outs.host).toMatch(/^ep-/);
    expect((await branch.read(id, outs)).inputs).toEqual({ ...inputs, protected: false });
    expect((await branch.diff(id, outs, { ...inputs, parentId: "br-other" })).replaces).toEqual(["parentId"]);
    await branch.update(id, outs, { ...inputs, protected: true });
    expect(fake.branches.get(outs.branchId)!.protected).toBe(true);
    await branch.delete(id, outs);
    await branch.delete(id, outs);
    expect(fake.branches.has(outs.branchId)).toBe(false);

    fake.inject("POST", /\/branches$/, { loseResponse: true });
    await created(branch, inputs);
    expect([...fake.branches.values()].filter((b) => b.name === "pr-123")).toHaveLength(1);
  });

  it("branch: exposes the pooled URI of the role and database it copied from its parent", async () => {
    const { outs: p } = await created(project, await projectInputs());
    const { outs: roleOuts } = await created(role, { projectId: p.projectId, branchId: p.defaultBranchId, name: "app" });
    await created(database, { projectId: p.projectId, branchId: p.defaultBranchId, name: "app", ownerName: "app" });
    const inputs = (await branch.check({} as never, { projectId: p.projectId, name: "pr-7", roleName: "app", databaseName: "app" } as never)).inputs!;
    const { id, outs } = await created(branch, inputs);
    expect(outs.connectionUri).toBe(`postgresql://app:${roleOuts.password}@${outs.host.replace(/^(ep-[^.]+)/, "$1-pooler")}/app?sslmode=require&project=${p.projectId}`);
    expect((await branch.read(id, outs)).props?.connectionUri).toBe(outs.connectionUri);
    expect((await branch.diff(id, outs, { ...inputs, databaseName: "other" })).replaces).toEqual([]);
    const { outs: bare } = await created(branch, { ...inputs, name: "pr-8", roleName: undefined });
    expect(bare.connectionUri).toBeUndefined();
  });

  it("role and database: passwords and pooled URI, rename in place, lost creates recovered", async () => {
    const { outs: p } = await created(project, await projectInputs());
    const r = { projectId: p.projectId, branchId: p.defaultBranchId, name: "app" };
    const { id: roleId, outs: roleOuts } = await created(role, r);
    expect(roleOuts.password).toMatch(/^npg_/);
    expect((await role.read(roleId, undefined)).props?.password).toBe(roleOuts.password); // import reveals it
    expect(await role.diff(roleId, roleOuts, { ...r, name: "app2" })).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: true });

    const d = { projectId: p.projectId, branchId: p.defaultBranchId, name: "planning", ownerName: "app" };
    const { id: dbId, outs: dbOuts } = await created(database, d);
    expect(dbOuts.connectionUri).toBe(`postgresql://app:${roleOuts.password}@${p.host.replace(/^(ep-[^.]+)/, "$1-pooler")}/planning?sslmode=require&project=${p.projectId}`);
    expect((await database.diff(dbId, dbOuts, { ...d, name: "planning2" })).replaces).toEqual([]);
    const up = await database.update(dbId, dbOuts, { ...d, name: "planning2" });
    expect(up.outs!.connectionUri).toContain("/planning2?");
    expect((await database.read(dbId, up.outs)).props).toMatchObject({ name: "planning2", databaseId: dbOuts.databaseId });
    await database.delete(dbId, up.outs!);
    expect(fake.databases.size).toBe(0);

    fake.inject("POST", /\/databases$/, { loseResponse: true });
    await created(database, d);
    expect(fake.databases.size).toBe(1);

    await role.delete(roleId, roleOuts);
    fake.inject("POST", /\/roles$/, { loseResponse: true });
    const again = await created(role, r);
    expect(again.outs.password).toMatch(/reset$/);
    expect([...fake.roles.keys()].filter((k) => k.endsWith("/app"))).toHaveLength(1);
  });

  it("role and database: a new rotation label resets the password in place and the database reads its URI again", async () => {
    const { outs: p } = await created(project, await projectInputs());
    const r = { projectId: p.projectId, branchId: p.defaultBranchId, name: "app", rotation: "2026-11" };
    const { id: roleId, outs: roleOuts } = await created(role, r);
    const d = { projectId: p.projectId, branchId: p.defaultBranchId, name: "app", ownerName: "app", rotation: "2026-11" };
    const { id: dbId, outs: dbOuts } = await created(database, d);
    expect(dbOuts.connectionUri).toContain(`:${roleOuts.password}@`);

    const next = { ...r, rotation: "2027-05" };
    expect(await role.diff(roleId, roleOuts, next)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    fake.calls.length = 0;
    const rolled = await role.update(roleId, roleOuts, next);
    expect(rolled.outs!.password).not.toBe(roleOuts.password);
    expect(rolled.outs).toMatchObject({ name: "app", rotation: "2027-05" });
    // Reset in place: the role was neither deleted nor created again.
    expect(fake.calls.filter((c) => !OPS.test(c.path)).map((c) => `${c.method} ${c.path.replace(/^.*\/roles/, "/roles")}`)).toEqual(["POST /roles/app/reset_password"]);
    // The same label again changes nothing.
    expect((await role.update(roleId, rolled.outs!, next)).outs!.password).toBe(rolled.outs!.password);

    fake.calls.length = 0;
    const reread = await database.update(dbId, dbOuts, { ...d, rotation: "2027-05" });
    expect(reread.outs!.connectionUri).toContain(`:${rolled.outs!.password}@`);
    expect(fake.calls.some((c) => c.method === "PATCH")).toBe(false);
    // State keeps the label the API does not: a refresh shows no change.
    expect(await role.diff(roleId, (await role.read(roleId, rolled.outs)).props!, next)).toMatchObject({ changes: false });
    expect(await database.diff(dbId, (await database.read(dbId, reread.outs)).props!, { ...d, rotation: "2027-05" })).toMatchObject({ changes: false });
  });
});

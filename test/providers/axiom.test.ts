import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { axiomDatasetProvider, type AxiomDatasetInputs } from "../../components/providers/axiom";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeAxiom } from "../fakes/axiom";

const TOKEN = "xaat-TEST-AXIOM-TOKEN-5c2e";
const fake = new FakeAxiom(TOKEN);
const p = axiomDatasetProvider as Required<typeof axiomDatasetProvider>;

async function checked(news: Partial<AxiomDatasetInputs>): Promise<AxiomDatasetInputs> {
  const r = await p.check({}, news as never);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs!;
}

beforeAll(async () => useFastEnv({ AXIOM_TOKEN: TOKEN, AXIOM_API_URL: await fake.start() }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(() => {
  fake.clearFaults();
  fake.datasets.clear();
  fake.calls.length = 0;
});

describe("axiom:Dataset", () => {
  it("runs create -> read -> diff -> update -> delete, retention as Axiom spells it", async () => {
    const inputs = await checked({ name: "planningos-production", retentionDays: 30, description: "planningos production logs" });
    expect(inputs).toEqual({ name: "planningos-production", kind: "axiom:events:v1", description: "planningos production logs", retentionDays: 30 });
    const { id, outs } = await created(p, inputs);
    expect(id).toBe("planningos-production");
    expect(outs.datasetId).toBe(id);
    expect(JSON.parse(fake.calls.find((c) => c.method === "POST")!.body)).toEqual({
      name: "planningos-production", kind: "axiom:events:v1", description: "planningos production logs", useRetentionPeriod: true, retentionDays: 30,
    });

    const read = await p.read(id, outs);
    expect(read.inputs).toEqual(inputs);

    const longer = { ...inputs, retentionDays: 90 };
    expect(await p.diff(id, outs, longer)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await p.diff(id, outs, { ...inputs, kind: "otel:logs:v1" })).toEqual({ changes: true, replaces: ["kind"], deleteBeforeReplace: true });
    expect(await p.diff(id, outs, { ...inputs, name: "planningos-prod" })).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });

    await p.update(id, outs, longer);
    expect(fake.datasets.get(id)).toMatchObject({ useRetentionPeriod: true, retentionDays: 90 });
    await p.update(id, outs, { ...inputs, retentionDays: 0 });
    expect(fake.datasets.get(id)).toMatchObject({ useRetentionPeriod: false, retentionDays: 0 });
    expect(JSON.parse(fake.calls.filter((c) => c.method === "PUT").at(-1)!.body)).toEqual({
      description: "planningos production logs", useRetentionPeriod: false, retentionDays: 0,
    });

    await p.delete(id, outs);
    expect(fake.datasets.size).toBe(0);
    await p.delete(id, outs); // already gone
    expect(await p.read(id, outs)).toEqual({ id: "" });
  });

  it("imports by name", async () => {
    const { id } = await created(p, await checked({ name: "lifeos-production", retentionDays: 14 }));
    expect((await p.read(id, undefined)).inputs).toEqual({ name: "lifeos-production", kind: "axiom:events:v1", description: "", retentionDays: 14 });
  });

  it("check names the field and the value", async () => {
    const r = await p.check({}, { name: "axiom-logs", retentionDays: 7.5, kind: "logs" } as never);
    expect(r.failures).toEqual([
      { property: "name", reason: `name "axiom-logs" is invalid: expected up to 80 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, not starting with axiom-` },
      { property: "kind", reason: 'kind must be one of axiom:events:v1, otel:logs:v1, otel:traces:v1, otel:metrics:v1, got "logs"' },
      { property: "retentionDays", reason: "retentionDays must be an integer >= 0 <= 3650, got 7.5" },
    ]);
  });

  it("a create whose answer was lost finds the dataset it made instead of failing on its name", async () => {
    fake.inject("POST", /^\/datasets$/, { loseResponse: true });
    const { id } = await created(p, await checked({ name: "plannior-production", retentionDays: 30 }));
    expect(id).toBe("plannior-production");
    expect(fake.count("POST", /^\/datasets$/)).toBe(1);
    expect(fake.datasets.size).toBe(1);
  });

  it("a name taken by a dataset paved did not make fails, naming the call and Axiom's message, never the token", async () => {
    await created(p, await checked({ name: "taken", retentionDays: 30 }));
    const err = await errorOf(() => p.create({ name: "taken", kind: "axiom:events:v1", description: "", retentionDays: 30 }));
    expect(err.message).toBe("Axiom API POST /datasets failed (HTTP 409): dataset taken already exists");
    expect(err.message).not.toContain(TOKEN);
  });

  it("retries a 429 with Retry-After and a 503 on an update", async () => {
    const { id, outs } = await created(p, await checked({ name: "retry", retentionDays: 30 }));
    fake.inject("PUT", /^\/datasets\/retry$/, { status: 429, headers: { "retry-after": "0" } });
    fake.inject("PUT", /^\/datasets\/retry$/, { status: 503 });
    await p.update(id, outs, { ...outs, retentionDays: 60 });
    expect(fake.count("PUT", /^\/datasets\/retry$/)).toBe(3);
    expect(fake.datasets.get("retry")!.retentionDays).toBe(60);
  });

  it("needs AXIOM_TOKEN only when it calls Axiom", async () => {
    const saved = process.env.AXIOM_TOKEN;
    delete process.env.AXIOM_TOKEN;
    try {
      expect((await p.check({}, { name: "x", retentionDays: 1 } as never)).failures).toBeUndefined();
      expect((await errorOf(() => p.read("x", undefined))).message).toBe("AXIOM_TOKEN is not set: the Axiom API needs a key. Export AXIOM_TOKEN before `pulumi up`.");
    } finally {
      process.env.AXIOM_TOKEN = saved;
    }
  });
});

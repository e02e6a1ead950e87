import { describe, expect, it } from "vitest";
import { capture, resolve } from "../harness";

const load = () => import("../../components/secrets");

describe("Secrets", () => {
  it("generates each secret with its length and a rotation keeper, parented to the component", async () => {
    const run = await capture(async () => {
      const { Secrets } = await load();
      return new Secrets("prod-secrets", { generate: { JWT_SECRET: { length: 64, rotation: "2026-11" } } });
    });
    const component = run.one("paved:secrets:Secrets");
    const password = run.one("random:index/randomPassword:RandomPassword");
    expect(password.name).toBe("prod-secrets-jwt-secret");
    expect(password.parent).toBe(component.urn);
    expect(password.inputs).toMatchObject({ length: 64, special: false, keepers: { rotation: "2026-11" } });
    expect(password.additionalSecretOutputs).toContain("result");
  });

  it("exposes generated and provided secrets by name, all wrapped as secret", async () => {
    const run = await capture(async () => {
      const { Secrets } = await load();
      return new Secrets("s", { generate: { JWT_SECRET: { length: 48, rotation: "a" } }, provided: { RESEND_API_KEY: "re_123" } });
    }, { preview: false, outputs: (type) => (type.startsWith("random:") ? { result: "generated-value" } : {}) });
    const secrets = run.value;
    expect(secrets.names).toEqual(["JWT_SECRET", "RESEND_API_KEY"]);
    for (const name of secrets.names) expect((await resolve(secrets.get(name))).secret).toBe(true);
    expect((await resolve(secrets.get("RESEND_API_KEY"))).value).toBe("re_123");
    expect((await resolve(secrets.get("JWT_SECRET"))).value).toBe("generated-value");
  });

  it("a new rotation label changes the keeper, which regenerates the value", async () => {
    const run = await capture(async () => {
      const { Secrets } = await load();
      new Secrets("a", { generate: { API_KEY: { length: 32, rotation: "2026-08" } } });
      new Secrets("b", { generate: { API_KEY: { length: 32, rotation: "2026-11" } } });
    });
    const keepers = run.all("random:index/randomPassword:RandomPassword").map((r) => r.inputs.keepers);
    expect(keepers).toEqual([{ rotation: "2026-08" }, { rotation: "2026-11" }]);
  });

  it.each([
    [{ generate: { JWT_SECRET: { length: 8, rotation: "x" } } }, 'Secrets "bad": generate.JWT_SECRET.length is 8; expected a whole number of at least 16'],
    [{ generate: { K: { length: 32, rotation: "x" } }, provided: { K: "v" } }, 'Secrets "bad": K is both generated and provided; expected one source'],
  ])("rejects bad args before creating anything (%#)", async (args, message) => {
    const run = await capture(async () => {
      const { Secrets } = await load();
      return () => new Secrets("bad", args);
    });
    expect(run.value).toThrow(message);
  });

  it("names an unknown secret and the ones it has", async () => {
    const run = await capture(async () => {
      const { Secrets } = await load();
      return new Secrets("s", { generate: { JWT_SECRET: { length: 48, rotation: "a" } } });
    });
    expect(() => run.value.get("NOPE")).toThrow('Secrets: no secret named "NOPE"; expected one of JWT_SECRET');
  });
});

import { describe, expect, it } from "vitest";
import {
  jwtSecretStrength, noPlaintextActionsSecret, noSecretInActionsVariable, noSecretInPlainEnv, randomPasswordLength,
  vercelEnvSensitive,
} from "../../policy/secrets";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { check, set } from "./harness";

const STRONG = "Zq8vN2mP4rT6wY1x3c5bLk9jH7gF0dSa";

describe("jwt-secret-strength", () => {
  it.each([
    ["fly Secrets", T.flySecrets, f.flySecrets],
    ["render Service", T.renderService, set(f.renderService, "envVars.JWT_SECRET", STRONG)],
    ["railway Service", T.railwayService, set(f.railwayService, "variables.JWT_SECRET", STRONG)],
    ["docker Container", T.container, set(f.container, "envs", [`JWT_SECRET=${STRONG}`])],
    ["Vercel env var", T.vercelEnv, { ...f.vercelEnv, key: "JWT_SECRET", value: STRONG }],
    ["a host without JWT_SECRET", T.flyMachine, f.flyMachine],
  ])("passes a strong secret on %s", (_label, type, props) => {
    expect(check(jwtSecretStrength, type, props)).toEqual([]);
  });

  it("fails a short secret", () => {
    expect(check(jwtSecretStrength, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", "short-but-unique")))
      .toEqual(["Set JWT_SECRET to at least 32 characters; generate it with random.RandomPassword."]);
  });

  it("fails a short secret among a Railway service's variables", () => {
    expect(check(jwtSecretStrength, T.railwayService, set(f.railwayService, "variables.JWT_SECRET", "changeme")))
      .toEqual(["Replace JWT_SECRET: it is a well-known default value."]);
  });

  it("honours a configured minimum", () => {
    expect(check(jwtSecretStrength, T.flySecrets, f.flySecrets, { config: { minLength: 64 } }))
      .toEqual(["Set JWT_SECRET to at least 64 characters; generate it with random.RandomPassword."]);
  });

  it.each(["dev-secret", "changeme", "secret", "CHANGEME", "x".repeat(40)])("fails the default %s", (value) => {
    expect(check(jwtSecretStrength, T.renderService, set(f.renderService, "envVars.JWT_SECRET", value)))
      .toEqual(["Replace JWT_SECRET: it is a well-known default value."]);
  });
});

describe("no-secret-in-plain-env", () => {
  it("passes a machine whose env holds no secret names", () => {
    expect(check(noSecretInPlainEnv, T.flyMachine, f.flyMachine)).toEqual([]);
  });
  it.each(["JWT_SECRET", "DATABASE_URL", "STRIPE_API_KEY", "GITHUB_TOKEN"])("fails %s in the machine env", (key) => {
    expect(check(noSecretInPlainEnv, T.flyMachine, set(f.flyMachine, `config.env.${key}`, "v")))
      .toEqual(["Move secret-named variables from the machine's env into fly Secrets."]);
  });
});

describe("vercel-env-sensitive", () => {
  it("passes a sensitive variable", () => expect(check(vercelEnvSensitive, T.vercelEnv, f.vercelEnv)).toEqual([]));
  it("passes a development-only variable", () => {
    expect(check(vercelEnvSensitive, T.vercelEnv, { ...f.vercelEnv, sensitive: false, targets: ["development"] })).toEqual([]);
  });
  it.each([["VITE_API_URL"], ["NEXT_PUBLIC_SENTRY_DSN"], ["NUXT_PUBLIC_API_BASE"], ["REACT_APP_STRIPE_PUBLISHABLE_KEY"]])("passes the public build-time variable %s, as config validation does", (key) => {
    expect(check(vercelEnvSensitive, T.vercelEnv, { ...f.vercelEnv, key, sensitive: false })).toEqual([]);
  });
  it.each([["production"], ["preview"]])("fails a non-sensitive variable reaching %s", (target) => {
    expect(check(vercelEnvSensitive, T.vercelEnv, { ...f.vercelEnv, sensitive: false, targets: [target] }))
      .toEqual(["Mark the variable sensitive: it reaches production or preview deployments."]);
  });
});

describe("no-plaintext-actions-secret", () => {
  it("passes a secret set through value", () => expect(check(noPlaintextActionsSecret, T.actionsEnvSecret, f.actionsSecret)).toEqual([]));
  it("fails plaintextValue", () => {
    expect(check(noPlaintextActionsSecret, T.actionsEnvSecret, { ...f.actionsSecret, value: undefined, plaintextValue: "x" }))
      .toEqual(["Set the Actions secret through `value` instead of `plaintextValue`."]);
  });
  it("fails encryptedValue on a repository secret", () => {
    expect(check(noPlaintextActionsSecret, T.actionsSecret, { secretName: "X", repository: "r", encryptedValue: "x" }))
      .toEqual(["Set the Actions secret through `value` instead of `encryptedValue`."]);
  });
});

describe("no-secret-in-actions-variable", () => {
  it("passes a plain variable", () => expect(check(noSecretInActionsVariable, T.actionsEnvVariable, f.actionsVariable)).toEqual([]));
  it("fails a secret-named variable", () => {
    expect(check(noSecretInActionsVariable, T.actionsEnvVariable, { ...f.actionsVariable, variableName: "NEON_API_KEY" }))
      .toEqual(["Store the value as an Actions secret, not a variable."]);
  });
});

describe("random-password-length", () => {
  it("passes a long password", () => expect(check(randomPasswordLength, T.randomPassword, f.randomPassword)).toEqual([]));
  it("fails a short one", () => {
    expect(check(randomPasswordLength, T.randomPassword, { ...f.randomPassword, length: 16 })).toEqual(["Generate at least 24 characters."]);
  });
  it("honours a configured minimum", () => {
    expect(check(randomPasswordLength, T.randomPassword, { ...f.randomPassword, length: 30 }, { config: { minLength: 32 } }))
      .toEqual(["Generate at least 32 characters."]);
  });
});

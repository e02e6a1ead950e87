import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../policy/offline";
import {
  JWT_DEFAULT, JWT_LOW_ENTROPY, JWT_PHRASE, jwtSecretStrength, noPlaintextActionsSecret, noSecretInActionsVariable, noSecretInPlainEnv, randomPasswordLength,
  vercelEnvSensitive,
} from "../../policy/secrets";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { check, planned, set, violations } from "./harness";

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

  it("judges JWT_SECRET_KEY, the name some frameworks read, the same way", () => {
    expect(check(jwtSecretStrength, T.container, set(f.container, "envs", [`JWT_SECRET_KEY=${STRONG}`]))).toEqual([]);
    expect(check(jwtSecretStrength, T.container, set(f.container, "envs", ["JWT_SECRET_KEY=changeme"])))
      .toEqual(["Replace JWT_SECRET_KEY: it is a well-known default value."]);
    expect(check(jwtSecretStrength, T.renderService, set(f.renderService, "envVars.JWT_SECRET_KEY", "short-but-unique")))
      .toEqual(["Set JWT_SECRET_KEY to at least 32 characters; generate it with random.RandomPassword."]);
  });

  it("fails a short secret among a Railway service's variables", () => {
    expect(check(jwtSecretStrength, T.railwayService, set(f.railwayService, "variables.JWT_SECRET", "changeme")))
      .toEqual([JWT_DEFAULT]);
  });

  it("honours a configured minimum", () => {
    expect(check(jwtSecretStrength, T.flySecrets, f.flySecrets, { config: { minLength: 64 } }))
      .toEqual(["Set JWT_SECRET to at least 64 characters; generate it with random.RandomPassword."]);
  });

  it.each(["dev-secret", "changeme", "secret", "CHANGEME", " supersecret "])("fails the default %s", (value) => {
    expect(check(jwtSecretStrength, T.renderService, set(f.renderService, "envVars.JWT_SECRET", value))).toEqual([JWT_DEFAULT]);
  });

  it.each([
    "your-super-secret-jwt-key-change-me-in-production",
    "Change_Me_Before_Deploying_0123456789abcdef",
    "replace-me-with-a-long-random-string-later-on",
    "my-app-secret-key-5f2b9c7d1e3a8f6b4c2d9e0a7b5c3f1d",
    "example-jwt-token-signing-value-for-docs-only",
    "Password123!Password123!Password123!",
    "secretsecretsecretsecretsecretsecret",
    "abcabcabcabcabcabcabcabcabcabcabcab",
    "x".repeat(40),
    "0123456789".repeat(4),
  ])("fails the phrase or pattern %s", (value) => {
    expect(check(jwtSecretStrength, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", value))).toEqual([JWT_PHRASE]);
  });

  it.each(["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "0000000000000000111111111111111122222222"])("fails the low-entropy value %s", (value) => {
    expect(check(jwtSecretStrength, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", value))).toEqual([JWT_LOW_ENTROPY]);
  });

  it.each([
    ["base64 (openssl rand -base64 48)", "q3Jm0vYx8KpL2nR7wT5zA1cE9gH4jM6oB0dF2hK8lN3pQ5sU7vX9yZ1aC3eG5iJ7"],
    ["hex (openssl rand -hex 32)", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ["a UUID pair", "3f2b8c1e-9d4a-4e7b-8c6f-1a2b3c4d5e6f-7a8b9c0d-1e2f-4a3b-9c8d-7e6f5a4b3c2d"],
  ])("passes a generated %s", (_label, value) => {
    expect(check(jwtSecretStrength, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", value))).toEqual([]);
  });

  it("judges the value, not its length alone, under a stricter entropy floor", () => {
    const hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    expect(check(jwtSecretStrength, T.flySecrets, set(f.flySecrets, "values.JWT_SECRET", hex), { config: { minEntropyBits: 4.5 } }))
      .toEqual([JWT_LOW_ENTROPY]);
  });

  it("checks the value at deploy when the plan cannot know it", () => {
    const report = violations(jwtSecretStrength, [planned(T.flySecrets, "s", set(f.flySecrets, "values.JWT_SECRET", UNKNOWN))]);
    expect(report.map((v) => [v.level, v.message])).toEqual([["advisory", expect.stringContaining("can't be checked until deploy")]]);
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

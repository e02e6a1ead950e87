/**
 * The policy pack on the real path: the program run as `pulumi preview` runs it, its resources
 * analyzed by the pack booted as the CLI boots it, with production's levels and the stack's
 * config. There, secrets arrive decrypted, so a JWT secret supplied through
 * `paved:secrets.fromConfig` is judged by its value, which the offline plan cannot see.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { jwtSecretStrength } from "../../policy/secrets";
import { ROOT, type RunResult, runProgram } from "./run-program";
import { PolicyPackProcess } from "./policy-pack";

/** PlanningOS production with its JWT secret supplied, not generated. */
const STACK_FILE = join(mkdtempSync(join(tmpdir(), "paved-policy-")), "Pulumi.production.yaml");
const doc = parse(readFileSync(join(ROOT, "Pulumi.production.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
const secrets = doc.config["paved:secrets"] as { fromConfig: string[]; generate?: unknown };
secrets.fromConfig = [...secrets.fromConfig, "JWT_SECRET"];
secrets.generate = {};
doc.config["paved:JWT_SECRET"] = { secure: "v1:AAAAAAAAAAAAAAAA:ZmFrZS1jaXBoZXJ0ZXh0LWZvci1qd3Q=" };
writeFileSync(STACK_FILE, stringify(doc));

const STRONG = "vN8q2Lr7Xz4Kp1Wd9Hs3Yb6Tf0Jm5Cg8Ue2Ra7Qx4Zk1Pn";
const WEAK = "secretsecretsecretsecretsecretsecretsecretsecret";
const PLACEHOLDER = "your-super-secret-jwt-key-change-me-in-production";

const pack = new PolicyPackProcess();
/** The program run once per secret, two at a time (this machine has two cores), beside the pack's start. */
const runs = new Map<string, Promise<RunResult>>();
beforeAll(async () => {
  const run = (jwt: string) => runs.set(jwt, runProgram({ stackFile: STACK_FILE, stack: "production", preview: true, secrets: { "paved:JWT_SECRET": jwt } })).get(jwt)!;
  await Promise.all([pack.start().then(() => pack.levels("production")), run(STRONG).then(() => run(PLACEHOLDER)), run(WEAK)]);
}, 120_000);
afterAll(() => pack.stop());

/** The findings of jwt-secret-strength for the stack run with this JWT secret. */
async function jwtFindings(jwt: string): Promise<string[]> {
  const run = await runs.get(jwt)!;
  expect(run.code, run.stderr).toBe(0);
  // Nor the program's log, nor what the engine recorded of its resources in the clear.
  expect(run.stdout + run.stderr).not.toContain(jwt);
  const leaked = run.engine.logs.filter((l) => l.message.includes(jwt));
  expect(leaked.map((l) => `${l.severity} ${l.urn} ${l.message.replace(jwt, "<JWT>").slice(0, 400)}`)).toEqual([]);
  await pack.configure("production", { "paved:JWT_SECRET": jwt });
  const found = await pack.analyze(run.engine.resources());
  const jwtFound = found.filter((d) => d.policy === jwtSecretStrength.name);
  // The value never reaches a message.
  expect(found.map((d) => d.message).join("\n")).not.toContain(jwt);
  return jwtFound.map((d) => `${d.level}: ${d.message.split("\n").pop()}`);
}

describe("jwt-secret-strength on the real path, with the secret from config", () => {
  it("passes a strong secret", async () => {
    expect(await jwtFindings(STRONG)).toEqual([]);
  });

  // A known default such as changeme is judged the same way; the offline policy tests hold that case.
  it.each([["a repeated word", WEAK], ["a tutorial's placeholder", PLACEHOLDER]])("fails %s", async (_, jwt) => {
    const findings = await jwtFindings(jwt);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings)).toEqual(new Set([
      "mandatory: Replace JWT_SECRET with a random value: it reads as a phrase or a repeated pattern; generate it with random.RandomPassword.",
    ]));
  });
});

/** A `secure:` value the offline plan cannot decrypt is judged at deploy, never as its placeholder text. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { UNKNOWN as POLICY_UNKNOWN } from "../../policy/offline";
import type { PolicyReport } from "../../scripts/lib/policy";
import { toPlanned } from "../../scripts/lib/policy";
import { readStackFile } from "../../scripts/lib/stack-file";
import { OPAQUE_SECRET, Secret, type CapturedResource } from "../../scripts/lib/values";

const ROOT = resolvePath(__dirname, "../..");
const SECRETS = ["config", "paved:secrets"];
let report: PolicyReport;

/** Production's stack file with JWT_SECRET supplied as an encrypted value instead of generated. */
function jwtFromConfig(): string {
  const doc = parseDocument(readFileSync(join(ROOT, "Pulumi.production.yaml"), "utf8"));
  const fromConfig = (doc.getIn([...SECRETS, "fromConfig"]) as { toJSON(): string[] }).toJSON();
  doc.setIn([...SECRETS, "fromConfig"], [...fromConfig, "JWT_SECRET"]);
  doc.setIn([...SECRETS, "generate"], {});
  doc.setIn(["config", "paved:JWT_SECRET"], { secure: "v1:SldUU0VDUkVUMDE=:ZmFrZS1jaXBoZXJ0ZXh0LWZvci10aGUtand0LXNlY3JldA==" });
  const path = join(mkdtempSync(join(tmpdir(), "paved-opaque-")), "Pulumi.production.yaml");
  writeFileSync(path, doc.toString());
  return path;
}

beforeAll(async () => {
  const { source } = readStackFile(jwtFromConfig(), ROOT, "production");
  const { planStack } = await import("../../scripts/lib/plan");
  const { checkPolicies } = await import("../../scripts/lib/policy");
  report = checkPolicies((await planStack(source)).resources, "production");
});

describe("a secret the plan cannot decrypt", () => {
  it("leaves production with no mandatory finding", () => {
    expect(report.violations.filter((v) => v.level === "mandatory")).toEqual([]);
  });

  it("is checked at deploy, where pulumi preview hands the policy the real value", () => {
    expect(report.violations.filter((v) => v.policy === "jwt-secret-strength")).toEqual([{
      policy: "jwt-secret-strength", level: "advisory", urn: expect.stringContaining("paved:fly:Secrets::production-api-secrets"),
      resource: "paved:fly:Secrets::production-api-secrets",
      message: "can't be checked until deploy: jwt-secret-strength depends on a value unknown in the plan (.values.JWT_SECRET)",
    }]);
  });
});

describe("toPlanned", () => {
  const inputs = (value: unknown) => toPlanned([{ urn: "u", type: "t", name: "n", inputs: { value } } as unknown as CapturedResource])[0].props.value;

  it.each([
    ["the placeholder itself", new Secret(OPAQUE_SECRET)],
    ["text built from it", new Secret(`JWT_SECRET=${OPAQUE_SECRET}`)],
    ["the placeholder inside a secret object", new Secret({ token: OPAQUE_SECRET })],
  ])("hands policies %s as unknown", (_label, value) => {
    const seen = inputs(value);
    expect(seen === POLICY_UNKNOWN || (seen as { token: unknown }).token === POLICY_UNKNOWN).toBe(true);
  });

  it("keeps a secret's real value, and plain text that only looks like the placeholder", () => {
    expect(inputs(new Secret("Zq8vN2mP4rT6wY1x3c5bLk9jH7gF0dSa"))).toBe("Zq8vN2mP4rT6wY1x3c5bLk9jH7gF0dSa");
    expect(inputs(OPAQUE_SECRET)).toBe(OPAQUE_SECRET);
  });
});

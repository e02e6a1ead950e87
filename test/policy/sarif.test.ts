import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { loadPackConfig, runPolicies, type Violation } from "../../policy/offline";
import { toSarif } from "../../policy/sarif";
import { allPolicies } from "../../policy/policies";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { planned } from "./harness";

function validator() {
  // The schema is draft-04, which Ajv 6 reads once the draft-04 meta-schema is added.
  const ajv = new Ajv({ schemaId: "id", meta: false, allErrors: true });
  ajv.addMetaSchema(JSON.parse(fs.readFileSync(require.resolve("ajv/lib/refs/json-schema-draft-04.json"), "utf8")));
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "sarif-2.1.0-rtm.5.json"), "utf8"));
  const validate = ajv.compile(schema);
  return (log: unknown) => (validate(log) ? [] : ajv.errorsText(validate.errors).split(", "));
}

const found: Violation[] = runPolicies([
  planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "full")),
  planned(T.neonProject, "db", f.neonProject),
], loadPackConfig("production"));
found.push({ policy: "zone-settings-present", level: "advisory", message: "can't be checked until deploy: zone-settings-present depends on a value unknown in the plan (.zoneId)" });

describe("toSarif", () => {
  const validate = validator();

  it("writes a log the SARIF 2.1.0 schema accepts", () => {
    expect(validate(toSarif(found, { toolVersion: "0.1.0", stackConfigFile: "Pulumi.production.yaml" }))).toEqual([]);
    expect(validate(toSarif([], { toolVersion: "0.1.0" }))).toEqual([]);
    expect(validate(toSarif(found, { toolVersion: "0.1.0" }))).toEqual([]);
  });

  it("the schema really checks: a result without a message fails", () => {
    const log = toSarif(found, { toolVersion: "0.1.0" });
    const broken = { ...log, runs: [{ ...log.runs[0], results: [{ ruleId: "x" }] }] };
    expect(validate(broken).length).toBeGreaterThan(0);
  });

  it("has one rule per policy with its description as help", () => {
    const { rules } = toSarif([], { toolVersion: "0.1.0" }).runs[0].tool.driver;
    expect(rules.map((r) => r.id)).toEqual(allPolicies.map((p) => p.name));
    const hsts = rules.find((r) => r.id === "zone-hsts")!;
    expect(hsts.shortDescription.text).toBe(allPolicies.find((p) => p.name === "zone-hsts")!.description);
    expect(hsts.help.text).toContain("Settings: minMaxAge (default 31536000).");
    expect(hsts.defaultConfiguration).toEqual({ level: "error" });
  });

  it("maps levels and locates results at the resource's URN and the stack config file", () => {
    const log = toSarif(found, { toolVersion: "1.2.3", stackConfigFile: "Pulumi.production.yaml" });
    const results = log.runs[0].results;
    const [ssl, db, unknown] = [results[0], results.find((r) => r.ruleId === "protect-stateful")!, results[results.length - 1]];
    expect(log.runs[0].tool.driver).toMatchObject({ name: "paved-policy", version: "1.2.3" });
    expect(ssl).toMatchObject({
      ruleId: "zone-ssl-strict", level: "error", message: { text: "Set the zone's SSL mode to strict." },
      locations: [{
        physicalLocation: { artifactLocation: { uri: "Pulumi.production.yaml", uriBaseId: "%SRCROOT%" } },
        logicalLocations: [{ name: `${T.zoneSetting}::ssl`, fullyQualifiedName: "urn:pulumi:production::paved::cloudflare:index/zoneSetting:ZoneSetting::ssl", kind: "resource" }],
      }],
    });
    expect(log.runs[0].tool.driver.rules[ssl.ruleIndex!].id).toBe("zone-ssl-strict");
    expect(db).toMatchObject({ ruleId: "protect-stateful", level: "error" });
    expect(unknown).toMatchObject({ ruleId: "zone-settings-present", level: "warning" });
    expect(unknown.locations[0]).not.toHaveProperty("logicalLocations");
  });
});

/** What the snapshot and the tree show of a value: plain ones in clear, secret ones masked. */
import { describe, expect, it } from "vitest";
import { type CapturedResource, Secret, UNKNOWN } from "../../scripts/lib/capture";
import { renderTree } from "../../scripts/lib/render";
import { stableJson, toSnapshot } from "../../scripts/lib/snapshot";

const SECRET = "s3cr3t-SENTINEL-7d1e";

function resource(name: string, inputs: Record<string, unknown>, additionalSecretOutputs: string[] = []): CapturedResource {
  return {
    urn: `urn:pulumi:production::paved::vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable::${name}`,
    type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable", name, custom: true, parent: null,
    inputs, protect: false, retainOnDelete: false, deleteBeforeReplace: true, ignoreChanges: [], additionalSecretOutputs,
    dependencies: [], propertyDependencies: {}, provider: null,
  };
}

// As the Vercel SDK registers them: `value` is an output the engine keeps secret either way.
const RESOURCES = [
  resource("production-web-env-vite-app-env", { key: "VITE_APP_ENV", value: "production" }, ["value", "valueWo"]),
  resource("production-web-env-jwt-secret", { key: "JWT_SECRET", value: new Secret(SECRET) }, ["value", "valueWo"]),
  resource("production-web-env-database-url", { key: "DATABASE_URL", value: UNKNOWN }, ["value", "valueWo"]),
  resource("production-api-service", {
    envVars: { LOG_LEVEL: "info", JWT_SECRET: new Secret(SECRET), DATABASE_URL: UNKNOWN },
    image: { imagePath: UNKNOWN },
  }, ["envVars"]),
];

describe("the snapshot", () => {
  const snapshot = toSnapshot("paved", "production", RESOURCES);
  const inputs = Object.fromEntries(snapshot.resources.map((r) => [r.name, r.inputs]));

  it("shows a plain value in clear even where the provider keeps the output secret", () => {
    expect(inputs["production-web-env-vite-app-env"]).toEqual({ key: "VITE_APP_ENV", value: "production" });
  });

  it("masks a value the program passed as secret, and an unknown one under a secret output", () => {
    expect(inputs["production-web-env-jwt-secret"]).toEqual({ key: "JWT_SECRET", value: "[secret]" });
    expect(inputs["production-web-env-database-url"]).toEqual({ key: "DATABASE_URL", value: "[secret]" });
    expect(inputs["production-api-service"]).toEqual({
      envVars: { DATABASE_URL: "[secret]", JWT_SECRET: "[secret]", LOG_LEVEL: "info" },
      image: { imagePath: "[unknown]" },
    });
  });

  it("never holds a secret's value, in the JSON or the tree", () => {
    const tree = renderTree(RESOURCES);
    for (const text of [stableJson(snapshot), tree]) expect(text).not.toContain(SECRET);
    expect(tree).toContain('value = "production"');
    expect(tree).toContain('envVars = {"LOG_LEVEL":"info","JWT_SECRET":[secret],"DATABASE_URL":[secret]}');
  });
});

import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { capture, Secret } from "../harness";

describe("DopplerSecrets", () => {
  it("writes each secret to the Doppler config, masked and secret in inputs and state", async () => {
    const run = await capture(async () => {
      const { DopplerSecrets } = await import("../../components/doppler");
      return new DopplerSecrets("production-doppler", {
        project: "planningos", config: "prd",
        values: { JWT_SECRET: pulumi.secret("generated-jwt-secret-value"), DATABASE_URL: pulumi.secret("postgres://app:pw@db/app") },
      });
    }, { preview: false });
    expect(run.value.names).toEqual(["DATABASE_URL", "JWT_SECRET"]);
    const parent = run.one("paved:secrets:DopplerSecrets").urn;
    const jwt = run.one("doppler:index/secret:Secret", "production-doppler-jwt-secret");
    expect(jwt).toMatchObject({ parent, inputs: { project: "planningos", config: "prd", name: "JWT_SECRET", value: new Secret("generated-jwt-secret-value"), visibility: "masked" } });
    // The Doppler SDK keeps what it reads back secret too.
    expect(jwt.additionalSecretOutputs).toEqual(expect.arrayContaining(["value", "computed"]));
    expect(run.one("doppler:index/secret:Secret", "production-doppler-database-url").inputs.value).toEqual(new Secret("postgres://app:pw@db/app"));
  });
});

import { describe, expect, it } from "vitest";
import { planOnce } from "./fixtures";

const planned = planOnce("examples/Pulumi.plannior-production.yaml", "production");

describe("Plannior: the API on Render", () => {
  it("hands the API its log level in the case the application reads", () => {
    const [service] = planned.ofType("pulumi-nodejs:dynamic/render:Service");
    expect((service.inputs.envVars as Record<string, unknown>).LOG_LEVEL).toBe("INFO");
  });
});

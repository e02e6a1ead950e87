/** The web's API URL variable: paved fills it in, never over what the stack file sets. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { planStack } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";

async function apiUrlVariable(env?: Record<string, string>): Promise<unknown> {
  const { source } = readStackFile("production", resolve(__dirname, "../.."));
  const web = JSON.parse(source.values["paved:web"]);
  const values = { ...source.values, "paved:web": JSON.stringify({ ...web, env: { ...web.env, ...env } }) };
  const { resources } = await planStack({ ...source, values });
  const variable = resources.find((r) => r.type === "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable" && r.inputs.key === "VITE_API_URL");
  return variable?.inputs.value;
}

describe("the framework's API URL variable (VITE_API_URL for Vite)", () => {
  it("is the API's public URL when the stack file leaves it out", async () => {
    expect(await apiUrlVariable()).toBe("https://api-production.planningos.com");
  });

  it("keeps a URL the stack file sets, rather than overwriting it", async () => {
    expect(await apiUrlVariable({ VITE_API_URL: "https://edge.planningos.com/v2" })).toBe("https://edge.planningos.com/v2");
  });

  it("appends a path the stack file gives (/api) to the API's public URL", async () => {
    expect(await apiUrlVariable({ VITE_API_URL: "/api" })).toBe("https://api-production.planningos.com/api");
  });
});

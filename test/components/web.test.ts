import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { WebHostArgs } from "../../components/web";
import { capture, resolve, Secret } from "../harness";

const ARGS: WebHostArgs = {
  teamId: "team_planningos", projectName: "planningos-production", framework: "vite",
  repository: "planningos/planningos", branch: "main", domain: "app.planningos.com",
  rootDirectory: "apps/web", buildCommand: "npm run build", installCommand: "npm ci", outputDirectory: "dist",
  env: { VITE_APP_ENV: "production" }, secretEnv: { SENTRY_AUTH_TOKEN: "sntrys_abc" },
};

async function build(args: WebHostArgs = ARGS) {
  return capture(async () => {
    const { WebHost } = await import("../../components/web");
    return new WebHost("production-web", args);
  });
}

describe("WebHost", () => {
  it("creates one Vercel project in the explicit team, linked to the environment's branch", async () => {
    const run = await build();
    const project = run.one("vercel:index/project:Project");
    expect(project.name).toBe("production-web-project");
    expect(project.parent).toBe(run.one("paved:web:WebHost").urn);
    expect(project.inputs).toMatchObject({
      name: "planningos-production", teamId: "team_planningos", framework: "vite", rootDirectory: "apps/web",
      buildCommand: "npm run build", installCommand: "npm ci", outputDirectory: "dist",
      gitRepository: { type: "github", repo: "planningos/planningos", productionBranch: "main" },
      vercelAuthentication: { deploymentType: "standard_protection_new" },
      gitForkProtection: true, directoryListing: false,
    });
  });

  it("attaches the custom domain to the project", async () => {
    const run = await build();
    const domain = run.one("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs).toMatchObject({ domain: "app.planningos.com", teamId: "team_planningos" });
    expect(domain.dependencies).toContain(run.one("vercel:index/project:Project").urn);
    expect(await resolve(run.value.url)).toMatchObject({ value: "https://app.planningos.com" });
  });

  it("marks secret variables sensitive and keeps their values secret", async () => {
    const run = await build();
    const vars = run.all("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable");
    const secret = vars.find((v) => v.inputs.key === "SENTRY_AUTH_TOKEN")!;
    const plain = vars.find((v) => v.inputs.key === "VITE_APP_ENV")!;
    expect(secret.inputs.sensitive).toBe(true);
    expect(secret.inputs.value).toBeInstanceOf(Secret);
    expect(plain.inputs.sensitive).toBe(false);
    expect(secret.inputs.targets).toEqual(["production", "preview"]);
  });

  it("replaces a changed variable by deleting it first, so Vercel never sees the key twice", async () => {
    const run = await build();
    for (const v of run.all("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable")) {
      expect(v.deleteBeforeReplace).toBe(true);
      expect(v.name.startsWith("production-web-env-")).toBe(true);
    }
  });

  it("passes secrets on as secret even when given as plain Inputs", async () => {
    const run = await build({ ...ARGS, secretEnv: { TOKEN_FROM_OUTPUT: pulumi.output("plain-text") } });
    const v = run.one("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable", "production-web-env-token-from-output");
    expect(v.inputs.value).toBeInstanceOf(Secret);
  });

  it("hands plain variables to the engine in clear and secret Outputs as secret, whatever the SDK marks", async () => {
    const run = await build({
      ...ARGS,
      env: { VITE_APP_ENV: "production", VITE_API_URL: pulumi.output("https://api.planningos.com"), VITE_FROM_SECRET: pulumi.secret("s3cr3t-from-output") },
    });
    const value = (key: string) => run.all("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable").find((v) => v.inputs.key === key)!;
    expect(value("VITE_APP_ENV").inputs.value).toBe("production");
    expect(value("VITE_API_URL").inputs.value).toBe("https://api.planningos.com");
    expect(value("VITE_FROM_SECRET").inputs.value).toEqual(new Secret("s3cr3t-from-output"));
    expect(value("SENTRY_AUTH_TOKEN").inputs.value).toEqual(new Secret("sntrys_abc"));
    // What Vercel reports back stays secret in the engine's state.
    for (const key of ["VITE_APP_ENV", "SENTRY_AUTH_TOKEN"]) expect(value(key).additionalSecretOutputs).toContain("value");
  });

  it.each<[Partial<WebHostArgs>, string]>([
    [{ teamId: "planningos" }, 'WebHost "production-web": teamId is "planningos"; expected a Vercel team id such as team_abc123'],
    [{ repository: "planningos" }, 'WebHost "production-web": repository is "planningos"; expected owner/name'],
    [{ domain: "localhost" }, 'WebHost "production-web": domain is "localhost"; expected a hostname such as app.example.com'],
    [{ env: { A: "1" }, secretEnv: { A: "2" } }, 'WebHost "production-web": A in both env and secretEnv; expected each variable once'],
  ])("rejects %o before creating anything", async (patch, message) => {
    await expect(build({ ...ARGS, ...patch })).rejects.toThrow(message);
  });
});

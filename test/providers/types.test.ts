import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
const secretOutputs = new Map<string, string[]>();
const aliases = new Map<string, unknown[]>();

// Captures the options a class hands to Pulumi after merging its own with the caller's.
const capture: pulumi.ResourceTransformation = (args) => {
  secretOutputs.set(args.name, [...((args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [])]);
  aliases.set(args.name, [...(args.opts.aliases ?? [])]);
  return undefined;
};

type Modules = [typeof import("../../components/resources/render"), typeof import("../../components/resources/fly"), typeof import("../../components/resources/neon")];
let mods: Modules;

beforeAll(async () => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "paved",
    "test",
    true,
  );
  mods = await Promise.all([import("../../components/resources/render"), import("../../components/resources/fly"), import("../../components/resources/neon")]);
});

describe("paved's resource classes", () => {
  it("register their own type tokens, mark secret outputs and keep the caller's options", async () => {
    const [render, fly, neon] = mods;
    const o = (extra: pulumi.CustomResourceOptions = {}) => ({ transformations: [capture], ...extra });
    const built: pulumi.CustomResource[] = [
      new render.RenderService("svc", { ownerId: "tea-1", name: "api", image: { imagePath: "ghcr.io/a/b:1" }, envVars: { JWT_SECRET: pulumi.secret("s") } }, o({ additionalSecretOutputs: ["url"] })),
      new render.RenderPostgres("pg", { ownerId: "tea-1", name: "db", plan: "basic_256mb", version: "16" }, o()),
      new render.RenderKeyValue("kv", { ownerId: "tea-1", name: "cache", plan: "starter" }, o()),
      new fly.FlyApp("app", { name: "api", orgSlug: "acme" }, o()),
      new fly.FlyMachine("m", { app: "api", name: "m1", region: "cdg", config: { image: "i" } }, o()),
      new fly.FlySecrets("sec", { app: "api", values: { A: "b" } }, o()),
      new fly.FlyCertificate("cert", { app: "api", hostname: "api.example.com" }, o()),
      new fly.FlyIpAddress("ip", { app: "api", type: "v6" }, o()),
      new neon.NeonProject("proj", { name: "p", regionId: "aws-eu-central-1" }, o()),
      new neon.NeonBranch("br", { projectId: "p", name: "pr-1" }, o()),
      new neon.NeonRole("role", { projectId: "p", branchId: "b", name: "app" }, o()),
      new neon.NeonDatabase("db", { projectId: "p", branchId: "b", name: "app", ownerName: "app" }, o()),
    ];
    await Promise.all(built.map((r) => new Promise((resolve) => r.urn.apply(resolve))));

    expect(Object.fromEntries(registered.map((r) => [r.name, r.type]))).toEqual({
      svc: "paved:render:Service",
      pg: "paved:render:Postgres",
      kv: "paved:render:KeyValue",
      app: "paved:fly:App",
      m: "paved:fly:Machine",
      sec: "paved:fly:Secrets",
      cert: "paved:fly:Certificate",
      ip: "paved:fly:IpAddress",
      proj: "paved:neon:Project",
      br: "paved:neon:Branch",
      role: "paved:neon:Role",
      db: "paved:neon:Database",
    });
    expect(secretOutputs.get("svc")?.sort()).toEqual(["envVars", "url"]);
    expect(secretOutputs.get("pg")).toEqual(["internalConnectionString"]);
    expect(secretOutputs.get("kv")).toEqual(["internalConnectionString"]);
    expect(secretOutputs.get("sec")).toEqual(["values"]);
    expect(secretOutputs.get("role")).toEqual(["password"]);
    expect(secretOutputs.get("db")).toEqual(["connectionUri"]);
    expect(secretOutputs.get("br")).toEqual(["connectionUri"]);
    // No provider code travels with a resource: paved's provider plugin serves the type.
    for (const r of registered) expect(r.inputs).not.toHaveProperty("__provider");
    // Each keeps the token it had as a dynamic resource as an alias, so stacks move over in place.
    expect(aliases.get("svc")).toEqual([{ type: "pulumi-nodejs:dynamic/render:Service" }]);
    expect(aliases.get("db")).toEqual([{ type: "pulumi-nodejs:dynamic/neon:Database" }]);
    expect(aliases.get("ip")).toEqual([{ type: "pulumi-nodejs:dynamic/fly:IpAddress" }]);
  });
});

import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";
import { Secret, UNKNOWN } from "../harness";

const ROOT = resolvePath(__dirname, "../..");
let plan: PlanResult;
const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

beforeAll(async () => {
  const { planStack } = await import("../../scripts/lib/plan");
  plan = await planStack(readStackFile("production", ROOT).source);
});

describe("the default production stack (PlanningOS)", () => {
  it("plans the web host, its domain, variables, DNS, zone settings, rulesets and secrets", () => {
    const counts = Object.fromEntries([...new Set(plan.resources.map((r) => r.type))].map((t) => [t, ofType(t).length]));
    expect(counts).toEqual({
      "paved:environment:Environment": 1, "paved:secrets:Secrets": 1, "paved:web:WebHost": 1, "paved:cdn:Cdn": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "vercel:index/project:Project": 1, "vercel:index/projectDomain:ProjectDomain": 1,
      "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": 1,
      "cloudflare:index/dnsRecord:DnsRecord": 1, "cloudflare:index/zoneSetting:ZoneSetting": 5, "cloudflare:index/ruleset:Ruleset": 3,
    });
  });

  it("serves app.planningos.com from main, through a protected, proxied record", () => {
    const [project] = ofType("vercel:index/project:Project");
    expect(project.inputs.gitRepository).toEqual({ type: "github", repo: "planningos/planningos", productionBranch: "main" });
    const [record] = ofType("cloudflare:index/dnsRecord:DnsRecord");
    expect(record.inputs).toMatchObject({ name: "app.planningos.com", proxied: true });
    expect(record.protect).toBe(true);
    expect(plan.outputs.webUrl).toBe("https://app.planningos.com");
  });

  it("generates a 64-character JWT secret", () => {
    const [jwt] = ofType("random:index/randomPassword:RandomPassword");
    expect(jwt.inputs).toMatchObject({ length: 64, keepers: { rotation: "2026-11" } });
  });

  it("parents every child to its component, with a name that starts with the component's", () => {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    for (const r of plan.resources) {
      if (r.type === "paved:environment:Environment") {
        expect(r.parent).toBeNull();
        continue;
      }
      const parent = byUrn.get(r.parent!);
      expect(parent, `${r.name} has a parent`).toBeDefined();
      expect(r.name.startsWith(`${parent!.name}-`), `${r.name} starts with ${parent!.name}-`).toBe(true);
    }
  });

  it("plans computed values as unknown and secrets as secret", () => {
    const [domain] = ofType("vercel:index/projectDomain:ProjectDomain");
    expect(domain.inputs.projectId).toBe(UNKNOWN);
    const [variable] = ofType("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable");
    expect(variable.inputs.value).toBeInstanceOf(Secret);
  });
});

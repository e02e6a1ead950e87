import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../scripts/lib/plan";
import { readStackFile } from "../../scripts/lib/stack-file";

const ROOT = resolvePath(__dirname, "../..");
let plan: PlanResult;
const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

beforeAll(async () => {
  const { planStack } = await import("../../scripts/lib/plan");
  plan = await planStack(readStackFile("staging", ROOT).source);
});

describe("the default staging stack (PlanningOS)", () => {
  it("serves staging.planningos.com from develop", () => {
    const [project] = ofType("vercel:index/project:Project");
    expect(project.inputs).toMatchObject({ name: "planningos-staging", gitRepository: { productionBranch: "develop" } });
    const [record] = ofType("cloudflare:index/dnsRecord:DnsRecord");
    expect(record.inputs).toMatchObject({ name: "staging.planningos.com", proxied: true });
  });

  it("leaves zone-wide settings to production and protects nothing", () => {
    expect(ofType("cloudflare:index/zoneSetting:ZoneSetting")).toHaveLength(0);
    expect(ofType("cloudflare:index/ruleset:Ruleset")).toHaveLength(0);
    expect(plan.resources.filter((r) => r.protect)).toEqual([]);
  });
});

/**
 * Every type a planned stack registers is either priced by an entry of cost/prices.json or
 * known to cost nothing by itself: a new billed resource cannot slip into a plan unpriced.
 */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BILLED_ENTRIES, isBilled } from "../../scripts/lib/cost";
import { PRICES } from "../../scripts/lib/prices";
import { readStackFile } from "../../scripts/lib/stack-file";

const ROOT = resolve(__dirname, "../..");
const STACK_FILES = [
  ...readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)),
  ...readdirSync(resolve(ROOT, "examples")).filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`),
];

/** Types that bill nothing themselves: components, free GitHub and Cloudflare settings, what a priced resource brings. */
const NOT_BILLED = new Set([
  "checkly:index/alertChannel:AlertChannel", "cloudflare:index/dnsRecord:DnsRecord", "cloudflare:index/ruleset:Ruleset",
  "docker:index/image:Image", "docker:index/network:Network", "docker:index/volume:Volume", "pulumi:providers:docker",
  "grafana:alerting/contactPoint:ContactPoint", "grafana:oss/dataSource:DataSource", "grafana:oss/folder:Folder",
  "pagerduty:index/escalationPolicy:EscalationPolicy", "pagerduty:index/serviceIntegration:ServiceIntegration",
  "paved:fly:App", "paved:fly:Certificate", "paved:fly:Migration", "paved:fly:Secrets",
  "paved:neon:Database", "paved:neon:Role", "paved:railway:CustomDomain", "paved:railway:Environment", "paved:railway:Project",
  "paved:railway:ServiceDomain", "pulumi:pulumi:StackReference", "random:index/randomPassword:RandomPassword",
  "sentry:index/sentryIssueAlert:SentryIssueAlert", "sentry:index/sentryKey:SentryKey", "sentry:index/sentryMetricAlert:SentryMetricAlert",
  "vercel:index/logDrain:LogDrain", "vercel:index/projectDomain:ProjectDomain", "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
]);
const isFree = (type: string) => NOT_BILLED.has(type) || type.startsWith("github:") || /^paved:[a-z]+:[A-Z]/.test(type) && !type.split(":")[1].match(/^(fly|neon|render|railway|axiom)$/);

describe("the price table covers what the stacks plan", () => {
  it("names an existing entry for every billed type", () => {
    const ids = new Set(PRICES.entries.map((e) => e.id));
    const missing = Object.entries(BILLED_ENTRIES).flatMap(([type, entries]) => entries.filter((id) => !ids.has(id)).map((id) => `${type}: ${id}`));
    expect(missing).toEqual([]);
    for (const type of Object.keys(BILLED_ENTRIES)) expect(isBilled(type)).toBe(true);
  });

  it("prices or knows free every type planned by every stack file", async () => {
    const { planStack } = await import("../../scripts/lib/plan");
    const types = new Map<string, string>();
    for (const file of STACK_FILES) {
      const { resources } = await planStack(readStackFile(file, ROOT).source);
      for (const r of resources) if (!types.has(r.type)) types.set(r.type, file);
    }
    const unclassified = [...types].filter(([type]) => !isBilled(type) && !isFree(type)).map(([type, file]) => `${type} (${file})`);
    expect(unclassified).toEqual([]);
    expect([...types.keys()].filter(isBilled).sort()).toEqual(Object.keys(BILLED_ENTRIES).filter((t) => types.has(t)).sort());
    expect(types.size).toBeGreaterThan(40);
  }, 120_000);
});

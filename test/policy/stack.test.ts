import { describe, expect, it } from "vitest";
import { previewOwnHostnames, productionGuardrails, stackOfUrn, zoneOwnerOnly } from "../../policy/stack";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { checkStack, planned, set } from "./harness";

describe("production-guardrails", () => {
  const guarded = [
    planned(T.branchProtection, "main", f.branchProtection),
    planned(T.repositoryEnvironment, "production", f.repositoryEnvironment),
    planned(T.repository, "repo", f.repository),
  ];
  const without = (type: string) => guarded.filter((r) => r.type !== type);

  it("passes a stack with a protected branch, approvals and the repository's settings", () => {
    expect(checkStack(productionGuardrails, guarded)).toEqual([]);
  });

  it("passes a branch ruleset in place of branch protection", () => {
    expect(checkStack(productionGuardrails, [...without(T.branchProtection), planned(T.repositoryRuleset, "main", f.repositoryRuleset)])).toEqual([]);
  });

  it("fails a stack that protects no branch", () => {
    expect(checkStack(productionGuardrails, without(T.branchProtection))).toEqual([
      "Protect the production branch: set paved:github in the production stack file (no branch protection or ruleset is managed).",
    ]);
  });

  it.each([
    ["no environment", without(T.repositoryEnvironment)],
    ["an environment with no reviewers", [...without(T.repositoryEnvironment), planned(T.repositoryEnvironment, "production", set(f.repositoryEnvironment, "reviewers", []))]],
  ])("fails %s", (_, resources) => {
    expect(checkStack(productionGuardrails, resources)).toEqual([
      "Require an approval for production deploys: set paved:github.reviewers (no GitHub environment with reviewers is managed).",
    ]);
  });

  it("fails a stack that leaves the repository's settings to no one", () => {
    expect(checkStack(productionGuardrails, without(T.repository))).toEqual([
      "Manage the repository's secret scanning and push protection from the production stack (paved:github.ownsRepository: true).",
    ]);
  });
});

describe("zone-owner-only", () => {
  it("passes records and a zone's health checks, which are the stack's own", () => {
    expect(checkStack(zoneOwnerOnly, [planned(T.dnsRecord, "app", f.dnsRecord), planned(T.healthcheck, "probe", { zoneId: f.ZONE, name: "probe" })])).toEqual([]);
  });

  it.each([
    ["a zone setting", planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict"))],
    ["an entry-point ruleset", planned(T.ruleset, "limits", f.rateLimitRuleset)],
    ["DNSSEC", planned(T.zoneDnssec, "dnssec", { zoneId: f.ZONE, status: "active" })],
  ])("fails %s", (_, resource) => {
    expect(checkStack(zoneOwnerOnly, [resource])).toEqual([
      "Leave zone-wide settings and rulesets to the production stack (paved:cdn.ownsZone: false); two stacks writing them overwrite each other.",
    ]);
  });
});

describe("preview-own-hostnames", () => {
  const inPr = (type: string, name: string, props: object) => planned(type, name, props, { urn: `urn:pulumi:pr-42::paved::${type}::${name}` });

  it("reads the stack from the URN", () => {
    expect(stackOfUrn("urn:pulumi:pr-42::paved::paved:web:WebHost$cloudflare:index/dnsRecord:DnsRecord::web")).toBe("pr-42");
  });

  it("passes hosts named for the pull request", () => {
    expect(checkStack(previewOwnHostnames, [
      inPr(T.dnsRecord, "web", set(f.dnsRecord, "name", "pr-42.example.com")),
      inPr(T.vercelProjectDomain, "web", { projectId: "p", domain: "pr-42.example.com" }),
      inPr(T.flyCertificate, "api", { app: "a", hostname: "pr-42-api.example.com" }),
    ])).toEqual([]);
  });

  it.each([
    ["a DNS record", T.dnsRecord, set(f.dnsRecord, "name", "app.example.com")],
    ["a Vercel domain", T.vercelProjectDomain, { projectId: "p", domain: "example.com" }],
    ["a Fly.io certificate", T.flyCertificate, { app: "a", hostname: "api.example.com" }],
    ["a Railway custom domain", T.railwayCustomDomain, { serviceId: "s", domain: "api.example.com" }],
  ])("fails %s for another stack's host", (_, type, props) => {
    expect(checkStack(previewOwnHostnames, [inPr(type, "subject", props)])).toEqual([
      `Serve only this pull request's own hostnames, with "pr-42" in the first label.`,
    ]);
  });
});

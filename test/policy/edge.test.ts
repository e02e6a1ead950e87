import { describe, expect, it } from "vitest";
import {
  containerNotPrivileged, dnsCaaRecord, edgeZonePresent, dnsNoPrivateAddress, dnsNoWildcard, dnsProxied, rateLimitPresent, rateLimitRule,
  vercelDeploymentProtection, zoneDnssec,
} from "../../policy/edge";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { check, checkStack, planned, set } from "./harness";

describe("dns-proxied", () => {
  it("passes a proxied record", () => expect(check(dnsProxied, T.dnsRecord, f.dnsRecord)).toEqual([]));
  it("passes a TXT record", () => expect(check(dnsProxied, T.dnsRecord, { ...f.dnsRecord, type: "TXT", proxied: false })).toEqual([]));
  it("passes an allow-listed name", () => {
    expect(check(dnsProxied, T.dnsRecord, { ...f.dnsRecord, proxied: false }, { config: { unproxiedNames: ["app.example.com"] } })).toEqual([]);
  });
  it("fails an unproxied record", () => {
    expect(check(dnsProxied, T.dnsRecord, { ...f.dnsRecord, proxied: false })).toEqual(["Proxy the record through Cloudflare."]);
  });
});

describe("dns-no-wildcard", () => {
  it("passes a named record", () => expect(check(dnsNoWildcard, T.dnsRecord, f.dnsRecord)).toEqual([]));
  it("fails a wildcard", () => {
    expect(check(dnsNoWildcard, T.dnsRecord, { ...f.dnsRecord, name: "*.example.com" })).toEqual(["Replace the wildcard record with named records."]);
  });
});

describe("dns-no-private-address", () => {
  it.each(["203.0.113.7", "172.32.0.1", "2001:db8::1"])("passes %s", (content) => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, { ...f.dnsRecord, type: content.includes(":") ? "AAAA" : "A", content })).toEqual([]);
  });
  it.each(["10.0.0.5", "192.168.1.2", "172.16.0.1", "127.0.0.1", "169.254.1.1", "::1", "fd12:3456::1"])("fails %s", (content) => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, { ...f.dnsRecord, type: content.includes(":") ? "AAAA" : "A", content }))
      .toEqual(["Point the record at a public address."]);
  });
  it("fails a CNAME to localhost", () => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, { ...f.dnsRecord, content: "localhost" })).toEqual(["Point the record at a public address."]);
  });
});

describe("rate-limit-rule", () => {
  const rule = (path: string, value: unknown) => set(f.rateLimitRuleset, `rules.0.${path}`, value);
  it("passes a per-client block rule", () => expect(check(rateLimitRule, T.ruleset, f.rateLimitRuleset)).toEqual([]));
  it("ignores other phases", () => expect(check(rateLimitRule, T.ruleset, f.headerRuleset)).toEqual([]));
  it("fails a ruleset with no enabled rule", () => {
    expect(check(rateLimitRule, T.ruleset, rule("enabled", false))).toEqual(["Enable at least one rate-limit rule."]);
  });
  it("fails a logging-only action", () => {
    expect(check(rateLimitRule, T.ruleset, rule("action", "log"))).toEqual(["Block or challenge clients over the rate limit."]);
  });
  it("fails a limit without characteristics", () => {
    expect(check(rateLimitRule, T.ruleset, rule("ratelimit.characteristics", [])))
      .toEqual(["Count the rate limit per client: set ratelimit characteristics."]);
  });
  it("fails a zero period", () => {
    expect(check(rateLimitRule, T.ruleset, rule("ratelimit.period", 0)))
      .toEqual(["Give each rate-limit rule a period and a request count above zero."]);
  });
  it("fails a limit above the ceiling", () => {
    expect(check(rateLimitRule, T.ruleset, rule("ratelimit.requestsPerPeriod", 5000)))
      .toEqual(["Lower the rate limit to at most 1200 requests per minute."]);
  });
  it("lets staging be looser", () => {
    expect(check(rateLimitRule, T.ruleset, rule("ratelimit.requestsPerPeriod", 5000), { config: { maxRequestsPerMinute: 6000 } })).toEqual([]);
  });
});

describe("rate-limit-present", () => {
  const record = planned(T.dnsRecord, "app", f.dnsRecord);
  it("passes a zone with a rate-limit ruleset", () => {
    expect(checkStack(rateLimitPresent, [record, planned(T.ruleset, "rl", f.rateLimitRuleset)])).toEqual([]);
  });
  it("fails a zone without one", () => {
    expect(checkStack(rateLimitPresent, [record, planned(T.ruleset, "h", f.headerRuleset)]))
      .toEqual(["Add an http_ratelimit ruleset with an enabled rule for the zone."]);
  });
  it("fails a zone whose only rule is disabled", () => {
    expect(checkStack(rateLimitPresent, [record, planned(T.ruleset, "rl", set(f.rateLimitRuleset, "rules.0.enabled", false))]))
      .toEqual(["Add an http_ratelimit ruleset with an enabled rule for the zone."]);
  });
});

describe("dns-caa-record", () => {
  const record = planned(T.dnsRecord, "app", f.dnsRecord);
  it("passes a zone with CAA", () => {
    const caa = planned(T.dnsRecord, "caa", { ...f.dnsRecord, name: "example.com", type: "CAA", proxied: false });
    expect(checkStack(dnsCaaRecord, [record, caa])).toEqual([]);
  });
  it("fails a zone without", () => expect(checkStack(dnsCaaRecord, [record])).toEqual(["Add a CAA record to the zone."]));
});

describe("zone-dnssec", () => {
  const record = planned(T.dnsRecord, "app", f.dnsRecord);
  it("passes active DNSSEC", () => {
    expect(checkStack(zoneDnssec, [record, planned(T.zoneDnssec, "dnssec", { zoneId: f.ZONE, status: "active" })])).toEqual([]);
  });
  it("fails a disabled one", () => {
    expect(checkStack(zoneDnssec, [record, planned(T.zoneDnssec, "dnssec", { zoneId: f.ZONE, status: "disabled" })]))
      .toEqual(["Activate DNSSEC for the zone."]);
  });
  it("leaves a zone this stack only adds records to, to the stack that owns it", () => expect(checkStack(zoneDnssec, [record])).toEqual([]));
  it("fails a missing one in a zone it owns", () => {
    expect(checkStack(zoneDnssec, [record, planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict"))])).toEqual(["Activate DNSSEC for the zone."]);
  });
});

describe("vercel-deployment-protection", () => {
  it("passes the fixture", () => expect(check(vercelDeploymentProtection, T.vercelProject, f.vercelProject)).toEqual([]));
  it("passes the provider default", () => {
    expect(check(vercelDeploymentProtection, T.vercelProject, set(f.vercelProject, "vercelAuthentication", undefined))).toEqual([]);
  });
  it("passes password protection instead", () => {
    const props = { ...f.vercelProject, vercelAuthentication: { deploymentType: "none" }, passwordProtection: { deploymentType: "all_deployments" } };
    expect(check(vercelDeploymentProtection, T.vercelProject, props)).toEqual([]);
  });
  it("fails authentication off", () => {
    expect(check(vercelDeploymentProtection, T.vercelProject, set(f.vercelProject, "vercelAuthentication.deploymentType", "none")))
      .toEqual(["Keep Vercel Authentication on for preview deployments."]);
  });
  it("fails fork protection off", () => {
    expect(check(vercelDeploymentProtection, T.vercelProject, { ...f.vercelProject, gitForkProtection: false })).toEqual(["Keep Git fork protection on."]);
  });
  it("fails directory listing", () => {
    expect(check(vercelDeploymentProtection, T.vercelProject, { ...f.vercelProject, directoryListing: true })).toEqual(["Turn directory listing off."]);
  });
});

describe("container-not-privileged", () => {
  it("passes", () => expect(check(containerNotPrivileged, T.container, f.container)).toEqual([]));
  it("fails privileged", () => {
    expect(check(containerNotPrivileged, T.container, { ...f.container, privileged: true })).toEqual(["Run the container unprivileged."]);
  });
});

describe("edge-zone-present", () => {
  const project = planned(T.vercelProject, "web", f.vercelProject);
  it("passes a stack whose hosts are in a zone", () => {
    expect(checkStack(edgeZonePresent, [project, planned(T.dnsRecord, "app", f.dnsRecord)])).toEqual([]);
  });
  it("passes a stack that serves no public host (local containers)", () => {
    expect(checkStack(edgeZonePresent, [planned(T.container, "api", { name: "api", image: "api" })])).toEqual([]);
  });
  it.each([T.vercelProject, T.renderService, T.flyMachine])("says once what a %s without a zone goes without", (type) => {
    expect(checkStack(edgeZonePresent, [planned(type, "a", {}), planned(type, "b", {})])).toEqual([
      "Put the stack's hosts behind a Cloudflare zone (paved:domain and paved:cdn): without one they have no edge rate limit, no security-header rule, no zone TLS settings and no health checks.",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import {
  containerNotPrivileged, dnsCaaRecord, edgeZonePresent, dnsNoPrivateAddress, dnsNoWildcard, dnsProxied, rateLimitPresent, rateLimitRule,
  vercelDeploymentProtection, zoneDnssec,
} from "../../policy/edge";
import { T } from "../../policy/util";
import { CDN_KIND_DEFAULTS } from "../../stacks/sections/cdn";
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
  const record = (content: string) => ({ ...f.dnsRecord, type: content.includes(":") ? "AAAA" : "A", content });
  it.each([
    "203.0.113.7", "172.32.0.1", "100.128.0.1", "169.255.0.1", "8.8.8.8", "2001:db8::1", "2606:4700::6810:84e5", "::ffff:8.8.8.8", "::ffff:808:808",
  ])("passes %s", (content) => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, record(content))).toEqual([]);
  });
  it.each([
    // RFC 1918, loopback, CGNAT, link-local, unspecified
    "10.0.0.5", "192.168.1.2", "172.16.0.1", "172.31.255.255", "127.0.0.1", "127.8.9.10", "100.64.0.1", "100.127.255.254",
    "169.254.1.1", "169.254.169.254", "0.0.0.0",
    // IPv6 loopback, unspecified, link-local, unique-local (fc00::/7), in any spelling
    "::1", "0:0:0:0:0:0:0:1", "::", "fe80::1", "FE80::1%eth0", "febf::1", "fc00::1", "fd12:3456::1", "[::1]",
    // IPv4 inside IPv6: mapped (dotted or hex), compatible, NAT64
    "::ffff:10.0.0.1", "::ffff:7f00:1", "::FFFF:192.168.0.1", "0:0:0:0:0:ffff:a9fe:a9fe", "::10.0.0.1", "64:ff9b::10.0.0.1",
  ])("fails %s", (content) => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, record(content))).toEqual(["Point the record at a public address."]);
  });
  it.each(["localhost", "localhost.", "api.localhost"])("fails a CNAME to %s", (content) => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, { ...f.dnsRecord, content })).toEqual(["Point the record at a public address."]);
  });
  it("passes a CNAME to a named host", () => {
    expect(check(dnsNoPrivateAddress, T.dnsRecord, { ...f.dnsRecord, content: "10.0.0.5.nip.example.com" })).toEqual([]);
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
  const BLOCK_TIMEOUT = "Block clients over the rate limit for at least the rule's period (mitigationTimeout).";
  it.each([0, 30, undefined])("fails a block of %s seconds for a 60-second period", (timeout) => {
    expect(check(rateLimitRule, T.ruleset, rule("ratelimit.mitigationTimeout", timeout))).toEqual([BLOCK_TIMEOUT]);
  });
  it("passes a block as long as the period, as staging's and previews' defaults are", () => {
    const { period, mitigationTimeout, requestsPerPeriod } = CDN_KIND_DEFAULTS.staging.rateLimit;
    const staging = rule("ratelimit", { characteristics: ["ip.src", "cf.colo.id"], period, requestsPerPeriod, mitigationTimeout });
    expect(check(rateLimitRule, T.ruleset, staging, { config: { maxRequestsPerMinute: 6000 } })).toEqual([]);
    expect(CDN_KIND_DEFAULTS.preview.rateLimit).toEqual(CDN_KIND_DEFAULTS.staging.rateLimit);
  });
  it("leaves a challenge's timeout to the zone's challenge passage", () => {
    expect(check(rateLimitRule, T.ruleset, set(rule("action", "managed_challenge"), "rules.0.ratelimit.mitigationTimeout", 0))).toEqual([]);
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
  const WITHOUT_ZONE = "Put the stack's hosts behind a Cloudflare zone (paved:domain and paved:cdn): without one they have no edge rate limit, no security-header rule and no zone TLS settings.";
  const uptimeCheck = planned(T.checklyCheck, "uptime-api", { activated: true, request: { url: "https://api.example.com/health" } });
  it("does not say a stack has no health checks when Checkly checks probe its hosts", () => {
    expect(checkStack(edgeZonePresent, [planned(T.renderService, "api", {}), uptimeCheck])).toEqual([WITHOUT_ZONE]);
  });
  it("fires for Docker containers whose public hosts an uptime check probes, with no zone", () => {
    expect(checkStack(edgeZonePresent, [planned(T.container, "api", { name: "api", image: "api" }), uptimeCheck])).toEqual([WITHOUT_ZONE]);
  });
  it("passes Docker containers behind a zone", () => {
    expect(checkStack(edgeZonePresent, [planned(T.container, "api", { name: "api", image: "api" }), uptimeCheck, planned(T.dnsRecord, "api", f.dnsRecord)])).toEqual([]);
  });
});

import { isPrivateAddress } from "../stacks/addresses";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ownedZonesOf, zonesOf } from "./transport";
import { T, forTypes, list, obj } from "./util";

const WEB_RECORD_TYPES = ["A", "AAAA", "CNAME"];
const DNS_TYPES: readonly string[] = [T.dnsRecord, T.legacyRecord];

export const dnsProxied: ResourceValidationPolicy = {
  name: "dns-proxied",
  description: "Web-facing DNS records go through Cloudflare's proxy, so TLS, headers and rate limits apply.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { unproxiedNames: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: forTypes(DNS_TYPES, (props, args, report) => {
    const { unproxiedNames } = args.getConfig<{ unproxiedNames: string[] }>();
    if (!WEB_RECORD_TYPES.includes(String(props.type)) || unproxiedNames.includes(String(props.name))) return;
    if (props.proxied !== true) report("Proxy the record through Cloudflare.");
  }),
};

export const dnsNoWildcard: ResourceValidationPolicy = {
  name: "dns-no-wildcard",
  description: "No wildcard DNS records: every served host is named.",
  enforcementLevel: "mandatory",
  validateResource: forTypes(DNS_TYPES, (props, _args, report) => {
    if (String(props.name).split(".").includes("*")) report("Replace the wildcard record with named records.");
  }),
};

export const dnsNoPrivateAddress: ResourceValidationPolicy = {
  name: "dns-no-private-address",
  description: "Public DNS records never point at private, shared (CGNAT), loopback, link-local, unique-local or unspecified addresses, in IPv4, IPv6 or IPv4 inside IPv6.",
  enforcementLevel: "mandatory",
  validateResource: forTypes(DNS_TYPES, (props, _args, report) => {
    if (WEB_RECORD_TYPES.includes(String(props.type)) && isPrivateAddress(String(props.content ?? ""))) {
      report("Point the record at a public address.");
    }
  }),
};

const LIMITING_ACTIONS = ["block", "challenge", "managed_challenge", "js_challenge"];

export const rateLimitRule: ResourceValidationPolicy = {
  name: "rate-limit-rule",
  description: "Rate-limit rules count per client, block (for at least their period) or challenge, and allow at most `maxRequestsPerMinute`.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxRequestsPerMinute: { type: "integer", minimum: 1, default: 1200 } } },
  validateResource: forTypes([T.ruleset], (props, args, report) => {
    if (props.phase !== "http_ratelimit") return;
    const { maxRequestsPerMinute } = args.getConfig<{ maxRequestsPerMinute: number }>();
    const rules = list(props.rules).map(obj).filter((rule) => rule && rule.enabled !== false);
    if (rules.length === 0) report("Enable at least one rate-limit rule.");
    for (const rule of rules) {
      const limit = obj(rule?.ratelimit) ?? {};
      const period = Number(limit.period);
      const requests = Number(limit.requestsPerPeriod);
      if (!LIMITING_ACTIONS.includes(String(rule?.action))) report("Block or challenge clients over the rate limit.");
      if (list(limit.characteristics).length === 0) report("Count the rate limit per client: set ratelimit characteristics.");
      if (!(period > 0) || !(requests > 0)) report("Give each rate-limit rule a period and a request count above zero.");
      else if ((requests * 60) / period > maxRequestsPerMinute) {
        report(`Lower the rate limit to at most ${maxRequestsPerMinute} requests per minute.`);
      }
      // A block shorter than the counting period lets a client over the limit straight back in. Challenges
      // last as the zone's challenge passage says, and Cloudflare takes no timeout for them.
      if (rule?.action === "block" && period > 0 && !(Number(limit.mitigationTimeout) >= period)) {
        report("Block clients over the rate limit for at least the rule's period (mitigationTimeout).");
      }
    }
  }),
};

export const rateLimitPresent: StackValidationPolicy = {
  name: "rate-limit-present",
  description: "Each zone serving the app has an http_ratelimit ruleset with an enabled rule.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const resources of ownedZonesOf(args.resources)) {
      if (!resources.some((r) => DNS_TYPES.includes(r.type))) continue;
      const limited = resources.some((r) => r.type === T.ruleset && r.props.phase === "http_ratelimit" &&
        list(r.props.rules).some((rule) => obj(rule)?.enabled !== false));
      if (!limited) reportViolation("Add an http_ratelimit ruleset with an enabled rule for the zone.");
    }
  },
};

export const dnsCaaRecord: StackValidationPolicy = {
  name: "dns-caa-record",
  description: "Each zone names the certificate authorities allowed to issue for it (CAA).",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const resources of zonesOf(args.resources).values()) {
      const records = resources.filter((r) => DNS_TYPES.includes(r.type));
      if (records.length > 0 && !records.some((r) => r.props.type === "CAA")) reportViolation("Add a CAA record to the zone.");
    }
  },
};

export const zoneDnssec: StackValidationPolicy = {
  name: "zone-dnssec",
  description: "DNSSEC is active for each zone the stack manages records in.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const resources of ownedZonesOf(args.resources)) {
      if (!resources.some((r) => DNS_TYPES.includes(r.type))) continue;
      const dnssec = resources.find((r) => r.type === T.zoneDnssec);
      if (dnssec?.props.status !== "active") reportViolation("Activate DNSSEC for the zone.", dnssec?.urn);
    }
  },
};

export const vercelDeploymentProtection: ResourceValidationPolicy = {
  name: "vercel-deployment-protection",
  description: "Vercel deployments other than production need sign-in, forks can't deploy, and directory listing is off.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.vercelProject], (props, _args, report) => {
    const auth = obj(props.vercelAuthentication);
    const password = obj(props.passwordProtection);
    if (auth?.deploymentType === "none" && !password) report("Keep Vercel Authentication on for preview deployments.");
    if (props.gitForkProtection === false) report("Keep Git fork protection on.");
    if (props.directoryListing === true) report("Turn directory listing off.");
  }),
};

export const containerNotPrivileged: ResourceValidationPolicy = {
  name: "container-not-privileged",
  description: "Containers run without privileged mode.",
  enforcementLevel: "advisory",
  validateResource: forTypes([T.container], (props, _args, report) => {
    if (props.privileged === true) report("Run the container unprivileged.");
  }),
};

/** Resources that serve the public on a host of their own (Vercel, Render, Fly). */
const PUBLIC_TYPES: readonly string[] = [T.vercelProject, T.renderService, T.flyMachine];
const ZONE_RESOURCE_TYPES: readonly string[] = [...DNS_TYPES, T.zoneSetting, T.ruleset, T.healthcheck];

export const edgeZonePresent: StackValidationPolicy = {
  name: "edge-zone-present",
  description: "A stack serving public hosts without a Cloudflare zone says, once, what the zone-bound policies cannot protect.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const checkly = args.resources.some((r) => r.type === T.checklyCheck);
    // Docker containers publish on the server's loopback, behind its reverse proxy: an uptime check of their URL says they serve the public.
    const dockerPublic = checkly && args.resources.some((r) => r.type === T.container);
    if (!dockerPublic && !args.resources.some((r) => PUBLIC_TYPES.includes(r.type))) return;
    if (args.resources.some((r) => ZONE_RESOURCE_TYPES.includes(r.type))) return;
    const without = ["no edge rate limit", "no security-header rule", "no zone TLS settings", ...(checkly ? [] : ["no health checks"])];
    const list = `${without.slice(0, -1).join(", ")} and ${without[without.length - 1]}`;
    reportViolation(`Put the stack's hosts behind a Cloudflare zone (paved:domain and paved:cdn): without one they have ${list}.`);
  },
};

export const edgePolicies = [
  dnsProxied, dnsNoWildcard, dnsNoPrivateAddress, rateLimitRule, rateLimitPresent, dnsCaaRecord, zoneDnssec,
  vercelDeploymentProtection, containerNotPrivileged, edgeZonePresent,
];

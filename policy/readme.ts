// Renders the policy table in policy/README.md from the pack itself, so the two can't drift.
// Regenerate with `npx tsx policy/readme.ts`; test/policy/readme.test.ts fails when it's stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { dataPolicies } from "./data";
import { deliveryPolicies } from "./delivery";
import { edgePolicies } from "./edge";
import { levelOf, loadPackConfig } from "./offline";
import { observabilityPolicies } from "./observability";
import { secretsPolicies } from "./secrets";
import { stackPolicies } from "./stack";
import { GUARD_RULES } from "../stacks/guard";
import { transportPolicies } from "./transport";

export const ENVIRONMENTS = ["production", "staging", "preview", "local"];

const GUIDES = "deployment guides' checklist";
/** Why each policy exists: the checklist or public benchmark it comes from. */
export const SOURCES: Record<string, string> = {
  "jwt-secret-strength": GUIDES,
  "cache-private-network": GUIDES,
  "cache-no-public-domain": GUIDES,
  "cache-password": GUIDES,
  "no-secret-in-plain-env": GUIDES,
  "vercel-env-sensitive": GUIDES,
  "no-plaintext-actions-secret": "checkov CKV_GIT_4, trivy AVD-GIT-0002",
  "no-secret-in-actions-variable": GUIDES,
  "random-password-length": GUIDES,
  "zone-ssl-strict": `${GUIDES}; Prowler zone_ssl_strict`,
  "zone-min-tls-1-2": "SSL Labs grading (TLS 1.0/1.1 caps at B); Prowler",
  "zone-tls-1-3": "Prowler zone_tls_1_3_enabled",
  "zone-always-use-https": `${GUIDES}; Mozilla Observatory; HSTS preload rules`,
  "zone-hsts": `${GUIDES}; HSTS preload rules; Mozilla Observatory`,
  "zone-hsts-preload": "HSTS preload rules",
  "zone-settings-present": "Prowler zone checks",
  "security-headers": `${GUIDES}; Mozilla Observatory; securityheaders.com`,
  "cors-origins": GUIDES,
  "dns-proxied": "Prowler dns_record_proxied",
  "dns-no-wildcard": "Prowler dns_record_no_wildcard",
  "dns-no-private-address": "Prowler dns_record_no_internal_ip",
  "rate-limit-rule": GUIDES,
  "rate-limit-present": `${GUIDES}; Prowler zone_rate_limiting_enabled`,
  "dns-caa-record": "Prowler zone_record_caa_exists",
  "zone-dnssec": "Prowler zone_dnssec_enabled",
  "vercel-deployment-protection": `${GUIDES} (staging keeps auth on)`,
  "container-not-privileged": "CIS Docker Benchmark",
  "edge-zone-present": "seed (ProjectFlo: platform hostnames, no zone)",
  "database-retention": GUIDES,
  "database-private-network": GUIDES,
  "protect-stateful": GUIDES,
  "branch-no-force-push": `${GUIDES}; OpenSSF Scorecard tier 1`,
  "branch-requires-review": `${GUIDES}; OpenSSF Scorecard tier 2`,
  "branch-status-checks": `${GUIDES}; OpenSSF Scorecard tier 3`,
  "branch-two-approvals": "OpenSSF Scorecard tier 4; checkov CKV_GIT_5",
  "branch-admins-and-stale": `${GUIDES}; OpenSSF Scorecard tier 5`,
  "branch-merge-hygiene": `${GUIDES}; checkov CKV_GITHUB_8/16`,
  "branch-signed-commits": "checkov CKV_GIT_6",
  "repository-branch-protected": "checkov CKV2_GIT_1",
  "repository-security-features": "checkov CKV_GIT_3",
  "production-environment-approval": GUIDES,
  "dynamic-resource-typed": "paved: policies target resources by type token",
  "health-check-settings": GUIDES,
  "health-check-alert-route": GUIDES,
  "public-endpoint-health-check": GUIDES,
  "error-latency-alerts": GUIDES,
  "resource-alerts": `${GUIDES} (memory > 80 %, CPU > 70 % sustained)`,
  "api-health-check": GUIDES,
  "no-debug-in-production": GUIDES,
  "production-guardrails": `${GUIDES}; checkov CKV2_GIT_1, CKV_GIT_3`,
  "zone-owner-only": "paved: one owner per zone setting and ruleset phase",
  "preview-own-hostnames": "paved: stacks never reach into each other's",
};

const CONCERNS = {
  secrets: secretsPolicies, transport: transportPolicies, edge: edgePolicies,
  data: dataPolicies, delivery: deliveryPolicies, observability: observabilityPolicies, stack: stackPolicies,
};

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The Markdown table of every policy: name, concern, what it checks, why, and its level per environment. */
export function policyTable(): string {
  const configs = ENVIRONMENTS.map((env) => loadPackConfig(env));
  const lines = [
    `| policy | concern | checks | why | ${ENVIRONMENTS.join(" | ")} |`,
    `|---|---|---|---|${ENVIRONMENTS.map(() => "---").join("|")}|`,
  ];
  for (const [concern, policies] of Object.entries(CONCERNS)) {
    for (const p of policies) {
      const levels = configs.map((config) => levelOf(p, config));
      lines.push(`| \`${p.name}\` | ${concern} | ${cell(p.description)} | ${cell(SOURCES[p.name] ?? "")} | ${levels.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** The config layer's rules of the checklist: each item, the keys it reads, where it applies, how to acknowledge it. */
export function guardTable(): string {
  return [
    "| checklist item | config keys | kinds | acknowledge as |",
    "|---|---|---|---|",
    ...GUARD_RULES.map((r) => `| ${cell(r.item)} | ${r.keys} | ${r.kinds} | ${r.acknowledge ? `\`${r.acknowledge}\`` : "cannot be"} |`),
  ].join("\n");
}

export const README = path.join(__dirname, "README.md");
/** The project README carries the same table. */
export const READMES = [README, path.join(__dirname, "..", "README.md")];
export const BEGIN = "<!-- policy-table:begin -->";
export const END = "<!-- policy-table:end -->";

const GUARD_BEGIN = "<!-- guard-table:begin -->";
const GUARD_END = "<!-- guard-table:end -->";

/** README.md with its table sections replaced by the current ones (the guard's, where the file has one). */
export function renderReadme(current: string): string {
  const replace = (text: string, begin: string, end: string, table: string, required: boolean) => {
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
      if (required) throw new Error(`README: missing ${begin} / ${end} markers`);
      return text;
    }
    return `${text.slice(0, from + begin.length)}\n${table}\n${text.slice(to)}`;
  };
  return replace(replace(current, BEGIN, END, policyTable(), true), GUARD_BEGIN, GUARD_END, guardTable(), false);
}

if (require.main === module) {
  for (const file of READMES) fs.writeFileSync(file, renderReadme(fs.readFileSync(file, "utf8")));
}

// SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, VS Code's SARIF viewer):
// one rule per policy, one result per violation, located at the resource's URN.
import type { Policies } from "@pulumi/policy";
import { allPolicies } from "./policies";
import type { Violation } from "./violation";

export interface SarifOptions {
  toolVersion: string;
  /** The stack config file the plan read (e.g. `Pulumi.production.yaml`), as a repo-relative path. */
  stackConfigFile?: string;
  policies?: Policies;
}

const SARIF_LEVEL = { mandatory: "error", advisory: "warning" } as const;

function ruleOf(policy: Policies[number]) {
  const settings = Object.entries(policy.configSchema?.properties ?? {})
    .map(([key, schema]) => `${key} (default ${JSON.stringify(schema.default)})`);
  const help = [policy.description, settings.length > 0 ? `Settings: ${settings.join(", ")}.` : ""].filter(Boolean).join(" ");
  const level = policy.enforcementLevel ?? "advisory";
  return {
    id: policy.name,
    name: policy.name,
    shortDescription: { text: policy.description },
    fullDescription: { text: policy.description },
    help: { text: `${help} Levels per environment are set in policy/config/<env>.json.` },
    defaultConfiguration: level === "disabled"
      ? { enabled: false, level: "none" as const }
      : { level: level === "advisory" ? ("warning" as const) : ("error" as const) },
  };
}

/** Where a violation lives: the resource's URN, and the stack config file that produced the resource. */
function locationsOf(v: Violation, stackConfigFile?: string) {
  if (!v.urn && !stackConfigFile) return [];
  return [{
    ...(stackConfigFile ? { physicalLocation: { artifactLocation: { uri: stackConfigFile, uriBaseId: "%SRCROOT%" } } } : {}),
    ...(v.urn ? { logicalLocations: [{ name: v.resource ?? v.urn, fullyQualifiedName: v.urn, kind: "resource" }] } : {}),
  }];
}

/** A SARIF 2.1.0 log of a policy run, with every policy of the pack as a rule. */
export function toSarif(violations: Violation[], options: SarifOptions) {
  const policies = options.policies ?? allPolicies;
  const rules = policies.map(ruleOf);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = violations.map((v) => ({
    ruleId: v.policy,
    ...(index.has(v.policy) ? { ruleIndex: index.get(v.policy) } : {}),
    level: SARIF_LEVEL[v.level],
    message: { text: v.message },
    locations: locationsOf(v, options.stackConfigFile),
    // SARIF's way to say a result was reviewed and accepted: code-scanning UIs list it as dismissed.
    ...(v.acknowledged ? { suppressions: [{ kind: "external" as const, status: "accepted" as const, justification: `${v.acknowledged.reason} (until ${v.acknowledged.expires}, paved:policy.acknowledge)` }] } : {}),
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0" as const,
    runs: [{
      tool: { driver: { name: "paved-policy", version: options.toolVersion, rules } },
      results,
    }],
  };
}

/**
 * What no single resource shows: what the whole stack holds for its kind. Each policy is
 * switched on only in the kinds it is about (see config/<kind>.json); the stack's name comes
 * from the resources' URNs, as the engine reports them.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { T, list, obj, whenKnown } from "./util";

/** `urn:pulumi:<stack>::<project>::...` -> the stack's name. */
export function stackOfUrn(urn: string): string {
  return urn.split("::")[0]?.split(":")[2] ?? "";
}

export const productionGuardrails: StackValidationPolicy = {
  name: "production-guardrails",
  description: "A production stack manages its repository's guardrails: a protected branch, deploy approvals, and secret scanning with push protection.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const has = (type: string) => args.resources.some((r) => r.type === type);
    if (!has(T.branchProtection) && !has(T.repositoryRuleset)) {
      reportViolation("Protect the production branch: set paved:github in the production stack file (no branch protection or ruleset is managed).");
    }
    const approvals = args.resources.filter((r) => r.type === T.repositoryEnvironment)
      .some((r) => list(r.props.reviewers).map(obj).some((x) => list(x?.users).length + list(x?.teams).length > 0));
    if (!approvals) {
      reportViolation("Require an approval for production deploys: set paved:github.reviewers (no GitHub environment with reviewers is managed).");
    }
    if (!has(T.repository)) {
      reportViolation("Manage the repository's secret scanning and push protection from the production stack (paved:github.ownsRepository: true).");
    }
  },
};

/** Zone-wide writes: one value per zone setting, one entry-point ruleset per phase. */
const zoneWide = (r: PolicyResource) =>
  r.type === T.zoneSetting || r.type === T.zoneDnssec || (r.type === T.ruleset && r.props.zoneId !== undefined && r.props.kind === "zone");

export const zoneOwnerOnly: StackValidationPolicy = {
  name: "zone-owner-only",
  description: "Only the zone's owner, the production stack, writes zone-wide settings and entry-point rulesets.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources.filter(zoneWide)) {
      reportViolation("Leave zone-wide settings and rulesets to the production stack (paved:cdn.ownsZone: false); two stacks writing them overwrite each other.", r.urn);
    }
  },
};

/** The hostname each resource type serves, as its props hold it. */
const SERVED: Record<string, (props: Record<string, unknown>) => unknown> = {
  [T.dnsRecord]: (p) => p.name,
  [T.legacyRecord]: (p) => p.name,
  [T.vercelProjectDomain]: (p) => p.domain,
  [T.flyCertificate]: (p) => p.hostname,
  [T.railwayCustomDomain]: (p) => p.domain,
};

export const previewOwnHostnames: StackValidationPolicy = {
  name: "preview-own-hostnames",
  description: "A pull-request stack serves only hostnames named for it (its stack name in the first label), never those of production or staging.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      const host = whenKnown(() => SERVED[r.type]?.(r.props));
      if (typeof host !== "string") continue;
      const stack = stackOfUrn(r.urn);
      if (!host.split(".")[0].includes(stack)) {
        reportViolation(`Serve only this pull request's own hostnames, with "${stack}" in the first label.`, r.urn);
      }
    }
  },
};

export const stackPolicies = [productionGuardrails, zoneOwnerOnly, previewOwnHostnames];

/**
 * The pack's side of `paved:policy.acknowledge` on the real path. The engine sends the stack's
 * config (decrypted) to the pack in ConfigureStack before any Analyze; @pulumi/policy's server
 * keeps only the tags from it, so the request's config is read where the server reads the tags.
 * A finding the stack file acknowledges, still in force, is not reported; an expired one is,
 * saying so. The pack config files set levels only: they cannot acknowledge a finding.
 */
import type { Policies, ReportViolation, ResourceValidation, StackValidation } from "@pulumi/policy";
import { AnalyzerStackConfigureRequest } from "@pulumi/pulumi/proto/analyzer_pb";
import { ACKNOWLEDGE_KEY, type Acknowledgement, acknowledgementOf, expiredMessage, parseAcknowledgements } from "./acknowledge";

let acknowledgements: Acknowledgement[] = [];

/** Reads `paved:policy` from each ConfigureStack request the engine sends. */
export function listenForStackConfig(): void {
  const proto = AnalyzerStackConfigureRequest.prototype;
  const getTagsMap = proto.getTagsMap;
  proto.getTagsMap = function (this: AnalyzerStackConfigureRequest, ...args: Parameters<typeof getTagsMap>) {
    acknowledgements = parseAcknowledgements(this.getConfigMap().get(ACKNOWLEDGE_KEY));
    return getTagsMap.apply(this, args);
  };
}

/** A report that drops acknowledged findings and marks expired acknowledgements. */
function filtered(policy: string, report: ReportViolation, urnOfResource?: string): ReportViolation {
  return (message, urn) => {
    const state = acknowledgementOf(acknowledgements, { policy, urn: urn ?? urnOfResource });
    if (state && !state.expired) return;
    report(state ? expiredMessage(message, state.ack) : message, urn);
  };
}

/** The same policies, each reporting through the stack file's acknowledgements. */
export function withAcknowledgements(policies: Policies): Policies {
  return policies.map((policy) => {
    if ("validateStack" in policy && policy.validateStack) {
      const validate: StackValidation = policy.validateStack;
      return { ...policy, validateStack: (args, report) => validate(args, filtered(policy.name, report)) };
    }
    if ("validateResource" in policy && policy.validateResource) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      return {
        ...policy,
        validateResource: validations.map((validate): ResourceValidation => (args, report) => validate(args, filtered(policy.name, report, args.urn))),
      };
    }
    return policy;
  });
}

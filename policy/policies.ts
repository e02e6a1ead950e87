import type { Policies } from "@pulumi/policy";
import { dataPolicies } from "./data";
import { deliveryPolicies } from "./delivery";
import { edgePolicies } from "./edge";
import { observabilityPolicies } from "./observability";
import { secretsPolicies } from "./secrets";
import { stackPolicies } from "./stack";
import { transportPolicies } from "./transport";
import { withConfigDefaults } from "./util";

/** Every policy of the pack, grouped by concern; the pack, the offline runner and the README table read this list. */
export const allPolicies: Policies = [
  ...secretsPolicies, ...transportPolicies, ...edgePolicies, ...dataPolicies, ...deliveryPolicies, ...observabilityPolicies, ...stackPolicies,
].map(withConfigDefaults);

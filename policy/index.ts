// The pack's entry point, run by the Pulumi CLI as `pulumi preview --policy-pack policy`.
// Constructing a PolicyPack starts its gRPC server, so this file does nothing else and
// nothing imports it; tests and the offline plan import ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("paved", { policies: allPolicies, enforcementLevel: "advisory" });

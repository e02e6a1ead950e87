// The pack's entry point: `pulumi preview --policy-pack policy --policy-pack-config
// policy/config/<env>.json`. The CLI runs it with cwd = policy/ (PolicyPack reads
// ./package.json for its version) and compiles the TypeScript itself with ts-node; the
// imports resolve from the repository root's node_modules, so `npm ci` at the root is all
// it needs. Constructing a PolicyPack starts its gRPC server, so this file does nothing
// else and nothing imports it; tests and the offline runner import ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";
import { listenForStackConfig, withAcknowledgements } from "./stack-acknowledgements";

listenForStackConfig();
new PolicyPack("paved", { policies: withAcknowledgements(allPolicies), enforcementLevel: "advisory" });

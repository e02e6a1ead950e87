import * as pulumi from "@pulumi/pulumi";
import { runError } from "./run-error";

/** What a stack reads from another stack, and how a person makes it available. */
export interface UpstreamOutput {
  /** The output to read, e.g. `apiImage`. */
  output: string;
  /** The config key that asked for it, named in the message, e.g. `paved:api.image.promoteFrom`. */
  key: string;
  /** Another way to go on, e.g. "or pin one with paved:api.image.digest". @default none */
  alternative?: string;
}

/**
 * Reads one output of another stack (`ref`, a stack reference). When that stack has not
 * deployed it yet (a fresh backend), a preview carries on with the value unknown and a
 * one-line warning; an update stops with the same line instead of an engine exception.
 */
export function upstreamOutput(ref: pulumi.StackReference, upstream: UpstreamOutput, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.all([ref.name, ref.getOutput(upstream.output)]).apply(([stack, value]: [string, unknown]) => {
    if (typeof value === "string" && value !== "") return pulumi.output(value);
    const message = `${upstream.key}: stack ${stack} has no ${upstream.output} output yet; ` +
      `deploy it first (pulumi up -s ${stack.split("/").pop()})${upstream.alternative ? `, ${upstream.alternative}` : ""}`;
    if (!pulumi.runtime.isDryRun()) throw runError(message);
    pulumi.log.warn(`${message}. Until then this preview shows it as unknown.`, parent);
    return unknownString();
  });
}

/** An Output the engine treats as not known until deploy, as a provider's computed value is. */
function unknownString(): pulumi.Output<string> {
  type OutputCtor = new (resources: Set<pulumi.Resource>, value: Promise<string>, isKnown: Promise<boolean>,
    isSecret: Promise<boolean>, allResources: Promise<Set<pulumi.Resource>>) => pulumi.Output<string>;
  const Output = pulumi.Output as unknown as OutputCtor;
  return new Output(new Set(), Promise.resolve(""), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
}

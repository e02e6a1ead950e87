import * as pulumi from "@pulumi/pulumi";

/** The package paved's provider plugin serves: its resources' tokens are `paved:<area>:<Kind>`. */
export const PACKAGE = "paved";

/** Every resource type the plugin serves, as `<area>:<Kind>`. */
export const PAVED_TYPES = [
  "axiom:Dataset",
  "fly:App", "fly:Certificate", "fly:IpAddress", "fly:Machine", "fly:Migration", "fly:Secrets",
  "neon:Branch", "neon:Database", "neon:Project", "neon:Role",
  "railway:CustomDomain", "railway:Environment", "railway:Project", "railway:Service", "railway:ServiceDomain", "railway:Volume",
  "render:KeyValue", "render:Postgres", "render:Service",
] as const;

export type PavedType = (typeof PAVED_TYPES)[number];

/**
 * Outputs that are secret whatever their inputs were: the program marks them
 * (`additionalSecretOutputs`) and the plugin returns them wrapped, so state holds them encrypted.
 */
export const SECRET_OUTPUTS: Partial<Record<PavedType, readonly string[]>> = {
  "fly:Secrets": ["values"],
  "neon:Branch": ["connectionUri"],
  "neon:Database": ["connectionUri"],
  "neon:Role": ["password"],
  "railway:Service": ["variables"],
  "render:KeyValue": ["internalConnectionString"],
  "render:Postgres": ["internalConnectionString"],
  "render:Service": ["envVars"],
};

/** The token paved's resources had as Pulumi dynamic resources; kept as an alias so stacks move over in place. */
export const dynamicToken = (type: PavedType) => `pulumi-nodejs:dynamic/${type}`;

/**
 * A resource served by paved's provider plugin (`components/providers/plugin.ts`), launched by
 * the engine from the `plugins.providers` entry of Pulumi.yaml.
 */
export abstract class PavedResource extends pulumi.CustomResource {
  constructor(type: PavedType, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const secrets = SECRET_OUTPUTS[type];
    const own: pulumi.CustomResourceOptions = {
      aliases: [{ type: dynamicToken(type) }],
      ...(secrets ? { additionalSecretOutputs: [...secrets] } : {}),
    };
    super(`${PACKAGE}:${type}`, name, props, pulumi.mergeOptions(opts, own));
  }
}

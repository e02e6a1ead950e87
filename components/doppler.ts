import * as pulumi from "@pulumi/pulumi";
import * as doppler from "@pulumiverse/doppler";

export interface DopplerSecretsArgs {
  /** Doppler project slug, e.g. "planningos". */
  project: string;
  /** Config in the project, e.g. "prd". */
  config: string;
  /** Every secret to keep there, by name; each value is written as a secret. */
  values: Record<string, pulumi.Input<string>>;
}

/**
 * A copy of the stack's secrets in a Doppler config: one Doppler secret per name, written in the
 * same `pulumi up` that hands the value to the hosts, so a rotation reaches both at once.
 */
export class DopplerSecrets extends pulumi.ComponentResource {
  static readonly TYPE = "paved:secrets:DopplerSecrets";
  /** The names written, sorted. */
  readonly names: string[];

  constructor(name: string, args: DopplerSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DopplerSecrets.TYPE, name, {}, opts);
    this.names = Object.keys(args.values).sort();
    for (const secret of this.names) {
      new doppler.Secret(`${name}-${secret.toLowerCase().replace(/_/g, "-")}`, {
        project: args.project,
        config: args.config,
        name: secret,
        value: pulumi.secret(args.values[secret]),
        // Masked: Doppler's dashboard shows it only on request, and logs never.
        visibility: "masked",
      }, { parent: this });
    }
    this.registerOutputs({ names: this.names });
  }
}

import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PavedInputError } from "./errors";

export interface GeneratedSecretSpec {
  /** How many characters to generate. */
  length: number;
  /** Whether to include punctuation; off by default so the value survives any env file. @default false */
  special?: boolean;
  /** Rotation label: changing it regenerates this secret on the next `pulumi up`. */
  rotation: string;
}

export interface SecretsArgs {
  /** Secrets paved generates, by name, e.g. `{ JWT_SECRET: { length: 64, rotation: "2026-11" } }`. */
  generate: Record<string, GeneratedSecretSpec>;
  /** Secrets read from encrypted stack config, by name; wrapped as secret on the way in. @default {} */
  provided?: Record<string, pulumi.Input<string>>;
}

/**
 * The secrets one environment needs, generated or read from encrypted config, exposed by
 * name as secret Outputs for the web host, the API and CI to consume.
 */
export class Secrets extends pulumi.ComponentResource {
  static readonly TYPE = "paved:secrets:Secrets";
  /** Every secret by name; each value is a secret Output. */
  readonly values: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args); // before super(): a bad argument must not register anything
    super(Secrets.TYPE, name, {}, opts);
    const generated = Object.fromEntries(
      Object.entries(args.generate).map(([secret, spec]) => [secret, this.createGenerated(name, secret, spec)]),
    );
    const provided = Object.fromEntries(
      Object.entries(args.provided ?? {}).map(([secret, value]) => [secret, pulumi.secret(value)]),
    );
    this.values = { ...generated, ...provided };
    this.registerOutputs({ names: Object.keys(this.values).sort() });
  }

  /** Names of all secrets, sorted. */
  get names(): string[] {
    return Object.keys(this.values).sort();
  }

  /** The secret called `secret`; a missing name is a paved input error, not a runtime crash. */
  get(secret: string): pulumi.Output<string> {
    const value = this.values[secret];
    if (!value) throw new PavedInputError(`Secrets: no secret named "${secret}"; expected one of ${this.names.join(", ")}`);
    return value;
  }

  private createGenerated(name: string, secret: string, spec: GeneratedSecretSpec): pulumi.Output<string> {
    const password = new random.RandomPassword(`${name}-${kebab(secret)}`, {
      length: spec.length,
      special: spec.special ?? false,
      // Keepers force a new value when the rotation label changes.
      keepers: { rotation: spec.rotation },
    }, { parent: this, additionalSecretOutputs: ["result"] });
    return pulumi.secret(password.result);
  }
}

function validate(name: string, args: SecretsArgs): void {
  const problems: string[] = [];
  for (const [secret, spec] of Object.entries(args.generate)) {
    if (!Number.isInteger(spec.length) || spec.length < 16) {
      problems.push(`Secrets "${name}": generate.${secret}.length is ${spec.length}; expected a whole number of at least 16`);
    }
    if (secret in (args.provided ?? {})) {
      problems.push(`Secrets "${name}": ${secret} is both generated and provided; expected one source`);
    }
  }
  if (problems.length) throw new PavedInputError(problems);
}

const kebab = (envName: string) => envName.toLowerCase().replace(/_/g, "-");

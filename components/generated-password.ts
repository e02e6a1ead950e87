import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * A generated password for a data store paved runs itself: 32 letters and digits (safe unquoted
 * in a URL or a shell), secret, and regenerated when the `rotation` label changes.
 */
export function generatedPassword(parent: pulumi.Resource, name: string, rotation?: string): pulumi.Output<string> {
  const password = new random.RandomPassword(`${name}-password`, {
    length: 32, special: false, keepers: { rotation: rotation ?? "initial" },
  }, { parent, additionalSecretOutputs: ["result"] });
  // Secret at the source, whatever the engine does with additionalSecretOutputs.
  return pulumi.secret(password.result);
}

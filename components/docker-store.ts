import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { generatedPassword } from "./generated-password";

/**
 * What a stateful container on the stack's Docker engine keeps apart from itself: a generated
 * password (secret, regenerated when `rotation` changes) and the named volume its data lives on,
 * registered with `keep`'s protection (and adoption, when it imports the volume).
 */
export function dockerStore(
  parent: pulumi.Resource,
  name: string,
  store: { volumeName: string; rotation?: string; provider: docker.Provider },
  keep: pulumi.CustomResourceOptions,
): { password: pulumi.Output<string>; volume: docker.Volume } {
  const password = generatedPassword(parent, name, store.rotation);
  const volume = new docker.Volume(`${name}-data`, { name: store.volumeName }, { ...keep, provider: store.provider });
  return { password, volume };
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { upstreamOutput } from "./stack-output";

/** Where the API's container image comes from. */
export type ImageArgs =
  /** Build from a Dockerfile and push to `repository` (GHCR by default). */
  | { kind: "build"; context: string; dockerfile?: string; platform?: string; repository: string;
      registry?: { server: string; username: string; password: pulumi.Input<string> };
      /** Keep the image in the local engine instead of pushing it (local stacks). */
      skipPush?: boolean }
  /** Run exactly this image, pinned by digest. */
  | { kind: "digest"; ref: string }
  /** Run the image another stack deployed (its `apiImage` output): build once, promote. */
  | { kind: "promote"; stack: string };

/** The stack output that carries the deployed image reference, for `promote` to read. */
export const IMAGE_OUTPUT = "apiImage";

/** Resolves an image source to a pullable reference, creating the build if there is one. */
export function createImage(name: string, image: ImageArgs, parent: pulumi.Resource): pulumi.Output<string> {
  switch (image.kind) {
    case "digest":
      return pulumi.output(image.ref);
    case "promote":
      return upstreamOutput(new pulumi.StackReference(`${name}-promoted`, { name: image.stack }, { parent }), {
        output: IMAGE_OUTPUT, key: "paved:api.image.promoteFrom", alternative: "or pin an image with paved:api.image.digest",
      }, parent);
    case "build": {
      const built = new docker.Image(`${name}-image`, {
        imageName: `${image.repository}:${pulumi.getStack()}`,
        build: { context: image.context, dockerfile: image.dockerfile, platform: image.platform },
        registry: image.registry && { server: image.registry.server, username: image.registry.username, password: pulumi.secret(image.registry.password) },
        skipPush: image.skipPush ?? false,
      }, { parent });
      // The digest, not the tag, is what gets deployed and promoted.
      return image.skipPush ? built.imageName : built.repoDigest;
    }
  }
}

import * as pulumi from "@pulumi/pulumi";

/**
 * An error that ends a `pulumi preview` / `up` with its message alone. Its stack is dropped:
 * the SDK also renders every uncaught error with `util.inspect`, which for an error with a
 * stack under source maps takes half a minute and gigabytes, and a RunError's stack is never
 * shown anyway.
 */
export function runError(message: string): pulumi.RunError {
  const err = new pulumi.RunError(message);
  err.stack = "";
  return err;
}

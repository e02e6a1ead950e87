import * as pulumi from "@pulumi/pulumi";

/**
 * A mistake in what a user gave paved: a stack config value or a component argument.
 * The program entry and `npm run plan` print its message without a stack trace; each
 * problem is one line naming the key or argument, the offending value (never a secret's)
 * and what is expected.
 */
export class PavedInputError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : [...problems];
    super(list.join("\n"));
    this.name = "PavedInputError";
    this.problems = list;
  }
}

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

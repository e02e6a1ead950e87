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

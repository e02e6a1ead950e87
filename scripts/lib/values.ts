/** The values a captured plan holds, apart from the SDK: reading a plan needs no Pulumi runtime. */

/** A value the engine would only know after deploying. */
export const UNKNOWN: unique symbol = Symbol("unknown");
/**
 * What a stack file's `secure:` value reads as in the plan, which cannot decrypt it: the key is
 * there for config checks, and the program plans it as a secret. Under a {@link Secret}, text
 * holding it is a value only known at deploy (see `toPlanned`).
 */
export const OPAQUE_SECRET = "[secret]";
/** A value the program marked secret. */
export class Secret {
  constructor(readonly value: unknown) {}
}

export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  /** Inputs as registered: secrets as {@link Secret}, unknowns as {@link UNKNOWN}, resources by URN. */
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider: string | null;
  /** Read from elsewhere (a stack reference, an existing resource), not created. */
  read?: boolean;
  /** The id of an existing object the engine adopts (the `import` option) instead of creating one. */
  importId?: string;
}

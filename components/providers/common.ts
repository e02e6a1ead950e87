/** What `check` answers: the inputs with defaults filled in, or why they are wrong. */
export interface CheckResult<I> {
  inputs?: I;
  failures?: Failure[];
}

/** What `diff` answers, in the engine's terms: which fields replace, and whether the old object goes first. */
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

/** What `read` answers: the object's state and the inputs that would produce it; an empty id means gone. */
export interface ReadResult<O> {
  id?: string;
  props?: O;
  inputs?: object;
}

/**
 * One resource type's create, read, update and delete against its service's API, as the
 * provider plugin (`plugin.ts`) calls them: inputs and state arrive as plain values, secrets
 * unwrapped, and `olds` / `props` are the state the engine recorded (empty on import).
 */
export interface Crud<I, O> {
  check?(olds: Partial<I>, news: I): Promise<CheckResult<I>>;
  diff?(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I): Promise<{ id: string; outs?: O }>;
  read?(id: string, props?: O): Promise<ReadResult<O>>;
  update?(id: string, olds: O, news: I): Promise<{ outs?: O }>;
  delete?(id: string, props: O): Promise<void>;
}

/** One `check` failure: the field and why its value is wrong. */
export interface Failure {
  property: string;
  reason: string;
}

/**
 * Field validators for `check`. Each message names the field and the value; pass
 * `secret: true` for fields whose value must not be echoed.
 */
export class Checker {
  readonly failures: Failure[];

  constructor(private readonly inputs: Record<string, unknown>) {
    this.failures = [];
  }

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  string(field: string, opts: { required?: boolean; pattern?: RegExp; hint?: string; oneOf?: readonly string[] } = {}): void {
    const v = this.inputs[field];
    if (v === undefined || v === null || v === "") {
      if (opts.required) this.fail(field, `${field} is required`);
      return;
    }
    if (typeof v !== "string") return this.fail(field, `${field} must be a string, got ${JSON.stringify(v)}`);
    if (opts.oneOf && !opts.oneOf.includes(v)) {
      return this.fail(field, `${field} must be one of ${opts.oneOf.join(", ")}, got "${v}"`);
    }
    if (opts.pattern && !opts.pattern.test(v)) this.fail(field, `${field} "${v}" is invalid: expected ${opts.hint ?? opts.pattern}`);
  }

  number(field: string, opts: { required?: boolean; min?: number; max?: number; integer?: boolean } = {}): void {
    const v = this.inputs[field];
    if (v === undefined || v === null) {
      if (opts.required) this.fail(field, `${field} is required`);
      return;
    }
    const bad =
      typeof v !== "number" || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) ||
      (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max);
    if (bad) {
      const range = `${opts.integer ? "an integer" : "a number"}${opts.min !== undefined ? ` >= ${opts.min}` : ""}${opts.max !== undefined ? ` <= ${opts.max}` : ""}`;
      this.fail(field, `${field} must be ${range}, got ${JSON.stringify(v)}`);
    }
  }

  boolean(field: string): void {
    const v = this.inputs[field];
    if (v !== undefined && v !== null && typeof v !== "boolean") this.fail(field, `${field} must be true or false, got ${JSON.stringify(v)}`);
  }

  /** A string-to-string map whose values are secret: only the offending key is named. */
  secretMap(field: string, keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/): void {
    const v = this.inputs[field];
    if (v === undefined || v === null) return;
    if (typeof v !== "object" || Array.isArray(v)) return this.fail(field, `${field} must be a map of names to strings`);
    for (const [k, val] of Object.entries(v)) {
      if (!keyPattern.test(k)) this.fail(field, `${field} key "${k}" is invalid: expected letters, digits and underscores, not starting with a digit`);
      if (typeof val !== "string") this.fail(field, `${field}.${k} must be a string (value not shown)`);
    }
  }

  result<T>(inputs: T): CheckResult<T> {
    return this.failures.length ? { inputs, failures: this.failures } : { inputs };
  }
}

/** JSON with sorted keys and undefined dropped, so equal values compare equal. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === "object" && !Array.isArray(val)) {
      return Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return val;
  }) ?? "undefined";
}

/** The fields among `fields` whose values differ between the old state and the new inputs. */
export function changedFields(olds: Record<string, unknown>, news: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.filter((f) => stableJson(olds[f]) !== stableJson(news[f]));
}

/**
 * A diff over `fields`, replacing on any of `replaceOn`. `deleteFirst` says whether the old
 * object must go before the new one exists (a name that would clash).
 */
export function diffFields(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  fields: readonly string[],
  replaceOn: readonly string[],
  deleteFirst: (replaces: string[]) => boolean = () => false,
): DiffResult {
  const changed = changedFields(olds, news, fields);
  const replaces = changed.filter((f) => replaceOn.includes(f));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && deleteFirst(replaces),
  };
}

/** Splits an import id like "app/machineId" into exactly `n` non-empty parts. */
export function splitId(id: string, n: number, shape: string): string[] {
  const parts = id.split("/");
  if (parts.length !== n || parts.some((p) => p === "")) {
    throw new Error(`Resource id "${id}" is not of the form ${shape}`);
  }
  return parts;
}

/**
 * Runs a `read`; a 404 (or what `gone` says means gone) reports the object gone (empty id) so a
 * refresh drops it from state. `inputs` are what an import records as the resource's inputs.
 */
export async function readOrGone<O>(
  read: () => Promise<{ id: string; props?: O; inputs?: object }>,
  gone: (err: unknown) => boolean = (err) => (err as { status?: number }).status === 404,
): Promise<ReadResult<O>> {
  try {
    const r = await read();
    return { id: r.id, props: r.props, inputs: r.inputs };
  } catch (err) {
    if (gone(err)) return { id: "" };
    throw err;
  }
}

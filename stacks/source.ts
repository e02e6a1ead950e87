/** What the engine hands a program: every config key of the stack and which are secret. */
export interface ConfigSource {
  project: string;
  stack: string;
  /** "namespace:key" -> value as the engine passes it (JSON text for structured values). */
  values: Readonly<Record<string, string>>;
  secretKeys: ReadonlySet<string>;
  /** Secret keys whose value cannot be read here (the offline plan): each plans as a secret placeholder that never prints. */
  opaqueKeys?: ReadonlySet<string>;
}

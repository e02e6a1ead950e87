/** Reads Pulumi.yaml and a stack file the way the engine hands their config to a program. */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse } from "yaml";
import type { ConfigSource } from "../../stacks/config";
import { OPAQUE_SECRET } from "./values";

export class UsageError extends Error {}

export interface StackFile {
  path: string;
  source: ConfigSource & { opaqueKeys: Set<string> };
  /** Each `secure:` key's {@link secretVersion}, by key: how a plan tells that a secret changed. */
  secretVersions: Record<string, string>;
}

/** `production` -> ./Pulumi.production.yaml; a path to a .yaml file is read as it is. */
export function readStackFile(stackOrPath: string, root: string, stackName?: string): StackFile {
  const isPath = /\.ya?ml$/.test(stackOrPath);
  const path = isPath ? stackOrPath : join(root, `Pulumi.${stackOrPath}.yaml`);
  if (!existsSync(path)) {
    throw new UsageError(`stack file ${path} not found; expected a stack name with a Pulumi.<stack>.yaml in ${root}, or a path to a stack file`);
  }
  const stack = stackName ?? (isPath ? basename(path).replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "") : stackOrPath);
  const project = readProjectName(isPath ? dirname(path) : root, root);
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UsageError(`${path}: not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
  const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
  if (typeof config !== "object" || Array.isArray(config)) throw new UsageError(`${path}: "config" must be a map of keys to values`);

  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const opaqueKeys = new Set<string>();
  const secretVersions: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(config)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (containsSecure(value)) {
      // The engine would decrypt it and mark the whole key secret; offline it can't be read.
      secretKeys.add(key);
      opaqueKeys.add(key);
      values[key] = OPAQUE_SECRET;
      secretVersions[key] = secretVersion(value);
    } else {
      values[key] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
  }
  return { path, source: { project, stack, values, secretKeys, opaqueKeys }, secretVersions };
}

/**
 * A fingerprint of a secure value as the stack file holds it: its ciphertext, which is already
 * public in the repository and says nothing of the value without the stack's key. Setting a
 * secret again encrypts it with a fresh nonce, so the fingerprint changes even for the same value.
 */
export function secretVersion(stored: unknown): string {
  return createHash("sha256").update(JSON.stringify(stored)).digest("hex").slice(0, 16);
}

function readProjectName(dir: string, root: string): string {
  for (const candidate of [join(dir, "Pulumi.yaml"), join(root, "Pulumi.yaml")]) {
    if (existsSync(candidate)) {
      const doc = parse(readFileSync(candidate, "utf8")) as { name?: string };
      if (doc?.name) return doc.name;
    }
  }
  throw new UsageError(`no Pulumi.yaml with a project name in ${dir} or ${root}`);
}

const isSecure = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
function containsSecure(v: unknown): boolean {
  if (isSecure(v)) return true;
  if (v && typeof v === "object") return Object.values(v).some(containsSecure);
  return false;
}

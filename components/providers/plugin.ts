/**
 * paved's provider plugin: the ResourceProvider the engine launches (through
 * `provider/pulumi-resource-paved`) for every `paved:<area>:<Kind>` resource. It routes each
 * call to that type's CRUD and speaks the wire's terms on the CRUD's behalf:
 *
 * - Secrets. The SDK's server answers Configure with `acceptSecrets: true`, so values arrive
 *   wrapped in the secret signature and whatever the plugin returns is stored as it is. The
 *   plugin unwraps before the CRUD sees a value and wraps again, as the engine itself does for
 *   providers that do not take secrets (`annotateSecrets`): every top-level field that held a
 *   secret on the way in, and the type's always-secret outputs (`SECRET_OUTPUTS`).
 * - Unknowns. In a preview, an input that comes from another resource arrives as the engine's
 *   unknown placeholder. `check` sees it (so a cross-field rule sees a value is there), a
 *   failure on a field holding one is dropped (the engine checks again with the value before
 *   `up` creates anything), and a wholly unknown field is answered unknown, so no default
 *   replaces it.
 * - State of the dynamic providers paved used to be. Their `__provider` field (the code they
 *   ran) is dropped wherever it arrives: the code that runs is always this plugin's.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import type { Crud, Failure } from "./common";
import { ReleaseFailed } from "./release";
import { type PavedType, PACKAGE, SECRET_OUTPUTS } from "../resources/resource";
import { axiomDatasetProvider } from "./axiom";
import { flyAppProvider, flyMachineProvider } from "./fly";
import { flyMigrationProvider } from "./fly-migration";
import { flyCertificateProvider, flyIpAddressProvider, flySecretsProvider } from "./fly-network";
import { neonProjectProvider } from "./neon";
import { neonBranchProvider } from "./neon-branch";
import { neonDatabaseProvider, neonRoleProvider } from "./neon-data";
import { railwayEnvironmentProvider, railwayProjectProvider } from "./railway";
import { railwayCustomDomainProvider, railwayServiceDomainProvider } from "./railway-domain";
import { railwayServiceProvider } from "./railway-service";
import { railwayVolumeProvider } from "./railway-volume";
import { renderServiceProvider } from "./render";
import { renderKeyValueProvider } from "./render-key-value";
import { renderPostgresProvider } from "./render-postgres";

/** The plugin's version, as GetPluginInfo reports it: paved's own. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PLUGIN_VERSION: string = require("../../package.json").version;

/** The engine's placeholder for a value a preview cannot know yet (an output of another resource). */
export const UNKNOWN = rpc.unknownValue;

type AnyCrud = Crud<Record<string, unknown>, Record<string, unknown>>;
type Props = Record<string, unknown>;

/** Each type's CRUD. */
export const CRUD: Record<PavedType, AnyCrud> = {
  "axiom:Dataset": axiomDatasetProvider,
  "fly:App": flyAppProvider,
  "fly:Certificate": flyCertificateProvider,
  "fly:IpAddress": flyIpAddressProvider,
  "fly:Machine": flyMachineProvider,
  "fly:Migration": flyMigrationProvider,
  "fly:Secrets": flySecretsProvider,
  "neon:Branch": neonBranchProvider,
  "neon:Database": neonDatabaseProvider,
  "neon:Project": neonProjectProvider,
  "neon:Role": neonRoleProvider,
  "railway:CustomDomain": railwayCustomDomainProvider,
  "railway:Environment": railwayEnvironmentProvider,
  "railway:Project": railwayProjectProvider,
  "railway:Service": railwayServiceProvider,
  "railway:ServiceDomain": railwayServiceDomainProvider,
  "railway:Volume": railwayVolumeProvider,
  "render:KeyValue": renderKeyValueProvider,
  "render:Postgres": renderPostgresProvider,
  "render:Service": renderServiceProvider,
} as unknown as Record<PavedType, AnyCrud>;

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);
const isSecret = (v: unknown): v is { value: unknown } => isObject(v) && v[rpc.specialSigKey] === rpc.specialSecretSig;

/** Whether `v` is, or holds anywhere inside it, a value `is` picks out. */
function holds(v: unknown, is: (x: unknown) => boolean): boolean {
  if (is(v)) return true;
  if (Array.isArray(v)) return v.some((x) => holds(x, is));
  if (isObject(v)) return Object.values(v).some((x) => holds(x, is));
  return false;
}
const holdsUnknown = (v: unknown) => holds(v, (x) => x === UNKNOWN);

function unwrap(v: unknown): unknown {
  if (isSecret(v)) return unwrap(v.value);
  if (Array.isArray(v)) return v.map(unwrap);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  return v;
}

const secret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });

/** A call's properties as the CRUD takes them, and the top-level fields that were secret. */
function plain(props: Props | undefined): { values: Props; secrets: Set<string> } {
  const values: Props = {};
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(props ?? {})) {
    if (k === "__provider") continue;
    if (holds(v, isSecret)) secrets.add(k);
    values[k] = unwrap(v);
  }
  return { values, secrets };
}

/** `v` without undefined entries: the wire's Struct has no undefined, and the SDK's server refuses one. */
function defined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : defined(x)));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, defined(x)]));
  return v;
}

/** `props` with the given fields, and the type's always-secret outputs, wrapped as secrets. */
function sealed(type: PavedType, props: object | undefined, secrets: Iterable<string>): Props {
  const out = defined(props ?? {}) as Props;
  for (const k of new Set([...secrets, ...(SECRET_OUTPUTS[type] ?? [])])) {
    if (out[k] !== undefined && out[k] !== null) out[k] = secret(out[k]);
  }
  return out;
}

/** `paved:render:Service` from a URN whose type may be qualified by its parents' (`a$b$paved:render:Service`). */
export function typeOf(urn: string): PavedType {
  const qualified = urn.split("::")[2] ?? "";
  const token = qualified.slice(qualified.lastIndexOf("$") + 1);
  const type = token.startsWith(`${PACKAGE}:`) ? token.slice(PACKAGE.length + 1) : "";
  if (!(type in CRUD)) throw pluginError(`paved's provider plugin has no resource type "${token}" (URN ${urn})`);
  return type as PavedType;
}

/**
 * An error the engine shows as its message alone. The SDK's server logs `${err}: ${err.stack}`
 * for a failed check, diff, read or delete; a stack there is noise to the person reading it.
 */
export function pluginError(message: string): Error {
  const err = new Error(message);
  err.stack = "";
  return err;
}

async function reported<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw pluginError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Runs a create or update. A release that failed once the object existed (ReleaseFailed) reaches
 * the engine with the object's id and sealed state, which it records as failed to initialise.
 */
async function recorded<T>(type: PavedType, secrets: Set<string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ReleaseFailed)) throw err;
    throw Object.assign(pluginError(err.message), { id: err.id, properties: sealed(type, err.outs as object, secrets), reasons: [err.message] });
  }
}

/** A field is unchecked while its value (or part of it) is unknown; a message about it waits for the value. */
function knownFailures(failures: Failure[] | undefined, unknown: Set<string>): Failure[] {
  return (failures ?? []).filter((f) => !unknown.has(f.property.split(/[.[]/)[0]));
}

/** The provider the SDK's server (`@pulumi/pulumi/provider`) serves. */
export const pavedProvider = {
  version: PLUGIN_VERSION,

  async check(urn: string, olds: Props, news: Props) {
    const type = typeOf(urn);
    const crud = CRUD[type];
    const { values, secrets } = plain(news);
    if (!crud.check) return { inputs: sealed(type, values, secrets) };
    const unknown = new Set(Object.keys(values).filter((k) => holdsUnknown(values[k])));
    const result = await reported(() => crud.check!(plain(olds).values, values));
    // A wholly unknown field goes back as it came: no default stands in for a value still to come.
    const wholly = Object.fromEntries([...unknown].filter((k) => values[k] === UNKNOWN).map((k) => [k, UNKNOWN]));
    const inputs = { ...(result.inputs ?? values), ...wholly };
    return { inputs: sealed(type, inputs, secrets), failures: knownFailures(result.failures, unknown) };
  },

  async diff(id: string, urn: string, olds: Props, news: Props) {
    const crud = CRUD[typeOf(urn)];
    const before = plain(olds).values;
    const after = plain(news).values;
    if (crud.diff) return reported(() => crud.diff!(id, before, after));
    return {};
  },

  async create(urn: string, inputs: Props) {
    const type = typeOf(urn);
    const { values, secrets } = plain(inputs);
    const { id, outs } = await recorded(type, secrets, () => CRUD[type].create(values));
    return { id, outs: sealed(type, outs ?? values, secrets) };
  },

  async read(id: string, urn: string, props?: Props) {
    const type = typeOf(urn);
    const crud = CRUD[type];
    const { values, secrets } = plain(props);
    if (!crud.read) return { id, props: sealed(type, values, secrets) };
    const result = await reported(() => crud.read!(id, values));
    // An empty id tells the engine the object is gone: a refresh drops it from state.
    if (!result.id) return { id: "", props: {} };
    return {
      id: result.id,
      props: sealed(type, result.props, secrets),
      inputs: result.inputs === undefined ? undefined : sealed(type, result.inputs, secrets),
    };
  },

  async update(id: string, urn: string, olds: Props, news: Props) {
    const type = typeOf(urn);
    const crud = CRUD[type];
    const after = plain(news);
    if (!crud.update) throw pluginError(`${PACKAGE}:${type} cannot be updated in place; its diff should have asked for a replacement`);
    const { outs } = await recorded(type, after.secrets, () => crud.update!(id, plain(olds).values, after.values));
    return { outs: sealed(type, outs ?? after.values, after.secrets) };
  },

  async delete(id: string, urn: string, props: Props) {
    const crud = CRUD[typeOf(urn)];
    if (crud.delete) await reported(() => crud.delete!(id, plain(props).values));
  },
};

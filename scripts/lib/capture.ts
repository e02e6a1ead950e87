/**
 * Runs a Pulumi program under the SDK's mock runtime and records, for every resource,
 * what the engine would receive: type, name, URN, parent, inputs, options, dependencies.
 * Used by `npm run plan` and by the tests, so both see exactly the same thing.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { type CapturedResource, Secret, UNKNOWN } from "./values";

export { type CapturedResource, Secret, UNKNOWN };

export interface MockCall {
  token: string;
  inputs: Record<string, unknown>;
}

export interface CaptureOptions {
  project: string;
  stack: string;
  /** Config as the engine passes it: "namespace:key" -> string (JSON text for objects). */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** Preview mode: outputs a provider computes stay unknown, as in `pulumi preview`. */
  preview?: boolean;
  /** Answers to provider function calls; any other call fails the run. */
  calls?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
  /** Extra state a mocked resource reports, e.g. computed ids, by type. */
  outputs?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
}

export interface Capture {
  readonly resources: CapturedResource[];
  /** Resolves once every registration the program started has been answered. */
  settle(): Promise<void>;
}

/** Installs the mock runtime. Import the program only after this returns. */
export async function installCapture(options: CaptureOptions): Promise<Capture> {
  const resources: CapturedResource[] = [];
  const preview = options.preview ?? true;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const extra = options.outputs?.(args.type, args.name, args.inputs) ?? {};
        // In preview, a new resource has no id yet; the SDK reads "" as unknown.
        return { id: preview ? "" : `${args.name}-id`, state: { ...args.inputs, ...extra } };
      },
      call(args) {
        const answer = options.calls?.[args.token];
        if (!answer) throw new Error(`unmocked provider call ${args.token}`);
        return answer(args.inputs);
      },
    },
    options.project,
    options.stack,
    preview,
  );
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

  const monitor = settings.getMonitor() as unknown as MonitorLike;
  // The SDK's mock monitor qualifies a child's type with its parent's own type only; the
  // engine uses the parent's whole chain. Plans, snapshots and SARIF must name real URNs.
  monitor.newUrn = (parent, type, name) => engineUrn(options.stack, options.project, parent, type, name);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) resources.push(toCaptured(req, resp.getUrn()));
      callback(err, resp);
    });
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) =>
    read(req, (err, resp) => {
      if (!err && resp) resources.push(readCaptured(req, resp.getUrn()));
      callback(err, resp);
    });

  return {
    resources,
    settle: async () => {
      // Registrations chain on each other's outputs; wait until the queue stays empty.
      for (let i = 0; i < 5; i++) {
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** The stack resource every top-level resource belongs to; its type is left out of URNs. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The URN the engine gives a resource: the parent's qualified type (its whole chain of
 * ancestor types joined by `$`, the root stack left out), then the resource's own type.
 */
export function engineUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
  const parentType = parentUrn ? parentUrn.split("::")[2] : "";
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProvider(): string;
  getImportid(): string;
}
export interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
}
type Callback = (err: Error | null, resp?: { getUrn(): string }) => void;
interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: ReadRequest, callback: Callback): Promise<void>;
}

export function readCaptured(req: ReadRequest, urn: string): CapturedResource {
  return {
    urn, type: req.getType(), name: req.getName(), custom: true, parent: req.getParent() || null,
    inputs: decode(req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], additionalSecretOutputs: [],
    dependencies: [...new Set(req.getDependenciesList())].sort(), propertyDependencies: {}, provider: req.getProvider() || null,
    read: true,
  };
}

export function toCaptured(req: RegisterRequest, urn: string): CapturedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = [...deps.getUrnsList()].sort();
  });
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || null,
    inputs: decode(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    protect: req.getProtect(),
    retainOnDelete: req.getRetainondelete(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    ignoreChanges: req.getIgnorechangesList(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    propertyDependencies,
    provider: req.getProvider() || null,
    ...(req.getImportid() ? { importId: req.getImportid() } : {}),
  };
}

/** Turns the wire form of a property value into plain JS with secret/unknown markers. */
export function decode(value: unknown): unknown {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return new Secret(decode(obj.value));
    if (sig === rpc.specialResourceSig) return obj.urn;
    // An Output sent whole (the engine supports output values): no value means unknown.
    if (sig === rpc.specialOutputValueSig) {
      const inner = "value" in obj ? decode(obj.value) : UNKNOWN;
      return obj.secret ? new Secret(inner) : inner;
    }
    if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) return "[asset]";
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/**
 * A stand-in for the Pulumi engine, built from the SDK's own generated gRPC stubs: it serves
 * the ResourceMonitor and Engine services a program talks to under `pulumi preview` / `up`,
 * names resources as the engine does, and records every registration, read and log line.
 *
 * It answers like a fresh backend: a new resource's outputs are its inputs, with no id
 * during preview; a stack reference sees only the outputs the test gives it. Given paved's
 * provider plugin, it steps each `paved:` resource through it as the engine does for a new
 * resource: Check (failures end the registration), then in `up` Create, whose outputs and id
 * the program receives.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { type CapturedResource, type ReadRequest, type RegisterRequest, readCaptured, toCaptured } from "../../scripts/lib/capture";
import { type DiffAnswer, type PluginProcess, UNKNOWN, wireSecret } from "./plugin";

/** What the engine itself types the root of every stack. */
const ROOT_STACK = "pulumi:pulumi:Stack";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const SEVERITIES = ["debug", "info", "warning", "error"] as const;

export interface EngineLog {
  severity: (typeof SEVERITIES)[number];
  message: string;
  urn: string;
  /** Milliseconds since the engine started. */
  at: number;
}

export interface FakeEngineOptions {
  project: string;
  stack: string;
  /** `--dry-run`: preview. Otherwise creates "succeed" with made-up ids. */
  preview: boolean;
  /** Outputs of other stacks, by fully qualified name, for stack references. @default none exist yet */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** paved's provider plugin, launched; `paved:` resources go through it. @default none: outputs are inputs */
  plugin?: PluginProcess;
}

/** What the plugin answered for one resource. */
export interface PluginStep {
  urn: string;
  checked: Record<string, unknown>;
  failures: { property: string; reason: string }[];
  id?: string;
  outputs?: Record<string, unknown>;
  /** An adopted resource: read by id, then diffed against the program's inputs. */
  imported?: boolean;
  diff?: DiffAnswer;
}

/**
 * The engine's URN rule (`resource.NewURN`): a resource's type is qualified by its parent's
 * qualified type, the whole chain of ancestors, except that the root stack's type is left out.
 */
export function qualifiedUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  const parentQualified = parentUrn === "" ? "" : parentUrn.split("::")[2];
  const typ = parentQualified !== "" && parentQualified !== ROOT_STACK ? `${parentQualified}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${typ}::${name}`;
}

type Unary<Req, Res> = (call: { request: Req }, callback: (err: grpc.ServiceError | null, res?: Res) => void) => void;

export class FakeEngine {
  /** Every registration, in order, the root stack included. */
  readonly registered: CapturedResource[] = [];
  readonly logs: EngineLog[] = [];
  /** Every call sequence the plugin served, in order. */
  readonly steps: PluginStep[] = [];
  /** The stack's outputs, as the program registered them on the root stack. */
  stackOutputs: Record<string, unknown> = {};
  rootUrn = "";
  private server?: grpc.Server;
  private startedAt = Date.now();

  constructor(private readonly options: FakeEngineOptions) {}

  /** Starts serving on 127.0.0.1; returns the `host:port` to pass as `--monitor` and `--engine`. */
  async start(): Promise<string> {
    this.startedAt = Date.now();
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, this.monitor() as unknown as grpc.UntypedServiceImplementation);
    server.addService(engrpc.EngineService, this.engine() as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.server = server;
    return `127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  /** The program's resources as the offline plan records them: no root stack, top level parentless. */
  resources(): CapturedResource[] {
    return this.registered
      .filter((r) => r.type !== ROOT_STACK)
      .map((r) => ({ ...r, parent: r.parent === this.rootUrn ? null : r.parent }));
  }

  private urn(parent: string, type: string, name: string): string {
    return qualifiedUrn(this.options.stack, this.options.project, parent, type, name);
  }

  private monitor() {
    const supportsFeature: Unary<resproto.SupportsFeatureRequest, resproto.SupportsFeatureResponse> = (_call, cb) => {
      // This engine version supports every feature the SDK asks about.
      const res = new resproto.SupportsFeatureResponse();
      res.setHassupport(true);
      cb(null, res);
    };
    const registerResource: Unary<resproto.RegisterResourceRequest, resproto.RegisterResourceResponse> = (call, cb) => {
      const req = call.request;
      const urn = this.urn(req.getParent(), req.getType(), req.getName());
      if (this.registered.some((r) => r.urn === urn)) {
        return cb(failure(grpc.status.INVALID_ARGUMENT, `Duplicate resource URN '${urn}'; try giving it a unique name`));
      }
      if (req.getType() === ROOT_STACK) this.rootUrn = urn;
      this.registered.push(toCaptured(req as unknown as RegisterRequest, urn));
      const res = new resproto.RegisterResourceResponse();
      res.setUrn(urn);
      if (!req.getCustom()) {
        res.setObject(new structproto.Struct());
        return cb(null, res);
      }
      const plugin = req.getType().startsWith("paved:") ? this.options.plugin : undefined;
      if (!plugin) {
        res.setId(this.options.preview ? "" : `${req.getName()}-id`);
        const computed = this.options.preview ? {} : COMPUTED[req.getType()]?.(req.getObject()?.toJavaScript() ?? {}) ?? {};
        res.setObject(structproto.Struct.fromJavaScript({ ...(req.getObject()?.toJavaScript() ?? {}), ...computed } as never));
        return cb(null, res);
      }
      const news = providerValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const stepped = req.getImportid() ? this.adopt(plugin, urn, req.getImportid(), news) : this.step(plugin, urn, news);
      stepped.then((step) => {
        res.setId(step.id ?? "");
        res.setObject(structproto.Struct.fromJavaScript((step.outputs ?? step.checked) as never));
        cb(null, res);
      }, (err: Error) => {
        this.log("error", err.message, urn);
        cb(failure(grpc.status.UNKNOWN, err.message));
      });
    };
    const registerResourceOutputs: Unary<resproto.RegisterResourceOutputsRequest, emptyproto.Empty> = (call, cb) => {
      if (call.request.getUrn() === this.rootUrn) this.stackOutputs = unwrapped(call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      cb(null, new emptyproto.Empty());
    };
    const readResource: Unary<resproto.ReadResourceRequest, resproto.ReadResourceResponse> = (call, cb) => {
      const req = call.request;
      const urn = this.urn(req.getParent(), req.getType(), req.getName());
      this.registered.push(readCaptured(req as unknown as ReadRequest, urn));
      const res = new resproto.ReadResourceResponse();
      res.setUrn(urn);
      if (req.getType() === STACK_REFERENCE) {
        const name = req.getId();
        const outputs = this.options.stackOutputs?.[name] ?? {};
        res.setProperties(structproto.Struct.fromJavaScript({ name, outputs, secretOutputNames: [] } as never));
      } else {
        res.setProperties(req.getProperties() ?? new structproto.Struct());
      }
      cb(null, res);
    };
    const invoke: Unary<resproto.ResourceInvokeRequest, unknown> = (call, cb) =>
      cb(failure(grpc.status.UNIMPLEMENTED, `the fake engine has no answer for invoke ${call.request.getTok()}`));
    const signalAndWaitForShutdown: Unary<emptyproto.Empty, emptyproto.Empty> = (_call, cb) => cb(null, new emptyproto.Empty());
    const unimplemented = (what: string): Unary<unknown, unknown> => (_call, cb) =>
      cb(failure(grpc.status.UNIMPLEMENTED, `the fake engine does not implement ${what}`));
    return {
      supportsFeature, registerResource, registerResourceOutputs, readResource, invoke, signalAndWaitForShutdown,
      getDeploymentInfo: unimplemented("GetDeploymentInfo"),
      call: unimplemented("Call"),
      registerStackTransform: unimplemented("RegisterStackTransform"),
      registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
      registerResourceHook: unimplemented("RegisterResourceHook"),
      registerErrorHook: unimplemented("RegisterErrorHook"),
      registerPackage: unimplemented("RegisterPackage"),
    };
  }

  /** A new resource through the plugin: Check, then (in `up`) Create. */
  private async step(plugin: PluginProcess, urn: string, news: Record<string, unknown>): Promise<PluginStep> {
    const { inputs, failures } = await plugin.check(urn, {}, news);
    const step: PluginStep = { urn, checked: inputs, failures };
    this.steps.push(step);
    if (failures.length) {
      // The engine reports each failure against the resource, then fails the step.
      for (const f of failures) this.log("error", `${f.property}: ${f.reason}`, urn);
      throw new Error(`${urn}: ${failures.length} check failure(s)`);
    }
    if (this.options.preview) return step;
    const { id, outs } = await plugin.create(urn, inputs);
    return Object.assign(step, { id, outputs: outs });
  }

  /**
   * An `import` option as the engine's ImportStep runs it (also in preview): Read by id with no
   * state, Check the program's inputs against what was read, Diff; any difference fails it.
   */
  private async adopt(plugin: PluginProcess, urn: string, id: string, news: Record<string, unknown>): Promise<PluginStep> {
    const read = await plugin.read(id, urn, {});
    if (!read.id) throw new Error(`${urn}: resource '${id}' does not exist`);
    if (!read.inputs) throw new Error(`${urn}: provider does not support importing resources`);
    const { inputs, failures } = await plugin.check(urn, read.inputs, news);
    const step: PluginStep = { urn, checked: inputs, failures, id: read.id, outputs: read.props, imported: true };
    this.steps.push(step);
    if (failures.length) throw new Error(`${urn}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    const diff = await plugin.diff(read.id, urn, read.props, inputs);
    step.diff = diff;
    // A replacement of what was just imported is refused in `up` and warned of in a preview;
    // other changes are an update after the import.
    if (diff.replaces.length) {
      const message = `${urn}: inputs to import do not match the existing resource; importing it would replace it (${diff.replaces.join(", ")})`;
      if (!this.options.preview) throw new Error(message);
      this.log("warning", message, urn);
    } else if (diff.changes === "some" && !this.options.preview) {
      step.outputs = await plugin.update(read.id, urn, read.props, inputs);
    }
    return step;
  }

  private log(severity: EngineLog["severity"], message: string, urn: string): void {
    this.logs.push({ severity, message, urn, at: Date.now() - this.startedAt });
  }

  private engine() {
    const log: Unary<engproto.LogRequest, emptyproto.Empty> = (call, cb) => {
      const req = call.request;
      this.logs.push({ severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn(), at: Date.now() - this.startedAt });
      cb(null, new emptyproto.Empty());
    };
    const getRootResource: Unary<engproto.GetRootResourceRequest, engproto.GetRootResourceResponse> = (_call, cb) => {
      const res = new engproto.GetRootResourceResponse();
      res.setUrn(this.rootUrn);
      cb(null, res);
    };
    const setRootResource: Unary<engproto.SetRootResourceRequest, engproto.SetRootResourceResponse> = (call, cb) => {
      this.rootUrn = call.request.getUrn();
      cb(null, new engproto.SetRootResourceResponse());
    };
    const startDebugging: Unary<unknown, unknown> = (_call, cb) =>
      cb(failure(grpc.status.UNIMPLEMENTED, "the fake engine does not debug"));
    return { log, getRootResource, setRootResource, startDebugging };
  }
}


/**
 * What other providers compute on create that paved's own resources read, for `pulumi up`:
 * a generated password, a Sentry key's DSN, a pushed image's digest. Everything else answers
 * its inputs, as in a preview.
 */
const COMPUTED: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "random:index/randomPassword:RandomPassword": (i) => ({ result: "p".repeat(Number(i.length ?? 32)) }),
  "random:index/randomString:RandomString": (i) => ({ result: "s".repeat(Number(i.length ?? 32)) }),
  "sentry:index/sentryKey:SentryKey": () => ({ dsnPublic: "https://0123456789abcdef@o1.ingest.sentry.io/1" }),
  "docker:index/image:Image": (i) => ({ repoDigest: `${String(i.imageName).split(":")[0]}@sha256:${"d".repeat(64)}` }),
};

/** Stack outputs as plain values: an Output's value, a secret's value. */
function unwrapped(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapped);
  if (typeof v !== "object" || v === null) return v;
  const obj = v as Record<string, unknown>;
  if (obj[rpc.specialSigKey] === rpc.specialOutputValueSig || obj[rpc.specialSigKey] === rpc.specialSecretSig) return unwrapped(obj.value);
  return Object.fromEntries(Object.entries(obj).map(([k, x]) => [k, unwrapped(x)]));
}

/**
 * A registration's value as the engine hands it to a provider: an Output the program sent whole
 * becomes its value (the unknown placeholder when it has none), wrapped as a secret if it is one.
 */
function providerValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(providerValue);
  if (typeof v !== "object" || v === null) return v;
  const obj = v as Record<string, unknown>;
  if (obj[rpc.specialSigKey] === rpc.specialOutputValueSig) {
    const inner = "value" in obj ? providerValue(obj.value) : UNKNOWN;
    return obj.secret ? wireSecret(inner) : inner;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, x]) => [k, providerValue(x)]));
}

function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

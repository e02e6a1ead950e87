/**
 * A stand-in for the Pulumi engine, built from the SDK's own generated gRPC stubs: it serves
 * the ResourceMonitor and Engine services a program talks to under `pulumi preview` / `up`,
 * names resources as the engine does, and records every registration, read and log line.
 *
 * It answers like a fresh backend: a new resource's outputs are its inputs, with no id
 * during preview; a stack reference sees only the outputs the test gives it.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { type CapturedResource, type ReadRequest, type RegisterRequest, readCaptured, toCaptured } from "../../scripts/lib/capture";

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
      if (req.getCustom()) {
        res.setId(this.options.preview ? "" : `${req.getName()}-id`);
        res.setObject(req.getObject() ?? new structproto.Struct());
      } else {
        res.setObject(new structproto.Struct());
      }
      cb(null, res);
    };
    const registerResourceOutputs: Unary<resproto.RegisterResourceOutputsRequest, emptyproto.Empty> = (_call, cb) => cb(null, new emptyproto.Empty());
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

function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/**
 * paved's policy pack started as the Pulumi CLI starts it (cwd = policy/, the port on its first
 * stdout line) and driven over gRPC the way the engine drives an analyzer: ConfigureStack with
 * the stack's config, then Analyze for each resource with its inputs on the wire.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest, type AnalyzeResponse, AnalyzerResourceOptions, AnalyzerStackConfigureRequest,
  type AnalyzerStackConfigureResponse, ConfigureAnalyzerRequest, EnforcementLevel, PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { loadPackConfig } from "../../policy/offline";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Secret, UNKNOWN, type CapturedResource } from "../../scripts/lib/capture";

const ROOT = path.resolve(__dirname, "../..");
/** The engine's sentinel for an unknown string in preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How the engine marks a secret on the wire. */
export const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

export interface Diagnostic { policy: string; message: string; level: "mandatory" | "advisory" | "other"; urn: string }

/** One unary gRPC call, as a promise. */
export function call<Req, Res>(method: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (e, r) => (e ? reject(e) : resolve(r))));
}

/** A captured input as the engine sends it: secrets signed, unknowns as the sentinel. */
function onTheWire(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_STRING;
  if (value instanceof Secret) return { ...SECRET_SIG, value: onTheWire(value.value) };
  if (Array.isArray(value)) return value.map(onTheWire);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, onTheWire(v)]));
  }
  return value;
}

export class PolicyPackProcess {
  private child?: ChildProcess;
  private client?: AnalyzerClient;

  /** Starts the pack with a launcher's argv (run from policy/) and connects to the port it prints. */
  async start(argv: string[] = [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "index.ts"]): Promise<AnalyzerClient> {
    const port = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: path.join(ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
      this.child = child;
      let out = "";
      let err = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /^(\d+)\s*$/m.exec(out)?.[1];
        if (found) resolve(Number(found));
      });
      child.stderr!.on("data", (chunk: Buffer) => { err += chunk.toString(); });
      child.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${err}`)));
    });
    this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return this.client;
  }

  /** Configure, as `--policy-pack-config policy/config/<env>.json` makes the engine send it. */
  async levels(env: string): Promise<void> {
    const req = new ConfigureAnalyzerRequest();
    const LEVEL = { advisory: EnforcementLevel.ADVISORY, mandatory: EnforcementLevel.MANDATORY, remediate: EnforcementLevel.REMEDIATE, disabled: EnforcementLevel.DISABLED };
    for (const [name, entry] of Object.entries(loadPackConfig(env))) {
      const { enforcementLevel = "advisory", ...settings } = typeof entry === "string" ? { enforcementLevel: entry } : entry;
      req.getPolicyconfigMap().set(name, new PolicyConfig().setEnforcementlevel(LEVEL[enforcementLevel]).setProperties(Struct.fromJavaScript(settings as never)));
    }
    await call<ConfigureAnalyzerRequest, Empty>(this.client!.configure.bind(this.client!), req);
  }

  /** ConfigureStack, as the engine sends it before any Analyze: the stack's (decrypted) config. */
  async configure(stack: string, config: Record<string, string>): Promise<void> {
    const req = new AnalyzerStackConfigureRequest().setStack(stack).setProject("paved");
    for (const [key, value] of Object.entries(config)) req.getConfigMap().set(key, value);
    await call<AnalyzerStackConfigureRequest, AnalyzerStackConfigureResponse>(this.client!.configureStack.bind(this.client!), req);
  }

  /** Every diagnostic the pack reports for these resources, one Analyze each. */
  async analyze(resources: readonly CapturedResource[]): Promise<Diagnostic[]> {
    const found: Diagnostic[] = [];
    for (const r of resources) {
      const req = new AnalyzeRequest().setType(r.type).setName(r.name).setUrn(r.urn)
        .setProperties(Struct.fromJavaScript(onTheWire(r.inputs) as never))
        .setOptions(new AnalyzerResourceOptions().setProtect(r.protect));
      const res = await call<AnalyzeRequest, AnalyzeResponse>(this.client!.analyze.bind(this.client!), req);
      for (const d of res.getDiagnosticsList()) {
        const level = d.getEnforcementlevel() === EnforcementLevel.MANDATORY ? "mandatory" : d.getEnforcementlevel() === EnforcementLevel.ADVISORY ? "advisory" : "other";
        found.push({ policy: d.getPolicyname(), message: d.getMessage(), level, urn: r.urn });
      }
    }
    return found;
  }

  stop(): void {
    this.client?.close();
    this.child?.kill();
  }
}

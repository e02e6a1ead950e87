/**
 * paved's provider plugin as the engine runs it: `provider/pulumi-resource-paved` started with
 * the engine's address as its only argument (`buildPluginArguments`), the first line of its
 * stdout read as the port, and the ResourceProvider service called over gRPC with the SDK's
 * own generated stubs. Values travel as the engine marshals them: secrets in their signature
 * wrapper, unknowns as the placeholder string.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

const ROOT = resolve(__dirname, "../..");
export const LAUNCHER = join(ROOT, "provider", "pulumi-resource-paved");
export const UNKNOWN = rpc.unknownValue;

/** A value as the engine marshals a secret. */
export const wireSecret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });
export const isWireSecret = (v: unknown): v is { value: unknown } =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;

type Props = Record<string, unknown>;

export interface CheckAnswer { inputs: Props; failures: { property: string; reason: string }[] }
export interface DiffAnswer { changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }

const struct = (v: Props) => structproto.Struct.fromJavaScript(v as never);
const CHANGES = { [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "none", [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "some", [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown" } as const;

export class PluginProcess {
  private constructor(private readonly child: ChildProcess, private readonly client: provrpc.ResourceProviderClient, readonly stderr: () => string) {}

  /** Launches the plugin as the engine does, with `env` as the `pulumi` process's environment. */
  static async launch(engineAddress: string, env: NodeJS.ProcessEnv, cwd = join(ROOT, "stacks")): Promise<PluginProcess> {
    const child = spawn(LAUNCHER, [engineAddress], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        out += d;
        const nl = out.indexOf("\n");
        if (nl < 0) return;
        child.stdout!.off("data", onData);
        const text = out.slice(0, nl).trim();
        const p = Number(text);
        // The engine's parsePort: a whole number in 1..65535, nothing else on the line.
        if (Number.isInteger(p) && p > 0 && p < 65536 && /^\d+$/.test(text)) resolve(p);
        else reject(new Error(`the plugin wrote an invalid port: ${JSON.stringify(text)}`));
      };
      child.stdout!.on("data", onData);
      child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${err}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginProcess(child, client, () => err);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
      fn.call(this.client, req, (e, r) => (e ? reject(Object.assign(new Error(e.details), { code: e.code })) : resolve(r)));
    });
  }

  async pluginVersion(): Promise<string> {
    const res = await this.call<emptyproto.Empty, { getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
    return res.getVersion();
  }

  /** Configure as the engine sends it: paved's stack config as variables, and what the engine accepts. */
  async configure(variables: Record<string, string> = {}): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new provproto.ConfigureRequest();
    for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
    req.setArgs(struct({}));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckAnswer> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return {
      inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffAnswer> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
    return { changes: CHANGES[res.getChanges()], replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(inputs));
    const res = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: res.getId(), outs: (res.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  /** Read as refresh sends it (state = the old outputs) or as import does (`props` empty). */
  async read(id: string, urn: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(props));
    const res = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
    return { id: res.getId(), props: (res.getProperties()?.toJavaScript() ?? {}) as Props, inputs: res.getInputs()?.toJavaScript() as Props | undefined };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
    return (res.getProperties()?.toJavaScript() ?? {}) as Props;
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(props));
    await this.call("delete", req);
  }
}

import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import { PavedInputError } from "../../components/errors";
import type { LogsArgs } from "../../components/logs";
import { capture, resolve, Secret } from "../harness";

const OUTPUTS: Record<string, Record<string, unknown>> = {
  "paved:axiom:Dataset": { datasetId: "planningos-production" },
  "paved:fly:Secrets": { version: 7 },
  "vercel:index/project:Project": { id: "prj_planningos" },
};
const TOKEN = "xaat-ingest-token-0123456789";
const FLY_TOKEN = "FlyV1 fm2_readonly_token_0123456789";
const BASE: LogsArgs = { dataset: "planningos-production", retentionDays: 30, ingestToken: TOKEN, protect: true };

async function build(args: Partial<LogsArgs>) {
  return capture(async () => {
    const { Logs } = await import("../../components/logs");
    const engine = args.docker ? new docker.Provider("engine", {}) : undefined;
    return new Logs("production-logs", { ...BASE, ...args, docker: args.docker && engine && { ...args.docker, provider: engine } });
  }, { preview: false, outputs: (type) => OUTPUTS[type] ?? {} });
}

describe("Logs", () => {
  it("keeps the events in a protected Axiom dataset with the stack's retention", async () => {
    const run = await build({});
    const dataset = run.one("paved:axiom:Dataset");
    expect(dataset).toMatchObject({ name: "production-logs-dataset", parent: run.one("paved:logs:Logs").urn, protect: true, retainOnDelete: true });
    expect(dataset.inputs).toEqual({
      name: "planningos-production", retentionDays: 30, kind: "axiom:events:v1", description: "Logs of planningos-production, shipped by paved's drains",
    });
    expect(await resolve(run.value.dataset)).toEqual({ known: true, secret: false, value: "planningos-production" });
    expect(run.resources.filter((r) => r.type !== "paved:axiom:Dataset" && r.type !== "paved:logs:Logs")).toEqual([]);
  });

  it("drains the Vercel project to the dataset's ingest URL, the token only in a secret header", async () => {
    const run = await build({ vercel: { teamId: "team_planningos", projectId: "prj_planningos" } });
    const drain = run.one("vercel:index/logDrain:LogDrain");
    expect(drain).toMatchObject({ name: "production-logs-vercel", parent: run.one("paved:logs:Logs").urn });
    expect(drain.inputs).toEqual({
      teamId: "team_planningos", name: "planningos-production", projectIds: ["prj_planningos"],
      environments: ["production", "preview"], sources: ["build", "edge", "external", "firewall", "lambda", "redirect", "static"],
      deliveryFormat: "json", endpoint: "https://api.axiom.co/v1/datasets/planningos-production/ingest",
      headers: new Secret({ Authorization: `Bearer ${TOKEN}` }),
    });
    expect(drain.dependencies).toContain(run.one("paved:axiom:Dataset").urn);
  });

  it("runs Fly.io's log shipper as an app of its own: no public service, tokens as Fly secrets, the API app's log stream only", async () => {
    const run = await build({ fly: {
      org: "planningos", sourceApp: "planningos-api-production", appName: "planningos-api-production-logs", region: "cdg",
      accessToken: FLY_TOKEN, image: "docker.io/flyio/log-shipper:auto-a14aa63",
    } });
    const parent = run.one("paved:logs:Logs").urn;
    expect(run.one("paved:fly:App")).toMatchObject({ name: "production-logs-fly-app", parent, inputs: { name: "planningos-api-production-logs", orgSlug: "planningos" } });
    const secrets = run.one("paved:fly:Secrets");
    expect(secrets).toMatchObject({ name: "production-logs-fly-secrets", parent });
    expect(secrets.inputs.values).toEqual({ ACCESS_TOKEN: new Secret(FLY_TOKEN), AXIOM_TOKEN: new Secret(TOKEN) });
    expect(run.all("paved:fly:IpAddress")).toEqual([]);
    const machine = run.one("paved:fly:Machine");
    expect(machine).toMatchObject({ name: "production-logs-fly-cdg", parent, inputs: { name: "planningos-api-production-logs-cdg-1", region: "cdg" } });
    expect(machine.inputs.config).toEqual({
      image: "docker.io/flyio/log-shipper:auto-a14aa63",
      env: { ORG: "planningos", SUBJECT: "logs.planningos-api-production.>", AXIOM_DATASET: "planningos-production" },
      guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
      checks: { vector: { type: "http", port: 8686, path: "/health", interval: "30s", timeout: "5s" } },
      metadata: { paved_stack: "test", paved_secrets_version: "7", paved_dataset: "planningos-production" },
    });
    expect(JSON.stringify(machine.inputs)).not.toContain(FLY_TOKEN);
  });

  it("runs Vector beside the Docker workloads: the named containers' logs, the token in its environment, the socket read-only", async () => {
    const run = await build({ docker: { containerName: "planningos-production-logs", containers: ["planningos-api-production", "planningos-web-production"] } as never });
    const vector = run.one("docker:index/container:Container");
    expect(vector).toMatchObject({ name: "production-logs-vector", parent: run.one("paved:logs:Logs").urn });
    expect(vector.inputs).toMatchObject({
      name: "planningos-production-logs", image: "docker.io/timberio/vector:0.47.0-alpine", command: ["--config", "/etc/vector/vector.yaml"],
      restart: "unless-stopped", memory: 128,
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }],
      envs: [new Secret(`AXIOM_TOKEN=${TOKEN}`)],
    });
    expect(vector.inputs.uploads).toEqual([{ file: "/etc/vector/vector.yaml", content: [
      "# Written by paved: the stack's containers' logs, shipped to Axiom.",
      "sources:", "  containers:", "    type: docker_logs", '    include_containers: ["planningos-api-production", "planningos-web-production"]',
      "sinks:", "  axiom:", "    type: axiom", "    inputs: [containers]", '    dataset: "planningos-production"', '    token: "${AXIOM_TOKEN}"', "",
    ].join("\n") }]);
  });

  it("refuses a retention under a day and a Docker shipper with nothing to read, before anything is registered", async () => {
    const run = capture(async () => {
      const { Logs } = await import("../../components/logs");
      return new Logs("bad-logs", { ...BASE, retentionDays: 0.5, docker: { provider: undefined as never, containerName: "x", containers: [] } });
    });
    await expect(run).rejects.toThrow(PavedInputError);
    await expect(run).rejects.toThrow(
      'Logs "bad-logs": retentionDays is 0.5; expected a whole number of days, at least 1\nLogs "bad-logs": docker.containers is empty; expected the names of the containers whose logs ship',
    );
  });
});

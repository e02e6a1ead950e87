// Boots policy/index.ts in a child process, as the Pulumi CLI does, and talks to it over
// gRPC: the same pack that `pulumi preview --policy-pack policy` loads, minus the CLI.
import * as path from "node:path";
import {
  AnalyzeRequest, AnalyzeResponse, AnalyzerInfo, AnalyzerResourceOptions, EnforcementLevel,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterEach, describe, expect, it } from "vitest";
import { allPolicies } from "../../policy/policies";
import { zoneSslStrict } from "../../policy/transport";
import { T } from "../../policy/util";
import { call, PolicyPackProcess, SECRET_SIG, UNKNOWN_STRING } from "../engine/policy-pack";

const ROOT = path.resolve(__dirname, "../..");

const launchers: Record<string, string[]> = {
  // What the nodejs policy runtime execs: Pulumi's launcher, which compiles the pack with ts-node.
  "Pulumi's run-policy-pack": [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", "."],
  tsx: [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "index.ts"],
};

const pack = new PolicyPackProcess();
afterEach(() => pack.stop());

function analyzeRequest(type: string, props: Record<string, unknown>): AnalyzeRequest {
  return new AnalyzeRequest().setType(type).setName("subject")
    .setUrn(`urn:pulumi:production::paved::${type}::subject`)
    .setProperties(Struct.fromJavaScript(props as never))
    .setOptions(new AnalyzerResourceOptions());
}

function messagesOf(response: AnalyzeResponse, policy: string): [string, EnforcementLevel][] {
  return response.getDiagnosticsList().filter((d) => d.getPolicyname() === policy).map((d) => [d.getMessage(), d.getEnforcementlevel()]);
}

describe.each(Object.keys(launchers))("the pack booted by %s", (launcher) => {
  it("serves its policies and judges a resource as the offline runner does", async () => {
    const client = await pack.start(launchers[launcher]);
    try {
      const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
      expect(info.getName()).toBe("paved");
      expect(info.getVersion()).toBe("0.1.0");
      expect(info.getPoliciesList().map((p) => p.getName())).toEqual(allPolicies.map((p) => p.name));

      const analyze = (type: string, props: Record<string, unknown>) =>
        call<AnalyzeRequest, AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(type, props));

      // A secret arrives unwrapped, so the policy judges its value.
      const bad = await analyze(T.zoneSetting, { zoneId: "zone-1", settingId: "ssl", value: { ...SECRET_SIG, value: "full" } });
      expect(messagesOf(bad, zoneSslStrict.name)).toEqual([
        [`${zoneSslStrict.description}\nSet the zone's SSL mode to strict.`, EnforcementLevel.MANDATORY],
      ]);

      // In preview an unknown value turns even a mandatory policy into an advisory note.
      const unknown = await analyze(T.zoneSetting, { zoneId: "zone-1", settingId: "ssl", value: UNKNOWN_STRING });
      const preview = messagesOf(unknown, zoneSslStrict.name);
      expect(preview.map(([, level]) => level)).toEqual([EnforcementLevel.ADVISORY]);
      expect(preview[0][0]).toContain("during preview");

      // The engine sends the stack's config in ConfigureStack: the stack file's acknowledgements
      // silence a finding while in force, and name it again once expired.
      const configure = (acknowledge: unknown[]) => pack.configure("production", { "paved:policy": JSON.stringify({ acknowledge }) });
      const flexible = { zoneId: "zone-1", settingId: "ssl", value: "flexible" };
      await configure([{ policy: zoneSslStrict.name, resource: "subject", reason: "origin has no certificate yet", expires: "2999-12-31" }]);
      expect(messagesOf(await analyze(T.zoneSetting, flexible), zoneSslStrict.name)).toEqual([]);
      await configure([{ policy: zoneSslStrict.name, resource: "other", reason: "origin has no certificate yet", expires: "2999-12-31" }]);
      expect(messagesOf(await analyze(T.zoneSetting, flexible), zoneSslStrict.name)).toHaveLength(1);
      await configure([{ policy: zoneSslStrict.name, resource: "*", reason: "origin has no certificate yet", expires: "2020-01-31" }]);
      expect(messagesOf(await analyze(T.zoneSetting, flexible), zoneSslStrict.name)).toEqual([
        [`${zoneSslStrict.description}\nSet the zone's SSL mode to strict. (its acknowledgement expired 2020-01-31)`, EnforcementLevel.MANDATORY],
      ]);
      await configure([]);

      // With no policy config sent, thresholds still come from the schema defaults.
      const short = await analyze(T.randomPassword, { length: 16 });
      expect(messagesOf(short, "random-password-length").map(([message]) => message.split("\n")[1])).toEqual(["Generate at least 24 characters."]);
    } finally {
      client.close();
    }
  }, 60_000);
});

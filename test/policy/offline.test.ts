import * as cloudflare from "@pulumi/cloudflare";
import Ajv from "ajv";
import { validateResourceOfType, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { PavedInputError } from "../../components/errors";
import { levelOf, loadPackConfig, runPolicies, UNKNOWN, type PlannedResource } from "../../policy/offline";
import { allPolicies } from "../../policy/policies";
import { rateLimitRule } from "../../policy/edge";
import { protectStateful } from "../../policy/data";
import { zoneSettingsPresent, zoneSslStrict } from "../../policy/transport";
import { T } from "../../policy/util";
import * as f from "./fixtures";
import { planned, set } from "./harness";

const ENVS = ["production", "staging", "preview", "local"];
/** Not in any guide's checklist; scanners recommend them, so production only advises. */
const ADVISORY_IN_PRODUCTION = ["zone-tls-1-3", "zone-hsts-preload", "dns-caa-record", "zone-dnssec", "edge-zone-present", "branch-two-approvals", "branch-signed-commits"];
/** In the checklist, but only advised: they need a service beyond the host (Grafana for Fly.io's metrics). */
const ADVISORY_BY_DEPENDENCY = ["resource-alerts"];
/** What only the other kinds may not do: write the zone production owns, serve production's hosts. Off in production itself. */
const OTHER_KINDS_ONLY = ["zone-owner-only", "preview-own-hostnames"];

/** A production stack shaped like PlanningOS's, meeting every mandatory policy. */
function compliantStack(): PlannedResource[] {
  const app = planned(T.dnsRecord, "app", f.dnsRecord);
  const api = planned(T.dnsRecord, "api", { ...f.dnsRecord, name: "api.example.com", content: "planningos-api.fly.dev" });
  const checks = ["app", "api"].map((host) =>
    planned(T.healthcheck, `${host}-health`, { ...f.healthcheck, name: host, address: `${host}.example.com` }));
  const routes = checks.map((c) => planned(T.notificationPolicy, `${c.name}-alert`, { ...f.notificationPolicy, filters: { healthCheckIds: [UNKNOWN] } },
    { propertyDependencies: { filters: [c.urn] } }));
  const settings = [["ssl", "strict"], ["min_tls_version", "1.2"], ["tls_1_3", "on"], ["always_use_https", "on"],
    ["security_header", { strict_transport_security: f.sts }]].map(([id, value]) => planned(T.zoneSetting, String(id), f.zoneSetting(String(id), value)));
  const repo = planned(T.repository, "repo", f.repository, { protect: true });
  return [
    app, api, ...checks, ...routes, ...settings,
    planned(T.sentryMetricAlert, "api-error-rate", f.sentryErrorRate), planned(T.sentryMetricAlert, "api-latency", f.sentryLatency),
    planned(T.ruleset, "headers", f.headerRuleset), planned(T.ruleset, "rate-limit", f.rateLimitRuleset),
    planned(T.dnsRecord, "caa", { ...f.dnsRecord, name: "example.com", type: "CAA", proxied: false }),
    planned(T.zoneDnssec, "dnssec", { zoneId: f.ZONE, status: "active" }),
    planned(T.vercelProject, "web", f.vercelProject), planned(T.vercelEnv, "web-api-token", f.vercelEnv),
    repo, planned(T.branchProtection, "main", { ...f.branchProtection, repositoryId: UNKNOWN }, { propertyDependencies: { repositoryId: [repo.urn] } }),
    planned(T.repositoryEnvironment, "production", f.repositoryEnvironment), planned(T.actionsEnvSecret, "fly-token", f.actionsSecret),
    planned(T.randomPassword, "jwt", f.randomPassword), planned(T.flyMachine, "api-1", f.flyMachine),
    planned(T.grafanaRuleGroup, "api-resources", f.grafanaRuleGroup),
    planned(T.flySecrets, "api-secrets", { app: "planningos-api", values: { JWT_SECRET: UNKNOWN, DATABASE_URL: UNKNOWN } }),
    planned(T.neonProject, "db", f.neonProject, { protect: true }),
  ];
}

describe("policy config files", () => {
  it.each(ENVS)("%s sets a level for every policy and names only real settings", (env) => {
    const config = loadPackConfig(env);
    expect(Object.keys(config).sort()).toEqual(allPolicies.map((p) => p.name).sort());
  });
  it.each(ENVS)("%s gives each policy settings its schema accepts, as the CLI checks them", (env) => {
    const ajv = new Ajv({ allErrors: true });
    for (const [name, entry] of Object.entries(loadPackConfig(env))) {
      if (typeof entry === "string") continue;
      const settings = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "enforcementLevel"));
      const schema = allPolicies.find((p) => p.name === name)!.configSchema!;
      const ok = ajv.validate({ type: "object", ...schema }, settings);
      expect(ok, `${env}.json ${name}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  it("makes production mandatory except scanner-only recommendations", () => {
    const config = loadPackConfig("production");
    const advisory = allPolicies.filter((p) => levelOf(p, config) !== "mandatory").map((p) => p.name);
    expect(advisory.sort()).toEqual([...ADVISORY_IN_PRODUCTION, ...ADVISORY_BY_DEPENDENCY, ...OTHER_KINDS_ONLY].sort());
  });
  it("relaxes, never tightens, outside production", () => {
    const rank = { disabled: 0, advisory: 1, remediate: 2, mandatory: 2 };
    const production = loadPackConfig("production");
    for (const env of ["staging", "preview", "local"]) {
      const config = loadPackConfig(env);
      for (const p of allPolicies.filter((policy) => !OTHER_KINDS_ONLY.includes(policy.name))) {
        expect(rank[levelOf(p, config)], `${env} ${p.name}`).toBeLessThanOrEqual(rank[levelOf(p, production)]);
      }
    }
  });
  it("holds staging and previews to what only they may not do", () => {
    expect(loadPackConfig("staging")["zone-owner-only"]).toBe("mandatory");
    expect(loadPackConfig("preview")["zone-owner-only"]).toBe("mandatory");
    expect(loadPackConfig("preview")["preview-own-hostnames"]).toBe("mandatory");
  });
  it("rejects an unknown environment", () => {
    expect(() => loadPackConfig("qa")).toThrow(PavedInputError);
    expect(() => loadPackConfig("../secrets")).toThrow('policy config "../secrets": expected a name like production');
  });
  it("rejects keys that aren't policies of the pack", () => {
    expect(() => loadPackConfig("production", [zoneSslStrict])).toThrow('production.json: "jwt-secret-strength" is not a policy of the pack');
  });
});

describe("runPolicies", () => {
  it("passes a compliant production stack with nothing but deploy-time notes", () => {
    const found = runPolicies(compliantStack(), loadPackConfig("production"));
    expect(found).toEqual([{
      policy: "jwt-secret-strength", level: "advisory", urn: "urn:pulumi:production::paved::paved:fly:Secrets::api-secrets",
      resource: "paved:fly:Secrets::api-secrets",
      message: "can't be checked until deploy: jwt-secret-strength depends on a value unknown in the plan (.values.JWT_SECRET)",
    }]);
  });

  it("reports each level the environment's file gives", () => {
    const db = planned(T.neonProject, "db", f.neonProject);
    expect(runPolicies([db], loadPackConfig("production"), { policies: [protectStateful] }).map((v) => v.level)).toEqual(["mandatory"]);
    expect(runPolicies([db], loadPackConfig("staging"), { policies: [protectStateful] })).toEqual([]);
  });

  it("reads thresholds from the file: staging's rate limit is looser", () => {
    const loose = planned(T.ruleset, "rl", set(f.rateLimitRuleset, "rules.0.ratelimit.requestsPerPeriod", 3000));
    expect(runPolicies([loose], loadPackConfig("production"), { policies: [rateLimitRule] }).map((v) => v.message))
      .toEqual(["Lower the rate limit to at most 1200 requests per minute."]);
    expect(runPolicies([loose], loadPackConfig("staging"), { policies: [rateLimitRule] })).toEqual([]);
  });

  it("falls back to the policy's level, then the pack's advisory", () => {
    const bare: ResourceValidationPolicy = { name: "bare", description: "d", validateResource: (_a, report) => report("Do it.") };
    const r = planned(T.dnsRecord, "app", f.dnsRecord);
    expect(runPolicies([r], {}, { policies: [zoneSslStrict, bare] })).toEqual([
      { policy: "bare", level: "advisory", urn: r.urn, resource: `${T.dnsRecord}::app`, message: "Do it." },
    ]);
    expect(runPolicies([planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "full"))], {}, { policies: [zoneSslStrict] })[0].level).toBe("mandatory");
  });

  it("treats remediate as mandatory", () => {
    const ssl = planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "full"));
    expect(runPolicies([ssl], { "zone-ssl-strict": "remediate" }, { policies: [zoneSslStrict] })[0].level).toBe("mandatory");
  });

  it("turns an unknown read in a mandatory stack policy into one advisory note", () => {
    const record = planned(T.dnsRecord, "app", { ...f.dnsRecord, zoneId: UNKNOWN });
    expect(runPolicies([record], { "zone-settings-present": "mandatory" }, { policies: [zoneSettingsPresent] })).toEqual([{
      policy: "zone-settings-present", level: "advisory", urn: undefined, resource: undefined,
      message: "can't be checked until deploy: zone-settings-present depends on a value unknown in the plan (.zoneId)",
    }]);
  });

  it("keeps what a policy reported before it reached an unknown", () => {
    const machine = planned(T.flyMachine, "api", set(set(f.flyMachine, "config.env.DEBUG", "1"), "config.env.LOG_LEVEL", UNKNOWN));
    expect(runPolicies([machine], {}, { policies: allPolicies.filter((p) => p.name === "no-debug-in-production") }).map((v) => v.message))
      .toEqual(["Turn debug switches off (DEBUG, APP_DEBUG, FLASK_DEBUG and the like).", "can't be checked until deploy: no-debug-in-production depends on a value unknown in the plan (.config.env.LOG_LEVEL)"]);
  });

  it("gives isType/asType the provider classes' type tokens", () => {
    const seen: unknown[] = [];
    const typed: ResourceValidationPolicy = {
      name: "typed", description: "d", enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(cloudflare.ZoneSetting, (props) => { seen.push(props.settingId); }),
    };
    const resources = [planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "strict")), planned(T.dnsRecord, "app", f.dnsRecord)];
    expect(runPolicies(resources, {}, { policies: [typed] })).toEqual([]);
    expect(seen).toEqual(["ssl"]);
  });

  it("hands stack policies linked resources, tags and settings with schema defaults", () => {
    const parent = planned("paved:web:WebHost", "web", {});
    const child = planned(T.vercelProject, "web-project", f.vercelProject, { parent: parent.urn, dependencies: [parent.urn], propertyDependencies: { teamId: [parent.urn] } });
    let seen = "";
    const probe: StackValidationPolicy = {
      name: "probe", description: "d", enforcementLevel: "mandatory",
      configSchema: { properties: { a: { type: "number", default: 1 }, b: { type: "number", default: 2 } } },
      validateStack: (args, report) => {
        const r = args.resources.find((x) => x.name === "web-project")!;
        const cfg = args.getConfig<{ a: number; b: number }>();
        seen = [r.parent?.name, r.dependencies[0].name, r.propertyDependencies.teamId[0].name, cfg.a, cfg.b, args.stackTags.get("env")].join(",");
        if (r.opts.protect === false) report("Protect it.", r.urn);
      },
    };
    const found = runPolicies([parent, child], { probe: { b: 5 } }, { policies: [probe], stackTags: new Map([["env", "production"]]) });
    expect(seen).toBe("web,web,web,1,5,production");
    expect(found).toEqual([{ policy: "probe", level: "mandatory", urn: child.urn, resource: `${T.vercelProject}::web-project`, message: "Protect it." }]);
  });

  it("skips resources a policy declares not applicable", () => {
    const na: ResourceValidationPolicy = { name: "na", description: "d", enforcementLevel: "mandatory", validateResource: (args) => args.notApplicable("not here") };
    expect(runPolicies([planned(T.dnsRecord, "app", f.dnsRecord)], {}, { policies: [na] })).toEqual([]);
  });

  it("refuses asynchronous policies rather than dropping their verdicts", () => {
    const later: ResourceValidationPolicy = { name: "later", description: "d", validateResource: async () => undefined };
    expect(() => runPolicies([planned(T.dnsRecord, "app", f.dnsRecord)], {}, { policies: [later] }))
      .toThrow("policy later is asynchronous; offline policies must be synchronous");
  });

  it("skips disabled policies", () => {
    const ssl = planned(T.zoneSetting, "ssl", f.zoneSetting("ssl", "off"));
    expect(runPolicies([ssl], { "zone-ssl-strict": "disabled" }, { policies: [zoneSslStrict] })).toEqual([]);
  });
});

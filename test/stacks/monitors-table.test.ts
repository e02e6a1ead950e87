/**
 * `paved:monitors.table` and `paved:monitors.uptime`: each config error with its one-line message,
 * the Sentry team id in either YAML spelling, a Docker API that publishes no port, Cloudflare's
 * PagerDuty route in words, and the plan's "Not covered" list across every stack of one product.
 */
import { resolve as resolvePath } from "node:path";
import { describe, expect, it } from "vitest";
import { renderAlerts } from "../../scripts/lib/alerts";
import { readStackFile } from "../../scripts/lib/stack-file";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const ROOT = resolvePath(__dirname, "../..");
/** An API on Fly.io, so the table's latency row has an alert to set. */
const WITH_API = withValue(PRODUCTION, "api", { host: "fly", port: 3001, image: { digest: `ghcr.io/planningos/api@sha256:${"0".repeat(64)}` }, fly: { org: "planningos" } });
const at = (path: string, value: unknown, base = WITH_API) => source(withValue(base, path, value));
const rows = (...table: object[]) => at("monitors.table", table);
const row = (r: object) => rows(r);
/** Uptime by Cloudflare health checks, paging through the PagerDuty service connected to the Cloudflare account. */
const CLOUDFLARE = withValue(withValue(withValue(WITH_API, "monitors.uptime", { provider: "cloudflare" }),
  "monitors.alerts.pagerdutyIntegrationId", "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7"), "monitors.alerts.pagerduty", undefined);
const LOGIN = { service: "api", method: "POST", path: "/api/auth/login", status: 401 };
const T = "paved:monitors.table";

describe("paved:monitors.table config", () => {
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["two rows of one alert's kind", rows({ what: "latency", row: "p99 > 500 ms" }, { what: "cpu", row: "CPU > 70 %" }, { what: "latency", row: "p95 > 1 s" }), [
      `${T}[2].what: got "latency"; expected one row of latency (${T}[0] states it already: one alert serves it)`,
    ]],
    ["two error-rate rows", rows({ what: "error-rate", row: "error rate > 1 %" }, { what: "error-rate", row: "error rate > 5 % pages" }), [
      `${T}[1].what: got "error-rate"; expected one row of error-rate (${T}[0] states it already: one alert serves it)`,
    ]],
    ["a latency threshold in percent", row({ what: "latency", row: "p99 slow", threshold: "5 %" }), [
      `${T}[0].threshold: got "5 %"; expected a duration such as "500 ms" or "7 s"`,
    ]],
    ["a latency threshold with no unit", row({ what: "latency", row: "p99 slow", threshold: 500 }), [
      `${T}[0].threshold: got 500; expected a duration such as "500 ms" or "7 s"`,
    ]],
    ["an error rate in milliseconds", row({ what: "error-rate", row: "errors", threshold: "10 ms" }), [
      `${T}[0].threshold: got "10 ms"; expected a percentage such as "1 %"`,
    ]],
    ["an error rate over 100 %", row({ what: "error-rate", row: "errors", threshold: "150 %" }), [
      `${T}[0].threshold: got "150 %"; expected a percentage above 0 and at most 100`,
    ]],
    ["an error count in percent", row({ what: "error-count", row: "errors", threshold: "5 %" }), [
      `${T}[0].threshold: got "5 %"; expected errors a minute, such as "10/min"`,
    ]],
    ["a memory threshold in milliseconds", row({ what: "memory", row: "memory", threshold: "5 ms" }), [
      `${T}[0].threshold: got "5 ms"; expected a percentage such as "80 %"`,
    ]],
    ["a threshold on the health checks' row", row({ what: "uptime", row: "down 5 min", threshold: "5 min" }), [
      `${T}[0].threshold: got "5 min"; expected no threshold on a row of uptime (paved:monitors.uptime sets when a check alerts)`,
    ]],
    ["a threshold on a row with none", row({ what: "logs", row: "logs to Axiom", threshold: 3 }), [
      `${T}[0].threshold: got 3; expected no threshold on a row of logs (it has none)`,
    ]],
    ["a latency window Sentry does not offer", row({ what: "latency", row: "p99", window: 7 }), [
      `${T}[0].window: got 7; expected minutes: one of 1, 5, 10, 15, 30, 60, 120, 240, 1440 (Sentry's windows)`,
    ]],
    ["an error-rate window Sentry does not offer", row({ what: "error-rate", row: "errors", window: 20 }), [
      `${T}[0].window: got 20; expected minutes: one of 1, 5, 10, 15, 30, 60, 120, 240, 1440 (Sentry's windows)`,
    ]],
    ["an error count over 5 minutes", row({ what: "error-count", row: "errors", window: 5 }), [
      `${T}[0].window: got 5; expected 1 (errors are counted a minute at a time)`,
    ]],
    ["the same request checked by two rows", rows({ what: "uptime", row: "login", check: LOGIN }, { what: "uptime", row: "login again", check: { ...LOGIN, status: 400 } }), [
      `${T}[1].check: got "api POST /api/auth/login"; expected one row per request (${T}[0] checks api POST /api/auth/login already)`,
    ]],
    ["a check on a latency row", row({ what: "latency", row: "login is slow", check: LOGIN }), [
      `${T}[0].check: got "set"; expected no check on a row of latency (API checks are uptime rows)`,
    ]],
    ["a percentile on an error-rate row", row({ what: "error-rate", row: "errors", percentile: "p95" }), [
      `${T}[0].percentile: got "p95"; expected no percentile on a row of error-rate`,
    ]],
    ["a percentile Sentry's alerts do not take", row({ what: "latency", row: "p50", percentile: "p50" }), [`${T}[0].percentile: got "p50"; expected p95 or p99`]],
    ["a tier on the health checks' row", row({ what: "uptime", row: "down", tier: "P1" }), [
      `${T}[0].tier: got "P1"; expected no tier on the health checks' row (paved:monitors.tiers sets the api and web checks' tiers)`,
    ]],
    ["a kind paved has no word for", row({ what: "cpu-steal", row: "steal" }), [
      `${T}[0].what: got "cpu-steal"; expected one of uptime, latency, error-rate, error-count, new-issues, db-connections, memory, cpu, disk, db-cpu, deploys, logs, metrics, vulnerabilities`,
    ]],
    ["a row without its words", row({ what: "cpu" }), [`${T}[0].row: missing; expected the row as the team's guide writes it, such as "p99 latency > 500 ms"`]],
    ["no rows", rows(), [`${T}: got []; expected at least one row`]],
    ["an unknown key", row({ what: "cpu", row: "CPU", for: 5 }), [`${T}[0].for: unknown key; expected one of what, row, threshold, percentile, window, tier, check`]],
    ["a check method Checkly does not send", row({ what: "uptime", row: "login", check: { ...LOGIN, method: "OPTIONS" } }), [
      `${T}[0].check.method: got "OPTIONS"; expected one of GET, HEAD, POST, PUT, PATCH, DELETE`,
    ]],
    ["a check path that is not one", row({ what: "uptime", row: "login", check: { ...LOGIN, path: "api/auth/login" } }), [
      `${T}[0].check.path: got "api/auth/login"; expected a URL path such as /health`,
    ]],
    ["a check status that is none", row({ what: "uptime", row: "login", check: { ...LOGIN, status: 99 } }), [`${T}[0].check.status: got 99; expected an HTTP status such as 200`]],
    ["an API check with Cloudflare health checks", at("monitors.table", [{ what: "uptime", row: "login", check: LOGIN }], CLOUDFLARE), [
      `${T}[0].check: set with uptime.provider cloudflare; expected uptime.provider checkly (a request with a method, body and expected answer is a Checkly API check)`,
    ]],
  ];
  it.each(cases)("rejects %s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });

  it("refuses the removed guide key, and says what replaced it", () => {
    expect(problems(at("monitors.guide", "plannior"))).toEqual([
      'paved:monitors.guide: got "plannior"; expected no guide key: state the stack\'s monitoring table as paved:monitors.table rows ({ what, row, threshold, window, tier }), or leave it out for the checklist\'s',
    ]);
  });

  it("takes several uptime rows: the health checks and each API check", () => {
    const m = loadEnvironmentConfig(rows({ what: "uptime", row: "health" }, { what: "uptime", row: "login", tier: "P1", check: LOGIN })).monitors!;
    expect(m.report.filter((r) => r.kind === "uptime")).toEqual([
      { row: "health", kind: "uptime", planned: ["checkly:Check production-uptime-api", "checkly:Check production-uptime-web"] },
      { row: "login", kind: "uptime", planned: ["checkly:Check production-uptime-api-post-api-auth-login"] },
    ]);
  });
});

describe("paved:monitors.uptime config", () => {
  const U = "paved:monitors.uptime";
  const cases: Array<[string, ConfigSource, string[]]> = [
    ["failedRuns with downMinutes", at("monitors.uptime", { failedRuns: 2, downMinutes: 5 }), [
      `${U}.failedRuns: got 2 with downMinutes 5; expected one of failedRuns (alert after that many failed runs in a row) or downMinutes (after that long failing)`,
    ]],
    ["more failed runs than Checkly escalates on", at("monitors.uptime", { failedRuns: 6 }), [
      `${U}.failedRuns: got 6; expected failed runs in a row (one a minute): a whole number from 1 to 5`,
    ]],
    ["no failed run", at("monitors.uptime", { failedRuns: 0 }), [`${U}.failedRuns: got 0; expected failed runs in a row (one a minute): a whole number from 1 to 5`]],
    ["retry that is not a boolean", at("monitors.uptime", { retry: "yes" }), [`${U}.retry: got "yes"; expected true or false`]],
    ["failedRuns and retry with Cloudflare health checks", at("monitors.uptime", { provider: "cloudflare", failedRuns: 2, retry: false }, CLOUDFLARE), [
      `${U}.failedRuns: set with uptime.provider cloudflare; expected paved:monitors.consecutiveFails (Cloudflare health checks count failed probes) or provider checkly`,
      `${U}.retry: set with uptime.provider cloudflare; expected paved:monitors.consecutiveFails (Cloudflare health checks count failed probes) or provider checkly`,
    ]],
    ["retry alone with Cloudflare health checks", at("monitors.uptime", { provider: "cloudflare", retry: true }, CLOUDFLARE), [
      `${U}.retry: set with uptime.provider cloudflare; expected paved:monitors.consecutiveFails (Cloudflare health checks count failed probes) or provider checkly`,
    ]],
  ];
  it.each(cases)("rejects %s", (_label, src, expected) => {
    expect(problems(src)).toEqual(expected);
  });

  it("escalates by failed runs, or by minutes down (5 without either), and retries from another region on Checkly by default", () => {
    const uptime = (u?: object) => loadEnvironmentConfig(at("monitors.uptime", u)).monitors!.uptime;
    expect(uptime({ failedRuns: 2 })).toMatchObject({ provider: "checkly", failedRuns: 2, retry: true });
    expect(uptime()).toMatchObject({ provider: "checkly", downMinutes: 5, failedRuns: undefined, retry: true });
    expect(uptime({ downMinutes: 5, retry: false })).toMatchObject({ downMinutes: 5, failedRuns: undefined, retry: false });
    expect(loadEnvironmentConfig(source(CLOUDFLARE)).monitors!.uptime).toMatchObject({ provider: "cloudflare", failedRuns: undefined, retry: false });
  });
});

describe("paved:monitors.sentry.teamId", () => {
  const SENTRY = { organization: "planningos", team: "planningos", integrations: { pagerduty: { id: 104257, services: { P1: "88231" } } } };
  it.each([["an unquoted number", 3344556], ["a quoted number", "3344556"]])("takes %s as the team's id", (_label, teamId) => {
    expect(loadEnvironmentConfig(at("monitors.sentry", { ...SENTRY, teamId })).monitors!.sentry!.teamId).toBe("3344556");
  });
  it.each([["a slug", "team-x"], ["zero", 0], ["a fraction", 1.5], ["a boolean", true]])("refuses %s", (_label, teamId) => {
    expect(problems(at("monitors.sentry", { ...SENTRY, teamId }))).toEqual([
      `paved:monitors.sentry.teamId: got ${JSON.stringify(teamId)}; expected the numeric id of the Sentry team`,
    ]);
  });
});

/** A stack file of this repository, with one `paved:` key's value edited (undefined deletes the key). */
function stackFile(file: string, key?: string, edit?: (value: Record<string, unknown>) => Record<string, unknown> | undefined): ConfigSource {
  const src = readStackFile(file, ROOT).source;
  if (!key || !edit) return src;
  const values = { ...src.values };
  const value = edit(JSON.parse(values[`paved:${key}`]));
  if (value === undefined) delete values[`paved:${key}`];
  else values[`paved:${key}`] = JSON.stringify(value);
  return { ...src, values };
}
const LIFEOS = "examples/Pulumi.lifeos-production.yaml";
/** Life-OS's API container with no published port: the server's reverse proxy has nothing to forward the API's host to. */
const unpublished = (api: Record<string, unknown>) => withValue(api, "docker.publishPort", undefined);
/** Life-OS's own hosts, as its stack file names them. */
const { api: LIFEOS_API, web: LIFEOS_WEB } = (() => {
  const c = loadEnvironmentConfig(readStackFile(LIFEOS, ROOT).source);
  return { api: c.api!.hostname!, web: c.web!.domain! };
})();
const UNSERVED = `the Docker API publishes no port (paved:api.docker.publishPort unset), so ${LIFEOS_API} serves nothing to probe`;
/** The plan's monitoring table and what follows it. */
const tableOf = (m: Parameters<typeof renderAlerts>[0]) => {
  const text = renderAlerts(m);
  return text.slice(text.indexOf("Monitoring table"));
};

describe("a Docker API that publishes no port", () => {
  it("gets no uptime check; the web's check takes the API's tier, and the plan's row says why the API is not probed", () => {
    const m = loadEnvironmentConfig(stackFile(LIFEOS, "api", unpublished)).monitors!;
    expect(m.rules.filter((r) => r.kind === "uptime").map((r) => [r.role, r.watches, r.tier])).toEqual([["web", `https://${LIFEOS_WEB}/`, "P1"]]);
    expect(m.report.find((r) => r.kind === "uptime")).toEqual({
      row: "downtime > 5 min -> email and Slack", kind: "uptime", planned: ["checkly:Check lifeos-production-uptime-web"], partly: UNSERVED,
    });
    expect(tableOf(m)).toContain(`  planned: downtime > 5 min -> email and Slack (by checkly:Check lifeos-production-uptime-web); off in this stack: ${UNSERVED}\n`);
    // Published, the API is probed and the row says nothing more.
    const published = loadEnvironmentConfig(stackFile(LIFEOS)).monitors!;
    expect(published.rules.filter((r) => r.kind === "uptime").map((r) => [r.role, r.watches])).toEqual([
      ["api", `https://${LIFEOS_API}/health`], ["web", `https://${LIFEOS_WEB}/`],
    ]);
    expect(published.report.find((r) => r.kind === "uptime")).not.toHaveProperty("partly");
  });

  it("alone, leaves the row off in this stack (publishing the port turns it on), not among the rows paved cannot plan", () => {
    const src = stackFile(LIFEOS, "api", unpublished);
    const values = { ...src.values };
    delete values["paved:web"];
    const m = loadEnvironmentConfig({ ...src, values }).monitors!;
    expect(m.rules.filter((r) => r.kind === "uptime")).toEqual([]);
    expect(m.report.find((r) => r.kind === "uptime")).toEqual({ row: "downtime > 5 min -> email and Slack", kind: "uptime", off: UNSERVED });
    expect(tableOf(m)).toContain(`  off in this stack: downtime > 5 min -> email and Slack: ${UNSERVED}\n`);
  });
});

describe("PagerDuty in words, with Cloudflare health checks", () => {
  /** PlanningOS production on Cloudflare health checks, which page through the service connected to the Cloudflare account; Grafana pages memory at P1. */
  const cloudflare = () => stackFile("production", "monitors", (m) => {
    const alerts = m.alerts as Record<string, unknown>, sentry = m.sentry as { integrations: Record<string, unknown> };
    return {
      ...m, uptime: { provider: "cloudflare" }, routes: { P2: ["email"], P3: ["email"] },
      alerts: { email: alerts.email, pagerduty: alerts.pagerduty, pagerdutyIntegrationId: "3c9e1f2a4b5d6e7f8091a2b3c4d5e6f7" },
      sentry: { ...sentry, integrations: { pagerduty: sentry.integrations.pagerduty } },
      grafana: { ...(m.grafana as object), memory: { tier: "P1" } },
    };
  });

  it("names Cloudflare's connection for the health checks, and paved's P1 service for Sentry and Grafana", () => {
    const text = renderAlerts(loadEnvironmentConfig(cloudflare()).monitors);
    const lines = text.split("\n");
    // The line under the first alert whose line starts so: where it goes.
    const after = (start: string) => lines[lines.findIndex((l) => l.startsWith(start)) + 1];
    expect(after("  P1 api uptime: ")).toBe("      -> PagerDuty (connected to Cloudflare); email oncall@planningos.com");
    expect(after("  P1 api error-rate: ")).toBe("      -> PagerDuty P1 service (high urgency); email oncall@planningos.com");
    expect(after("  P1 api memory: ")).toBe("      -> PagerDuty P1 service (high urgency); email oncall@planningos.com");
    expect(after("  P2 web uptime: ")).toBe("      -> email oncall@planningos.com");
    expect(text).toContain("\nRoutes:\n  P1 -> PagerDuty (connected to Cloudflare); PagerDuty P1 service (high urgency); email oncall@planningos.com\n");
  });

  it("plans no PagerDuty integration for Checkly: only Sentry's and Grafana's keys on the P1 service", async () => {
    const { planStack } = await import("../../scripts/lib/plan");
    const { resources } = await planStack(cloudflare());
    expect(resources.filter((r) => r.type === "checkly:index/check:Check")).toEqual([]);
    expect(resources.filter((r) => r.type === "pagerduty:index/serviceIntegration:ServiceIntegration").map((r) => [r.name, r.inputs.name])).toEqual([
      ["production-paging-p1-sentry", "paved Sentry alerts"], ["production-paging-p1-grafana", "paved resource alerts (Grafana)"],
    ]);
  });
});

describe("the plan's Not covered list", () => {
  const PRODUCTS: Record<string, string[]> = {
    PlanningOS: ["production", "staging", "examples/Pulumi.pr-42.yaml"],
    FlightPro: ["examples/Pulumi.flightpro-staging.yaml", "examples/Pulumi.flightpro-production.yaml"],
    "Life-OS": ["examples/Pulumi.lifeos-staging.yaml", "examples/Pulumi.lifeos-production.yaml"],
    ProjectFlo: ["examples/Pulumi.projectflo-staging.yaml", "examples/Pulumi.projectflo-production.yaml"],
  };
  const notCovered = (file: string) => {
    const text = renderAlerts(loadEnvironmentConfig(stackFile(file)).monitors);
    return text.slice(text.indexOf("\nNot covered:\n"));
  };

  /** The rows paved cannot plan, as the list names them; what is off in one stack (a preview's alerts) is not among them. */
  const unplannable = (file: string) => notCovered(file).split("\n").slice(2).filter((l) => !l.startsWith("  none that paved cannot plan") && l !== `  ${EVERY}`);

  it.each(Object.entries(PRODUCTS))("is the same in every stack file of %s", (_product, files) => {
    const lists = files.map(unplannable);
    for (const list of lists.slice(1)) expect(list).toEqual(lists[0]);
    for (const file of files) expect(notCovered(file)).toMatch(/^\nNot covered:\n {2}\S/);
  });

  it("names what paved cannot plan, whichever stack: nothing for PlanningOS now that its logs go to Axiom; Prometheus + Grafana for Life-OS", () => {
    expect(notCovered("production")).toBe(`\nNot covered:\n  ${EVERY}`);
    expect(notCovered("examples/Pulumi.pr-42.yaml")).toMatch(/^\nNot covered:\n {2}none that paved cannot plan; \d+ rows are off in this stack \(above\)$/);
    expect(unplannable("examples/Pulumi.lifeos-production.yaml")).toEqual([
      "  metrics in Prometheus + Grafana: paved plans alert rules, not a metrics store or dashboards (Prometheus, Grafana dashboards)",
    ]);
  });

  const EVERY = "every row of the monitoring table is planned";
  it("says every row is planned exactly when each is, in full", () => {
    for (const files of Object.values(PRODUCTS)) {
      for (const file of files) {
        const report = loadEnvironmentConfig(stackFile(file)).monitors!.report;
        const full = report.every((r) => "planned" in r && !("partly" in r && r.partly));
        expect({ file, every: notCovered(file).includes(EVERY) }).toEqual({ file, every: full });
      }
    }
    // Off: staging turns Grafana's connections alert off, and the row is the only one not planned.
    const staging = (edit: (m: Record<string, unknown>) => Record<string, unknown>) => notCovered2(stackFile("staging", "monitors", edit));
    const without = (m: Record<string, unknown>) => ({ ...m, table: (m.table as Array<{ what: string }>).filter((r) => r.what !== "logs") });
    expect(staging(without)).toBe("\nNot covered:\n  none that paved cannot plan; 1 row is off in this stack (above)");
    // Planned in full, it says so.
    expect(staging((m) => ({ ...without(m), grafana: { ...(m.grafana as object), dbConnections: {} } }))).toBe(`\nNot covered:\n  ${EVERY}`);
    // Partly off: the API that publishes no port is not probed.
    const lifeos = stackFile(LIFEOS, "monitors", (m) => ({ ...m, table: (m.table as Array<{ what: string }>).filter((r) => r.what === "uptime" || r.what === "error-count") }));
    expect(notCovered2(lifeos)).toBe(`\nNot covered:\n  ${EVERY}`);
    const unservedValues = { ...lifeos.values, "paved:api": JSON.stringify(unpublished(JSON.parse(lifeos.values["paved:api"]))) };
    expect(notCovered2({ ...lifeos, values: unservedValues })).toBe("\nNot covered:\n  none that paved cannot plan; 1 row is off in this stack (above)");
  });
  function notCovered2(src: ConfigSource): string {
    const text = renderAlerts(loadEnvironmentConfig(src).monitors);
    return text.slice(text.indexOf("\nNot covered:\n"));
  }
});

/**
 * paved never echoes a secret's value. A marker typed into every field that holds or names a
 * secret, in every wrong shape, and a credential typed into any field at all, never reach a
 * problem line; nor does a secret `github:owner`, a credential in a drift diagnostic, or a
 * secret the offline plan hands to its resources (its text, JSON snapshot and SARIF).
 */
import { resolve as resolvePath } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { PavedInputError } from "../../components/errors";
import { toSarif } from "../../policy/sarif";
import { renderAlerts } from "../../scripts/lib/alerts";
import { renderBackups } from "../../scripts/lib/backups";
import { renderDrift } from "../../scripts/lib/drift";
import type { PlanResult } from "../../scripts/lib/plan";
import { checkPolicies, renderPolicy } from "../../scripts/lib/policy";
import { display, renderCounts, renderTree } from "../../scripts/lib/render";
import { renderRotation, rotationStatus } from "../../scripts/lib/rotation";
import { renderBranchProtection } from "../../scripts/lib/scorecard";
import { renderComment } from "../../scripts/lib/comment";
import { mask, type Snapshot, stableJson, toSnapshot } from "../../scripts/lib/snapshot";
import { readStackFile } from "../../scripts/lib/stack-file";
import { type ConfigSource, loadEnvironmentConfig } from "../../stacks/config";
import { stackFile } from "../../stacks/schema";
import { PRODUCTION, problems, source, withValue } from "./fixtures";

const ROOT = resolvePath(__dirname, "../..");
/** A live-looking Stripe key: caught by its shape, wherever it is typed. */
const KEY = "sk_live_MARKERmarker0123456789abcd";
/** A password with no shape of its own: caught only by the field it sits in. */
const PLAIN = "MARKER-2f9c";
/** The same, valid as a name: typed where a secret's name belongs. */
const NAME = "MARKER_2F9C";
/** A number typed into such a field. */
const NUMBER = 20260429731;
/** A connection string with its password. */
const CONNECTION = "postgres://app:MARKERpw2f9c@db.example.com/app";
const leaks = (text: string) => text.includes("MARKER") || text.includes(String(NUMBER));

interface Field { path: string[]; type: string }

/** Every field of the schema at every depth, `<name>` standing for a map's keys. */
function fieldsOf(schema: z.ZodType, path: string[] = []): Field[] {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType } } })._zod.def;
  const self = path.length ? [{ path, type: def.type }] : [];
  switch (def.type) {
    case "optional": case "nullable": case "default": return fieldsOf(def.innerType!, path);
    case "object": return [...self, ...Object.entries((schema as z.ZodObject).shape).flatMap(([key, child]) => fieldsOf(child as z.ZodType, [...path, key]))];
    case "record": return [...self, ...fieldsOf(def.valueType!, [...path, "<name>"])];
    // `false` or an object: the object's fields are the union's.
    case "union": return [...self, ...def.options!.flatMap((o) => fieldsOf(o, path).filter((f) => f.path.length > path.length))];
    default: return self;
  }
}

/** The secret-name fields paved knows, and any field whose name says it holds a secret or an address. */
const holdsOrNamesSecret = (path: string[]) =>
  path.some((p) => /Secrets?$/.test(p) || /^(secretEnv|fromConfig|generate|rotated|emails?)$|webhook|password|token|key$/i.test(p));

const FIELDS = fieldsOf(stackFile);
const SECRET_FIELDS = FIELDS.filter((f) => holdsOrNamesSecret(f.path));
const ENV_MAPS = FIELDS.filter((f) => f.type === "record" && f.path[f.path.length - 1] === "env");

/** Each map key a stack file names, as the base stack files spell them. */
const NAMES: Record<string, string> = { generate: "JWT_SECRET", rotated: "SLACK_WEBHOOK_URL", slack: "team", env: "VITE_APP_ENV" };
const concrete = (path: string[]) => path.map((p, i) => (p === "<name>" ? NAMES[path[i - 1]] : p));

/** Wrong shapes of a value for a field of this type, each carrying a marker. */
function wrongShapes(type: string): unknown[] {
  const maps = [{ a: PLAIN }, { a: KEY }, { [KEY]: PLAIN }, { a: [PLAIN] }];
  switch (type) {
    case "number": case "boolean": return [KEY, PLAIN, CONNECTION, [PLAIN], { a: PLAIN }];
    case "array": return [KEY, PLAIN, NUMBER, [KEY], [PLAIN], [NAME], [NUMBER], [{ a: PLAIN }], { a: PLAIN }];
    // A valid name as a map's key is a name, shown in key paths; any other key of a map of secret names is not.
    case "record": return [KEY, PLAIN, NUMBER, [PLAIN], ...maps, { [PLAIN]: PLAIN }, { [PLAIN]: { length: 64, rotation: PLAIN } }];
    case "object": case "union": return [KEY, PLAIN, NUMBER, [PLAIN], ...maps];
    default: return [KEY, PLAIN, NAME, NUMBER, CONNECTION, [KEY], [PLAIN], { a: PLAIN }, { a: KEY }];
  }
}

/** The stack files of this repository, each a base every case changes one value of. */
const BASES = ["production", "staging", "local"].map((stack) => readStackFile(stack, ROOT).source);

/** `base` with the value at `path` (below a `paved:` key) replaced. */
function withConfig(base: ConfigSource, path: string[], value: unknown): ConfigSource {
  const [section, ...rest] = path;
  const key = `paved:${section}`;
  let next: unknown = value;
  if (rest.length) {
    const parsed = base.values[key] ? JSON.parse(base.values[key]) as unknown : {};
    next = withValue(parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {}, rest.join("."), value);
  }
  return { ...base, values: { ...base.values, [key]: typeof next === "object" ? JSON.stringify(next) : String(next) } };
}

/** The problem lines for `src`; none when it is accepted. */
function linesOf(src: ConfigSource): readonly string[] {
  try {
    loadEnvironmentConfig(src);
    return [];
  } catch (err) {
    if (err instanceof PavedInputError) return err.problems;
    throw err;
  }
}

/** Runs each case on each base; returns the lines that leak a marker, and the keys that no case reported on. */
function sweep(cases: { path: string[]; values: unknown[] }[]) {
  const leaked: string[] = [];
  const unreported: string[] = [];
  for (const { path, values } of cases) {
    const key = `paved:${path[0]}${path.slice(1).map((p) => `.${p}`).join("")}`;
    let reported = false;
    for (const base of BASES) {
      for (const value of values) {
        const lines = linesOf(withConfig(base, path, value));
        reported ||= lines.some((line) => line.startsWith(key));
        leaked.push(...lines.filter(leaks).map((line) => `${base.stack} ${JSON.stringify(value)}: ${line}`));
      }
    }
    if (!reported) unreported.push(key);
  }
  return { leaked, unreported };
}

describe("a problem line never quotes a secret", () => {
  it("finds every field that holds or names a secret, and every env map", () => {
    expect(SECRET_FIELDS.map((f) => f.path.join("."))).toEqual(expect.arrayContaining([
      "web.secretEnv", "api.secretEnv", "api.image.registryPasswordSecret", "github.actionsSecrets",
      "secrets.fromConfig", "secrets.generate", "secrets.generate.<name>", "secrets.generate.<name>.rotation",
      "secrets.rotated", "secrets.rotated.<name>", "secrets.rotated.<name>.rotation",
      "monitors.alerts.email", "monitors.alerts.slackWebhookSecret", "monitors.alerts.slack.<name>.webhookSecret",
      "monitors.grafana.metricsTokenSecret",
    ]));
    expect(ENV_MAPS.map((f) => f.path.join("."))).toEqual(["web.env", "api.env"]);
  });

  it("in a field that holds or names one, whatever shape the value has", () => {
    const { leaked, unreported } = sweep(SECRET_FIELDS.map((f) => ({ path: concrete(f.path), values: wrongShapes(f.type) })));
    expect(leaked).toEqual([]);
    // Where any string is a valid label, only a wrong type is reported.
    expect(unreported).toEqual([]);
  });

  it("in an env variable whose name says it holds a secret, or any env variable's credential", () => {
    const secretNamed = ENV_MAPS.flatMap((f) => ["JWT_SECRET", "X_TOKEN"].map((name) => ({
      path: [...f.path, name], values: [KEY, PLAIN, NUMBER, [PLAIN], [KEY], { a: PLAIN }, { a: KEY }],
    })));
    const plainNamed = ENV_MAPS.map((f) => ({ path: [...f.path, "VITE_APP_ENV"], values: [KEY, CONNECTION, [KEY], { a: KEY }, { [KEY]: "x" }] }));
    const keyed = ENV_MAPS.map((f) => ({ path: f.path, values: [{ [KEY]: "x" }, { [CONNECTION]: "x" }] }));
    const { leaked, unreported } = sweep([...secretNamed, ...plainNamed, ...keyed]);
    expect(leaked).toEqual([]);
    expect(unreported).toEqual([]);
  });

  it("in any field at all, when the value looks like a credential", () => {
    const shapes = [KEY, CONNECTION, [KEY], [CONNECTION], { a: KEY }, { [KEY]: 1 }];
    const { leaked } = sweep(FIELDS.map((f) => ({ path: concrete(f.path), values: shapes })));
    expect(leaked).toEqual([]);
  });

  it("as `paved:web` typed as text", () => {
    for (const value of [KEY, CONNECTION]) {
      const lines = problems(source({ ...PRODUCTION, web: value }));
      expect(lines.filter(leaks)).toEqual([]);
      expect(lines.some((line) => line.startsWith("paved:web: got a string (not shown: it looks like"))).toBe(true);
    }
  });

  it("as a secret `github:owner` that does not match the repository's owner", () => {
    const src = source({ ...PRODUCTION, github: { requiredChecks: ["ci/test"], reviewers: { teams: [9182736] } } }, { secret: { "github:owner": PLAIN } });
    expect(problems(src)).toContain("github:owner: got a string (not shown: this key is a secret); expected planningos, the owner in paved:repository");
    expect(problems(src).filter(leaks)).toEqual([]);
  });
});

describe("the drift issue", () => {
  it("keeps a credential in an engine diagnostic out of the body", () => {
    const body = renderDrift({
      steps: [{
        op: "update", urn: "urn:pulumi:production::paved::paved:database:Database$neon:index/role:Role::production-db-role",
        detailedDiff: { password: { kind: "update" } }, oldState: { outputs: { password: PLAIN } }, newState: { outputs: { password: KEY } },
      }],
      diagnostics: [
        { severity: "error", message: `refresh failed: cannot connect to ${CONNECTION}: timeout\n${PLAIN}` },
        { severity: "error", message: `GET /api/v2/projects with token ghp_MARKERmarker0123456789abcdefghijkl: 401` },
        { severity: "error", message: `Bearer ${KEY} rejected` },
      ],
    }, "production");
    expect(body).toContain("- refresh failed: cannot connect to postgres://[not shown: user and password]@db.example.com/app: timeout");
    expect(body).toContain("- GET /api/v2/projects with token [not shown: a GitHub token]: 401");
    expect(body.split("\n").filter(leaks)).toEqual([]);
  });
});

describe("the offline plan of a stack whose secrets hold the markers", () => {
  let plan: PlanResult;
  let src: ConfigSource;
  beforeAll(async () => {
    const { source: base } = readStackFile("production", ROOT);
    const secrets = JSON.parse(base.values["paved:secrets"]);
    const api = JSON.parse(base.values["paved:api"]);
    const web = JSON.parse(base.values["paved:web"]);
    const secret = { "paved:STRIPE_API_KEY": KEY, "paved:FLY_METRICS_TOKEN": `FlyV1 fm2_${PLAIN}`, "paved:SLACK_WEBHOOK_URL": `https://hooks.slack.com/services/T0/B0/${PLAIN}`,
      "paved:AXIOM_INGEST_TOKEN": `xaat-${PLAIN}`, "paved:FLY_LOGS_TOKEN": `FlyV1 fm2_logs_${PLAIN}` };
    src = {
      ...base, opaqueKeys: new Set(), secretKeys: new Set(Object.keys(secret)),
      values: {
        ...base.values, ...secret,
        "paved:secrets": JSON.stringify({ ...secrets, fromConfig: [...secrets.fromConfig, "STRIPE_API_KEY"], rotated: { STRIPE_API_KEY: { rotation: "2026-11" } } }),
        "paved:api": JSON.stringify({ ...api, secretEnv: ["STRIPE_API_KEY"] }),
        "paved:web": JSON.stringify({ ...web, secretEnv: ["STRIPE_API_KEY"] }),
      },
    };
    const { planStack } = await import("../../scripts/lib/plan");
    plan = await planStack(src);
  });

  it("hands the markers to its resources", () => {
    const holding = (marker: string) => plan.resources.filter((r) => JSON.stringify(r.inputs).includes(marker)).length;
    expect(holding(KEY)).toBeGreaterThan(0);
    expect(holding(`fm2_${PLAIN}`)).toBeGreaterThan(0);
    expect(holding(`B0/${PLAIN}`)).toBeGreaterThan(0);
  });

  it("never shows them in its text, its JSON snapshot or its SARIF", () => {
    const { config, resources, outputs } = plan;
    const policy = checkPolicies(resources, config.kind);
    // What `npm run plan` prints, part by part (scripts/plan.ts).
    const text = [
      renderTree(resources), renderCounts(resources), ...renderBranchProtection(resources, config.github?.codeOwners ?? false),
      renderRotation(rotationStatus(config.secrets, new Date(), config.database)), renderAlerts(config.monitors), renderBackups(config) ?? "",
      ...Object.entries(outputs).map(([key, value]) => `${key}: ${display(mask(value))}`), renderPolicy(policy),
    ].join("\n");
    const json = stableJson(toSnapshot(src.project, src.stack, resources, policy));
    const sarif = JSON.stringify(toSarif(policy.violations, { toolVersion: "0.1.0", stackConfigFile: "Pulumi.production.yaml" }), null, 2);
    expect(text).toContain("STRIPE_API_KEY");
    for (const output of [text, json, sarif]) expect(output.split("\n").filter(leaks)).toEqual([]);
  });

  it("never shows them in the pull-request comment, where every input of a new resource is listed", () => {
    const { config, resources } = plan;
    const head = JSON.parse(stableJson(toSnapshot(src.project, src.stack, resources, checkPolicies(resources, config.kind, config)))) as Snapshot;
    const comment = renderComment(toSnapshot(src.project, src.stack, []), head);
    expect(comment).toContain("production-api-secrets");
    expect(comment.split("\n").filter(leaks)).toEqual([]);
  });
});

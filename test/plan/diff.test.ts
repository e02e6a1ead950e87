/** The pull-request diff of two snapshots: plain changes in clear, secret ones as changed, never their values. */
import { describe, expect, it } from "vitest";
import { renderDiff } from "../../scripts/lib/diff";
import type { Snapshot, SnapshotResource } from "../../scripts/lib/snapshot";
import { secretVersion } from "../../scripts/lib/stack-file";

const SERVICE = "urn:pulumi:production::paved::paved:environment:Environment$paved:api:ApiApp$paved:render:Service::production-api-service";

function service(envVars: Record<string, string>): SnapshotResource {
  return {
    urn: SERVICE, type: "paved:render:Service", name: "production-api-service", parent: null,
    inputs: { envVars }, protect: false, retainOnDelete: false, dependencies: [], provider: null,
  };
}

function snapshot(envVars: Record<string, string>, secrets?: Record<string, string>): Snapshot {
  return { stack: "production", project: "paved", resources: [service(envVars)], ...(secrets ? { secrets } : {}) };
}

// Ciphertexts as `pulumi config set --secret` writes them: the same key set twice.
const BEFORE = { secure: "v1:bm9uY2UtMQ==:Q0lQSEVSVEVYVC1vbmU=" };
const AFTER = { secure: "v1:bm9uY2UtMg==:Q0lQSEVSVEVYVC10d28=" };
const SLACK = { secure: "v1:bm9uY2UtMw==:Q0lQSEVSVEVYVC1zbGFjaw==" };
const FOOTER = "<sub>Secret values are shown as `[secret]`, and a secret set again in the stack file as changed, never its value; values computed at deploy time as `[unknown]`.</sub>";

/** The whole comment for one changed service and the stack file's secret rows. */
function expected(change: string, secretRows: string[]): string {
  return [
    "### paved plan: stack `production`",
    "",
    "**0 to add · 0 to remove · 1 to change · 0 unchanged**",
    "",
    "| | resource | type | what changes |",
    "|---|---|---|---|",
    `| ~ | \`production-api-service\` | \`paved:render:Service\` | ${change} |`,
    "",
    "| | secret in the stack file | what changes |",
    "|---|---|---|",
    ...secretRows,
    "",
    FOOTER,
    "",
  ].join("\n");
}

describe("renderDiff", () => {
  it("shows a changed plain value in clear and a secret set again as changed, with neither secret's value", () => {
    const base = snapshot({ JWT_SECRET: "[secret]", LOG_LEVEL: "debug" }, { "paved:RESEND_API_KEY": secretVersion(BEFORE), "paved:SLACK_WEBHOOK_URL": secretVersion(SLACK) });
    const head = snapshot({ JWT_SECRET: "[secret]", LOG_LEVEL: "info" }, { "paved:RESEND_API_KEY": secretVersion(AFTER), "paved:SLACK_WEBHOOK_URL": secretVersion(SLACK) });
    const markdown = renderDiff(base, head);
    expect(markdown).toBe(expected('`envVars.LOG_LEVEL`: `"debug"` → `"info"`', ["| ~ | `paved:RESEND_API_KEY` | changed (secret) |"]));
    for (const stored of [BEFORE, AFTER]) {
      expect(markdown).not.toContain(stored.secure);
      expect(markdown).not.toContain(secretVersion(stored));
    }
  });

  it("reports a secret the stack file gains or loses, and one that moved from plain to masked", () => {
    const base = snapshot({ API_KEY: "k-plain-1" }, { "paved:SLACK_WEBHOOK_URL": secretVersion(SLACK) });
    const head = snapshot({ API_KEY: "[secret]" }, { "paved:RESEND_API_KEY": secretVersion(AFTER) });
    expect(renderDiff(base, head)).toBe(expected('`envVars.API_KEY`: `"k-plain-1"` → `[secret]`', [
      "| + | `paved:RESEND_API_KEY` | new (secret) |",
      "| − | `paved:SLACK_WEBHOOK_URL` | removed (secret) |",
    ]));
  });

  it("finds no difference when the same ciphertext is planned twice, or in snapshots written before secrets were recorded", () => {
    const versions = { "paved:RESEND_API_KEY": secretVersion(BEFORE) };
    const none = "### paved plan: stack `production`\n\n**0 to add · 0 to remove · 0 to change · 1 unchanged**\n\nNo differences.\n";
    expect(renderDiff(snapshot({ A: "[secret]" }, versions), snapshot({ A: "[secret]" }, { ...versions }))).toBe(none);
    expect(renderDiff(snapshot({ A: "[secret]" }), snapshot({ A: "[secret]" }))).toBe(none);
  });

  it("fingerprints a stored secret stably, differently for each ciphertext", () => {
    expect(secretVersion(BEFORE)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretVersion({ ...BEFORE })).toBe(secretVersion(BEFORE));
    expect(secretVersion(AFTER)).not.toBe(secretVersion(BEFORE));
  });
});

/** The guard's pure judgements: what a value is, what a CIDR list admits, when a cron runs. */
import { describe, expect, it } from "vitest";
import { credentialKind } from "../../components/credentials";
import { addressesCovered } from "../../stacks/addresses";
import { impliedKind, longestGapDays, pinnedVersion } from "../../stacks/guard";

describe("credentialKind", () => {
  it.each([
    ["sk_live_51Hx9aQ2eZvKYlo2CabcdEFGH", "a Stripe secret or restricted key"],
    ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "a GitHub token"],
    ["xoxb-123456789012-abcdefghijkl", "a Slack token"],
    ["https://hooks.slack.com/services/T0123/B0456/abcdefghijklmnop", "a Slack incoming-webhook URL"],
    ["AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
    ["postgres://app:pw@db.example.net/app", "a connection string with a password"],
    ["redis://default:pw@cache:6379", "a connection string with a password"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"],
    ["q8Z2vN7rT4xLp9Wm3Kc6Yb1Hf5Dj0Gs8Ua2Ee7Ri", "a long random string (a key or password, by its entropy)"],
  ])("knows %s", (value, kind) => {
    expect(credentialKind(value)).toBe(kind);
  });

  it.each([
    "5f0c8a1e2b3d4c5e6f708192a3b4c5d6", // a Cloudflare zone id
    "ghcr.io/lifeos/lifeos-api@sha256:4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0",
    "postgres://db.example.net:5432/app", // no password
    "https://api.planningos.com/health",
    "pk_live_51Hx9aQ2eZvKYlo2C", // publishable by design
    "npm ci && npm run build",
    "v1:Qk3mZ8rT2vLxN6pA:9dFh2Jk4Lm6Np8Qr0St2Uv4Wx6Yz8Ab0Cd2Ef4Gh6Ij8Kl0Mn2Op4Qr6=", // a secure: ciphertext
    "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
  ])("leaves %s alone", (value) => {
    expect(credentialKind(value)).toBeUndefined();
  });
});

describe("addressesCovered", () => {
  it.each([
    [["0.0.0.0/1", "128.0.0.0/1"], 2 ** 32],
    [["203.0.113.0/24", "203.0.113.7/32"], 256],
    [["10.0.0.0/16", "10.0.1.0/24", "10.1.0.0/16"], 131_072],
    [["203.0.113.77/24"], 256], // a host address with a prefix admits its whole block
  ])("counts %j as %d addresses", (cidrs, n) => {
    expect(addressesCovered(cidrs)).toBe(n);
  });
});

describe("longestGapDays", () => {
  it.each([
    ["@daily", 1], ["@hourly", 1], ["0 3 * * *", 1], ["*/30 * * * *", 1],
    ["@weekly", 7], ["0 3 * * 1-5", 3], ["0 0 1 * *", 31], ["0 0 31 2 *", Infinity], ["0 0 30 2 *", Infinity],
    ["0 0 29 2 *", 731], // once in the two years judged (2028 is a leap year)
    ["0 0 13 * 5", 7], // cron's rule: day of month or day of week
  ])("%s leaves at most %d days between runs", (schedule, gap) => {
    expect(longestGapDays(schedule)).toBe(gap);
  });

  it.each(["61 * * * *", "0 25 * * *", "0 0 * 13 *", "0 0 * * MON", "0 0 5-1 * *"])("refuses %s", (schedule) => {
    expect(longestGapDays(schedule)).toBeUndefined();
  });
});

describe("pinnedVersion", () => {
  it.each([["postgres:17", true], ["postgres:17.2-alpine", true], ["ghcr.io/x/y@sha256:" + "a".repeat(64), true], ["localhost:5000/redis:7", true],
    ["postgres", false], ["postgres:latest", false], ["redis:alpine", false], ["localhost:5000/redis", false]])("%s: %s", (image, pinned) => {
    expect(pinnedVersion(image)).toBe(pinned);
  });
});

describe("impliedKind", () => {
  it.each([["production", "production"], ["prod", "production"], ["acme-production", "production"], ["prod-eu", "production"],
    ["staging", "staging"], ["flightpro-staging", "staging"], ["pr-42", "preview"], ["acme-pr-7", "preview"], ["local", "local"],
    ["dev", "local"], ["sandbox", undefined], ["productive", undefined]])("%s: %s", (stack, kind) => {
    expect(impliedKind(stack)).toBe(kind);
  });
});

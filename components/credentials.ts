/**
 * What a credential looks like, judged by its value rather than the name it sits under: a
 * stack file is public to everyone who reads the repository, so a live key typed into any
 * plain field is leaked whatever the field is called. Used to refuse such values at config
 * and to keep them out of every message paved prints.
 */

/** Known token formats, each with the service it belongs to. */
const FORMATS: readonly { what: string; pattern: RegExp }[] = [
  { what: "a Stripe secret or restricted key", pattern: /\b[sr]k_(live|test)_[A-Za-z0-9]{10,}/ },
  { what: "a Stripe webhook signing secret", pattern: /\bwhsec_[A-Za-z0-9]{16,}/ },
  { what: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})/ },
  { what: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: "a Slack incoming-webhook URL", pattern: /hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9/_-]{8,}/ },
  { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: "a private key", pattern: /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/ },
  { what: "a connection string with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i },
  { what: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: "a Sentry auth token", pattern: /\bsntry[su]_[A-Za-z0-9+/=_-]{20,}/ },
  { what: "a Vercel token", pattern: /\bvc[pkia]_[A-Za-z0-9]{20,}/ },
  { what: "a Neon API key", pattern: /\bnapi_[a-z0-9]{40,}/ },
  { what: "a Render API key", pattern: /\brnd_[A-Za-z0-9]{20,}/ },
  { what: "a Fly.io token", pattern: /\bFlyV1 fm\d_[A-Za-z0-9+/=_-]{20,}/ },
  { what: "a Grafana service-account token", pattern: /\bglsa_[A-Za-z0-9_]{32,}/ },
  { what: "a Checkly API key", pattern: /\bcu_[a-f0-9]{32,}/ },
  { what: "an npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: "an OpenAI or Anthropic key", pattern: /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{32,}/ },
];

/** Shapes that are long and random-looking but public by nature: digests, ids, URLs without credentials. */
const PUBLIC_SHAPES: readonly RegExp[] = [
  /^[0-9a-f]{32}$/, // Cloudflare zone and account ids
  /^[0-9a-f]{40}$/, // git commit ids
  /@sha256:[0-9a-f]{64}$/, // image digests
  /^(sha256:)?[0-9a-f]{64}$/,
  /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/, // ciphertext of a `secure:` value, already public
  /^[a-z][a-z0-9+.-]*:\/\/[^\s@]+$/i, // a URL with no userinfo
];

const RANDOM = "a long random string (a key or password, by its entropy)";

/** The kind of credential a value looks like, or undefined; never returns the value. */
export function credentialKind(value: string): string | undefined {
  for (const { what, pattern } of FORMATS) if (pattern.test(value)) return what;
  if (looksRandom(value)) return RANDOM;
  return undefined;
}

/**
 * The text with each credential-shaped part replaced by what it looks like, the rest as it was:
 * for text paved copies from elsewhere, such as an engine diagnostic quoting a connection string.
 */
export function redactCredentials(text: string): string {
  let out = text;
  for (const { what, pattern } of FORMATS) {
    // A connection string keeps its scheme and host, which say where it failed.
    out = out.replace(new RegExp(pattern.source, `${pattern.flags}g`), (match) =>
      /^[a-z][a-z0-9+.-]*:\/\/.*@$/i.test(match) ? match.replace(/\/\/.*@$/, "//[not shown: user and password]@") : `[not shown: ${what}]`);
  }
  return out.replace(/[^\s"'`=,;()<>[\]{}]{32,}/g, (token) => (looksRandom(token) ? `[not shown: ${RANDOM}]` : token));
}

/**
 * A single token of 32+ characters mixing letters and digits with high per-character entropy:
 * how API keys and generated passwords look, and how names, paths and commands do not.
 */
function looksRandom(value: string): boolean {
  const text = value.trim();
  if (text.length < 32 || /\s/.test(text) || PUBLIC_SHAPES.some((shape) => shape.test(text))) return false;
  if (!/[a-z]/.test(text) || !/[A-Z]/.test(text) || !/\d/.test(text)) return false;
  return entropyBits(text) >= 4.2;
}

/** Shannon entropy per character, in bits. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** Every string inside a parsed config value, with the path that leads to it. */
export function* strings(value: unknown, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/** Replaces every secret (token, env-var value) that appears in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    // Very short values would blank out ordinary words; no credential is that short.
    if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  }
  return out;
}

/** How many lines of a failed run's output an error shows: a migration's error, not its whole run. */
export const LAST_LINES = 20;

/** The last non-empty lines of a run's output, the given secret values and anything credential-shaped masked. */
export function lastLines(output: readonly string[], secrets: readonly string[] = []): string[] {
  return output.flatMap((l) => l.split(/\r?\n/)).filter((l) => l.trim() !== "").slice(-LAST_LINES)
    .map((l) => redactCredentials(redact(l, secrets)));
}

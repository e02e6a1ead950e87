import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ENV_TYPES, T, envOf, forTypes, list } from "./util";
import { PUBLIC_ENV_PREFIXES } from "../components/environment-config";
import { entropyBits } from "../components/credentials";

/** Values that ship in templates and tutorials; a secret equal to one is no secret. */
export const KNOWN_DEFAULT_SECRETS = [
  "dev-secret", "changeme", "change-me", "secret", "jwt-secret", "jwtsecret", "password",
  "supersecret", "super-secret", "your-secret-key", "your-jwt-secret", "test", "default", "example",
];

/**
 * Words that mark a placeholder from a template or tutorial, compared with separators and case
 * removed: `your-super-secret-jwt-key-change-me-in-production` holds several. Each is long
 * enough that a random value of any length practically never contains one.
 */
export const PLACEHOLDER_PHRASES = [
  "changeme", "changethis", "replaceme", "secretkey", "yoursecret", "supersecret", "mysecret", "jwtsecret",
  "example", "password", "passw0rd", "placeholder", "notasecret", "insecure", "donotuse", "dontuse",
  "inproduction", "default", "sample", "qwerty", "letmein", "12345678",
];

/** The names an API reads its JWT signing secret by (FastAPI templates name it JWT_SECRET_KEY). */
export const JWT_NAMES = ["JWT_SECRET", "JWT_SECRET_KEY"] as const;
const jwtDefault = (name: string) => `Replace ${name}: it is a well-known default value.`;
const jwtPhrase = (name: string) => `Replace ${name} with a random value: it reads as a phrase or a repeated pattern; generate it with random.RandomPassword.`;
const jwtLowEntropy = (name: string) => `Replace ${name} with a random value: it uses too few distinct characters; generate it with random.RandomPassword.`;
export const JWT_DEFAULT = jwtDefault("JWT_SECRET");
export const JWT_PHRASE = jwtPhrase("JWT_SECRET");
export const JWT_LOW_ENTROPY = jwtLowEntropy("JWT_SECRET");

export const jwtSecretStrength: ResourceValidationPolicy = {
  name: "jwt-secret-strength",
  description: "JWT_SECRET (or JWT_SECRET_KEY) is at least `minLength` characters, carries at least `minEntropyBits` bits of Shannon entropy per character, and is no well-known default, tutorial phrase or repeated pattern.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minLength: { type: "integer", minimum: 16, default: 32 },
      minEntropyBits: { type: "number", minimum: 0, maximum: 6, default: 3 },
    },
  },
  validateResource: forTypes(ENV_TYPES, (props, args, report) => {
    const env = envOf(args.type, props);
    const { minLength, minEntropyBits } = args.getConfig<{ minLength: number; minEntropyBits: number }>();
    for (const name of JWT_NAMES) {
      const secret = env?.[name];
      if (secret === undefined) continue;
      const value = typeof secret === "string" ? secret.trim() : "";
      if (isKnownDefault(value)) report(jwtDefault(name));
      else if (readsAsPhrase(value)) report(jwtPhrase(name));
      else {
        if (value.length < minLength) report(`Set ${name} to at least ${minLength} characters; generate it with random.RandomPassword.`);
        // Random hex (at most 4 bits a character) and base64 clear 3 bits with room; "aaaa…ab" does not.
        if (value.length > 0 && entropyBits(value) < minEntropyBits) report(jwtLowEntropy(name));
      }
    }
  }),
};

function isKnownDefault(secret: string): boolean {
  return KNOWN_DEFAULT_SECRETS.includes(secret.toLowerCase());
}

/** A tutorial's placeholder, or a short pattern repeated (`secretsecret…`, `abcabc…`, `xxxx…`). */
function readsAsPhrase(secret: string): boolean {
  const text = secret.toLowerCase();
  const letters = text.replace(/[^a-z0-9]/g, "");
  return PLACEHOLDER_PHRASES.some((phrase) => letters.includes(phrase)) || repeatsPattern(text);
}

/** Whether the text is one unit of up to 16 characters, said again and again (a cut-off last copy allowed). */
function repeatsPattern(text: string): boolean {
  for (let unit = 1; unit <= 16 && unit * 2 <= text.length; unit++) {
    let repeats = true;
    for (let i = unit; i < text.length && repeats; i++) repeats = text[i] === text[i - unit];
    if (repeats) return true;
  }
  return false;
}

const SECRET_KEY = /(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY|DATABASE_URL|CREDENTIALS)/i;

export const noSecretInPlainEnv: ResourceValidationPolicy = {
  name: "no-secret-in-plain-env",
  description: "Secret-named variables of a Fly machine go through `fly secrets`, not the machine's plain env.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.flyMachine], (props, args, report) => {
    const env = envOf(args.type, props) ?? {};
    if (Object.keys(env).some((key) => SECRET_KEY.test(key))) {
      report("Move secret-named variables from the machine's env into fly Secrets.");
    }
  }),
};

export const vercelEnvSensitive: ResourceValidationPolicy = {
  name: "vercel-env-sensitive",
  description: "Vercel env vars that reach production or preview deployments are marked sensitive, except public build-time prefixes.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      publicPrefixes: { type: "array", items: { type: "string" }, default: [...PUBLIC_ENV_PREFIXES] },
    },
  },
  validateResource: forTypes([T.vercelEnv], (props, args, report) => {
    const { publicPrefixes } = args.getConfig<{ publicPrefixes: string[] }>();
    const key = typeof props.key === "string" ? props.key : "";
    if (publicPrefixes.some((prefix) => key.startsWith(prefix))) return;
    const targets = list(props.targets);
    const deployed = targets.includes("production") || targets.includes("preview") || list(props.customEnvironmentIds).length > 0;
    if (deployed && props.sensitive !== true) {
      report("Mark the variable sensitive: it reaches production or preview deployments.");
    }
  }),
};

export const noPlaintextActionsSecret: ResourceValidationPolicy = {
  name: "no-plaintext-actions-secret",
  description: "GitHub Actions secrets are set through `value`, never the deprecated `plaintextValue` / `encryptedValue` (CKV_GIT_4, AVD-GIT-0002).",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.actionsEnvSecret, T.actionsSecret], (props, _args, report) => {
    if (props.plaintextValue !== undefined) report("Set the Actions secret through `value` instead of `plaintextValue`.");
    if (props.encryptedValue !== undefined) report("Set the Actions secret through `value` instead of `encryptedValue`.");
  }),
};

export const noSecretInActionsVariable: ResourceValidationPolicy = {
  name: "no-secret-in-actions-variable",
  description: "GitHub Actions variables, which anyone with read access sees, never hold secret-named values.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.actionsEnvVariable, T.actionsVariable], (props, _args, report) => {
    if (SECRET_KEY.test(String(props.variableName ?? ""))) report("Store the value as an Actions secret, not a variable.");
  }),
};

export const randomPasswordLength: ResourceValidationPolicy = {
  name: "random-password-length",
  description: "Generated passwords and keys are at least `minLength` characters.",
  enforcementLevel: "advisory",
  configSchema: { properties: { minLength: { type: "integer", minimum: 8, default: 24 } } },
  validateResource: forTypes([T.randomPassword], (props, args, report) => {
    const { minLength } = args.getConfig<{ minLength: number }>();
    if (typeof props.length !== "number" || props.length < minLength) {
      report(`Generate at least ${minLength} characters.`);
    }
  }),
};

export const secretsPolicies = [jwtSecretStrength, noSecretInPlainEnv, vercelEnvSensitive, noPlaintextActionsSecret,
  noSecretInActionsVariable, randomPasswordLength];

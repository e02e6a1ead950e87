import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ENV_TYPES, T, envOf, forTypes, list } from "./util";
import { PUBLIC_ENV_PREFIXES } from "../components/environment-config";

/** Values that ship in templates and tutorials; a secret equal to one is no secret. */
export const KNOWN_DEFAULT_SECRETS = [
  "dev-secret", "changeme", "change-me", "secret", "jwt-secret", "jwtsecret", "password",
  "supersecret", "super-secret", "your-secret-key", "your-jwt-secret", "test", "default", "example",
];

export const jwtSecretStrength: ResourceValidationPolicy = {
  name: "jwt-secret-strength",
  description: "JWT_SECRET is at least `minLength` characters and not a well-known default.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minLength: { type: "integer", minimum: 16, default: 32 } } },
  validateResource: forTypes(ENV_TYPES, (props, args, report) => {
    const secret = envOf(args.type, props)?.JWT_SECRET;
    if (secret === undefined) return;
    const { minLength } = args.getConfig<{ minLength: number }>();
    if (typeof secret === "string" && isKnownDefault(secret)) {
      report("Replace JWT_SECRET: it is a well-known default value.");
    } else if (typeof secret !== "string" || secret.length < minLength) {
      report(`Set JWT_SECRET to at least ${minLength} characters; generate it with random.RandomPassword.`);
    }
  }),
};

function isKnownDefault(secret: string): boolean {
  const value = secret.trim().toLowerCase();
  // A long run of one character (e.g. "xxxx…") passes any length check and is just as guessable.
  return KNOWN_DEFAULT_SECRETS.includes(value) || /^(.)\1*$/.test(value);
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

import type {
  PolicyResource, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";

/** Type tokens of the resources paved's program produces, as the engine reports them. */
export const T = {
  dnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
  legacyRecord: "cloudflare:index/record:Record",
  zoneSetting: "cloudflare:index/zoneSetting:ZoneSetting",
  zoneDnssec: "cloudflare:index/zoneDnssec:ZoneDnssec",
  ruleset: "cloudflare:index/ruleset:Ruleset",
  healthcheck: "cloudflare:index/healthcheck:Healthcheck",
  notificationPolicy: "cloudflare:index/notificationPolicy:NotificationPolicy",
  checklyCheck: "checkly:index/check:Check",
  sentryMetricAlert: "sentry:index/sentryMetricAlert:SentryMetricAlert",
  sentryProject: "sentry:index/sentryProject:SentryProject",
  grafanaRuleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  vercelProject: "vercel:index/project:Project",
  vercelEnv: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  branchProtection: "github:index/branchProtection:BranchProtection",
  repositoryRuleset: "github:index/repositoryRuleset:RepositoryRuleset",
  repositoryEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  actionsEnvSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  actionsSecret: "github:index/actionsSecret:ActionsSecret",
  actionsEnvVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
  actionsVariable: "github:index/actionsVariable:ActionsVariable",
  repository: "github:index/repository:Repository",
  repositoryVulnerabilityAlerts: "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts",
  randomPassword: "random:index/randomPassword:RandomPassword",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
  flyMachine: "paved:fly:Machine",
  flySecrets: "paved:fly:Secrets",
  renderService: "paved:render:Service",
  renderPostgres: "paved:render:Postgres",
  renderKeyValue: "paved:render:KeyValue",
  railwayService: "paved:railway:Service",
  railwayServiceDomain: "paved:railway:ServiceDomain",
  railwayCustomDomain: "paved:railway:CustomDomain",
  flyApp: "paved:fly:App",
  flyCertificate: "paved:fly:Certificate",
  flyIpAddress: "paved:fly:IpAddress",
  vercelProjectDomain: "vercel:index/projectDomain:ProjectDomain",
  railwayVolume: "paved:railway:Volume",
  neonProject: "paved:neon:Project",
  neonBranch: "paved:neon:Branch",
  bareDynamic: "pulumi-nodejs:dynamic:Resource",
} as const;

/** An image of Redis or its fork Valkey, by any registry, tag or digest. */
export const REDIS_IMAGE = /(^|\/)(redis|valkey)([:@]|$)/;

/** A Railway service that runs Redis, told by its start command: known in a plan, where an API's built or promoted image is not. */
export const startsRedis = (props: Props): boolean => /\bredis-server\b/.test(String(props.startCommand ?? ""));

/** Props as policies read them: any shape, since values come from the engine untyped. */
export type Props = Record<string, unknown>;

/** A resource validation that runs only for the given type tokens. */
export function forTypes(
  types: readonly string[],
  validate: (props: Props, args: ResourceValidationArgs, report: (message: string) => void) => void,
): ResourceValidation {
  return (args, reportViolation) => {
    if (!types.includes(args.type)) return;
    validate(args.props, args, reportViolation);
  };
}

export function obj(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The first element of a nested block that the GitHub provider models as a one-item list. */
export function block(value: unknown): Props | undefined {
  return Array.isArray(value) ? obj(value[0]) : obj(value);
}

/** Reads the first present of several spellings of a key (snake_case from the API, camelCase from SDK examples). */
export function pick(o: Props | undefined, ...keys: string[]): unknown {
  if (!o) return undefined;
  for (const key of keys) if (o[key] !== undefined) return o[key];
  return undefined;
}

/** The API environment variables a resource carries, whichever host holds them. */
export function envOf(type: string, props: Props): Props | undefined {
  switch (type) {
    case T.flyMachine:
      return obj(obj(props.config)?.env);
    case T.flySecrets:
      return obj(props.values);
    case T.renderService:
      return envPairs(props.envVars);
    case T.container:
      return envPairs(props.envs);
    case T.railwayService:
      return obj(props.variables);
    case T.vercelEnv: {
      // Read on use: a policy after other names leaves a value unknown in a preview (a DSN made at deploy) unread.
      const key = props.key;
      return typeof key === "string" ? { get [key]() { return props.value; } } : undefined;
    }
    default:
      return undefined;
  }
}

export const ENV_TYPES = [T.flyMachine, T.flySecrets, T.renderService, T.container, T.vercelEnv, T.railwayService];

/**
 * Hands `judge` each variable of `env` whose name `wanted` accepts, reading no other value. A
 * value a preview does not know yet is thrown only after the rest were judged: the policy reports
 * what it could see, then that the remainder waits for deploy.
 */
export function eachEnvValue(env: Props, wanted: (key: string) => boolean, judge: (key: string, value: unknown) => void): void {
  let unknown: unknown;
  for (const key of Object.keys(env)) {
    if (!wanted(key)) continue;
    let value: unknown;
    try {
      value = env[key];
    } catch (e) {
      unknown ??= e;
      continue;
    }
    if (value !== undefined) judge(key, value);
  }
  if (unknown !== undefined) throw unknown;
}

/** `report`, once per message: several variables with one fault make one finding. */
export function reportOnce(report: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    report(message);
  };
}

/** `["K=V"]` (docker), `[{key, value}]` (Render's API) or `{K: V}` into one map. */
/**
 * Reads what a preview may not know yet, where not knowing it must not end the whole policy: the
 * preview's proxy throws on reading an unknown value.
 */
export function whenKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * A Docker container's `KEY=VALUE` list, or a Render service's pairs. An entry unknown in a
 * preview (a secret built from a generated value) has no key to file it under: it is left out,
 * and the policy checks it at deploy, when every value is known.
 */
function envPairs(value: unknown): Props | undefined {
  if (!Array.isArray(value)) return obj(value);
  const env: Props = {};
  for (let i = 0; i < value.length; i++) {
    const item = whenKnown(() => value[i] as unknown);
    if (item === undefined) continue;
    if (typeof item === "string") {
      const at = item.indexOf("=");
      if (at > 0) env[item.slice(0, at)] = item.slice(at + 1);
    } else {
      const pair = obj(item);
      if (pair && typeof pair.key === "string") env[pair.key] = pair.value;
    }
  }
  return env;
}

interface ConfigSource {
  getConfig<T extends object>(): T;
}

function configWithDefaults<T extends object>(this: ConfigSource, defaults: Props): T {
  return { ...structuredClone(defaults), ...this.getConfig<T>() } as T;
}

/**
 * The policy with `getConfig()` filled from its schema's defaults under whatever config the
 * engine sent: the pack's server returns `{}` for a policy that got no config, which would
 * leave every threshold undefined and every numeric check silently passing.
 */
export function withConfigDefaults<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P): P {
  const defaults: Props = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) defaults[key] = schema.default;
  }
  // Bound, not a new closure: this runs once per resource and policy.
  const merged = <A extends ConfigSource>(args: A): A => ({ ...args, getConfig: configWithDefaults.bind(args, defaults) });
  if ("validateStack" in policy) {
    const validate = policy.validateStack;
    return { ...policy, validateStack: (args, report) => validate(merged(args), report) };
  }
  const validations = [policy.validateResource ?? []].flat();
  return { ...policy, validateResource: validations.map((v): ResourceValidation => (args, report) => v(merged(args), report)) };
}

/** Whether `resource` reads from `dep`: its URN among the dependencies the program declared (ids are unknown in a preview). */
export function readsFrom(resource: PolicyResource, dep: PolicyResource): boolean {
  return [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()].some((d) => d.urn === dep.urn);
}

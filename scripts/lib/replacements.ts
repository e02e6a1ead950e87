/**
 * Inputs whose change makes the provider replace a resource (delete and create) rather than
 * update it. The offline plan has no provider to ask, so the comment reads them from here;
 * the dynamic providers' entries are the replace lists their `diff` returns.
 */
const REPLACE_ON: Record<string, readonly string[] | "*"> = {
  // Every input of a random resource is a keeper: any change is a new value.
  "random:index/randomPassword:RandomPassword": "*",
  "random:index/randomString:RandomString": "*",
  "paved:neon:Project": ["regionId", "pgVersion", "orgId"],
  "paved:neon:Branch": ["projectId", "parentId"],
  // A role is renamed by replacing it; a database is renamed in place.
  "paved:neon:Role": ["projectId", "branchId", "name"],
  "paved:neon:Database": ["projectId", "branchId"],
  "paved:render:Postgres": ["ownerId", "version", "region", "databaseName", "databaseUser"],
  "paved:render:Service": ["ownerId", "region"],
  "paved:render:KeyValue": ["ownerId", "region"],
  "paved:railway:Project": ["workspaceId", "defaultEnvironmentName"],
  "paved:railway:Environment": ["projectId"],
  "paved:railway:Service": ["projectId", "environmentId"],
  "paved:railway:ServiceDomain": ["projectId", "environmentId", "serviceId", "targetPort"],
  "paved:railway:CustomDomain": ["projectId", "environmentId", "serviceId", "domain", "targetPort"],
  "paved:railway:Volume": ["projectId", "environmentId", "region"],
  "paved:fly:App": ["name", "orgSlug", "network"],
  "paved:fly:Secrets": ["app"],
  "paved:fly:Machine": ["app", "name", "region"],
  // A migration is a run, not an object: any change runs it again in a new machine.
  "paved:fly:Migration": "*",
  "paved:fly:Certificate": ["app", "hostname"],
  "paved:fly:IpAddress": ["app", "type", "region"],
  "cloudflare:index/dnsRecord:DnsRecord": ["zoneId"],
  "cloudflare:index/ruleset:Ruleset": ["zoneId", "accountId", "kind", "phase"],
  "vercel:index/project:Project": ["teamId"],
  "docker:index/container:Container": ["name", "image", "envs", "labels", "ports", "volumes", "networksAdvanced", "command", "entrypoint"],
  "docker:index/volume:Volume": "*",
};

/** The changed input paths (`a.b.c`) that force `type` to be replaced, in order. */
export function replaceReasons(type: string, paths: readonly string[]): string[] {
  const keys = REPLACE_ON[type];
  if (!keys) return [];
  return paths.filter((p) => !p.startsWith("(option)") && (keys === "*" || keys.includes(p.split(".")[0])));
}

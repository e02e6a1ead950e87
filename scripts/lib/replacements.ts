/**
 * Inputs whose change makes the provider replace a resource (delete and create) rather than
 * update it. The offline plan has no provider to ask, so the comment reads them from here;
 * the dynamic providers' entries are the replace lists their `diff` returns.
 */
const REPLACE_ON: Record<string, readonly string[] | "*"> = {
  // Every input of a random resource is a keeper: any change is a new value.
  "random:index/randomPassword:RandomPassword": "*",
  "random:index/randomString:RandomString": "*",
  "pulumi-nodejs:dynamic/neon:Project": ["regionId", "pgVersion", "orgId"],
  "pulumi-nodejs:dynamic/neon:Branch": ["projectId", "parentId"],
  // A role is renamed by replacing it; a database is renamed in place.
  "pulumi-nodejs:dynamic/neon:Role": ["projectId", "branchId", "name"],
  "pulumi-nodejs:dynamic/neon:Database": ["projectId", "branchId"],
  "pulumi-nodejs:dynamic/render:Postgres": ["ownerId", "version", "region", "databaseName", "databaseUser"],
  "pulumi-nodejs:dynamic/render:Service": ["ownerId", "region"],
  "pulumi-nodejs:dynamic/render:KeyValue": ["ownerId", "region"],
  "pulumi-nodejs:dynamic/railway:Project": ["workspaceId", "defaultEnvironmentName"],
  "pulumi-nodejs:dynamic/railway:Environment": ["projectId"],
  "pulumi-nodejs:dynamic/railway:Service": ["projectId", "environmentId"],
  "pulumi-nodejs:dynamic/railway:ServiceDomain": ["projectId", "environmentId", "serviceId", "targetPort"],
  "pulumi-nodejs:dynamic/railway:CustomDomain": ["projectId", "environmentId", "serviceId", "domain", "targetPort"],
  "pulumi-nodejs:dynamic/railway:Volume": ["projectId", "environmentId", "region"],
  "pulumi-nodejs:dynamic/fly:App": ["name", "orgSlug", "network"],
  "pulumi-nodejs:dynamic/fly:Secrets": ["app"],
  "pulumi-nodejs:dynamic/fly:Machine": ["app", "name", "region"],
  "pulumi-nodejs:dynamic/fly:Certificate": ["app", "hostname"],
  "pulumi-nodejs:dynamic/fly:IpAddress": ["app", "type", "region"],
  "cloudflare:index/dnsRecord:DnsRecord": ["zoneId"],
  "cloudflare:index/ruleset:Ruleset": ["zoneId", "accountId", "kind", "phase"],
  "vercel:index/project:Project": ["teamId"],
  "docker:index/container:Container": ["name", "image", "envs", "ports", "volumes", "networksAdvanced", "command", "entrypoint"],
  "docker:index/volume:Volume": "*",
};

/** The changed input paths (`a.b.c`) that force `type` to be replaced, in order. */
export function replaceReasons(type: string, paths: readonly string[]): string[] {
  const keys = REPLACE_ON[type];
  if (!keys) return [];
  return paths.filter((p) => !p.startsWith("(option)") && (keys === "*" || keys.includes(p.split(".")[0])));
}

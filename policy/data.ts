import { addressesCovered, MAX_ALLOWED_ADDRESSES } from "../stacks/addresses";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { type Props, REDIS_IMAGE, T, envOf, forTypes, list, obj, readsFrom, startsRedis } from "./util";

const DAY = 86_400;
/** Neon keeps one day of history when a project doesn't say. */
const NEON_DEFAULT_RETENTION = DAY;

/** The checklist's recovery point objective: at most an hour of writes lost. */
const MAX_ARCHIVE_TIMEOUT_SECONDS = 3600;
const POSTGRES_IMAGE = /(^|\/)(postgres|postgis)([:@]|$)/;

export const databaseRetention: ResourceValidationPolicy = {
  name: "database-retention",
  description: "Databases keep point-in-time history for at least `minRetentionDays` (production 7); a Docker Postgres archives its WAL at least hourly.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minRetentionDays: { type: "number", minimum: 0, default: 7 } } },
  validateResource: forTypes([T.neonProject, T.renderPostgres, T.container], (props, args, report) => {
    const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
    if (args.type === T.container) {
      if (minRetentionDays > 0 && POSTGRES_IMAGE.test(String(props.image ?? ""))) checkDockerPostgres(props, minRetentionDays, report);
      return;
    }
    if (args.type === T.renderPostgres) {
      // Render's free plan has no backups at all; every paid plan has point-in-time recovery.
      if (minRetentionDays > 0 && (props.plan === undefined || props.plan === "free")) {
        report("Use a paid Render Postgres plan: the free plan has no point-in-time recovery.");
      }
      return;
    }
    const seconds = props.historyRetentionSeconds ?? NEON_DEFAULT_RETENTION;
    if (typeof seconds !== "number" || seconds < minRetentionDays * DAY) {
      report(`Keep at least ${minRetentionDays} days of point-in-time history.`);
    }
  }),
};

/**
 * A container from a Postgres image is the server unless its entrypoint is replaced by something that does not
 * run `postgres` (paved's base-backup job): the server archives WAL often enough; the job keeps enough days.
 */
function checkDockerPostgres(props: Props, minRetentionDays: number, report: (message: string) => void): void {
  const command = list(props.command).map(String);
  if (props.entrypoints !== undefined && command[0] !== "postgres") {
    const keepDays = envOf(T.container, props)?.KEEP_DAYS;
    if (keepDays !== undefined && !(Number(keepDays) >= minRetentionDays)) report(`Keep at least ${minRetentionDays} days of point-in-time history.`);
    return;
  }
  const settings = new Map(command.flatMap((arg, i) => (command[i - 1] === "-c" ? [arg.split(/=(.*)/s, 2) as [string, string]] : [])));
  if (settings.get("archive_mode") !== "on" || !settings.get("archive_command")) {
    report("Archive the database's WAL (archive_mode=on with an archive_command) for point-in-time recovery.");
  } else if (!(Number(settings.get("archive_timeout")) > 0 && Number(settings.get("archive_timeout")) <= MAX_ARCHIVE_TIMEOUT_SECONDS)) {
    report(`Archive WAL at least every ${MAX_ARCHIVE_TIMEOUT_SECONDS} s (archive_timeout): the recovery point objective is 1 hour.`);
  }
}

const OPEN_NETWORKS = ["0.0.0.0/0", "::/0"];

/** A Render Postgres or Key Value allow list: Render opens the instance to every address when none is sent. */
function checkRenderAllowList(props: Props, noun: "database" | "cache", report: (message: string) => void): void {
  if (props.ipAllowList === undefined) report(`Set the ${noun}'s IP allow list; leave it empty for private network only.`);
  else if (list(props.ipAllowList).some((entry) => OPEN_NETWORKS.includes(String(obj(entry)?.cidrBlock)))) {
    report(`Remove the open network from the ${noun}'s IP allow list.`);
  } else if (addressesCovered(list(props.ipAllowList).map((entry) => String(obj(entry)?.cidrBlock))) > MAX_ALLOWED_ADDRESSES) {
    // Halves and quarters of the internet add up to it as surely as 0.0.0.0/0.
    report(`Narrow the ${noun}'s IP allow list: together its blocks admit more than a /16.`);
  }
}
const DATABASE_IMAGE = /(^|\/)(postgres|postgis|redis|valkey|mysql|mariadb|mongo)([:@]|$)/;

export const databasePrivateNetwork: ResourceValidationPolicy = {
  name: "database-private-network",
  description: "Databases are reachable only from known networks: no open IP allow list, no port published on every interface.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.renderPostgres, T.container], (props, args, report) => {
    if (args.type === T.renderPostgres) return checkRenderAllowList(props, "database", report);
    if (!DATABASE_IMAGE.test(String(props.image ?? ""))) return;
    const published = list(props.ports).map(obj).filter((port) => port?.external !== undefined);
    if (published.some((port) => !["127.0.0.1", "::1"].includes(String(port?.ip ?? "0.0.0.0")))) {
      report("Bind the database port to 127.0.0.1 or keep it on the private network.");
    }
  }),
};

/** Resources whose deletion loses data or history. */
export const STATEFUL_TYPES: readonly string[] = [T.neonProject, T.neonBranch, T.renderPostgres, T.renderKeyValue, T.volume, T.railwayVolume, T.repository];

export const protectStateful: ResourceValidationPolicy = {
  name: "protect-stateful",
  description: "Databases, caches, data volumes and repositories carry `protect: true`, so no update can delete them.",
  enforcementLevel: "mandatory",
  validateResource: forTypes(STATEFUL_TYPES, (_props, args, report) => {
    if (args.opts.protect !== true) report("Protect the resource from deletion (protect: true).");
  }),
};

export const cachePrivateNetwork: ResourceValidationPolicy = {
  name: "cache-private-network",
  description: "Caches are reachable only from the private network: Render Key Value with no open IP allow list, no Redis port published.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.renderKeyValue, T.container], (props, args, report) => {
    if (args.type === T.renderKeyValue) return checkRenderAllowList(props, "cache", report);
    if (!REDIS_IMAGE.test(String(props.image ?? ""))) return;
    // Even bound to loopback, a published Redis port is one SSH tunnel from the internet; the API reaches it by network alias.
    if (list(props.ports).some((port) => obj(port)?.external !== undefined)) report("Publish no Redis port; reach the cache over the private Docker network.");
  }),
};

export const cacheNoPublicDomain: StackValidationPolicy = {
  name: "cache-no-public-domain",
  description: "A Redis service on Railway has no domain of Railway's or of its own: the API reaches it on the private network only.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const caches = args.resources.filter((r) => r.type === T.railwayService && startsRedis(r.props));
    for (const domain of args.resources.filter((r) => r.type === T.railwayServiceDomain || r.type === T.railwayCustomDomain)) {
      if (caches.some((cache) => readsFrom(domain, cache))) reportViolation("Give the cache no domain; reach it on the private network.", domain.urn);
    }
  },
};

export const cachePassword: ResourceValidationPolicy = {
  name: "cache-password",
  description: "A Redis container or Railway service requires a password (`--requirepass`), so a neighbour on the network cannot read or flush it.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([T.container, T.railwayService], (props, args, report) => {
    const message = "Run redis-server with --requirepass and a generated password.";
    if (args.type === T.railwayService) {
      // A service with an HTTP health path is an app, whose image a plan may not know yet: read the image only otherwise.
      const redis = startsRedis(props) || (!props.healthcheckPath && REDIS_IMAGE.test(String(props.image ?? "")));
      if (redis && !/--requirepass\b/.test(String(props.startCommand ?? ""))) report(message);
      return;
    }
    if (!REDIS_IMAGE.test(String(props.image ?? ""))) return;
    if (!list(props.command).some((part) => /--requirepass\b/.test(String(part)))) report(message);
  }),
};

export const dataPolicies = [databaseRetention, databasePrivateNetwork, protectStateful, cachePrivateNetwork, cacheNoPublicDomain, cachePassword];

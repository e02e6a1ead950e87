import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  railwayCustomDomainProvider, railwayEnvironmentProvider, railwayProjectProvider, railwayServiceDomainProvider, railwayServiceProvider,
  type RailwayServiceInputs, type RailwayServiceOutputs, railwayVolumeProvider, type RailwayVolumeInputs,
} from "../../components/providers/railway";
import { ApiError } from "../../components/providers/http";
import { ReleaseFailed } from "../../components/providers/release";
import { created, errorOf, useFastEnv } from "../fakes/env";
import { FakeRailway } from "../fakes/railway";

const TOKEN = "rw_TEST_RAILWAY_TOKEN_7f3a";
const SECRET = "postgres://app:hunter2-very-secret@db/app";
const fake = new FakeRailway(TOKEN);
const project = railwayProjectProvider as Required<typeof railwayProjectProvider>;
const environment = railwayEnvironmentProvider as Required<typeof railwayEnvironmentProvider>;
const service = railwayServiceProvider as Required<typeof railwayServiceProvider>;
const serviceDomain = railwayServiceDomainProvider as Required<typeof railwayServiceDomainProvider>;
const customDomain = railwayCustomDomainProvider as Required<typeof railwayCustomDomainProvider>;
const volume = railwayVolumeProvider as Required<typeof railwayVolumeProvider>;
const IMAGE = `ghcr.io/flightpro/api@sha256:${"a".repeat(64)}`;

let projectId = "";
let environmentId = "";
const imageService = (): RailwayServiceInputs => ({
  projectId, environmentId, name: "flightpro-api-staging", image: IMAGE, numReplicas: 2, region: "us-east4",
  healthcheckPath: "/health", variables: { PORT: "8080", DATABASE_URL: SECRET },
});

beforeAll(async () => useFastEnv({ RAILWAY_API_TOKEN: TOKEN, RAILWAY_API_URL: `${await fake.start()}/graphql/v2` }));
afterAll(() => fake.stop());
afterEach(() => fake.assertClean());
beforeEach(async () => {
  fake.clearFaults();
  for (const m of [fake.projects, fake.environments, fake.services, fake.instances, fake.variables, fake.serviceDomains, fake.customDomains, fake.volumes, fake.volumeInstances]) m.clear();
  fake.deploys.length = 0;
  fake.deployments.clear();
  fake.preDeploy = () => ({ exitCode: 0, output: ["applying migrations", "migrations applied"] });
  fake.settleAfter = 2;
  fake.workspaceToken = undefined;
  const { outs } = await created(project, { name: "flightpro", defaultEnvironmentName: "staging" });
  projectId = outs.projectId;
  environmentId = outs.defaultEnvironmentId;
  fake.calls.length = 0;
});

describe("railway:Project", () => {
  it("runs create -> read -> diff -> update -> delete, with the default environment it named", async () => {
    const { id, outs } = await created(project, { name: "acme", description: "Acme API", defaultEnvironmentName: "staging" });
    expect(outs).toEqual({ name: "acme", description: "Acme API", defaultEnvironmentName: "staging", projectId: id, defaultEnvironmentId: expect.any(String) });
    expect(fake.environments.get(outs.defaultEnvironmentId)).toMatchObject({ name: "staging", projectId: id });
    expect((await project.read(id, outs)).props).toEqual({ ...outs, workspaceId: "ws-personal" });
    expect(await project.diff(id, { ...outs, workspaceId: "ws-personal" }, { ...outs })).toMatchObject({ changes: false });
    expect(await project.diff(id, outs, { ...outs, defaultEnvironmentName: "production" })).toMatchObject({ replaces: ["defaultEnvironmentName"] });
    await project.update(id, outs, { ...outs, name: "acme-2" });
    expect(fake.projects.get(id)!.name).toBe("acme-2");
    await project.delete(id, outs);
    await project.delete(id, outs); // already gone is deleted
    expect(await project.read(id, outs)).toEqual({ id: "" });
  });

  it("finds its project by name after a lost create answer, without a twin", async () => {
    fake.inject("POST", /#projectCreate$/, { loseResponse: true });
    const { id } = await created(project, { name: "lost", defaultEnvironmentName: "production" });
    expect([...fake.projects.values()].filter((p) => p.name === "lost").map((p) => p.id)).toEqual([id]);
    expect(fake.opCount("projectCreate")).toBe(1);
  });

  it("adopts the project its lost create made, not an older namesake in another of the token's workspaces", async () => {
    const older = { id: "p-older", name: "lost", description: null, workspaceId: "ws-other", createdAt: "2025-01-01T00:00:00Z" };
    fake.projects.set(older.id, older);
    fake.inject("POST", /#projectCreate$/, { loseResponse: true });
    const { id } = await created(project, { name: "lost", defaultEnvironmentName: "production" });
    expect(id).not.toBe("p-older");
    expect([...fake.projects.values()].filter((p) => p.name === "lost").map((p) => p.id).sort()).toEqual([id, "p-older"].sort());
    expect(fake.opCount("projectCreate")).toBe(1);
  });

  it("looks for its project after an answer it cannot read, and reports the answer when there is none", async () => {
    fake.inject("POST", /#projectCreate$/, { malformed: true });
    const err = await errorOf(() => project.create({ name: "garbled", defaultEnvironmentName: "production" }));
    expect(err.message).toBe("Railway API POST /graphql/v2 projectCreate failed: response body is not valid JSON (HTTP 200, 9 bytes)");
    expect(fake.opCount("meProjects")).toBe(1);
    expect(fake.opCount("projectCreate")).toBe(1);
  });

  it.each([
    ["an account token, no workspace: through me.workspaces", undefined, undefined, ["meProjects"]],
    ["an account token, a workspace named: through projects(workspaceId)", undefined, "ws-acme", ["projects"]],
    ["a workspace token, no workspace: me is refused, then projects", "ws-team", undefined, ["meProjects", "projects"]],
    ["a workspace token, its workspace named: through projects(workspaceId)", "ws-team", "ws-team", ["projects"]],
  ] as const)("adopts a project whose create answer was lost, listed as Railway lists it for %s", async (_name, token, workspaceId, lists) => {
    fake.workspaceToken = token;
    fake.inject("POST", /#projectCreate$/, { loseResponse: true });
    fake.calls.length = 0;
    const { id, outs } = await created(project, { name: "lost", workspaceId, defaultEnvironmentName: "production" });
    expect([...fake.projects.values()].filter((p) => p.name === "lost").map((p) => p.id)).toEqual([id]);
    expect(fake.projects.get(id)!.workspaceId).toBe(workspaceId ?? token ?? "ws-personal");
    expect(outs.defaultEnvironmentId).toBe([...fake.environments.values()].find((e) => e.projectId === id)!.id);
    expect(fake.calls.map((c) => c.path.split("#")[1]).filter((op) => op === "meProjects" || op === "projects")).toEqual(lists);
    expect(fake.opCount("projectCreate")).toBe(1);
  });

  it("does not retry a create that failed with 503", async () => {
    fake.inject("POST", /#projectCreate$/, { status: 503 });
    const err = await errorOf(() => project.create({ name: "busy", defaultEnvironmentName: "production" }));
    // No project of that name: the lookup finds nothing to adopt, so the 503 stands.
    expect(err.message).toBe("Railway API POST /graphql/v2 projectCreate failed (HTTP 503): injected failure");
    expect(fake.opCount("projectCreate")).toBe(1);
  });

  it("names the token it needs when none is set", async () => {
    const saved = process.env.RAILWAY_API_TOKEN;
    delete process.env.RAILWAY_API_TOKEN;
    try {
      const err = await errorOf(() => project.create({ name: "x", defaultEnvironmentName: "production" }));
      expect(err.message).toBe("RAILWAY_API_TOKEN is not set: the Railway API needs a key. Export RAILWAY_API_TOKEN before `pulumi up`.");
    } finally {
      process.env.RAILWAY_API_TOKEN = saved;
    }
  });
});

describe("railway:Environment", () => {
  it("creates, renames, reads and deletes; a GraphQL error becomes an ApiError naming the operation", async () => {
    const { id, outs } = await created(environment, { projectId, name: "production" });
    expect(outs).toEqual({ projectId, name: "production", environmentId: id });
    const err = await errorOf(() => environment.create({ projectId, name: "production" }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("Railway API POST /graphql/v2 environmentCreate failed: Environment production already exists");
    expect((err as ApiError).code).toBe("INTERNAL_SERVER_ERROR");
    expect(fake.opCount("environmentCreate")).toBe(2); // an answered error is not retried

    const renamed = await environment.update(id, outs, { projectId, name: "prod" });
    expect(renamed.outs).toEqual({ projectId, name: "prod", environmentId: id });
    await environment.delete(id, outs);
    expect(await environment.read(id, outs)).toEqual({ id: "" });
  });

  it("recovers a lost create by name", async () => {
    fake.inject("POST", /#environmentCreate$/, { loseResponse: true });
    const { id } = await created(environment, { projectId, name: "production" });
    expect(fake.environments.get(id)!.name).toBe("production");
    expect([...fake.environments.values()].filter((e) => e.name === "production")).toHaveLength(1);
  });
});

describe("railway:Service", () => {
  it("creates without a source, configures, sets variables, then deploys once with them", async () => {
    const { id, outs } = await created(service, imageService());
    expect(id).toBe(`${environmentId}/${outs.serviceId}`);
    expect(fake.instances.get(`${outs.serviceId}/${environmentId}`)).toMatchObject({
      source: { image: IMAGE, repo: null }, numReplicas: 2, region: "us-east4", healthcheckPath: "/health",
    });
    expect(fake.deploys).toEqual([{ serviceId: outs.serviceId, environmentId, variables: { PORT: "8080", DATABASE_URL: SECRET } }]);
    const create = JSON.parse(fake.calls.find((c) => c.path.endsWith("#serviceCreate"))!.body);
    expect(create.variables.input).toEqual({ projectId, environmentId, name: "flightpro-api-staging", variables: { PORT: "8080", DATABASE_URL: SECRET } });
    // Railway's own RAILWAY_* variables are not drift.
    expect((await service.read(id, outs)).inputs).toEqual({ ...imageService(), numReplicas: 2 });
  });

  it("replaces the variable set, clears dropped settings, and redeploys", async () => {
    const { id, outs } = await created(service, imageService());
    const news = { ...imageService(), healthcheckPath: undefined, variables: { PORT: "9090" } };
    expect(await service.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await service.update(id, outs, news);
    expect(fake.variables.get(`${outs.serviceId}/${environmentId}`)).toEqual({ PORT: "9090" });
    expect(fake.instances.get(`${outs.serviceId}/${environmentId}`)!.healthcheckPath).toBeNull();
    expect(fake.deploys.at(-1)!.variables).toEqual({ PORT: "9090" });
    expect(fake.deploys).toHaveLength(2);
    expect(await service.diff(id, outs, { ...news, environmentId: "e-other" })).toMatchObject({ replaces: ["environmentId"] });
  });

  it("runs the stack's migration as the pre-deploy command of each release, and reads it back", async () => {
    const { id, outs } = await created(service, { ...imageService(), preDeployCommand: "prisma migrate deploy" });
    expect(fake.instances.get(`${outs.serviceId}/${environmentId}`)!.preDeployCommand).toEqual(["prisma migrate deploy"]);
    expect((await service.read(id, outs)).inputs).toEqual({ ...imageService(), numReplicas: 2, preDeployCommand: "prisma migrate deploy" });
    // Dropping it clears it, so an old migration never runs again.
    await service.update(id, outs, imageService());
    expect(fake.instances.get(`${outs.serviceId}/${environmentId}`)!.preDeployCommand).toBeNull();
  });

  it("builds a repository on a branch from its root directory with build and start commands", async () => {
    const repo = {
      projectId, environmentId, name: "api", repo: "flightpro/app", branch: "main", rootDirectory: "apps/api",
      buildCommand: "npm ci && npm run build", startCommand: "node dist/server.js", numReplicas: 1, variables: {},
    };
    const { id, outs } = await created(service, repo);
    expect(fake.triggers.get(`${outs.serviceId}/${environmentId}`)).toEqual({ repository: "flightpro/app", branch: "main" });
    expect((await service.read(id, {} as never)).inputs).toEqual(repo); // an import reads every input back
  });

  it("recovers a lost create by name and still sets the variables", async () => {
    fake.inject("POST", /#serviceCreate$/, { loseResponse: true });
    const { outs } = await created(service, imageService());
    expect(fake.services.size).toBe(1);
    expect(fake.variables.get(`${outs.serviceId}/${environmentId}`)).toEqual({ PORT: "8080", DATABASE_URL: SECRET });
  });

  it("retries the idempotent variable upsert on 500 and keeps values and the token out of errors", async () => {
    const { id, outs } = await created(service, imageService());
    fake.inject("POST", /#variableCollectionUpsert$/, { status: 500 });
    await service.update(id, outs, { ...imageService(), variables: { DATABASE_URL: SECRET } });
    expect(fake.opCount("variableCollectionUpsert")).toBe(2);
    fake.inject("POST", /#variableCollectionUpsert$/, { status: 400, body: { errors: [{ message: `bad value ${SECRET} for token ${TOKEN}` }] } });
    const err = await errorOf(() => service.update(id, outs, { ...imageService(), variables: { DATABASE_URL: SECRET, X: "1" } }));
    expect(err.message).toBe("Railway API POST /graphql/v2 variableCollectionUpsert failed (HTTP 400): bad value [redacted] for token [redacted]");
  });

  it("redacts a secret Railway echoes in a GraphQL error", async () => {
    fake.inject("POST", /#serviceCreate$/, { status: 200, body: { errors: [{ message: `cannot store ${SECRET}` }], data: null } });
    const err = await errorOf(() => service.create(imageService()));
    expect(err.message).toBe("Railway API POST /graphql/v2 serviceCreate failed: cannot store [redacted]");
  });

  it("retries a 429 on a query after Retry-After, and times out a hung query then retries it", async () => {
    const { id, outs } = await created(service, imageService());
    fake.inject("POST", /#service$/, { status: 429, headers: { "retry-after": "1" } });
    fake.calls.length = 0;
    await service.read(id, outs);
    const reads = fake.calls.filter((c) => c.path.endsWith("#service"));
    expect(reads).toHaveLength(2);
    expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(950);
    fake.inject("POST", /#serviceInstance$/, { hang: true });
    expect((await service.read(id, outs)).id).toBe(id);
    expect(fake.opCount("serviceInstance")).toBe(3);
  });

  it("validates inputs, naming the field and the value", async () => {
    const r = await service.check({} as never, {
      projectId, environmentId, name: "api", image: "ghcr.io/acme/api", repo: "acme/api", region: "Mars 1", numReplicas: 0,
      healthcheckPath: "health", variables: { RAILWAY_PUBLIC_DOMAIN: "x" },
    } as never);
    expect(r.failures?.map((f) => f.reason)).toEqual([
      'region "Mars 1" is invalid: expected a Railway region such as us-east4 or europe-west4',
      'healthcheckPath "health" is invalid: expected a path starting with /',
      "numReplicas must be an integer >= 1 <= 50, got 0",
      'variables key "RAILWAY_PUBLIC_DOMAIN" is reserved: Railway sets RAILWAY_* variables itself',
      "Only one of `image` or `repo` can be provided.",
    ]);
  });
});

describe("railway:Service migration (the pre-deploy command) gates the deploy", () => {
  const migrating = () => ({ ...imageService(), preDeployCommand: "alembic upgrade head" });
  // What the failing migration prints: a variable's value and a bearer token among its lines.
  const failing = () => ({
    exitCode: 1,
    output: [
      "INFO  [alembic.runtime.migration] Running upgrade 41a -> 42b, add orders",
      `sqlalchemy.exc.OperationalError: could not connect to ${SECRET}`,
      "Authorization: Bearer Zk8pQ2vX7mR4tL9wN3bY6cH1jD5sF0gA",
      "alembic exited with 1",
    ],
  });
  const lastLines = [
    "Its last log lines:",
    "  INFO  [alembic.runtime.migration] Running upgrade 41a -> 42b, add orders",
    "  sqlalchemy.exc.OperationalError: could not connect to [redacted]",
    "  Authorization: Bearer [not shown: a long random string (a key or password, by its entropy)]",
    "  alembic exited with 1",
  ].join("\n");

  it("waits for the deployment to succeed after a poll or two, and records it", async () => {
    const { outs } = await created(service, migrating());
    expect(outs).toMatchObject({ deploymentStatus: "SUCCESS" });
    expect(fake.deployments.get(outs.deploymentId)!.status).toBe("SUCCESS");
    expect(fake.opCount("deployment")).toBe(2);
  });

  it("stops create with the failed step's error and the last log lines, secrets masked", async () => {
    fake.preDeploy = failing;
    const err = (await errorOf(() => service.create(migrating()))) as ReleaseFailed<RailwayServiceOutputs>;
    expect(err).toBeInstanceOf(ReleaseFailed);
    const { serviceId, deploymentId } = err.outs;
    expect(err.id).toBe(`${environmentId}/${serviceId}`);
    expect(err.outs.deploymentStatus).toBe("FAILED");
    expect(err.message).toBe(
      `Railway service flightpro-api-staging (${serviceId}): deployment ${deploymentId} ended FAILED: the pre-deploy command "alembic upgrade head" ` +
      `failed (Pre-deploy command exited with code 1); the deployment did not proceed. ${lastLines}`,
    );
    expect(err.message).not.toContain("hunter2");
  });

  it("stops update the same way, and the next update (nothing else changed) deploys again", async () => {
    const { id, outs } = await created(service, migrating());
    fake.preDeploy = failing;
    const news = { ...migrating(), image: `ghcr.io/flightpro/api@sha256:${"b".repeat(64)}` };
    const err = (await errorOf(() => service.update(id, outs, news))) as ReleaseFailed<RailwayServiceOutputs>;
    expect(err.message).toContain(`deployment ${err.outs.deploymentId} ended FAILED: the pre-deploy command "alembic upgrade head" failed`);
    expect(err.outs).toMatchObject({ image: news.image, deploymentStatus: "FAILED" });
    fake.preDeploy = () => ({ exitCode: 0, output: [] });
    const { outs: after } = await service.update(id, err.outs, news);
    expect(after).toMatchObject({ deploymentStatus: "SUCCESS" });
    expect(fake.deploys).toHaveLength(3);
  });

  it("gives up at the deadline on a deployment that never settles, naming the status it stayed in", async () => {
    fake.settleAfter = Infinity;
    const saved = process.env.PAVED_POLL_TIMEOUT_MS;
    process.env.PAVED_POLL_TIMEOUT_MS = "200";
    try {
      const err = (await errorOf(() => service.create(migrating()))) as ReleaseFailed<RailwayServiceOutputs>;
      expect(err.message).toBe(
        `Timed out after 200 ms waiting for Railway service flightpro-api-staging (${err.outs.serviceId}) deployment ${err.outs.deploymentId} ` +
        "to finish; it was still DEPLOYING",
      );
      expect(err.outs.deploymentStatus).toBe("DEPLOYING");
    } finally {
      process.env.PAVED_POLL_TIMEOUT_MS = saved;
    }
  });
});

describe("railway:ServiceDomain and railway:CustomDomain", () => {
  it("generates the service's domain, recovers a lost create by what is new, and deletes", async () => {
    const { outs: svc } = await created(service, imageService());
    const target = { projectId, environmentId, serviceId: svc.serviceId, targetPort: 8080 };
    const { id, outs } = await created(serviceDomain, target);
    expect(outs.domain).toMatch(/^flightpro-api-staging-\d+\.up\.railway\.app$/);
    expect((await serviceDomain.read(id, outs)).inputs).toEqual(target);
    fake.inject("POST", /#serviceDomainCreate$/, { loseResponse: true });
    await created(serviceDomain, target);
    expect(fake.serviceDomains.size).toBe(2);
    await serviceDomain.delete(id, outs);
    await serviceDomain.delete(id, outs);
    expect(await serviceDomain.read(id, outs)).toEqual({ id: "" });
  });

  it("adds the custom hostname with its CNAME target, recovers a lost create by hostname, and deletes", async () => {
    const { outs: svc } = await created(service, imageService());
    const inputs = { projectId, environmentId, serviceId: svc.serviceId, domain: "staging-api.flightpro.com", targetPort: 8080 };
    fake.inject("POST", /#customDomainCreate$/, { loseResponse: true });
    const { id, outs } = await created(customDomain, inputs);
    expect(fake.customDomains.size).toBe(1);
    expect(outs.cnameTarget).toMatch(/\.up\.railway\.app$/);
    expect((await customDomain.read(id, outs)).props).toEqual(outs);
    expect(await customDomain.diff(id, outs, { ...inputs, domain: "api.flightpro.com" })).toEqual({ changes: true, replaces: ["domain"], deleteBeforeReplace: false });
    await customDomain.delete(id, outs);
    expect(await customDomain.read(id, outs)).toEqual({ id: "" });
  });
});

describe("railway:Volume", () => {
  const REDIS = "docker.io/library/redis:7.4-alpine";
  /** An image-backed service to mount the volume on, and the volume's inputs. */
  async function redis(): Promise<RailwayVolumeInputs> {
    const { outs } = await created(service, { projectId, environmentId, name: "flightpro-redis-staging", image: REDIS, numReplicas: 1, variables: {} });
    return { projectId, environmentId, serviceId: outs.serviceId, name: "flightpro-redis-staging-data", mountPath: "/data", region: "us-east4" };
  }
  const instancesOf = (volumeId: string) => [...fake.volumeInstances.values()].filter((i) => i.volumeId === volumeId);
  const body = (op: string) => JSON.parse(fake.calls.filter((c) => c.path.endsWith(`#${op}`)).at(-1)!.body).variables;

  it("creates the volume on the service in its environment only, names it, and redeploys the service so it mounts", async () => {
    const inputs = await redis();
    const deploys = fake.deploys.length;
    const { id, outs } = await created(volume, inputs);
    expect(body("volumeCreate").input).toEqual({ projectId, environmentId, serviceId: inputs.serviceId, mountPath: "/data", region: "us-east4" });
    expect(id).toBe(`${environmentId}/${outs.volumeId}`);
    expect(outs).toEqual({ ...inputs, volumeId: outs.volumeId, sizeMb: 5000 });
    expect(fake.volumes.get(outs.volumeId)!.name).toBe("flightpro-redis-staging-data");
    expect(instancesOf(outs.volumeId)).toMatchObject([{ environmentId, serviceId: inputs.serviceId, mountPath: "/data" }]);
    expect(fake.deploys.slice(deploys).map((d) => d.serviceId)).toEqual([inputs.serviceId]);
    expect(await volume.read(id, outs)).toEqual({ id, props: outs, inputs });
  });

  it("takes Railway's default region when given none, and whichever it picked is no change", async () => {
    const req = { ...(await redis()), region: undefined };
    const { id, outs } = await created(volume, req);
    expect(body("volumeCreate").input.region).toBeNull();
    expect(outs.region).toBe("us-west2");
    expect(await volume.diff(id, outs, req)).toMatchObject({ changes: false });
    expect(await volume.diff(id, outs, { ...req, region: "europe-west4" })).toEqual({ changes: true, replaces: ["region"], deleteBeforeReplace: true });
  });

  it("finds its volume after a lost create answer by what is new on the service, without a twin", async () => {
    const inputs = await redis();
    fake.inject("POST", /#volumeCreate$/, { loseResponse: true });
    const { outs } = await created(volume, inputs);
    expect([...fake.volumes.keys()]).toEqual([outs.volumeId]);
    expect(fake.volumes.get(outs.volumeId)!.name).toBe("flightpro-redis-staging-data");
    expect(fake.opCount("volumeCreate")).toBe(1);
  });

  it("does not retry a create that failed with 503, and reports it when nothing new appeared", async () => {
    const inputs = await redis();
    fake.inject("POST", /#volumeCreate$/, { status: 503 });
    const err = await errorOf(() => volume.create(inputs));
    expect(err.message).toBe("Railway API POST /graphql/v2 volumeCreate failed (HTTP 503): injected failure");
    expect(fake.opCount("volumeCreate")).toBe(1);
    expect(fake.opCount("environmentVolumes")).toBe(2); // before, and the look for a lost create
  });

  it("refuses a second volume on one service: Railway's errors[] become an ApiError naming the operation", async () => {
    const inputs = await redis();
    await created(volume, inputs);
    const err = await errorOf(() => volume.create({ ...inputs, name: "second" }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("Railway API POST /graphql/v2 volumeCreate failed: Service already has a volume: each service can only have a single volume");
    expect(fake.volumes.size).toBe(1);
  });

  it("moves the mount path and renames in place, always naming the service (left out, Railway detaches the volume)", async () => {
    const inputs = await redis();
    const { id, outs } = await created(volume, inputs);
    const news = { ...inputs, mountPath: "/var/lib/redis", name: "renamed" };
    expect(await volume.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const deploys = fake.deploys.length;
    const updated = await volume.update(id, outs, news);
    expect(body("volumeInstanceUpdate")).toEqual({ volumeId: outs.volumeId, environmentId, input: { serviceId: inputs.serviceId, mountPath: "/var/lib/redis" } });
    expect(updated.outs).toEqual({ ...news, volumeId: outs.volumeId, sizeMb: 5000 });
    expect(fake.deploys).toHaveLength(deploys + 1);
  });

  it("retries the idempotent rename on 500, and a query on 429", async () => {
    const inputs = await redis();
    const { id, outs } = await created(volume, inputs);
    fake.inject("POST", /#volumeUpdate$/, { status: 500 });
    await volume.update(id, outs, { ...inputs, name: "renamed" });
    expect(fake.opCount("volumeUpdate")).toBe(3); // the create's, the failed one and its retry
    fake.inject("POST", /#environmentVolumes$/, { status: 429, headers: { "retry-after": "0" } });
    const reads = fake.opCount("environmentVolumes");
    expect((await volume.read(id, outs)).props).toMatchObject({ name: "renamed" });
    expect(fake.opCount("environmentVolumes")).toBe(reads + 2);
  });

  it("deletes: Railway holds the volume 48 hours pending deletion, which reads as gone; deleting again is done", async () => {
    const { id, outs } = await created(volume, await redis());
    await volume.delete(id, outs);
    expect(instancesOf(outs.volumeId)).toMatchObject([{ isPendingDeletion: true, state: "DELETING" }]);
    expect(await volume.read(id, outs)).toEqual({ id: "" });
    await volume.delete(id, outs);
    fake.environments.delete(environmentId);
    expect(await volume.read(id, outs)).toEqual({ id: "" }); // its environment gone too
  });

  it("validates inputs, naming the field and the value", async () => {
    const r = await volume.check({} as never, { projectId, environmentId, serviceId: "", name: "data", mountPath: "data/", region: "Mars 1" } as never);
    expect(r.failures?.map((f) => f.reason)).toEqual([
      "serviceId is required",
      'mountPath "data/" is invalid: expected an absolute path below / such as /data',
      'region "Mars 1" is invalid: expected a Railway region such as us-east4 or europe-west4',
    ]);
  });
});

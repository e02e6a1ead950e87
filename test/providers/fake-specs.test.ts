import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeFly } from "../fakes/fly";
import { FakeNeon } from "../fakes/neon";
import { FakeRailway, RAILWAY_ENDPOINT } from "../fakes/railway";
import { FakeRender } from "../fakes/render";
import type { FakeServer } from "../fakes/server";

const TOKEN = "spec_TEST_TOKEN";
const render = new FakeRender(TOKEN);
const neon = new FakeNeon(TOKEN);
const fly = new FakeFly(TOKEN);
const railway = new FakeRailway(TOKEN);
const urls = new Map<FakeServer, string>();

beforeAll(async () => {
  for (const f of [render, neon, fly, railway]) urls.set(f, await f.start());
});
afterAll(async () => Promise.all([render.stop(), neon.stop(), fly.stop(), railway.stop()]));
afterEach(() => [render, neon, fly, railway].forEach((f) => f.assertClean()));

async function send(fake: FakeServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${urls.get(fake)}${path}`, {
    method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Sends a request the spec rejects: the fake answers 400 naming the fault, and remembers it. */
async function rejected(fake: FakeServer, method: string, path: string, body: unknown, expected: string): Promise<void> {
  const res = await send(fake, method, path, body);
  expect(res.status).toBe(400);
  expect(Object.values(res.body as object).join(" ")).toContain(expected);
  expect(() => fake.assertClean()).toThrow(expected);
  expect(() => fake.assertClean()).not.toThrow(); // reported once
}

const webService = (details: Record<string, unknown>) => ({ type: "web_service", name: "api", ownerId: "tea-1", serviceDetails: details });

describe("the Render fake holds requests to Render's OpenAPI", () => {
  it("accepts a request the spec allows", async () => {
    const res = await send(render, "POST", "/services", webService({ runtime: "node", envSpecificDetails: { buildCommand: "b", startCommand: "s" } }));
    expect(res.status).toBe(201);
    render.assertClean();
  });

  it.each([
    ["a missing required field", "POST", "/services", { type: "web_service", name: "api" }, "must have required property 'ownerId'"],
    ["a wrong type", "POST", "/postgres", { name: "db", plan: "basic_256mb", ownerId: "tea-1", version: 16 }, "/version must be string"],
    ["an unknown enum value", "POST", "/services", webService({ runtime: "node", region: "mars" }), "/serviceDetails/region must be equal to one of the allowed values"],
    ["a field the spec does not name", "POST", "/postgres", { name: "db", plan: "basic_256mb", ownerId: "tea-1", version: "16", __provider: "x" }, 'must NOT have unevaluated properties "__provider"'],
    ["a field PATCH does not take", "PATCH", "/services/srv-1", { serviceDetails: { numInstances: 2 } }, 'must NOT have unevaluated properties "numInstances"'],
    ["a query value out of range", "GET", "/services?limit=500", undefined, "query parameter limit must be <= 100"],
    ["an unknown query parameter", "GET", "/services?owner=tea-1", undefined, "query parameter owner is not in the spec"],
    ["an operation the spec lacks", "POST", "/services/srv-1/restart-all", {}, "is not an operation of the spec"],
  ])("rejects %s", async (_what, method, path, body, expected) => {
    await rejected(render, method, path, body, expected);
  });

  it("picks serviceDetails by the service type and envSpecificDetails by the runtime, not by the first branch that fits", async () => {
    // Native build commands on a docker runtime would pass the native branch of the oneOf, but not docker's.
    await rejected(render, "POST", "/services", webService({ runtime: "docker", envSpecificDetails: { buildCommand: "b", startCommand: "s" } }), 'must NOT have unevaluated properties "buildCommand"');
    // A native runtime needs both commands, though the (all-optional) docker branch would take one.
    await rejected(render, "POST", "/services", webService({ runtime: "node", envSpecificDetails: { buildCommand: "b" } }), "must have required property 'startCommand'");
    // A cron job's schedule is not a web service's field, though cronJobDetailsPOST would take it.
    await rejected(render, "POST", "/services", webService({ runtime: "node", schedule: "* * * * *" }), 'must NOT have unevaluated properties "schedule"');
  });

  it("records an answer of its own that breaks the spec", async () => {
    const { body } = await send(render, "POST", "/services", webService({ runtime: "image" }));
    const id = (body as { service: { id: string } }).service.id;
    render.services.get(id)!.serviceDetails.plan = "enormous";
    await send(render, "GET", `/services/${id}`);
    expect(() => render.assertClean()).toThrow(`GET /services/${id}: fake response 200 body/serviceDetails/plan must be equal to one of the allowed values`);
  });
});

describe("the Neon fake holds requests to Neon's OpenAPI (as the api-client package ships it)", () => {
  it("accepts a request the spec allows", async () => {
    expect((await send(neon, "POST", "/projects", { project: { name: "p", pg_version: 17 } })).status).toBe(201);
    neon.assertClean();
  });

  it.each([
    ["a missing required field", "POST", "/projects/p-1/branches/br-1/databases", { database: { name: "app" } }, "must have required property 'owner_name'"],
    ["a wrong type", "POST", "/projects", { project: { pg_version: "17" } }, "/project/pg_version must be integer"],
    ["a value below the minimum", "PATCH", "/projects/p-1", { project: { default_endpoint_settings: { autoscaling_limit_min_cu: 0.1 } } }, "autoscaling_limit_min_cu must be >= 0.25"],
    ["an unknown enum value", "POST", "/projects/p-1/branches", { endpoints: [{ type: "read_mostly" }] }, "/endpoints/0/type must be equal to one of the allowed values"],
    ["a field the spec does not name", "PATCH", "/projects/p-1", { project: { region_id: "aws-us-east-1" } }, 'must NOT have unevaluated properties "region_id"'],
    ["a query value of the wrong type", "GET", "/projects?limit=many", undefined, "query parameter limit must be integer"],
  ])("rejects %s", async (_what, method, path, body, expected) => {
    await rejected(neon, method, path, body, expected);
  });
});

describe("the Fly fake holds requests to the Machines API as Fly documents it", () => {
  it("accepts a request the docs allow", async () => {
    expect((await send(fly, "POST", "/apps", { name: "api", org_slug: "acme" })).status).toBe(201);
    fly.assertClean();
  });

  it.each([
    ["a missing required field", "POST", "/apps", { name: "api" }, "must have required property 'org_slug'"],
    ["a field the spec does not name (the old docs' app_name)", "POST", "/apps", { app_name: "api", org_slug: "acme" }, 'must NOT have unevaluated properties "app_name"'],
    ["a field the spec does not name, on a body that is a reference", "POST", "/apps/api/machines", { config: { image: "i" }, restart_now: true }, 'must NOT have unevaluated properties "restart_now"'],
    ["a wrong type", "POST", "/apps/api/machines", { config: { image: "i", guest: { cpus: "2" } } }, "/config/guest/cpus must be integer"],
    ["an unknown enum value", "POST", "/apps/api/machines", { config: { image: "i", services: [{ protocol: "tcp", internal_port: 80, autostop: "later" }] } }, "/autostop must be equal to one of the allowed values"],
    ["fly.toml's name for an API field", "POST", "/apps/api/machines", { config: { image: "i", services: [{ protocol: "tcp", internal_port: 80, auto_stop_machines: true }] } }, 'must NOT have unevaluated properties "auto_stop_machines"'],
    ["a wait longer than Fly allows", "GET", "/apps/api/machines/m1/wait?state=started&timeout=300", undefined, "query parameter timeout must be <= 60"],
  ])("rejects %s", async (_what, method, path, body, expected) => {
    await rejected(fly, method, path, body, expected);
  });
});

describe("the Railway fake holds requests to Railway's GraphQL schema (cut to paved's operations)", () => {
  const op = (operationName: string, query: string, variables: Record<string, unknown>) => ({ query, variables, operationName });
  const createEnv = "mutation environmentCreate($input: EnvironmentCreateInput!) { environmentCreate(input: $input) { id name projectId } }";
  const createService = "mutation serviceCreate($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }";
  const updateInstance = "mutation serviceInstanceUpdate($serviceId: String!, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, input: $input) }";
  const project = async () => {
    const res = await send(railway, "POST", RAILWAY_ENDPOINT, op("projectCreate", "mutation projectCreate($input: ProjectCreateInput!) { projectCreate(input: $input) { id } }", { input: { name: "p" } }));
    return (res.body as { data: { projectCreate: { id: string } } }).data.projectCreate.id;
  };

  it("accepts a request the schema allows", async () => {
    const projectId = await project();
    const res = await send(railway, "POST", RAILWAY_ENDPOINT, op("environmentCreate", createEnv, { input: { projectId, name: "staging" } }));
    expect(res).toEqual({ status: 200, body: { data: { environmentCreate: { id: expect.any(String), name: "staging", projectId } } } });
    railway.assertClean();
  });

  it.each([
    ["an input field the schema does not name", op("serviceCreate", createService, { input: { projectId: "p", name: "api", envVars: {} } }), 'Field "envVars" is not defined by type "ServiceCreateInput"'],
    ["a missing required input field", op("environmentCreate", createEnv, { input: { projectId: "p" } }), 'Field "name" of required type "String!" was not provided'],
    ["a wrong type", op("serviceInstanceUpdate", updateInstance, { serviceId: "s", input: { numReplicas: "2" } }), 'Int cannot represent non-integer value: "2"'],
    ["an unknown enum value", op("serviceInstanceUpdate", updateInstance, { serviceId: "s", input: { builder: "BUILDPACKS" } }), 'Value "BUILDPACKS" does not exist in "Builder" enum'],
    ["a volume size, which Railway's API does not take", op("volumeCreate", "mutation volumeCreate($input: VolumeCreateInput!) { volumeCreate(input: $input) { id } }", { input: { projectId: "p", mountPath: "/data", sizeMB: 1024 } }), 'Field "sizeMB" is not defined by type "VolumeCreateInput"'],
    ["a variable value that is not a string", op("serviceCreate", createService, { input: { projectId: "p", variables: { PORT: 8080 } } }), "EnvironmentVariables must be a map of variable names to strings"],
    ["a field the type does not have", op("service", "query service($id: String!) { service(id: $id) { id envVars } }", { id: "s" }), 'Cannot query field "envVars" on type "Service"'],
    ["a variable the operation does not declare", op("service", "query service($id: String!) { service(id: $id) { id } }", { id: "s", environmentId: "e" }), "variables the operation does not declare: environmentId"],
    ["an operation name the query lacks", op("projects", "query service($id: String!) { service(id: $id) { id } }", { id: "s" }), 'operationName "projects" names no single operation'],
    ["a field outside the request", { ...op("service", "query service($id: String!) { service(id: $id) { id } }", { id: "s" }), extensions: {} }, "body has fields GraphQL requests do not carry: extensions"],
  ])("rejects %s", async (_what, body, expected) => {
    const res = await send(railway, "POST", RAILWAY_ENDPOINT, body);
    expect(res.status).toBe(400);
    expect((res.body as { errors: { message: string }[] }).errors[0].message).toContain(expected);
    expect(() => railway.assertClean()).toThrow(expected);
    expect(() => railway.assertClean()).not.toThrow();
  });

  it("records an answer of its own that breaks the schema", async () => {
    const id = await project();
    railway.projects.get(id)!.name = null;
    await send(railway, "POST", RAILWAY_ENDPOINT, op("project", "query project($id: String!) { project(id: $id) { id name } }", { id }));
    expect(() => railway.assertClean()).toThrow("fake response data.project.name: Cannot return null for non-nullable field Project.name.");
    const service = "mutation serviceCreate($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }";
    const serviceId = ((await send(railway, "POST", RAILWAY_ENDPOINT, op("serviceCreate", service, { input: { projectId: id } }))).body as { data: { serviceCreate: { id: string } } }).data.serviceCreate.id;
    const input = { projectId: id, environmentId: "e-none", serviceId, domain: "api.example.com" };
    const created = "mutation customDomainCreate($input: CustomDomainCreateInput!) { customDomainCreate(input: $input) { id } }";
    const domainId = ((await send(railway, "POST", RAILWAY_ENDPOINT, op("customDomainCreate", created, { input }))).body as { data: { customDomainCreate: { id: string } } }).data.customDomainCreate.id;
    railway.assertClean();
    railway.customDomains.get(domainId)!.cnameTarget = 7;
    const list = "query domains($projectId: String!, $environmentId: String!, $serviceId: String!) { domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) { customDomains { status { dnsRecords { requiredValue } } } } }";
    await send(railway, "POST", RAILWAY_ENDPOINT, op("domains", list, { projectId: id, environmentId: "e-none", serviceId }));
    expect(() => railway.assertClean()).toThrow("response data has fields or values the query does not select");
  });
});

import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ApiSpec } from "./openapi";
import { FakeServer, type FakeResponse } from "./server";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

let spec: ApiSpec | undefined;
/** Axiom's dataset operations, cut from its published OpenAPI document (v2). */
function axiomSpec(): ApiSpec {
  const doc = YAML.parse(fs.readFileSync(path.join(__dirname, "specs/axiom-openapi.yaml"), "utf8"));
  // The published spec gives a dataset's PUT and DELETE no 404 (its GET has one) and a POST no
  // answer to a name already taken; the fake answers those with Axiom's error body, 404 and 409.
  const item = doc.paths["/datasets/{dataset_id}"];
  for (const method of ["put", "delete"]) item[method].responses["404"] = { $ref: "#/components/responses/NotFoundError" };
  doc.paths["/datasets"].post.responses["409"] = { $ref: "#/components/responses/NotFoundError" };
  return (spec ??= new ApiSpec("axiom", doc));
}

// Axiom's error body; the spec types `code` as a string.
const err = (status: number, message: string): FakeResponse => ({ status, body: { code: String(status), message } });
const now = () => new Date().toISOString();

/** Axiom's REST API (v2) in memory: datasets, whose id is their name. */
export class FakeAxiom extends FakeServer {
  readonly datasets = new Map<string, Obj>();

  constructor(token: string) {
    super(token, (status, message) => ({ code: String(status), message }), axiomSpec());
    this.route("GET", /^\/datasets$/, () => ({ status: 200, body: [...this.datasets.values()] }));
    this.route("POST", /^\/datasets$/, ({ body }) => {
      if (this.datasets.has(body.name)) return err(409, `dataset ${body.name} already exists`);
      const at = now();
      const d = {
        id: body.name, name: body.name, kind: body.kind ?? "axiom:events:v1", description: body.description ?? "",
        who: "paved-test", created: at, updatedAt: at, canWrite: true,
        useRetentionPeriod: body.useRetentionPeriod ?? false, retentionDays: body.useRetentionPeriod ? body.retentionDays ?? 0 : 0,
      };
      this.datasets.set(d.id, d);
      return { status: 200, body: d };
    });
    this.route("GET", /^\/datasets\/([^/]+)$/, ({ params }) => this.with(params[0], (d) => ({ status: 200, body: d })));
    this.route("PUT", /^\/datasets\/([^/]+)$/, ({ params, body }) => this.with(params[0], (d) => {
      Object.assign(d, {
        description: body.description ?? d.description, useRetentionPeriod: body.useRetentionPeriod ?? d.useRetentionPeriod,
        retentionDays: body.useRetentionPeriod === false ? 0 : body.retentionDays ?? d.retentionDays, updatedAt: now(),
      });
      return { status: 200, body: d };
    }));
    this.route("DELETE", /^\/datasets\/([^/]+)$/, ({ params }) => this.with(params[0], (d) => (this.datasets.delete(d.id), { status: 204 })));
  }

  private with(id: string, f: (d: Obj) => FakeResponse): FakeResponse {
    const d = this.datasets.get(id);
    return d ? f(d) : err(404, `dataset ${id} not found`);
  }
}

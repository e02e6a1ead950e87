import Ajv2019, { type ValidateFunction } from "ajv8/dist/2019";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/**
 * A oneOf the service resolves by a sibling field although the spec declares no discriminator:
 * in `schema`, `property` takes the branch that `branches` names for the value of `tag`
 * (the spec's oneOf still applies when the tag is absent), or always the branch `only`.
 */
export type Discriminator =
  | { schema: string; property: string; tag: string; branches: Record<string, string> }
  | { schema: string; property: string; only: string };

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  pointer: string;
  op: Obj;
  /** Each parameter, with the pointer to its schema in the document. */
  params: { p: Obj; schema: string }[];
}

const esc = (t: string) => t.replace(/~/g, "~0").replace(/\//g, "~1");
const ref = (name: string) => `#/components/schemas/${name}`;
// OpenAPI 3.0's own formats, which JSON Schema leaves open; `true` accepts any value.
const FORMATS = {
  int32: { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 },
  int64: { type: "number", validate: Number.isSafeInteger },
  uint64: { type: "number", validate: (n: number) => Number.isSafeInteger(n) && n >= 0 },
  int: { type: "number", validate: Number.isInteger },
  "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
  float: true, double: true, binary: true, byte: true, password: true,
} as const;

const component = (doc: Obj, r: unknown): Obj | undefined =>
  typeof r === "string" && r.startsWith("#/components/schemas/") ? doc.components.schemas[r.split("/")[3]] : undefined;

/**
 * Closes every object schema: no properties beyond those it names. A part of an allOf stays open
 * (its siblings name the rest) and is closed where it is used whole, at the reference.
 */
function closeObjects(doc: Obj): void {
  const parts = new Set<unknown>();
  const visit = (s: unknown, seen = new Set<unknown>()): void => {
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    for (const m of (s as Obj).allOf ?? []) parts.add(m).add(component(doc, m.$ref));
    for (const v of Object.values(s as Obj)) visit(v, seen);
  };
  visit(doc);
  const named = (o: Obj) => (o.properties || o.allOf) && !("additionalProperties" in o);
  const close = (s: unknown, seen = new Set<unknown>()): void => {
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    const o = s as Obj;
    const target = component(doc, o.$ref);
    if (!parts.has(o) && (named(o) || (target && parts.has(target) && named(target)))) o.unevaluatedProperties = false;
    for (const v of Object.values(o)) close(v, seen);
  };
  close(doc);
}

/** Replaces each declared oneOf with if/then branches picked by the tag, so no other branch can match. */
function discriminate(doc: Obj, ds: readonly Discriminator[]): void {
  for (const d of ds) {
    const s = doc.components.schemas[d.schema];
    const original = s?.properties?.[d.property];
    const target = original?.$ref ? doc.components.schemas[original.$ref.split("/")[3]] : original;
    if (!target?.oneOf) throw new Error(`${d.schema}.${d.property} is not a oneOf in the spec`);
    if ("only" in d) {
      s.properties[d.property] = { $ref: ref(d.only) };
      continue;
    }
    s.properties[d.property] = {};
    const pick = (v: string) => ({ if: { properties: { [d.tag]: { const: v } }, required: [d.tag] }, then: { properties: { [d.property]: { $ref: ref(d.branches[v]) } } } });
    s.allOf = [
      ...(s.allOf ?? []),
      ...Object.keys(d.branches).map(pick),
      { if: { not: { required: [d.tag] } }, then: { properties: { [d.property]: original } } },
    ];
  }
}

/** Query and path values are text; the schema says what they stand for. */
function coerce(schema: Obj | undefined, values: string[], explode: boolean): unknown {
  const one = (v: string, s: Obj | undefined): unknown => {
    if (s?.type === "integer" || s?.type === "number") return v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
    if (s?.type === "boolean") return v === "true" ? true : v === "false" ? false : v;
    return v;
  };
  if (schema?.type === "array") return (explode ? values : values.flatMap((v) => v.split(","))).map((v) => one(v, schema.items));
  return values.length === 1 ? one(values[0], schema) : values;
}

/**
 * A published OpenAPI 3.0 document as a checker of requests and responses. Objects are
 * closed (a field the spec does not name is an error: the service would drop it unread).
 */
export class ApiSpec {
  private readonly ajv: Ajv2019;
  private readonly ops: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly id: string;
  private readonly doc: Obj;

  constructor(service: string, document: Obj, discriminators: readonly Discriminator[] = []) {
    const doc = (this.doc = structuredClone(document));
    closeObjects(doc);
    discriminate(doc, discriminators);
    this.id = `https://fake.paved.test/${service}`;
    this.ajv = new Ajv2019({ strict: false, allErrors: true, validateSchema: false, formats: FORMATS as never });
    this.ajv.addSchema({ ...doc, $id: this.id });
    const byParams = Object.keys(doc.paths).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
    for (const template of byParams) {
      const item = doc.paths[template];
      for (const method of Object.keys(item).filter((m) => m !== "parameters")) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "([^/]+)")}$`);
        const pointer = `#/paths/${esc(template)}/${method}`;
        const params = [
          ...(item.parameters ?? []).map((p: Obj, n: number) => this.param(p, `#/paths/${esc(template)}/parameters/${n}`)),
          ...(item[method].parameters ?? []).map((p: Obj, n: number) => this.param(p, `${pointer}/parameters/${n}`)),
        ];
        this.ops.push({ method: method.toUpperCase(), template, pattern, pointer, op: item[method], params });
      }
    }
  }

  /** What is wrong with a request, as messages naming the part and the spec's complaint. */
  checkRequest(method: string, path: string, query: URLSearchParams, body: unknown): string[] {
    const op = this.find(method, path);
    if (!op) return [`${method} ${path} is not an operation of the spec`];
    const errors: string[] = [];
    const names = op.template.match(/\{([^}]+)\}/g)?.map((n) => n.slice(1, -1)) ?? [];
    const pathValues = op.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    for (const { p, schema } of op.params.filter(({ p }) => p.in === "path" || p.in === "query")) {
      const at = `${p.in} parameter ${p.name}`;
      const values = p.in === "path" ? [pathValues[names.indexOf(p.name)]] : query.getAll(p.name);
      if (!values.length) {
        if (p.required) errors.push(`${at} is required`);
        continue;
      }
      errors.push(...this.validate(schema, coerce(p.schema, values, p.explode ?? true), at));
    }
    for (const key of new Set(query.keys())) {
      if (!op.params.some(({ p }) => p.in === "query" && p.name === key)) errors.push(`query parameter ${key} is not in the spec`);
    }
    const rb = op.op.requestBody && this.resolve(op.op.requestBody);
    if (!rb && body !== undefined) errors.push("request body given, but the operation takes none");
    if (rb && body === undefined && rb.required) errors.push("request body is required");
    if (rb && body !== undefined) {
      const at = op.op.requestBody.$ref ?? `${op.pointer}/requestBody`;
      errors.push(...this.validate(`${at}/content/application~1json/schema`, body, "request body"));
    }
    return errors;
  }

  /** What is wrong with a response the fake gave: an undocumented status, or a body off its schema. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.find(method, path);
    if (!op) return [];
    const key = op.op.responses[String(status)] ? String(status) : op.op.responses.default ? "default" : undefined;
    if (!key) return [`response status ${status} is not documented for ${method} ${op.template}`];
    const content = this.resolveResponse(op.op.responses[key]);
    if (!content) return body === undefined ? [] : [`response ${status} has a body, but the spec gives it none`];
    const at = `response ${status} body`;
    if (body === undefined) return [`${at} is missing`];
    const pointer = op.op.responses[key].$ref
      ? `${op.op.responses[key].$ref}/content/application~1json/schema`
      : `${op.pointer}/responses/${key}/content/application~1json/schema`;
    return this.validate(pointer, body, at);
  }

  private find(method: string, path: string): Operation | undefined {
    return this.ops.find((o) => o.method === method && o.pattern.test(path));
  }

  private resolve(v: Obj): Obj {
    if (typeof v.$ref !== "string") return v;
    return v.$ref.slice(2).split("/").map((t: string) => t.replace(/~1/g, "/").replace(/~0/g, "~")).reduce((o: Obj, t: string) => o[t], this.doc);
  }

  private param(p: Obj, pointer: string): { p: Obj; schema: string } {
    return { p: this.resolve(p), schema: `${typeof p.$ref === "string" ? p.$ref : pointer}/schema` };
  }

  private resolveResponse(r: Obj): Obj | undefined {
    return this.resolve(r).content?.["application/json"];
  }

  private validate(pointer: string, value: unknown, at: string): string[] {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.compiled.set(pointer, v);
    }
    // An unmet "then" only repeats the error inside it.
    const errors = v(value) ? [] : (v.errors ?? []).filter((e) => e.keyword !== "if");
    return errors.map((e) => {
      const p = e.params as { unevaluatedProperty?: string; allowedValues?: unknown[] };
      const detail = p.unevaluatedProperty ? ` "${p.unevaluatedProperty}"` : p.allowedValues ? `: ${p.allowedValues.join(", ")}` : "";
      return `${at}${e.instancePath} ${e.message}${detail}`;
    });
  }
}

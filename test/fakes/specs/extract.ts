/**
 * Regenerates a fake's spec fixture: the operations paved calls, and the components they
 * reference, cut from a service's published OpenAPI document. Run by hand when the published
 * spec changes (tests never read the source document, only the fixture):
 *
 *   npx tsx test/fakes/specs/extract.ts <published-spec.json> render "<where and when it was published>"
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** The operations each provider calls, as "METHOD /path" in the spec's own path templates. */
const OPERATIONS: Record<string, string[]> = {
  render: [
    "GET /services", "POST /services", "GET /services/{serviceId}", "PATCH /services/{serviceId}", "DELETE /services/{serviceId}",
    "POST /services/{serviceId}/scale", "PUT /services/{serviceId}/autoscaling", "DELETE /services/{serviceId}/autoscaling", "GET /services/{serviceId}/env-vars", "PUT /services/{serviceId}/env-vars",
    "GET /services/{serviceId}/custom-domains", "POST /services/{serviceId}/custom-domains",
    "DELETE /services/{serviceId}/custom-domains/{customDomainIdOrName}", "POST /services/{serviceId}/deploys",
    "GET /services/{serviceId}/deploys", "GET /services/{serviceId}/deploys/{deployId}", "GET /services/{serviceId}/events", "GET /logs",
    "GET /postgres", "POST /postgres", "GET /postgres/{postgresId}", "PATCH /postgres/{postgresId}", "DELETE /postgres/{postgresId}",
    "GET /postgres/{postgresId}/connection-info",
    "GET /key-value", "POST /key-value", "GET /key-value/{keyValueId}", "PATCH /key-value/{keyValueId}", "DELETE /key-value/{keyValueId}",
    "GET /key-value/{keyValueId}/connection-info",
  ],
  axiom: [
    "GET /datasets", "POST /datasets", "GET /datasets/{dataset_id}", "PUT /datasets/{dataset_id}", "DELETE /datasets/{dataset_id}",
  ],
};

// Prose and examples are dropped; keys under these are names (a property called "description"), not keywords.
const PROSE = new Set(["description", "summary", "example", "examples", "tags", "externalDocs", "operationId"]);
const MAPS = new Set(["properties", "schemas", "responses", "parameters", "content", "paths", "securitySchemes", "headers"]);

function strip(v: unknown, isMap = false): unknown {
  if (Array.isArray(v)) return v.map((x) => strip(x));
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v as Obj).filter(([k]) => isMap || (!PROSE.has(k) && !k.startsWith("x-"))).map(([k, x]) => [k, strip(x, !isMap && MAPS.has(k))]),
  );
}

function refsIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refsIn(x, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v as Obj)) {
      if (k === "$ref" && typeof x === "string") out.push(x);
      else refsIn(x, out);
    }
  }
  return out;
}

// A reference is a URI fragment, so its tokens may be percent-encoded ("%7BeventId%7D") as well as ~-escaped.
const pointer = (spec: Obj, ref: string): unknown =>
  ref.slice(2).split("/").map((t) => decodeURIComponent(t).replace(/~1/g, "/").replace(/~0/g, "~")).reduce<any>((o, t) => o?.[t], spec);

/** Inlines references that point outside components (into another path), which the cut would lose. */
function inlineForeign(spec: Obj, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => inlineForeign(spec, x));
  if (!v || typeof v !== "object") return v;
  const ref = (v as Obj).$ref;
  if (typeof ref === "string" && !ref.startsWith("#/components/")) return inlineForeign(spec, pointer(spec, ref));
  return Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, inlineForeign(spec, x)]));
}

function extract(spec: Obj, ops: string[]): Obj {
  const paths: Obj = {};
  for (const op of ops) {
    const [method, p] = op.split(" ");
    const item = spec.paths[p];
    if (!item?.[method.toLowerCase()]) throw new Error(`${op} is not in the spec`);
    paths[p] ??= item.parameters ? { parameters: item.parameters } : {};
    paths[p][method.toLowerCase()] = inlineForeign(spec, item[method.toLowerCase()]);
  }
  const components: Obj = {};
  const queue = refsIn(paths);
  for (let ref = queue.pop(); ref !== undefined; ref = queue.pop()) {
    const [, , kind, name] = ref.split("/"); // "#/components/<kind>/<name>/..."
    if (components[kind]?.[name]) continue;
    const found = inlineForeign(spec, spec.components[kind]?.[name]);
    if (!found) throw new Error(`${ref} does not resolve`);
    (components[kind] ??= {})[name] = found;
    queue.push(...refsIn(found));
  }
  for (const kind of Object.keys(components)) {
    components[kind] = Object.fromEntries(Object.entries(components[kind]).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return strip({ openapi: spec.openapi, info: { title: spec.info.title, version: spec.info.version }, paths, components }) as Obj;
}

function main(): void {
  const [source, service, origin] = process.argv.slice(2);
  if (!source || !OPERATIONS[service]) throw new Error(`usage: extract.ts <spec.json> <${Object.keys(OPERATIONS).join("|")}>`);
  const spec = JSON.parse(fs.readFileSync(source, "utf8")) as Obj;
  const header = [
    `# Derived fixture: the operations paved's ${service} provider calls, with the components they use,`,
    `# cut by test/fakes/specs/extract.ts from ${spec.info.title}, OpenAPI ${spec.openapi}, version ${spec.info.version}`,
    `# (${origin ?? path.basename(source)}). Prose and examples are dropped; schemas are unchanged.`,
    "",
  ].join("\n");
  const out = path.join(__dirname, `${service}-openapi.yaml`);
  fs.writeFileSync(out, header + YAML.stringify(extract(spec, OPERATIONS[service]), { aliasDuplicateObjects: false, lineWidth: 0 }));
  console.log(`wrote ${out}`);
}

main();

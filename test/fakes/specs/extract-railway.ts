/**
 * Regenerates test/fakes/specs/railway.graphql: Railway's public GraphQL schema cut to what
 * paved's railway provider sends (components/providers/railway-api.ts, RAILWAY_OPS). Run by
 * hand when the published schema or an operation changes (tests read only the cut):
 *
 *   npx tsx test/fakes/specs/extract-railway.ts <schema.json> "<where and when it was published>"
 *
 * Kept: the root fields the operations use with all their arguments; on each output type, only
 * the fields some operation selects; every input type and enum those arguments reach, whole
 * (so a field Railway does not take, or a missing required one, still fails validation).
 */
import fs from "node:fs";
import path from "node:path";
import {
  buildClientSchema, type IntrospectionQuery, isInputObjectType, parse, printSchema, TypeInfo, validate, visit, visitWithTypeInfo,
} from "graphql";
import { RAILWAY_OPS } from "../../../components/providers/railway-api";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const [source, provenance] = process.argv.slice(2);
if (!source || !provenance) {
  console.error('usage: npx tsx test/fakes/specs/extract-railway.ts <schema.json> "<where and when it was published>"');
  process.exit(64);
}
const raw = JSON.parse(fs.readFileSync(source, "utf8"));
const introspection: IntrospectionQuery = raw.data ?? raw;
const full = buildClientSchema(introspection);

// Which fields each type must keep: those the operations select (validated against the full schema first).
const used = new Map<string, Set<string>>();
for (const [name, text] of Object.entries(RAILWAY_OPS)) {
  const doc = parse(text);
  const errors = validate(full, doc);
  if (errors.length) throw new Error(`operation ${name} is not valid against ${source}: ${errors.map((e) => e.message).join("; ")}`);
  const info = new TypeInfo(full);
  visit(doc, visitWithTypeInfo(info, {
    Field() {
      const parent = info.getParentType();
      const field = info.getFieldDef();
      if (parent && field) (used.get(parent.name) ?? used.set(parent.name, new Set()).get(parent.name)!).add(field.name);
    },
  }));
}

const byName = new Map<string, Obj>(introspection.__schema.types.map((t) => [t.name, structuredClone(t) as Obj]));
const keep = new Set<string>();
const named = (ref: Obj): string => (ref.ofType ? named(ref.ofType) : ref.name);
const reach = (typeName: string): void => {
  if (keep.has(typeName)) return;
  keep.add(typeName);
  const t = byName.get(typeName)!;
  if (t.kind === "OBJECT" || t.kind === "INTERFACE") {
    t.fields = t.fields.filter((f: Obj) => used.get(typeName)?.has(f.name));
    t.interfaces = [];
    for (const f of t.fields) {
      reach(named(f.type));
      for (const a of f.args) reach(named(a.type));
    }
  } else if (t.kind === "INPUT_OBJECT") {
    for (const f of t.inputFields) reach(named(f.type));
  }
};
for (const root of ["Query", "Mutation"]) reach(root);
for (const t of introspection.__schema.types) if (t.name.startsWith("__")) keep.add(t.name);

const cut = buildClientSchema({
  __schema: {
    ...introspection.__schema,
    subscriptionType: null,
    types: [...keep].map((n) => byName.get(n)!) as never,
    directives: introspection.__schema.directives.filter((d) => ["include", "skip", "deprecated", "oneOf", "specifiedBy"].includes(d.name)),
  },
});
// Sanity: every operation is still valid against the cut, and every input type survived whole.
for (const [name, text] of Object.entries(RAILWAY_OPS)) {
  const errors = validate(cut, parse(text));
  if (errors.length) throw new Error(`operation ${name} is not valid against the cut: ${errors[0].message}`);
}
for (const t of Object.values(cut.getTypeMap())) {
  if (isInputObjectType(t)) {
    const original = full.getType(t.name);
    if (!isInputObjectType(original) || Object.keys(original.getFields()).length !== Object.keys(t.getFields()).length) throw new Error(`${t.name} lost fields`);
  }
}

const header = [
  "# Derived fixture: the root fields, selected output fields and whole input types of the operations",
  "# paved's railway provider sends (components/providers/railway-api.ts, RAILWAY_OPS), cut by",
  `# test/fakes/specs/extract-railway.ts from Railway's public GraphQL schema (${provenance}).`,
  "# Descriptions are kept; nothing is renamed or loosened. Do not edit by hand: rerun the extractor.",
  "",
].join("\n");
const out = path.join(__dirname, "railway.graphql");
fs.writeFileSync(out, `${header}${printSchema(cut)}\n`);
console.log(`wrote ${out}: ${keep.size} types`);

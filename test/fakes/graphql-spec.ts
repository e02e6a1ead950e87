import { isDeepStrictEqual } from "node:util";
import {
  buildSchema, type DocumentNode, execute, getOperationAST, GraphQLError, GraphQLScalarType, type GraphQLSchema, parse, validate,
} from "graphql";
import { getVariableValues } from "graphql/execution/values";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** Reads each field under its response key (its alias, else its name): answers are keyed as the query asked. */
const byResponseKey = (source: Obj | null | undefined, _args: unknown, _ctx: unknown, info: { path: { key: string | number } }) => source?.[info.path.key as string];

/** Custom scalars the schema names without saying what they hold: what the service accepts for each. */
export type ScalarRules = Record<string, (value: unknown) => string | undefined>;

/**
 * A GraphQL schema (SDL) as a checker of requests and answers on one endpoint. A request must be
 * `{query, variables, operationName}` naming one operation that validates against the schema, with
 * variables that coerce to their declared input types (so an input field the schema does not name,
 * a missing required one or a wrong enum fails). An answer's `data` must be exactly what executing
 * the operation over it yields: every selected field present with its declared type, nothing more.
 */
export class GraphqlSpec {
  private readonly schema: GraphQLSchema;
  private readonly endpoint: string;
  /** The document of the request being served, for checking the answer to it. */
  private current?: { doc: DocumentNode; variables: Obj };

  constructor(sdl: string, endpoint: string, scalars: ScalarRules = {}) {
    this.schema = buildSchema(sdl);
    this.endpoint = endpoint;
    for (const [name, rule] of Object.entries(scalars)) {
      const scalar = this.schema.getType(name);
      if (!(scalar instanceof GraphQLScalarType)) throw new Error(`${name} is not a scalar of the schema`);
      const strict = (value: unknown) => {
        const wrong = rule(value);
        if (wrong) throw new GraphQLError(`${name} ${wrong}`);
        return value;
      };
      Object.assign(scalar, { parseValue: strict, serialize: strict });
    }
  }

  /** The operation a request body names, for routing and fault matching. */
  static operationName(body: unknown): string | undefined {
    const name = (body as Obj | undefined)?.operationName;
    return typeof name === "string" ? name : undefined;
  }

  /**
   * `data` cut to what the request selects, as a GraphQL server answers (fakes key their objects
   * as the query asks: by field name, or by alias where the operation gives one); `data` itself
   * when it does not fit the schema, so that checkResponse reports what is wrong with it.
   */
  shape(body: Obj, data: Obj): Obj {
    const result = execute({
      schema: this.schema, document: parse(body.query), variableValues: body.variables, operationName: body.operationName, rootValue: data,
      fieldResolver: byResponseKey,
    });
    if (result instanceof Promise || result.errors?.length) return data;
    // Keys as selected, leaves as the fake gave them: a number where a String belongs must still show.
    const keep = (shaped: unknown, raw: any): unknown =>
      Array.isArray(shaped) ? shaped.map((x, i) => keep(x, raw?.[i]))
        : shaped && typeof shaped === "object" ? Object.fromEntries(Object.keys(shaped).map((k) => [k, keep((shaped as Obj)[k], raw?.[k])]))
        : raw;
    return keep(result.data, data) as Obj;
  }

  checkRequest(method: string, path: string, _query: URLSearchParams, body: unknown): string[] {
    this.current = undefined;
    if (method !== "POST" || path !== this.endpoint) return [`${method} ${path} is not the GraphQL endpoint (POST ${this.endpoint})`];
    const b = body as Obj | undefined;
    if (!b || typeof b !== "object" || Array.isArray(b)) return ["body must be an object with query, variables and operationName"];
    const extra = Object.keys(b).filter((k) => !["query", "variables", "operationName"].includes(k));
    if (extra.length) return [`body has fields GraphQL requests do not carry: ${extra.join(", ")}`];
    if (typeof b.query !== "string") return ["body.query must be a string"];
    let doc: DocumentNode;
    try {
      doc = parse(b.query);
    } catch (err) {
      return [`query does not parse: ${(err as Error).message}`];
    }
    const invalid = validate(this.schema, doc).map((e) => `query: ${e.message}`);
    if (invalid.length) return invalid;
    const op = getOperationAST(doc, b.operationName);
    if (!op) return [`operationName ${JSON.stringify(b.operationName)} names no single operation of the query`];
    if (b.variables !== undefined && (typeof b.variables !== "object" || b.variables === null || Array.isArray(b.variables))) {
      return ["body.variables must be an object"];
    }
    const variables = b.variables ?? {};
    const declared = new Set((op.variableDefinitions ?? []).map((d) => d.variable.name.value));
    const undeclared = Object.keys(variables).filter((k) => !declared.has(k));
    if (undeclared.length) return [`variables the operation does not declare: ${undeclared.join(", ")}`];
    const coerced = getVariableValues(this.schema, op.variableDefinitions ?? [], variables);
    if (coerced.errors) return coerced.errors.map((e) => `variables: ${e.message}`);
    this.current = { doc, variables };
    return [];
  }

  checkResponse(_method: string, _path: string, status: number, body: unknown): string[] {
    const b = body as Obj | undefined;
    if (status !== 200) return b && Array.isArray(b.errors) ? [] : [`response ${status} has no errors list`];
    if (b?.errors !== undefined) {
      const ok = Array.isArray(b.errors) && b.errors.every((e: Obj) => typeof e?.message === "string");
      return ok ? [] : ["response errors must be a list of objects with a message"];
    }
    if (!this.current) return [];
    const keys = Object.keys(b ?? {});
    if (keys.length !== 1 || keys[0] !== "data") return [`response 200 must be {data} or {errors}, got keys ${keys.join(", ")}`];
    const result = execute({
      schema: this.schema, document: this.current.doc, variableValues: this.current.variables, rootValue: b!.data,
      fieldResolver: byResponseKey,
    }) as { data?: Obj; errors?: readonly GraphQLError[] };
    const errors = (result.errors ?? []).map((e) => `response data${e.path ? `.${e.path.join(".")}` : ""}: ${e.message}`);
    if (errors.length) return errors;
    return isDeepStrictEqual(JSON.parse(JSON.stringify(result.data)), b!.data)
      ? []
      : [`response data has fields or values the query does not select: got ${JSON.stringify(b!.data)}, the schema gives ${JSON.stringify(result.data)}`];
  }
}

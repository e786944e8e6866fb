// The spec's operations as Swagger 2.0 path items, in the shape kube-apiserver's /openapi/v2 gives
// them: path and query parameters as non-body parameters with a type, a request body as the `body`
// parameter, `consumes`/`produces` from the media types, responses with their schema, and
// kube-apiserver's `x-kubernetes-action` and `x-kubernetes-group-version-kind` on each operation.
import { groupVersionOf } from '../routes.js';
import {
  deref,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type Reference,
  type ResponseObject,
} from '../spec.js';
import { convertSchema, type JsonObject, type SchemaContext, singleType } from './schema.js';

const METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

interface RequestBody {
  description?: string;
  required?: boolean;
  content?: Record<string, { schema?: unknown }>;
}

/** A Swagger 2.0 non-body parameter from an OpenAPI 3.1 parameter (cookie parameters have no 2.0 form). */
function convertParameter(
  spec: OpenApiDocument,
  node: Parameter | Reference,
  context: SchemaContext,
): JsonObject | undefined {
  const parameter = deref<Parameter & { description?: string; schema?: JsonObject }>(spec, node);
  if (parameter.in === 'cookie') return undefined;
  const schema = convertSchema(parameter.schema ?? {}, context);
  const out: JsonObject = { uniqueItems: true, type: singleType(schema.type) ?? 'string' };
  for (const key of ['format', 'enum', 'default'] as const) if (key in schema) out[key] = schema[key];
  if (parameter.description !== undefined) out.description = parameter.description;
  out.name = parameter.name;
  out.in = parameter.in;
  if (parameter.required) out.required = true;
  return out;
}

/** kube-apiserver's verb for an operation: what kubectl's and the API reference's `x-kubernetes-action` say. */
function actionOf(method: HttpMethod, template: string): string {
  const byName = /\{name\}(\/[^/{}]+)?$/.test(template);
  if (method === 'get') return byName ? 'get' : 'list';
  if (method === 'delete') return byName ? 'delete' : 'deletecollection';
  return method;
}

/**
 * The one schema Swagger 2.0 gives a body: its JSON media type's, else the schema most of its media
 * types share (a PATCH body is a Patch for merge, strategic and apply patches, a JsonPatch for one
 * of them: kube-apiserver's document says Patch).
 */
function contentSchema(content: Record<string, { schema?: unknown }> | undefined): unknown {
  if (!content) return undefined;
  if (content['application/json']) return content['application/json'].schema;
  const schemas = Object.values(content).map((media) => media.schema);
  const count = (schema: unknown) => schemas.filter((other) => JSON.stringify(other) === JSON.stringify(schema)).length;
  return schemas.reduce((best, schema) => (count(schema) > count(best) ? schema : best), schemas[0]);
}

function convertResponses(spec: OpenApiDocument, operation: Operation, context: SchemaContext): JsonObject {
  const responses: JsonObject = {};
  for (const [code, node] of Object.entries(operation.responses ?? {})) {
    const response = deref<ResponseObject>(spec, node);
    const schema = contentSchema(response.content);
    responses[code] = {
      description: response.description ?? '',
      ...(schema !== undefined && { schema: convertSchema(schema, context) }),
    };
  }
  return responses;
}

function convertOperation(
  spec: OpenApiDocument,
  template: string,
  method: HttpMethod,
  operation: Operation,
  context: SchemaContext,
): JsonObject {
  const { description, summary, tags, requestBody } = operation as Operation & {
    description?: string;
    summary?: string;
    tags?: string[];
    requestBody?: unknown;
  };
  const body = requestBody === undefined ? undefined : deref<RequestBody>(spec, requestBody as RequestBody);
  const ok = operation.responses?.['200'] ?? operation.responses?.['201'];
  const produces = ok ? Object.keys(deref<ResponseObject>(spec, ok).content ?? {}) : [];
  const parameters: JsonObject[] = [];
  if (body) {
    parameters.push({
      name: 'body',
      in: 'body',
      required: body.required ?? false,
      schema: convertSchema(contentSchema(body.content) ?? {}, context),
    });
  }
  for (const node of operation.parameters ?? []) {
    const converted = convertParameter(spec, node, context);
    if (converted) parameters.push(converted);
  }
  const out: JsonObject = {
    ...((description ?? summary) !== undefined && { description: description ?? summary }),
    consumes: body?.content ? Object.keys(body.content) : ['*/*'],
    produces,
    schemes: ['https'],
    ...(tags && { tags }),
    ...(operation.operationId !== undefined && { operationId: operation.operationId }),
    ...(parameters.length > 0 && { parameters }),
    responses: convertResponses(spec, operation, context),
    'x-kubernetes-action': actionOf(method, template),
  };
  const gvk = groupVersionKindOf(spec, template, operation, context);
  if (gvk) out['x-kubernetes-group-version-kind'] = gvk;
  return out;
}

/** The kind an operation acts on: its 200 (or 201) schema's, read from that definition's name; group and version from the path. */
function groupVersionKindOf(
  spec: OpenApiDocument,
  template: string,
  operation: Operation,
  context: SchemaContext,
): JsonObject | undefined {
  const gv = groupVersionOf(template);
  const ok = operation.responses?.['200'] ?? operation.responses?.['201'];
  const schema = ok
    ? (contentSchema(deref<ResponseObject>(spec, ok).content) as { $ref?: unknown } | undefined)
    : undefined;
  const name = typeof schema?.$ref === 'string' ? context.definitionOf(schema.$ref) : undefined;
  if (!gv || name === undefined) return undefined;
  return { group: gv.group, kind: name.slice(name.lastIndexOf('.') + 1), version: gv.version };
}

export function convertPaths(spec: OpenApiDocument, context: SchemaContext): Record<string, JsonObject> {
  const paths: Record<string, JsonObject> = {};
  for (const template of Object.keys(spec.paths).sort()) {
    const item = spec.paths[template]!;
    const out: JsonObject = {};
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) out[method] = convertOperation(spec, template, method, operation, context);
    }
    const parameters = (item.parameters ?? [])
      .map((node) => convertParameter(spec, node, context))
      .filter((p): p is JsonObject => p !== undefined);
    if (parameters.length > 0) out.parameters = parameters;
    paths[template] = out;
  }
  return paths;
}

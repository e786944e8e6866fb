// The bundled spec enlarged with a few operations of upstream Kubernetes' own API description
// (v1.19's swagger.json, the project's source for core/v1): a list of another kind (namespaced and
// across namespaces, with its watch), a create and a collection delete of that kind, a named read
// (Endpoints), a text read (pods/log), a connect (pods/exec, GET and POST), cluster-scoped reads and
// lists (nodes, namespaces). The operations are kept in fixtures/upstream-core-v1.json exactly as
// the swagger has them (with the definitions they reach), and converted here to OpenAPI 3.1 the
// way the spec is written: component schemas named as the spec names them (by `title`), or by the
// definition's last name segment; JSON and YAML media types (the spec serves no protobuf).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { loadBundledSpec } from '@cci-openapi/spec-kit';

/** The OpenAPI document the mock takes (`startMockServer({ spec })`); kept structural so contract/ can use this file. */
type OpenApiDocument = { paths: Record<string, any>; components: { schemas?: Record<string, unknown> } } & Record<
  string,
  any
>;

/** The upstream operations the fixture holds, by operationId. */
export const UPSTREAM_OPERATION_IDS = [
  'listCoreV1NamespacedConfigMap',
  'createCoreV1NamespacedConfigMap',
  'deleteCoreV1CollectionNamespacedConfigMap',
  'listCoreV1ConfigMapForAllNamespaces',
  'readCoreV1NamespacedEndpoints',
  'readCoreV1NamespacedPodLog',
  'connectCoreV1GetNamespacedPodExec',
  'connectCoreV1PostNamespacedPodExec',
  'readCoreV1Node',
  'listCoreV1Node',
  'readCoreV1Namespace',
  'listCoreV1Namespace',
] as const;

/** Where the project keeps the upstream swagger (beside the repository; absent in a bare clone). */
// The repository's verbatim copy of upstream's document (the one the 157-operation test imports).
const UPSTREAM_SWAGGER = new URL('../../../../test/lib/large-spec/k8s-v1.19-swagger.json.gz', import.meta.url);

const FIXTURE = new URL('../fixtures/upstream-core-v1.json', import.meta.url);

type Json = Record<string, any>;

export interface SwaggerExtract {
  paths: Record<string, Json>;
  definitions: Record<string, Json>;
}

/** The swagger's path items holding these operations (other methods left out) and every definition they reach. */
export function extractOperations(swagger: Json, operationIds: readonly string[]): SwaggerExtract {
  const wanted = new Set(operationIds);
  const paths: Record<string, Json> = {};
  for (const [path, item] of Object.entries<Json>(swagger.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (method === 'parameters' || !wanted.has(operation.operationId)) continue;
      paths[path] ??= item.parameters ? { parameters: item.parameters } : {};
      paths[path][method] = operation;
      wanted.delete(operation.operationId);
    }
  }
  if (wanted.size > 0) throw new Error(`the swagger has no operation ${[...wanted].join(', ')}`);
  const definitions: Record<string, Json> = {};
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      const name = ref.slice('#/definitions/'.length);
      if (!definitions[name]) {
        definitions[name] = swagger.definitions[name];
        visit(definitions[name]);
      }
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(paths);
  return { paths, definitions };
}

export function readUpstreamSwagger(): Json {
  return JSON.parse(gunzipSync(readFileSync(UPSTREAM_SWAGGER)).toString('utf8'));
}

export const upstreamFixture = (): SwaggerExtract => JSON.parse(readFileSync(FIXTURE, 'utf8'));

const SERVED = (type: string) => !type.includes('protobuf');

/** The bundled spec with the fixture's operations added (converted from Swagger 2.0 to OpenAPI 3.1). */
export function enlargedSpec(extract: SwaggerExtract = upstreamFixture()): OpenApiDocument {
  const spec = structuredClone(loadBundledSpec('types')) as OpenApiDocument;
  const schemas = spec.components.schemas as Record<string, Json>;
  const byTitle = new Map(Object.entries(schemas).map(([name, schema]) => [(schema as Json).title, name]));
  const nameOf = (definition: string) => byTitle.get(definition) ?? definition.split('.').at(-1)!;
  const convert = (node: unknown): any => {
    if (Array.isArray(node)) return node.map(convert);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] =
        key === '$ref' && typeof value === 'string'
          ? `#/components/schemas/${nameOf(value.slice('#/definitions/'.length))}`
          : convert(value);
    }
    return out;
  };
  for (const [definition, schema] of Object.entries(extract.definitions)) {
    const name = nameOf(definition);
    if (!byTitle.has(definition)) schemas[name] = { title: definition, ...convert(schema) };
  }
  const parameter = ({ type, uniqueItems: _, ...rest }: Json) => ({ ...rest, schema: { type } });
  for (const [path, item] of Object.entries(extract.paths)) {
    const converted: Json = item.parameters ? { parameters: item.parameters.map(parameter) } : {};
    for (const [method, op] of Object.entries<Json>(item)) {
      if (method === 'parameters') continue;
      const { consumes, produces, parameters = [], responses, schemes: _, ...rest } = op;
      const body = parameters.find((p: Json) => p.in === 'body');
      const media = (types: string[], schema: unknown) =>
        Object.fromEntries(types.filter(SERVED).map((type) => [type, { schema: convert(schema) }]));
      converted[method] = {
        ...rest,
        parameters: parameters.filter((p: Json) => p.in !== 'body').map(parameter),
        ...(body && { requestBody: { required: true, content: media(consumes ?? ['application/json'], body.schema) } }),
        responses: Object.fromEntries(
          Object.entries<Json>(responses).map(([code, response]) => [
            code,
            response.schema
              ? { description: response.description, content: media(produces ?? [], response.schema) }
              : { description: response.description },
          ]),
        ),
      };
    }
    spec.paths[path] = converted as never;
  }
  return spec;
}

// The spec (OpenAPI 3.1) as the Swagger 2.0 document kube-apiserver serves at /openapi/v2, derived
// with no hand-written schema: `definitions` are the spec's component schemas under their
// Kubernetes names (each schema's `title`, e.g. io.k8s.api.core.v1.Service), the kinds the API
// serves carry `x-kubernetes-group-version-kind`, and `paths` are the spec's operations.
import { groupVersionOf } from '../routes.js';
import { deref, type OpenApiDocument, type ResponseObject } from '../spec.js';
import { convertPaths } from './paths.js';
import { convertSchema, type JsonObject, type SchemaContext } from './schema.js';

export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, JsonObject>;
  definitions: Record<string, JsonObject>;
  securityDefinitions?: Record<string, JsonObject>;
  security?: Array<Record<string, string[]>>;
}

const COMPONENT_PREFIX = '#/components/schemas/';
/** A Kubernetes definition name: a dotted Go package path and type name. */
const KUBERNETES_NAME = /^[A-Za-z0-9_.-]+$/;
/** A title that names a variant of another schema: "io.k8s.api.core.v1.Service (list item)". */
const VARIANT_TITLE = /^([A-Za-z0-9_.-]+) \([^()]*\)$/;

/**
 * The definition name of each component schema. Its title when that is a Kubernetes name; a
 * variant ("<name> (qualifier)", such as the list item form of Service that omits apiVersion and
 * kind) is that name — the same definition as the schema titled so, when there is one, as
 * Kubernetes has one type for both; otherwise the component's own key.
 */
function definitionNames(schemas: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, schema] of Object.entries(schemas)) {
    const title = (schema as { title?: unknown }).title;
    if (typeof title !== 'string') names.set(key, key);
    else if (KUBERNETES_NAME.test(title)) names.set(key, title);
    else names.set(key, VARIANT_TITLE.exec(title)?.[1] ?? key);
  }
  return names;
}

/** The component that gives a definition its schema: the one titled exactly so, else the first of that name. */
function ownerOf(name: string, schemas: Record<string, unknown>, names: Map<string, string>): string {
  const candidates = [...names].filter(([, n]) => n === name).map(([key]) => key);
  return candidates.find((key) => (schemas[key] as { title?: unknown }).title === name) ?? candidates[0]!;
}

/**
 * The kinds of the API: each component schema that is the body of an operation's response or
 * request under a group-version path (/api/v1/…, /apis/g/v/…) and has `apiVersion` and `kind`
 * properties is a kind of that group version, named by its definition's last segment.
 */
function kindsOf(
  spec: OpenApiDocument,
  names: Map<string, string>,
): Map<string, Array<{ group: string; kind: string; version: string }>> {
  const kinds = new Map<string, Array<{ group: string; kind: string; version: string }>>();
  const schemas = spec.components.schemas ?? {};
  const add = (template: string, schema: unknown) => {
    const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
    const gv = groupVersionOf(template);
    if (!gv || typeof ref !== 'string' || !ref.startsWith(COMPONENT_PREFIX)) return;
    const key = ref.slice(COMPONENT_PREFIX.length);
    const properties = (schemas[key] as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
    const name = names.get(key);
    if (name === undefined || !('apiVersion' in properties && 'kind' in properties)) return;
    const list = kinds.get(name) ?? [];
    const gvk = { group: gv.group, kind: name.slice(name.lastIndexOf('.') + 1), version: gv.version };
    if (!list.some((k) => k.group === gvk.group && k.version === gvk.version)) list.push(gvk);
    kinds.set(name, list);
  };
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) continue;
      const { responses, requestBody } = operation as { responses?: Record<string, unknown>; requestBody?: unknown };
      for (const node of Object.values(responses ?? {})) {
        for (const media of Object.values(deref<ResponseObject>(spec, node as ResponseObject).content ?? {}))
          add(template, media.schema);
      }
      if (requestBody !== undefined) {
        for (const media of Object.values(
          deref<{ content?: Record<string, { schema?: unknown }> }>(spec, requestBody as never).content ?? {},
        ))
          add(template, media.schema);
      }
    }
  }
  return kinds;
}

/** Swagger 2.0 knows API keys, not HTTP bearer: kube-apiserver writes its bearer token as an `authorization` header key. */
function convertSecurity(spec: OpenApiDocument): Pick<SwaggerDocument, 'securityDefinitions' | 'security'> {
  const schemes = ((spec.components as { securitySchemes?: Record<string, JsonObject> }).securitySchemes ??
    {}) as Record<string, JsonObject>;
  const definitions: Record<string, JsonObject> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const description = typeof scheme.description === 'string' ? { description: scheme.description } : {};
    if (scheme.type === 'apiKey')
      definitions[name] = { ...description, type: 'apiKey', name: scheme.name, in: scheme.in };
    else if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer')
      definitions[name] = { ...description, type: 'apiKey', name: 'authorization', in: 'header' };
  }
  const requirements = (Array.isArray(spec.security) ? spec.security : []) as Array<Record<string, string[]>>;
  const security = requirements.filter((requirement) => Object.keys(requirement).every((name) => name in definitions));
  return {
    ...(Object.keys(definitions).length > 0 && { securityDefinitions: definitions }),
    ...(security.length > 0 && { security }),
  };
}

export function toSwagger(spec: OpenApiDocument): SwaggerDocument {
  const schemas = spec.components.schemas ?? {};
  const names = definitionNames(schemas);
  const context: SchemaContext = {
    definitionOf: (ref) =>
      ref.startsWith(COMPONENT_PREFIX) ? names.get(ref.slice(COMPONENT_PREFIX.length)) : undefined,
  };
  const kinds = kindsOf(spec, names);
  const definitions: Record<string, JsonObject> = {};
  for (const name of [...new Set(names.values())].sort()) {
    const definition = convertSchema(schemas[ownerOf(name, schemas, names)], context);
    const gvk = kinds.get(name);
    if (gvk) definition['x-kubernetes-group-version-kind'] = gvk;
    definitions[name] = definition;
  }
  const info = (spec.info ?? {}) as { title?: unknown; version?: unknown };
  return {
    swagger: '2.0',
    info: { title: String(info.title ?? ''), version: String(info.version ?? '') },
    paths: convertPaths(spec, context),
    definitions,
    ...convertSecurity(spec),
  };
}

// What each operation of the spec does, derived from its path and its 200 schema, so that a new
// operation in the spec is served with no code change:
// - a GET whose path ends in `{name}` reads one object of the 200 schema's kind;
// - a GET with a literal subresource after `{name}` (`…/{name}/status`) reads the same object;
// - a GET whose 200 schema is a `FooList` with `items` lists the objects of kind Foo (or of the
//   items' schema when there is no Foo), in the `{namespace}` of the path or in all namespaces
//   when the path has none.
// - a POST on a collection path (a literal last segment) whose request body is a kind creates one;
// - a PUT on `{name}` or `{name}/<sub>` replaces it, a PATCH patches it (the media types of its
//   request body are the patch formats it takes), a DELETE on `{name}` deletes it.
// The resource (used in messages, "services") is the plural path segment before `{name}`, or the
// last segment of a list path. The kind is the component schema's name ("Service"): for writes the
// request body's schema, else the 200 response's, else that of another operation on the path.
import { deref, refName } from '@cci-openapi/spec-kit';
import type { CompiledOperation, CompiledRoute } from './routes.js';
import type { OpenApiDocument, ResponseObject } from './spec.js';

export type OperationRole =
  | { role: 'read'; kind: string; resource: string; subresource: string | undefined; namespaced: boolean }
  | { role: 'list'; kind: string; listKind: string; resource: string; namespaced: boolean; watchable: boolean }
  | { role: 'create'; kind: string; resource: string; subresource: string | undefined; namespaced: boolean }
  /** DELETE on a collection: kube-apiserver's deletecollection (served as a declared 405, see writes/serve.ts). */
  | { role: 'deletecollection'; kind: string; resource: string; namespaced: boolean }
  | { role: 'replace'; kind: string; resource: string; subresource: string | undefined; namespaced: boolean }
  | {
      role: 'patch';
      kind: string;
      resource: string;
      subresource: string | undefined;
      namespaced: boolean;
      mediaTypes: string[];
    }
  | { role: 'delete'; kind: string; resource: string; namespaced: boolean }
  /**
   * A GET of text about one object (`…/pods/{name}/log`: a 200 of `text/plain`). `kind` is the
   * object's, from the read of `…/{name}` when the spec has one (else nothing can be found).
   */
  | { role: 'text'; kind: string | undefined; resource: string; subresource: string; namespaced: boolean }
  /** A connect (`…/pods/{name}/exec`: a 200 of `*\/*`, any method): a stream to one object's container. */
  | { role: 'connect'; kind: string | undefined; resource: string; subresource: string; namespaced: boolean }
  | { role: 'unsupported'; why: string };

export type WriteRole = Extract<
  OperationRole,
  { role: 'create' | 'replace' | 'patch' | 'delete' | 'deletecollection' }
>;
export const isWriteRole = (role: OperationRole): role is WriteRole =>
  ['create', 'replace', 'patch', 'delete', 'deletecollection'].includes(role.role);

export const WATCH_MEDIA_TYPE = 'application/json;stream=watch';
/** The 200 media type of a connect operation (exec, attach, portforward): any bytes, any Accept. */
export const CONNECT_MEDIA_TYPE = '*/*';
const TEXT_MEDIA_TYPE = 'text/plain';

/** The media types of an operation's 200 response, as the spec declares them. */
export function okMediaTypes(spec: OpenApiDocument, operation: CompiledOperation): string[] {
  const ok = operation.operation.responses?.['200'];
  return ok ? Object.keys(deref<ResponseObject>(spec, ok).content ?? {}) : [];
}

/** `…/<resource>/{name}/<subresource>`: the three parts, or undefined for another shape. */
function subresourcePath(route: CompiledRoute): { resource: string; subresource: string } | undefined {
  const nameIndex = route.segments.findIndex((segment) => typeof segment !== 'string' && segment.param === 'name');
  const resource = route.segments[nameIndex - 1];
  const rest = route.segments.slice(nameIndex + 1);
  if (nameIndex <= 0 || typeof resource !== 'string' || rest.length !== 1 || typeof rest[0] !== 'string')
    return undefined;
  return { resource, subresource: rest[0] };
}

/** The kind read at `…/{name}` above a subresource path, when the spec has that read. */
function parentKind(spec: OpenApiDocument, route: CompiledRoute): string | undefined {
  const parent = route.template.slice(0, route.template.lastIndexOf('/'));
  const read = spec.paths[parent]?.get;
  if (!read) return undefined;
  const ref = schemaRefOf(spec, { method: 'get', operationId: '', operation: read, parameters: [] });
  return ref && refName(ref);
}

/** A connect or a text read (their 200 is `*\/*` or `text/plain`, not a kind); undefined otherwise. */
function streamRole(
  spec: OpenApiDocument,
  route: CompiledRoute,
  operation: CompiledOperation,
): OperationRole | undefined {
  const types = okMediaTypes(spec, operation);
  const connect = types.includes(CONNECT_MEDIA_TYPE);
  const text = operation.method === 'get' && types.includes(TEXT_MEDIA_TYPE) && !schemaRefOf(spec, operation);
  if (!connect && !text) return undefined;
  const at = subresourcePath(route);
  if (!at) return { role: 'unsupported', why: 'a connect or text read needs a path …/<resource>/{name}/<subresource>' };
  const namespaced = route.segments.some((segment) => typeof segment !== 'string' && segment.param === 'namespace');
  return { role: connect ? 'connect' : 'text', kind: parentKind(spec, route), ...at, namespaced };
}

function schemaRefOf(spec: OpenApiDocument, operation: CompiledOperation): string | undefined {
  const ok = operation.operation.responses?.['200'];
  if (!ok) return undefined;
  const schema = deref<ResponseObject>(spec, ok).content?.['application/json']?.schema as { $ref?: string } | undefined;
  return typeof schema?.$ref === 'string' ? schema.$ref : undefined;
}

/** The request body's media types and the $ref of their schema (the first that has one). */
function requestBodyOf(
  spec: OpenApiDocument,
  operation: CompiledOperation,
): { mediaTypes: string[]; ref: string | undefined } | undefined {
  const body = (operation.operation as { requestBody?: unknown }).requestBody;
  if (!body) return undefined;
  const content =
    deref<{ content?: Record<string, { schema?: { $ref?: string } }> }>(spec, body as never).content ?? {};
  const ref = Object.values(content).find((media) => typeof media.schema?.$ref === 'string')?.schema?.$ref;
  return { mediaTypes: Object.keys(content), ref };
}

/** The kind a path serves, from its other operations (a DELETE answers a Status, not the kind). */
function kindOfRoute(spec: OpenApiDocument, route: CompiledRoute): string | undefined {
  for (const other of route.operations.values()) {
    const ref = other.method === 'get' ? schemaRefOf(spec, other) : requestBodyOf(spec, other)?.ref;
    if (ref && other.method !== 'patch') return refName(ref);
  }
  return undefined;
}

function writeRole(spec: OpenApiDocument, route: CompiledRoute, operation: CompiledOperation): OperationRole {
  const namespaced = route.segments.some((segment) => typeof segment !== 'string' && segment.param === 'namespace');
  const nameIndex = route.segments.findIndex((segment) => typeof segment !== 'string' && segment.param === 'name');
  const body = requestBodyOf(spec, operation);
  const method = operation.method;
  const last = route.segments.at(-1);
  if (method === 'post') {
    // A POST to a subresource (pods/{name}/binding, …/eviction) creates an object of its body's kind too.
    const at = nameIndex === -1 ? undefined : subresourcePath(route);
    if ((nameIndex !== -1 && !at) || typeof last !== 'string' || !body?.ref)
      return { role: 'unsupported', why: 'a POST needs a collection path and a request body naming a kind' };
    return at
      ? { role: 'create', kind: refName(body.ref), resource: at.resource, subresource: at.subresource, namespaced }
      : { role: 'create', kind: refName(body.ref), resource: last, subresource: undefined, namespaced };
  }
  if (method === 'delete' && nameIndex === -1 && typeof last === 'string') {
    const kind = kindOfRoute(spec, route);
    if (!kind) return { role: 'unsupported', why: 'no schema of the path names its kind' };
    return { role: 'deletecollection', kind, resource: last, namespaced };
  }
  const rest = route.segments.slice(nameIndex + 1);
  const resource = route.segments[nameIndex - 1];
  if (nameIndex <= 0 || typeof resource !== 'string' || rest.length > 1 || rest.some((s) => typeof s !== 'string')) {
    return {
      role: 'unsupported',
      why: `a ${method.toUpperCase()} needs a path of the shape …/<resource>/{name}[/<subresource>]`,
    };
  }
  const subresource = rest[0] as string | undefined;
  const ref = method === 'put' ? body?.ref : schemaRefOf(spec, operation);
  const kind = (method === 'delete' ? undefined : ref && refName(ref)) ?? kindOfRoute(spec, route);
  if (!kind) return { role: 'unsupported', why: 'no schema of the path names its kind' };
  if (method === 'put') return { role: 'replace', kind, resource, subresource, namespaced };
  if (method === 'patch')
    return { role: 'patch', kind, resource, subresource, namespaced, mediaTypes: body?.mediaTypes ?? [] };
  if (method === 'delete' && subresource === undefined) return { role: 'delete', kind, resource, namespaced };
  return { role: 'unsupported', why: `the mock does not serve ${method.toUpperCase()} on a subresource` };
}

export function operationRole(
  spec: OpenApiDocument,
  route: CompiledRoute,
  operation: CompiledOperation,
): OperationRole {
  const stream = streamRole(spec, route, operation);
  if (stream) return stream;
  if (['post', 'put', 'patch', 'delete'].includes(operation.method)) return writeRole(spec, route, operation);
  if (operation.method !== 'get')
    return { role: 'unsupported', why: `the mock does not serve ${operation.method.toUpperCase()}` };
  const ref = schemaRefOf(spec, operation);
  if (!ref) return { role: 'unsupported', why: 'its 200 response has no application/json schema $ref naming a kind' };
  const kind = refName(ref);
  const namespaced = route.segments.some((segment) => typeof segment !== 'string' && segment.param === 'namespace');
  const nameIndex = route.segments.findIndex((segment) => typeof segment !== 'string' && segment.param === 'name');
  if (nameIndex > 0) {
    const rest = route.segments.slice(nameIndex + 1);
    const resource = route.segments[nameIndex - 1];
    if (typeof resource !== 'string' || rest.length > 1 || rest.some((s) => typeof s !== 'string')) {
      return { role: 'unsupported', why: 'its path does not have the shape …/<resource>/{name}[/<subresource>]' };
    }
    return { role: 'read', kind, resource, subresource: rest[0] as string | undefined, namespaced };
  }
  const schema = deref<{ properties?: { items?: { type?: string; items?: { $ref?: string } } } }>(spec, { $ref: ref });
  const itemRef = schema.properties?.items?.items?.$ref;
  const last = route.segments.at(-1);
  if (
    kind.endsWith('List') &&
    schema.properties?.items?.type === 'array' &&
    typeof itemRef === 'string' &&
    typeof last === 'string'
  ) {
    const ok = deref<ResponseObject>(spec, operation.operation.responses?.['200'] as ResponseObject);
    // Kubernetes' convention: FooList lists Foo. The items may have a schema of their own (kube-apiserver
    // leaves apiVersion and kind out of list items), so the kind is read from the list's name first.
    const itemKind = Object.hasOwn(spec.components.schemas ?? {}, kind.slice(0, -'List'.length))
      ? kind.slice(0, -'List'.length)
      : refName(itemRef);
    return {
      role: 'list',
      kind: itemKind,
      listKind: kind,
      resource: last,
      namespaced,
      watchable: Object.hasOwn(ok.content ?? {}, WATCH_MEDIA_TYPE),
    };
  }
  return { role: 'unsupported', why: `its 200 schema ${kind} is neither read by {name} nor a …List with items` };
}

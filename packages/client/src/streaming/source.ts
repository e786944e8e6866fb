import { type CciContext, type ContextCore, coreOf } from '../client/context.js';
import { CciInputError } from '../errors/classes.js';
import { createApiError, createResponseError } from '../errors/from-response.js';
import type { OperationFunction } from '../operation/define.js';
import type { ListDescriptor, OperationDescriptor } from '../operation/descriptor.js';
import { assertPathParam, compilePath } from '../operation/path-template.js';
import type { CallContext } from '../pipeline/pipeline.js';
import type { Clock } from '../transport/sleep.js';

/** What every listed or watched object has: its type meta and metadata (Kubernetes' ObjectMeta). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

/**
 * One page of a list (a `…List`, `metadata.resourceVersion` saying when it was read), its items
 * completed with the list's item `apiVersion` and `kind`, which kube-apiserver leaves out of list
 * items: so a listed object and a watched one are the same type.
 */
export interface ListPage<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A generated list operation (`listCoreV1NamespacedService` …): its descriptor says what it lists. */
export type ListOperation = OperationFunction<never, unknown, OperationDescriptor & { readonly list: ListDescriptor }>;

/** The object type a list operation's items have (its result's `items`). */
export type ItemOf<Op> = Op extends (...args: never[]) => Promise<infer R>
  ? R extends { items?: readonly (infer I)[] }
    ? I
    : never
  : never;

type PathKeys<D> = D extends { params: infer P }
  ? { [K in keyof P]: P[K] extends { in: 'path' } ? K : never }[keyof P]
  : never;

/** The path parameters of a list operation (`{ namespace }`, or none for a list across namespaces). */
export type PathParamsOf<Op> = Op extends { descriptor: infer D }
  ? Op extends (context: CciContext, ...rest: infer A) => unknown
    ? Pick<NonNullable<A[0]>, PathKeys<D> & keyof NonNullable<A[0]>>
    : never
  : never;

/** A GET for a live response body, through the context's pipeline (auth, middleware, limiter, retries of the opening, typed errors). */
export interface StreamRequest {
  /** Path and query under the client's base URL: must start with `/` (and stay on the base URL's origin). */
  path: string;
  signal: AbortSignal;
}

/** What opening a stream hands back: the response body, still arriving. */
export interface OpenedStream {
  body: ReadableStream<Uint8Array>;
  /** The credentials the request carried, cut out of an ERROR event's Status as out of any error. */
  secrets?: readonly string[];
}

/** The query of one page request (the selectors are the source's caller's). */
export interface PageQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  signal?: AbortSignal;
}

/**
 * What the generic lists, watches and informer work on: one list operation with its path
 * parameters bound. Made from a generated list operation by `listSource`; a wrapper may count or
 * bound its requests (waitForLoadBalancerIngress does).
 */
export interface ListSource<T> {
  /** The items' kind and apiVersion (from the operation's descriptor). */
  readonly kind: string;
  readonly apiVersion: string;
  /** The namespace a namespaced list is of; undefined for a list across namespaces (or of cluster-wide objects). */
  readonly namespace: string | undefined;
  /** One page, its items completed with apiVersion and kind. */
  list(query: PageQuery): Promise<ListPage<T>>;
  /** The path and query of a watch of this list (`?watch=true&…`); CciInputError when the operation has no watch. */
  watchPath(query: URLSearchParams): string;
  /** Opens a watch path made by watchPath. */
  openStream(request: StreamRequest): Promise<OpenedStream>;
  /** What pauses between relists and reconnects are measured on (the context's `clock`). */
  readonly clock: Clock;
}

/** The page of a list answer: its items completed with apiVersion and kind. */
function asPage<T>(list: unknown, descriptor: ListDescriptor): ListPage<T> {
  const page = list as ListPage<KubeObject>;
  if (!Array.isArray(page.items)) page.items = []; // an empty list may come without its items
  for (const item of page.items) {
    item.apiVersion ??= descriptor.apiVersion;
    item.kind ??= descriptor.kind;
  }
  return page as ListPage<T>;
}

/** The descriptor of a list operation; CciInputError for anything else. */
function listDescriptorOf(op: unknown): OperationDescriptor & { list: ListDescriptor } {
  const descriptor = (op as { descriptor?: OperationDescriptor } | undefined)?.descriptor;
  if (typeof op !== 'function' || descriptor?.list === undefined)
    throw new CciInputError(
      `${descriptor?.id ?? 'That'} is not a generated list operation (a GET answering a …List with items, such as listCoreV1NamespacedService).`,
    );
  return descriptor as OperationDescriptor & { list: ListDescriptor };
}

/** The path parameters among `params`, checked as any call's (missing, empty, a dot-segment: CciInputError). */
function pathParamsOf(descriptor: OperationDescriptor, params: object): Record<string, string> {
  if (typeof params !== 'object' || params === null) throw new CciInputError('The parameters must be an object.');
  const values = params as Record<string, unknown>;
  const path: Record<string, string> = {};
  for (const [name, declared] of Object.entries(descriptor.params)) {
    if (declared.in !== 'path') continue;
    const value = values[name];
    if (value === undefined)
      throw new CciInputError(`${name} is missing: ${descriptor.method} ${descriptor.path} needs it.`);
    assertPathParam(name, value); // empty, too long, a dot-segment …: CciInputError before any request
    path[name] = value;
  }
  return path;
}

/**
 * listSource for the generic lists, watches and informers, whose one parameter object holds the
 * operation's path parameters and these options: any other key is refused (CciInputError), so a
 * misspelt option does not pass unnoticed.
 */
export function checkedListSource<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: PathParamsOf<Op>,
  optionKeys: readonly string[],
): ListSource<ItemOf<Op>> {
  const descriptor = listDescriptorOf(op);
  if (typeof params === 'object' && params !== null) {
    const known = Object.keys(descriptor.params).filter((name) => descriptor.params[name]!.in === 'path');
    const unknown = Object.keys(params).find((key) => !known.includes(key) && !optionKeys.includes(key));
    if (unknown !== undefined)
      throw new CciInputError(
        `Unknown parameter ${JSON.stringify(unknown)} for ${descriptor.id}; it takes ${[...known, ...optionKeys].join(', ')}.`,
      );
  }
  return listSource(context, op, params);
}

/**
 * The source of one list operation on a context: `params` holds its path parameters (the
 * namespace of a namespaced list); everything else a list or watch asks for is given per request.
 */
export function listSource<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: PathParamsOf<Op>,
): ListSource<ItemOf<Op>> {
  const core = coreOf(context);
  const descriptor = listDescriptorOf(op);
  const pathParams = pathParamsOf(descriptor, params);
  const call = op as unknown as (context: CciContext, params: object) => Promise<unknown>;
  const basePath = compilePath(descriptor.path).fill(pathParams);
  return {
    kind: descriptor.list.kind,
    apiVersion: descriptor.list.apiVersion,
    namespace: descriptor.list.namespaced ? pathParams.namespace : undefined,
    clock: core.clock,
    list: async (query) => asPage(await call(context, { ...pathParams, ...query }), descriptor.list),
    watchPath(query) {
      if (!descriptor.list.watch)
        throw new CciInputError(`${descriptor.id} cannot be watched: it takes no watch parameter.`);
      return `${basePath}?${new URLSearchParams({ watch: 'true', ...Object.fromEntries(query) })}`;
    },
    openStream: (request) => openStream(core, request, { schemaPath: descriptor.path, pathParams }),
  };
}

/**
 * GETs a path under the base URL as a live stream (a watch), through the context's pipeline,
 * asking the transport for the live body instead of its text. Middleware is told `schemaPath`
 * (the path itself when not given) and the parameters.
 */
export async function openStream(
  core: ContextCore,
  { path, signal }: StreamRequest,
  template?: { schemaPath: string; pathParams: Record<string, string> },
): Promise<OpenedStream> {
  const url = streamUrl(core, path);
  const [pathname = '', search = ''] = path.split('?');
  const context = (): CallContext => ({
    schemaPath: template?.schemaPath ?? pathname,
    params: { path: template?.pathParams ?? {}, query: Object.fromEntries(new URLSearchParams(search)) },
  });
  const received = await core.send({ method: 'GET', url, signal, stream: true }, context);
  if (received.status < 200 || received.status > 299) throw createApiError(received, received.secrets);
  if (!received.body)
    throw createResponseError(received, 'InvalidResponse', 'the watch answer has no body.', received.secrets);
  return { body: received.body, secrets: received.secrets };
}

/**
 * The URL of a stream path: it must start with `/` (not `//`) and stay on the base URL's origin, so
 * that no path (`@host:port/x`, `//host/x`, `/\\host`) can carry the client's credentials elsewhere.
 */
function streamUrl({ baseUrl, origin }: ContextCore, path: unknown): string {
  // The base URL is absolute and the path starts with one slash, so the URL always parses.
  if (typeof path !== 'string' || !/^\/(?![/\\])/.test(path) || new URL(baseUrl + path).origin !== origin) {
    throw new CciInputError("openStream: path must start with one / and stay on the base URL's origin.");
  }
  return baseUrl + path;
}

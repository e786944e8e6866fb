import type { Service, ServiceList } from '@cci-openapi/types';
import { CciApiError, CciInputError, CciResponseError, isCciError } from '../errors/classes.js';
import type {
  ListCoreV1NamespacedServiceParams,
  ListCoreV1ServiceForAllNamespacesParams,
} from '../generated/operations.js';
import { assertPathParam } from '../operation/path-template.js';

/**
 * One page of Services (a ServiceList, `metadata.resourceVersion` saying when it was read), its
 * items completed with `apiVersion: 'v1'` and `kind: 'Service'`, which kube-apiserver leaves out of
 * list items: so a listed Service and a watched one are the same type.
 */
export type ServiceListPage = Omit<ServiceList, 'items'> & { items: Service[] };

/** The query both list operations take, beyond the namespace (the generated parameter type). */
export type ListQuery = ListCoreV1ServiceForAllNamespacesParams;

/**
 * The two generated list operations, as the client offers them (`client.<operationId>`). Lists,
 * watches and the informer need only these (and a stream opener), so they work on any object that
 * has them and every request takes the client's one pipeline.
 */
export interface ServiceListOperations {
  listCoreV1NamespacedService(params: ListCoreV1NamespacedServiceParams): Promise<ServiceList>;
  listCoreV1ServiceForAllNamespaces(params: ListCoreV1ServiceForAllNamespacesParams): Promise<ServiceList>;
}

export interface ListServicesParams {
  /** One namespace; all namespaces when left out. */
  namespace?: string;
  /** e.g. `app=redis,tier in (cache,db),!canary` */
  labelSelector?: string;
  /** `metadata.name=…` / `metadata.namespace=…` */
  fieldSelector?: string;
  /** Services per request (the `limit` query parameter). Default 500, as client-go's pager. */
  pageSize?: number;
  /**
   * Most pages one listing follows. Past it the listing ends with CciResponseError reason
   * `ResponseTooLarge`. Default 10 000 (5 million Services at the default page size).
   */
  maxPages?: number;
  /** Most Services one listing gathers; past it, CciResponseError reason `ResponseTooLarge`. Default 1 000 000. */
  maxItems?: number;
  signal?: AbortSignal;
}

export const LIST_DEFAULTS = Object.freeze({ pageSize: 500, maxPages: 10_000, maxItems: 1_000_000 });

/** A 410 answer: a `continue` token or a `resourceVersion` the server no longer has. */
export function isExpired(error: unknown): error is CciApiError {
  // The brand, not instanceof: the error may come from another copy of this package (WatchOperations is public).
  return isCciError(error, 'api') && error.status === 410;
}

export function checkPageSize(pageSize: unknown): number {
  return checkCount('pageSize', pageSize);
}

const LIST_KEYS = [
  'namespace',
  'labelSelector',
  'fieldSelector',
  'pageSize',
  'maxPages',
  'maxItems',
  'signal',
] as const;

/** The list parameters among a watch's or an informer's (those given). */
export function listParamsOf(from: ListServicesParams): ListServicesParams {
  return Object.fromEntries(LIST_KEYS.filter((key) => from[key] !== undefined).map((key) => [key, from[key]]));
}

/** A count option: its default when left out, else an integer ≥ 1 (CciInputError otherwise). */
function checkCount(name: keyof typeof LIST_DEFAULTS, value: unknown): number {
  if (value === undefined) return LIST_DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new CciInputError(`${name} must be an integer ≥ 1, got ${String(value)}.`);
  return value;
}

/**
 * The bounds of one listing, page after page: hands back the page's `continue` token (undefined at
 * the end), or throws a CciResponseError when the server repeats a token it gave before (reason
 * `InvalidResponse`: it would loop forever) or the listing passes maxPages or maxItems (reason
 * `ResponseTooLarge`). Checks the caps' values at once.
 */
export function pageGuard(params: ListServicesParams): (page: ServiceListPage) => string | undefined {
  const maxPages = checkCount('maxPages', params.maxPages);
  const maxItems = checkCount('maxItems', params.maxItems);
  const seen = new Set<string>();
  let pages = 0;
  let items = 0;
  return (page) => {
    pages++;
    items += page.items.length;
    const token = page.metadata.continue || undefined;
    const problem =
      items > maxItems || (token !== undefined && pages >= maxPages)
        ? `ResponseTooLarge: past ${items > maxItems ? `maxItems ${maxItems}` : `maxPages ${maxPages}`}`
        : token !== undefined && seen.has(token)
          ? `InvalidResponse: page ${pages} repeats an earlier continue token`
          : undefined;
    if (problem)
      throw new CciResponseError(`list: ${problem}.`, {
        status: 200,
        reason: problem.slice(0, problem.indexOf(':')) as 'InvalidResponse',
      });
    if (token !== undefined) seen.add(token);
    return token;
  };
}

function checkSelector(what: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string')
    throw new CciInputError(`${what} must be a string, got ${typeof value}.`);
}

/** The page request for `params`, namespaced or across all namespaces. */
export function listPageFn(
  ops: ServiceListOperations,
  params: ListServicesParams,
): (query: ListQuery) => Promise<ServiceListPage> {
  checkSelector('labelSelector', params.labelSelector);
  checkSelector('fieldSelector', params.fieldSelector);
  const selectors: ListQuery = {
    ...(params.labelSelector !== undefined && { labelSelector: params.labelSelector }),
    ...(params.fieldSelector !== undefined && { fieldSelector: params.fieldSelector }),
  };
  const { namespace } = params;
  if (namespace !== undefined) {
    assertPathParam('namespace', namespace);
    return async (query) => asPage(await ops.listCoreV1NamespacedService({ namespace, ...selectors, ...query }));
  }
  return async (query) => asPage(await ops.listCoreV1ServiceForAllNamespaces({ ...selectors, ...query }));
}

function asPage(list: ServiceList): ServiceListPage {
  if (!Array.isArray(list.items)) list.items = []; // an empty list may come without its items
  for (const item of list.items) {
    item.apiVersion ??= 'v1';
    item.kind ??= 'Service';
  }
  return list as ServiceListPage;
}

/**
 * The pages of a list, one request each, following `continue` until the server has no more. At
 * most two pages are held (the one in hand and the next, already on its way), so memory stays
 * bounded by `pageSize` however long the list.
 *
 * A server that repeats a `continue` token it gave before ends the listing with CciResponseError
 * reason `InvalidResponse`; one that goes on past `maxPages` or `maxItems`, reason `ResponseTooLarge`.
 *
 * An expired `continue` token (410 Expired: the server compacted the version the list was taken
 * at) ends the listing with that CciApiError, message saying how far it got. It is not retried
 * here: the pages already yielded would come again, silently duplicated. A caller that wants one
 * consistent picture lists again from the start; the informer and watches do that themselves.
 */
export async function* listServicePages(
  ops: ServiceListOperations,
  params: ListServicesParams = {},
): AsyncGenerator<ServiceListPage, void, undefined> {
  const pageSize = checkPageSize(params.pageSize);
  const request = listPageFn(ops, params);
  const guard = pageGuard(params);
  // The next page is asked for as soon as a page arrives, while the caller works through this one:
  // the round trip then overlaps the caller's work. So at most two pages are held, and a caller
  // that stops early makes the prefetch be aborted.
  const prefetch = new AbortController();
  const onAbort = () => prefetch.abort(params.signal!.reason);
  params.signal?.addEventListener('abort', onAbort, { once: true });
  if (params.signal?.aborted) prefetch.abort(params.signal.reason);
  const fetchPage = (token: string | undefined) => {
    const pending = request({
      limit: pageSize,
      ...(token !== undefined && { continue: token }),
      signal: prefetch.signal,
    });
    pending.catch(() => {}); // awaited below, or abandoned when the caller stops early
    return { token, pending };
  };
  let pages = 0;
  let items = 0;
  let next: { token: string | undefined; pending: Promise<ServiceListPage> } | undefined = fetchPage(undefined);
  try {
    while (next) {
      let page: ServiceListPage;
      try {
        page = await next.pending;
      } catch (error) {
        if (next.token !== undefined && isExpired(error)) throw expiredContinue(error, pages, items);
        throw error;
      }
      pages++;
      items += page.items.length;
      const token = guard(page);
      next = token === undefined ? undefined : fetchPage(token);
      yield page;
    }
  } finally {
    params.signal?.removeEventListener('abort', onAbort);
    if (next) prefetch.abort(new DOMException('the listing was stopped', 'AbortError'));
  }
}

/** listServicePages, one Service at a time. */
export async function* listServices(
  ops: ServiceListOperations,
  params: ListServicesParams = {},
): AsyncGenerator<Service, void, undefined> {
  for await (const page of listServicePages(ops, params)) yield* page.items;
}

function expiredContinue(error: CciApiError, pages: number, items: number): CciApiError {
  const copy = new CciApiError(
    `${error.message} — the list's continue token expired after ${pages} page${pages === 1 ? '' : 's'} (${items} Services); list again from the start.`,
    error,
  );
  copy.stack = error.stack;
  return copy;
}

/**
 * The whole list at one resourceVersion, for a relist (watch after 410, informer). Pages as
 * listServicePages does; when a continue token expires midway it starts over once, then falls
 * back to one unpaged request, as client-go's pager does (FullListIfExpired).
 */
export async function listAllServices(
  ops: ServiceListOperations,
  params: ListServicesParams,
): Promise<{ items: Service[]; resourceVersion: string }> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const items: Service[] = [];
    let resourceVersion = '';
    try {
      for await (const page of listServicePages(ops, params)) {
        for (const item of page.items) items.push(item);
        resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      }
      return { items, resourceVersion };
    } catch (error) {
      if (!isExpired(error)) throw error;
    }
  }
  const page = await listPageFn(ops, params)(params.signal ? { signal: params.signal } : {});
  return { items: page.items, resourceVersion: page.metadata.resourceVersion ?? '' };
}

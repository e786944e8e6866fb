import type { CciContext } from '../client/context.js';
import { CciApiError, CciInputError, CciResponseError, isCciError } from '../errors/classes.js';
import {
  type ItemOf,
  type ListOperation,
  type ListPage,
  type ListSource,
  checkedListSource,
  type PageQuery,
  type PathParamsOf,
} from './source.js';

/** How a list is taken: which objects, how many per page, at most how many in all. */
export interface ListOptions {
  /** e.g. `app=redis,tier in (cache,db),!canary` */
  labelSelector?: string;
  /** `metadata.name=…` / `metadata.namespace=…` */
  fieldSelector?: string;
  /** Objects per request (the `limit` query parameter). Default 500, as client-go's pager. */
  pageSize?: number;
  /**
   * Most pages one listing follows. Past it the listing ends with CciResponseError reason
   * `ResponseTooLarge`. Default 10 000 (5 million objects at the default page size).
   */
  maxPages?: number;
  /** Most objects one listing gathers; past it, CciResponseError reason `ResponseTooLarge`. Default 1 000 000. */
  maxItems?: number;
  signal?: AbortSignal;
}

/** The parameters of listPages / listItems / listAll: the operation's path parameters (a namespace) and the list options. */
export type ListParams<Op> = PathParamsOf<Op> & ListOptions;

export const LIST_DEFAULTS = Object.freeze({ pageSize: 500, maxPages: 10_000, maxItems: 1_000_000 });

/** A 410 answer: a `continue` token or a `resourceVersion` the server no longer has. */
export function isExpired(error: unknown): error is CciApiError {
  // The brand, not instanceof: the error may come from another copy of this package (WatchOperations is public).
  return isCciError(error, 'api') && error.status === 410;
}

export function checkPageSize(pageSize: unknown): number {
  return checkCount('pageSize', pageSize);
}

/** The options of a list (namespace and path parameters aside). */
const LIST_KEYS = ['labelSelector', 'fieldSelector', 'pageSize', 'maxPages', 'maxItems', 'signal'] as const;

/** The list options among a watch's or an informer's (those given). */
export function listOptionsOf(from: ListOptions): ListOptions {
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
export function pageGuard(params: ListOptions): (page: ListPage<unknown>) => string | undefined {
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

/** The page request of a source with these options' selectors (checked here: CciInputError). */
export function pageRequest<T>(
  source: ListSource<T>,
  options: ListOptions,
): (query: PageQuery) => Promise<ListPage<T>> {
  checkSelector('labelSelector', options.labelSelector);
  checkSelector('fieldSelector', options.fieldSelector);
  const selectors: PageQuery = {
    ...(options.labelSelector !== undefined && { labelSelector: options.labelSelector }),
    ...(options.fieldSelector !== undefined && { fieldSelector: options.fieldSelector }),
  };
  return (query) => source.list({ ...selectors, ...query });
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
export async function* sourcePages<T>(
  source: ListSource<T>,
  params: ListOptions = {},
): AsyncGenerator<ListPage<T>, void, undefined> {
  const pageSize = checkPageSize(params.pageSize);
  const request = pageRequest(source, params);
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
  let next: { token: string | undefined; pending: Promise<ListPage<T>> } | undefined = fetchPage(undefined);
  try {
    while (next) {
      let page: ListPage<T>;
      try {
        page = await next.pending;
      } catch (error) {
        if (next.token !== undefined && isExpired(error)) throw expiredContinue(error, pages, items, source.kind);
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

function expiredContinue(error: CciApiError, pages: number, items: number, kind: string): CciApiError {
  const kinds = items === 1 || kind.endsWith('s') ? kind : `${kind}s`;
  const copy = new CciApiError(
    `${error.message} — the list's continue token expired after ${pages} page${pages === 1 ? '' : 's'} (${items} ${kinds}); list again from the start.`,
    error,
  );
  copy.stack = error.stack;
  return copy;
}

/**
 * The whole list at one resourceVersion, for a relist (watch after 410, informer). Pages as
 * sourcePages does; when a continue token expires midway it starts over once, then falls
 * back to one unpaged request, as client-go's pager does (FullListIfExpired).
 */
export async function listAllOf<T>(
  source: ListSource<T>,
  params: ListOptions,
): Promise<{ items: T[]; resourceVersion: string }> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const items: T[] = [];
    let resourceVersion = '';
    try {
      for await (const page of sourcePages(source, params)) {
        for (const item of page.items) items.push(item);
        resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      }
      return { items, resourceVersion };
    } catch (error) {
      if (!isExpired(error)) throw error;
    }
  }
  const page = await pageRequest(source, params)(params.signal ? { signal: params.signal } : {});
  return { items: page.items, resourceVersion: page.metadata.resourceVersion ?? '' };
}

/**
 * The pages of any generated list operation (see sourcePages): `listPages(cci,
 * listCoreV1NamespacedService, { namespace, pageSize: 100 })`. Its path parameters (a namespace)
 * and the list options in one object.
 */
export async function* listPages<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: ListParams<Op>,
): AsyncGenerator<ListPage<ItemOf<Op>>, void, undefined> {
  yield* sourcePages(checkedListSource(context, op, params, LIST_KEYS), params);
}

/** listPages, one object at a time. */
export async function* listItems<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: ListParams<Op>,
): AsyncGenerator<ItemOf<Op>, void, undefined> {
  for await (const page of listPages(context, op, params)) yield* page.items;
}

/**
 * The whole list at one resourceVersion, in memory (bounded by maxItems): pages as listPages does,
 * and when a continue token expires midway starts over once, then takes it in one request, as
 * client-go's pager does.
 */
export async function listAll<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: ListParams<Op>,
): Promise<{ items: ItemOf<Op>[]; resourceVersion: string }> {
  return await listAllOf(checkedListSource(context, op, params, LIST_KEYS), params);
}

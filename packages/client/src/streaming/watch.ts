import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { Service, Status } from '@cci-openapi/types';
import { CciApiError, CciInputError, CciResponseError, isCciError } from '../errors/classes.js';
import {
  checkPageSize,
  isExpired,
  listAllServices,
  listPageFn,
  listParamsOf,
  pageGuard,
  type ListServicesParams,
  type ServiceListOperations,
  type ServiceListPage,
} from './list-pages.js';
import { LineTooLongError, ndjsonLines } from './ndjson.js';
import { encodePathParam } from '../operation/path-template.js';
import { isObject } from '../operation/response-body.js';
import { type Backoff, createBackoff } from './backoff.js';
import { redactValue, sanitizeForMessage, sanitizeText } from '@cci-openapi/internals/redact';
import { type Clock, REAL_CLOCK } from '../transport/sleep.js';

/** What `watchServices` yields. */
export type ServiceWatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Service }
  /** The server's progress mark: nothing changed up to `object.metadata.resourceVersion` (only with `allowBookmarks`). */
  | { type: 'BOOKMARK'; object: { kind?: string; apiVersion?: string; metadata: { resourceVersion: string } } }
  /**
   * The watch fell too far behind (410 Gone/Expired): it listed again, and `items` is the whole
   * current list at `resourceVersion`. Replace what you hold with it (objects missing from it were
   * deleted meanwhile); the events that follow are changes after it. client-go's reflector does
   * the same with its store.
   */
  | { type: 'RELISTED'; items: Service[]; resourceVersion: string };

export type ServiceWatchEventType = ServiceWatchEvent['type'];

export interface WatchServicesParams {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Start after this version. Left out, the watch first lists (pages of `pageSize`) and yields
   * every existing Service as ADDED, then the changes after that list — kube-apiserver's meaning of
   * a watch without a version, done as a list so that a resume after a dropped stream is exact.
   */
  resourceVersion?: string;
  /** Ask for BOOKMARK events, which keep the resume point fresh on a quiet watch. */
  allowBookmarks?: boolean;
  /** Closes the stream at once and ends the iteration with the signal's reason. */
  signal?: AbortSignal;
  /** Each stream's server-side length (`timeoutSeconds`); the watch then resumes. Default 5–10 min, random, as client-go. */
  timeoutSeconds?: number;
  /** Longest event line accepted, in bytes; a longer one ends the watch with CciResponseError reason `ResponseTooLarge`. Default 16 MiB. */
  maxLineBytes?: number;
  /** Page size of the initial list and of relists. Default 500. */
  pageSize?: number;
  /** Most pages of the initial list and of each relist (see ListServicesParams.maxPages). */
  maxPages?: number;
  /** Most Services of the initial list and of each relist (see ListServicesParams.maxItems). */
  maxItems?: number;
}

/** A request for a live response body, through the client's pipeline (auth, middleware, limiter, retries of the opening, typed errors). */
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

export interface WatchOperations extends ServiceListOperations {
  /** Rejects like any request (CciApiError for an error status, CciNetworkError, CciTimeoutError before the headers). */
  openStream(request: StreamRequest): Promise<OpenedStream>;
  /** What the pauses between relists and reconnects are measured on (the client's `clock`). Default: real time. */
  clock?: Clock;
}

export const WATCH_DEFAULTS = Object.freeze({ maxLineBytes: 16 * 1024 * 1024, minTimeoutSeconds: 300 });

const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/** The watch URL path (with its query) for these parameters. */
function watchPath(params: WatchServicesParams, resourceVersion: string | undefined, timeoutSeconds: number): string {
  const base =
    params.namespace === undefined
      ? '/api/v1/services'
      : `/api/v1/namespaces/${encodePathParam('namespace', params.namespace)}/services`;
  const query = new URLSearchParams({ watch: 'true' });
  if (params.labelSelector !== undefined) query.set('labelSelector', params.labelSelector);
  if (params.fieldSelector !== undefined) query.set('fieldSelector', params.fieldSelector);
  if (resourceVersion !== undefined) query.set('resourceVersion', resourceVersion);
  if (params.allowBookmarks) query.set('allowWatchBookmarks', 'true');
  query.set('timeoutSeconds', String(timeoutSeconds));
  return `${base}?${query}`;
}

function checkWatchParams(params: WatchServicesParams): void {
  if (typeof params !== 'object' || params === null)
    throw new CciInputError('watchServices needs a parameters object.');
  if (
    params.resourceVersion !== undefined &&
    (typeof params.resourceVersion !== 'string' || params.resourceVersion === '')
  ) {
    throw new CciInputError('resourceVersion must be a non-empty string (leave it out to list first).');
  }
  for (const key of ['timeoutSeconds', 'maxLineBytes'] as const) {
    const value = params[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
      throw new CciInputError(`${key} must be an integer ≥ 1, got ${String(value)}.`);
    }
  }
  checkPageSize(params.pageSize);
}

function badEvent(path: string, detail: string): CciResponseError {
  // \`detail\` quotes the server only through sanitizeForMessage.
  return new CciResponseError(`watch ${path.split('?')[0]}: InvalidResponse: ${detail}`, {
    status: 200,
    reason: 'InvalidResponse',
  });
}

/** An ERROR event's Status as the typed error an HTTP answer with that Status would give (redacted and depth-capped the same way). */
function watchErrorFrom(path: string, received: Status, secrets: readonly string[]): CciApiError {
  const status = redactValue(received, secrets);
  const code = typeof status.code === 'number' ? status.code : 500;
  return new CciApiError(
    `watch ${path.split('?')[0]} failed: ERROR event ${code}${status.reason ? ` ${sanitizeText(status.reason, secrets)}` : ''}: ${status.message === undefined ? 'no message' : sanitizeText(status.message, secrets, 1_000)}`,
    {
      status: code,
      ...(status.reason !== undefined && { reason: status.reason }),
      body: status,
    },
  );
}

type Parsed =
  | { kind: 'event'; event: Exclude<ServiceWatchEvent, { type: 'RELISTED' }>; resourceVersion: string | undefined }
  | { kind: 'error'; status: Status };

function parseEvent(path: string, line: string, secrets: readonly string[]): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw badEvent(path, `an event line is not JSON (${line.length} characters).`);
  }
  if (!isObject(value) || typeof value.type !== 'string' || !isObject(value.object))
    throw badEvent(path, 'an event is not {type, object}.');
  const { type, object } = value;
  if (type === 'ERROR') return { kind: 'error', status: object as Status };
  const metadata = object.metadata;
  if (!isObject(metadata))
    throw badEvent(path, `a ${sanitizeForMessage(type, secrets)} event's object has no metadata.`);
  const resourceVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
  if (type === 'BOOKMARK') {
    if (resourceVersion === undefined) throw badEvent(path, 'a BOOKMARK event has no resourceVersion.');
    return {
      kind: 'event',
      event: { type, object: object as { metadata: { resourceVersion: string } } },
      resourceVersion,
    };
  }
  if (!OBJECT_EVENTS.has(type)) throw badEvent(path, `unknown event type ${sanitizeForMessage(type, secrets)}.`);
  if (object.kind !== undefined && object.kind !== 'Service') {
    throw badEvent(path, `a ${type} event carries a ${sanitizeForMessage(object.kind, secrets)}, not a Service.`);
  }
  return { kind: 'event', event: { type: type as 'ADDED', object: object as unknown as Service }, resourceVersion };
}

function defaultTimeoutSeconds(): number {
  // Spread over [5, 10) min so that many watchers started together do not all reconnect together.
  return Math.floor(WATCH_DEFAULTS.minTimeoutSeconds * (1 + Math.random()));
}

/**
 * Watches Services: an endless async iterator of typed events (break out of the loop, or abort
 * `signal`, to stop; either closes the HTTP stream at once).
 *
 * - The stream is newline-delimited JSON, parsed as it arrives, each line bounded by `maxLineBytes`.
 * - When the server ends a stream (its `timeoutSeconds`, a dropped connection) the watch opens the
 *   next from the last resourceVersion seen (an event's or a bookmark's), so no change is lost or
 *   repeated. A stream that ended before it had been up for a while (10 s, and at least the last
 *   pause) is reopened only after a pause of the shared back-off: 800 ms doubling to 30 s, with
 *   jitter (client-go's reflector); events or BOOKMARKs on it do not reset the back-off.
 * - Too old a version (HTTP 410, or an ERROR event with code 410) relists after the next pause of
 *   that back-off and re-watches, and says so with a RELISTED event.
 * - Any other ERROR event ends the watch with a CciApiError carrying its Status; opening a stream
 *   fails with the client's usual errors.
 */
export function watchServices(
  ops: WatchOperations,
  params: WatchServicesParams,
): AsyncGenerator<ServiceWatchEvent, void, undefined> {
  return watchWithBackoff(ops, params, createBackoff());
}

/** watchServices with a back-off the caller keeps (the informer's, which outlives one watch). */
export async function* watchWithBackoff(
  ops: WatchOperations,
  params: WatchServicesParams,
  backoff: Backoff,
): AsyncGenerator<ServiceWatchEvent, void, undefined> {
  checkWatchParams(params);
  const clock = ops.clock ?? REAL_CLOCK;
  const listParams = listParamsOf(params);

  listPageFn(ops, listParams); // checks namespace and selectors before any request
  const maxLineBytes = params.maxLineBytes ?? WATCH_DEFAULTS.maxLineBytes;
  const { signal } = params;

  let resourceVersion = params.resourceVersion;
  if (resourceVersion === undefined) {
    resourceVersion = (yield* initialList(ops, listParams)) || undefined;
  }

  for (;;) {
    signal?.throwIfAborted();
    const timeoutSeconds = params.timeoutSeconds ?? defaultTimeoutSeconds();
    const path = watchPath(params, resourceVersion, timeoutSeconds);
    const connection = new AbortController();
    const onAbort = () => connection.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    // The server should end the stream after timeoutSeconds; if it does not (a proxy holding a
    // dead connection open), end it here a little later and resume.
    const watchdog = setTimeout(
      () => connection.abort(new Error('watch stream outlived its timeoutSeconds')),
      clampDelay(timeoutSeconds * 1000 + 15_000),
    );
    const started = clock.now();
    let gone = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let secrets: readonly string[] = [];
    try {
      try {
        const opened = await ops.openStream({ path, signal: connection.signal });
        secrets = opened.secrets ?? [];
        reader = opened.body.getReader();
      } catch (error) {
        if (!isExpired(error)) throw error;
        gone = true;
      }
      if (reader) {
        try {
          for await (const line of ndjsonLines(reader, maxLineBytes)) {
            const parsed = parseEvent(path, line, secrets);
            if (parsed.kind === 'error') {
              if (parsed.status.code === 410) {
                gone = true;
                break;
              }
              throw watchErrorFrom(path, parsed.status, secrets);
            }
            if (parsed.resourceVersion !== undefined) resourceVersion = parsed.resourceVersion;
            yield parsed.event;
          }
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (error instanceof LineTooLongError) {
            throw new CciResponseError(
              `watch ${path.split('?')[0]}: ResponseTooLarge: ${error.message} (maxLineBytes).`,
              {
                status: 200,
                reason: 'ResponseTooLarge',
              },
            );
          }
          if (isCciError(error)) throw error;
          // Anything else is the connection going away mid-stream (undici's "terminated", a reset,
          // the watchdog): resume below from the last version seen.
        }
      }
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
      // Closes the connection now, whether the loop ended, failed or the caller broke out of it.
      connection.abort();
      reader?.cancel().catch(() => {});
    }
    signal?.throwIfAborted();
    // Only a stream that stayed up a while resets the back-off; an event or a BOOKMARK does not.
    const healthy = backoff.streamRan(clock.now() - started);
    if (gone) {
      // Every relist waits its step of the back-off: a server that answers 410 to every watch
      // gets one list per step (800 ms, 1.6 s … 30 s), not thousands a second.
      await clock.sleep(backoff.next(), signal);
      const relisted = await listAllServices(ops, listParams);
      resourceVersion = relisted.resourceVersion;
      yield { type: 'RELISTED', items: relisted.items, resourceVersion: relisted.resourceVersion };
      continue;
    }
    if (!healthy) await clock.sleep(backoff.next(), signal);
  }
}

/** The list a watch without a version starts from: each Service as ADDED; returns the list's version. */
async function* initialList(
  ops: WatchOperations,
  listParams: ListServicesParams,
): AsyncGenerator<ServiceWatchEvent, string, undefined> {
  const request = listPageFn(ops, listParams);
  const limit = checkPageSize(listParams.pageSize);
  const guard = pageGuard(listParams);
  let token: string | undefined;
  let resourceVersion = '';
  let yielded = 0;
  do {
    let page: ServiceListPage;
    try {
      page = await request({
        limit,
        ...(token !== undefined && { continue: token }),
        ...(listParams.signal && { signal: listParams.signal }),
      });
    } catch (error) {
      if (token === undefined || !isExpired(error)) throw error;
      // Expired midway: some ADDEDs are out already, so the consumer gets the whole list instead.
      const relisted = await listAllServices(ops, listParams);
      yield { type: 'RELISTED', items: relisted.items, resourceVersion: relisted.resourceVersion };
      return relisted.resourceVersion;
    }
    // Every page of one list is at the first page's version; the watch starts after it.
    if (yielded === 0 || !resourceVersion) resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
    token = guard(page);
    for (const object of page.items) {
      yielded++;
      yield { type: 'ADDED', object };
    }
  } while (token !== undefined);
  return resourceVersion;
}

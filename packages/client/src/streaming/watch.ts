import type { Status } from '@cci-openapi/types';
import type { CciContext } from '../client/context.js';
import { CciApiError, CciInputError, CciResponseError, isCciError } from '../errors/classes.js';
import { redactValue, sanitizeForMessage, sanitizeText } from '@cci-openapi/internals/redact';
import { isObject } from '../operation/response-body.js';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { Clock } from '../transport/sleep.js';
import { type Backoff, createBackoff } from './backoff.js';
import {
  checkPageSize,
  isExpired,
  type ListOptions,
  listAllOf,
  listOptionsOf,
  pageGuard,
  pageRequest,
} from './list-pages.js';
import { LineTooLongError, ndjsonLines } from './ndjson.js';
import {
  type ItemOf,
  type ListOperation,
  type ListPage,
  type ListSource,
  checkedListSource,
  type PathParamsOf,
} from './source.js';

/** What a watch yields: typed events of the list's item kind. */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** The server's progress mark: nothing changed up to `object.metadata.resourceVersion` (only with `allowBookmarks`). */
  | { type: 'BOOKMARK'; object: { kind?: string; apiVersion?: string; metadata: { resourceVersion: string } } }
  /**
   * The watch fell too far behind (410 Gone/Expired): it listed again, and `items` is the whole
   * current list at `resourceVersion`. Replace what you hold with it (objects missing from it were
   * deleted meanwhile); the events that follow are changes after it. client-go's reflector does
   * the same with its store.
   */
  | { type: 'RELISTED'; items: T[]; resourceVersion: string };

export interface WatchOptions extends ListOptions {
  /**
   * Start after this version. Left out, the watch first lists (pages of `pageSize`) and yields
   * every existing object as ADDED, then the changes after that list — kube-apiserver's meaning of
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
}

/** The parameters of watchList: the operation's path parameters (a namespace) and the watch options. */
export type WatchParams<Op> = PathParamsOf<Op> & WatchOptions;

/** The options of a watch (path parameters aside). */
// Written out, not spread from LIST_KEYS: a literal costs a bundle nothing when unused.
const WATCH_KEYS = [
  'labelSelector',
  'fieldSelector',
  'pageSize',
  'maxPages',
  'maxItems',
  'signal',
  'resourceVersion',
  'allowBookmarks',
  'timeoutSeconds',
  'maxLineBytes',
] as const satisfies readonly (keyof WatchOptions)[];

export const WATCH_DEFAULTS = Object.freeze({ maxLineBytes: 16 * 1024 * 1024, minTimeoutSeconds: 300 });

const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/** The query of one watch stream, in the order client-go sends it. */
function watchQuery(
  params: WatchOptions,
  resourceVersion: string | undefined,
  timeoutSeconds: number,
): URLSearchParams {
  const query = new URLSearchParams();
  if (params.labelSelector !== undefined) query.set('labelSelector', params.labelSelector);
  if (params.fieldSelector !== undefined) query.set('fieldSelector', params.fieldSelector);
  if (resourceVersion !== undefined) query.set('resourceVersion', resourceVersion);
  if (params.allowBookmarks) query.set('allowWatchBookmarks', 'true');
  query.set('timeoutSeconds', String(timeoutSeconds));
  return query;
}

function checkWatchParams(params: WatchOptions): void {
  if (typeof params !== 'object' || params === null) throw new CciInputError('A watch needs a parameters object.');
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

type Parsed<T> =
  | { kind: 'event'; event: Exclude<WatchEvent<T>, { type: 'RELISTED' }>; resourceVersion: string | undefined }
  | { kind: 'error'; status: Status };

/** One line of a watch stream of `kind` objects, checked: an event, or an ERROR event's Status. */
function parseEvent<T>(kind: string, path: string, line: string, secrets: readonly string[]): Parsed<T> {
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
  if (object.kind !== undefined && object.kind !== kind) {
    throw badEvent(path, `a ${type} event carries a ${sanitizeForMessage(object.kind, secrets)}, not a ${kind}.`);
  }
  return { kind: 'event', event: { type: type as 'ADDED', object: object as T }, resourceVersion };
}

function defaultTimeoutSeconds(): number {
  // Spread over [5, 10) min so that many watchers started together do not all reconnect together.
  return Math.floor(WATCH_DEFAULTS.minTimeoutSeconds * (1 + Math.random()));
}

/**
 * Watches a list: an endless async iterator of typed events (break out of the loop, or abort
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
export function watchSource<T>(
  source: ListSource<T>,
  params: WatchOptions,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  return watchWithBackoff(source, params, createBackoff());
}

/**
 * Watches any generated list operation that takes `watch` (see watchSource): `watchList(cci,
 * listCoreV1NamespacedService, { namespace, resourceVersion })`, typed by its item kind.
 */
export async function* watchList<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: WatchParams<Op>,
): AsyncGenerator<WatchEvent<ItemOf<Op>>, void, undefined> {
  const source = checkedListSource(context, op, params, WATCH_KEYS);
  source.watchPath(new URLSearchParams()); // an operation without `watch`: CciInputError before any request
  yield* watchSource(source, params);
}

/** watchSource with a back-off the caller keeps (the informer's, which outlives one watch). */
export async function* watchWithBackoff<T>(
  source: ListSource<T>,
  params: WatchOptions,
  backoff: Backoff,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  checkWatchParams(params);
  const clock: Clock = source.clock;
  const listOptions = listOptionsOf(params);
  pageRequest(source, listOptions); // checks the selectors before any request
  const { signal } = params;
  const at = { resourceVersion: params.resourceVersion };
  if (at.resourceVersion === undefined) at.resourceVersion = (yield* initialList(source, listOptions)) || undefined;
  for (;;) {
    signal?.throwIfAborted();
    const timeoutSeconds = params.timeoutSeconds ?? defaultTimeoutSeconds();
    const path = source.watchPath(watchQuery(params, at.resourceVersion, timeoutSeconds));
    const started = clock.now();
    const gone = yield* oneStream(source, path, params, timeoutSeconds, at);
    signal?.throwIfAborted();
    // Only a stream that stayed up a while resets the back-off; an event or a BOOKMARK does not.
    const healthy = backoff.streamRan(clock.now() - started);
    if (gone) {
      // Every relist waits its step of the back-off: a server that answers 410 to every watch
      // gets one list per step (800 ms, 1.6 s … 30 s), not thousands a second.
      await clock.sleep(backoff.next(), signal);
      const relisted = await listAllOf(source, listOptions);
      at.resourceVersion = relisted.resourceVersion;
      yield { type: 'RELISTED', items: relisted.items, resourceVersion: relisted.resourceVersion };
      continue;
    }
    if (!healthy) await clock.sleep(backoff.next(), signal);
  }
}

/**
 * One watch stream, opened and read to its end: yields its events (moving `at.resourceVersion`
 * on) and returns whether the server said the version is gone (410), so the caller relists.
 */
async function* oneStream<T>(
  source: ListSource<T>,
  path: string,
  params: WatchOptions,
  timeoutSeconds: number,
  at: { resourceVersion: string | undefined },
): AsyncGenerator<WatchEvent<T>, boolean, undefined> {
  const { signal } = params;
  const connection = new AbortController();
  const onAbort = () => connection.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // The server should end the stream after timeoutSeconds; if it does not (a proxy holding a
  // dead connection open), end it here a little later and resume.
  const watchdog = setTimeout(
    () => connection.abort(new Error('watch stream outlived its timeoutSeconds')),
    clampDelay(timeoutSeconds * 1000 + 15_000),
  );
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    let secrets: readonly string[];
    try {
      const opened = await source.openStream({ path, signal: connection.signal });
      secrets = opened.secrets ?? [];
      reader = opened.body.getReader();
    } catch (error) {
      if (!isExpired(error)) throw error;
      return true;
    }
    return yield* readEvents(source.kind, path, reader, secrets, params, at);
  } finally {
    clearTimeout(watchdog);
    signal?.removeEventListener('abort', onAbort);
    // Closes the connection now, whether the loop ended, failed or the caller broke out of it.
    connection.abort();
    reader?.cancel().catch(() => {});
  }
}

/** The events of an open stream, until it ends; returns true on an ERROR event with code 410. */
async function* readEvents<T>(
  kind: string,
  path: string,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  secrets: readonly string[],
  params: WatchOptions,
  at: { resourceVersion: string | undefined },
): AsyncGenerator<WatchEvent<T>, boolean, undefined> {
  try {
    for await (const line of ndjsonLines(reader, params.maxLineBytes ?? WATCH_DEFAULTS.maxLineBytes)) {
      const parsed = parseEvent<T>(kind, path, line, secrets);
      if (parsed.kind === 'error') {
        if (parsed.status.code === 410) return true;
        throw watchErrorFrom(path, parsed.status, secrets);
      }
      if (parsed.resourceVersion !== undefined) at.resourceVersion = parsed.resourceVersion;
      yield parsed.event;
    }
  } catch (error) {
    if (params.signal?.aborted) throw params.signal.reason;
    if (error instanceof LineTooLongError) {
      throw new CciResponseError(`watch ${path.split('?')[0]}: ResponseTooLarge: ${error.message} (maxLineBytes).`, {
        status: 200,
        reason: 'ResponseTooLarge',
      });
    }
    if (isCciError(error)) throw error;
    // Anything else is the connection going away mid-stream (undici's "terminated", a reset,
    // the watchdog): the caller resumes from the last version seen.
  }
  return false;
}

/** The list a watch without a version starts from: each object as ADDED; returns the list's version. */
async function* initialList<T>(
  source: ListSource<T>,
  listOptions: ListOptions,
): AsyncGenerator<WatchEvent<T>, string, undefined> {
  const request = pageRequest(source, listOptions);
  const limit = checkPageSize(listOptions.pageSize);
  const guard = pageGuard(listOptions);
  let token: string | undefined;
  let resourceVersion = '';
  let yielded = 0;
  do {
    let page: ListPage<T>;
    try {
      page = await request({
        limit,
        ...(token !== undefined && { continue: token }),
        ...(listOptions.signal && { signal: listOptions.signal }),
      });
    } catch (error) {
      if (token === undefined || !isExpired(error)) throw error;
      // Expired midway: some ADDEDs are out already, so the consumer gets the whole list instead.
      const relisted = await listAllOf(source, listOptions);
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

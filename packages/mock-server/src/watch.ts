// Watch streams with kube-apiserver's semantics (its watch cache, k8s.io/apiserver cacher):
// - no resourceVersion (or "0"): a synthetic ADDED per existing object, then the changes;
// - a resourceVersion: the changes after it; one older than the kept history → an ERROR event
//   carrying a 410 Expired Status, then the end of the stream;
// - selectors apply to changes: an object that stops matching is sent as DELETED (its previous
//   content with the change's resourceVersion), one that starts matching as ADDED;
// - BOOKMARK events (kind, apiVersion and metadata.resourceVersion only) when allowWatchBookmarks;
// - the stream ends after timeoutSeconds (default: a random 30–60 min, as kube-apiserver's
//   --min-request-timeout gives).
// Events are newline-delimited JSON, one per line.
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { Status } from '@cci-openapi/types';
import { fieldsMatch, labelsMatch } from './selectors.js';
import { parseResourceVersion, type ListOptions, type ListProblem } from './list-options.js';
import type { ListScope } from './list.js';
import type { KubeObject, ObjectStore, StoreChange } from './store.js';

/** Where a watch writes: the server turns this into a chunked HTTP response. */
export interface WatchSink {
  /** Writes one line; returns false when the client is not keeping up. */
  write(line: string): boolean;
  end(): void;
  /** Bytes waiting to be sent. */
  backlog(): number;
  /** Registers what to do when the connection closes (client gone, or server closing). */
  onClose(callback: () => void): void;
}

export interface WatchSettings {
  /** Milliseconds between BOOKMARK events when bookmarks are allowed (default 60 000, as kube-apiserver). */
  bookmarkIntervalMs?: number;
  /** A client this far behind (bytes buffered) is dropped, as kube-apiserver drops slow watchers (default 16 MiB). */
  maxBacklogBytes?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Checks the watch's starting point before the response starts: a malformed one is a plain 400. */
export function checkWatchStart(options: ListOptions): ListProblem | undefined {
  const wanted = parseResourceVersion(options.resourceVersion);
  return typeof wanted === 'number' ? undefined : wanted.problem;
}

// Over ~60 lines on purpose: one closure over a watch's state (its sink, start revision, bookmark and
// timeout timers, the slow-client bound) so that every exit path clears the same timers.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one closure over a watch's state, so every exit clears the same timers (see above)
export function startWatch(
  store: ObjectStore,
  scope: ListScope,
  options: ListOptions,
  sink: WatchSink,
  settings: WatchSettings & { expired: (message: string) => Status },
): void {
  const inScope = (object: KubeObject | undefined) =>
    object !== undefined && (scope.namespace === undefined || object.metadata.namespace === scope.namespace);
  const matches = (object: KubeObject | undefined) =>
    inScope(object) &&
    labelsMatch(options.labelSelector, object?.metadata.labels) &&
    fieldsMatch(options.fieldSelector, (object as KubeObject).metadata);

  let open = true;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const finish = () => {
    if (!open) return;
    open = false;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    sink.end();
  };
  sink.onClose(finish);
  const send = (type: WatchEventType, object: unknown) => {
    if (!open) return;
    sink.write(`${JSON.stringify({ type, object })}\n`);
    if (sink.backlog() > (settings.maxBacklogBytes ?? 16 * 1024 * 1024)) finish();
  };

  const start = parseResourceVersion(options.resourceVersion) as number;

  /** What a watcher with these selectors sees of one change (cacher's convertToWatchEvent). */
  const deliver = (change: StoreChange) => {
    // A watch from a future version sees only what comes after it, as kube-apiserver's watch cache.
    if (change.kind !== scope.kind || change.resourceVersion <= start) return;
    const now = change.type !== 'DELETED' && matches(change.object);
    const before = matches(change.previous);
    if (now && !before) send('ADDED', change.object);
    else if (now && before) send('MODIFIED', change.object);
    else if (!now && before) {
      send('DELETED', {
        ...change.previous,
        metadata: { ...change.previous?.metadata, resourceVersion: String(change.resourceVersion) },
      });
    }
  };

  if (start === 0) {
    // The current state as synthetic ADDED events, then every change after it.
    for (const object of store.list<KubeObject>({
      kind: scope.kind,
      ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
    })) {
      if (matches(object)) send('ADDED', object);
    }
    unsubscribe = store.subscribe(deliver);
  } else {
    const missed = store.changesSince(start);
    if (!missed) {
      send('ERROR', settings.expired(`too old resource version: ${start} (${store.compactedRevision()})`));
      finish();
      return;
    }
    for (const change of missed) deliver(change);
    unsubscribe = store.subscribe(deliver);
  }

  if (options.allowWatchBookmarks) {
    const bookmark = () =>
      send('BOOKMARK', {
        kind: scope.kind,
        apiVersion: scope.apiVersion,
        metadata: { resourceVersion: store.resourceVersion() },
      });
    // Clamped (clampDelay): an interval past 2^31-1 ms would fire every millisecond.
    const interval = setInterval(bookmark, clampDelay(settings.bookmarkIntervalMs ?? 60_000));
    interval.unref();
    timers.push(interval);
  }
  const timeoutMs =
    options.timeoutSeconds !== undefined && options.timeoutSeconds > 0
      ? options.timeoutSeconds * 1000
      : (1800 + Math.random() * 1800) * 1000;
  const timeout = setTimeout(() => {
    // kube-apiserver's watch cache sends a last bookmark shortly before it ends a stream.
    if (options.allowWatchBookmarks)
      send('BOOKMARK', {
        kind: scope.kind,
        apiVersion: scope.apiVersion,
        metadata: { resourceVersion: store.resourceVersion() },
      });
    finish();
  }, clampDelay(timeoutMs));
  timeout.unref();
  timers.push(timeout);
}

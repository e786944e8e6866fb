import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { Service } from '@cci-openapi/types';
import { CciInputError } from '../errors/classes.js';
import { BACKOFF_DEFAULTS, createBackoff } from './backoff.js';
import { checkPageSize, listAllServices, listPageFn, listParamsOf, pageGuard } from './list-pages.js';
import { sanitizeForMessage } from '@cci-openapi/internals/redact';
import { REAL_CLOCK } from '../transport/sleep.js';
import { watchWithBackoff, type WatchOperations } from './watch.js';

export interface ServiceInformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Every `resyncMs`, emit `update(service, service)` for each cached Service (client-go's resync),
   * for handlers that reconcile. Off by default. Longer than a timer can hold (about 24.8 days) counts as that.
   */
  resyncMs?: number;
  /** Page size of the lists. Default 500. */
  pageSize?: number;
  /** Most pages of one list (see ListServicesParams.maxPages). */
  maxPages?: number;
  /** Most Services of one list (see ListServicesParams.maxItems). */
  maxItems?: number;
  /**
   * First pause of the back-off before a relist, a reconnect or a restart after an error; doubles
   * per step up to 30 s, with jitter, and starts over only after a stream stayed up a while.
   * Default 800 ms (client-go's reflector).
   */
  restartDelayMs?: number;
}

/** The informer's events and their handlers' types. */
export interface ServiceInformerEvents {
  add: (service: Service) => void;
  /** A changed Service (or, on resync, the same one twice). */
  update: (service: Service, old: Service) => void;
  /** The Service as last seen before it went. */
  delete: (service: Service) => void;
  /** add, update and delete in one handler (client-node's `change`). */
  change: (service: Service) => void;
  /** A list or watch failed; the informer restarts after a pause (watching on from the last version when it has one). */
  error: (error: unknown) => void;
  /** A list or watch connection is being opened. */
  connect: () => void;
  /** The cache was replaced by a fresh list (the first one, or after the watch fell behind with 410). */
  relist: (resourceVersion: string) => void;
  /** The server sent something the informer ignored: an object of another kind, or outside its namespace. */
  warning: (message: string) => void;
}

export type ServiceInformerEvent = keyof ServiceInformerEvents;

export interface ServiceInformer {
  /** Resolves once the first list is in the cache; rejects if the informer is stopped before. */
  synced(): Promise<void>;
  /** The cached Service, or undefined. */
  get(namespace: string, name: string): Service | undefined;
  /** The cached Services, of one namespace or all. */
  list(namespace?: string): Service[];
  /** The version the cache is at (of the last list, event or bookmark); '' before the first list. */
  latestResourceVersion(): string;
  /** Adds a handler; returns a function that removes it. */
  on<E extends ServiceInformerEvent>(event: E, handler: ServiceInformerEvents[E]): () => void;
  off<E extends ServiceInformerEvent>(event: E, handler: ServiceInformerEvents[E]): void;
  /** Starts again after stop() (with a fresh list). The informer starts by itself when created. */
  start(): void;
  /** Closes the watch and stops resyncing; resolves when the stream is closed. The cache stays readable. */
  stop(): Promise<void>;
}

const EVENTS: readonly ServiceInformerEvent[] = [
  'add',
  'update',
  'delete',
  'change',
  'error',
  'connect',
  'relist',
  'warning',
];

const keyOf = (service: Service) => `${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;

function positiveOption(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))) {
    throw new CciInputError(`${name} must be a positive number of ms, got ${String(value)}.`);
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // nobody has to ask
  const state = {
    promise,
    rejected: false,
    resolve,
    reject: (error: unknown) => {
      state.rejected = true;
      reject(error);
    },
  };
  return state;
}

/**
 * List-then-watch into a local cache, as client-go's informer and client-node's makeInformer, and
 * more than the latter: it restarts by itself after an error (client-node's stops until start() is
 * called again), resumes its watch from the last version instead of relisting, relists only on
 * 410, and types each event's handler.
 */
export function createServiceInformer(ops: WatchOperations, options: ServiceInformerOptions = {}): ServiceInformer {
  if (typeof options !== 'object' || options === null)
    throw new CciInputError('createServiceInformer needs an options object.');
  positiveOption('resyncMs', options.resyncMs);
  positiveOption('restartDelayMs', options.restartDelayMs);
  const selection = listParamsOf(options);

  listPageFn(ops, selection); // checks the selection before anything starts
  checkPageSize(options.pageSize);
  pageGuard(selection); // checks maxPages and maxItems
  const clock = ops.clock ?? REAL_CLOCK;

  const cache = new Map<string, Service>();
  const handlers = Object.fromEntries(EVENTS.map((event) => [event, new Set<(...args: never[]) => void>()])) as {
    [E in ServiceInformerEvent]: Set<ServiceInformerEvents[E]>;
  };
  let resourceVersion = '';
  let running:
    | { controller: AbortController; done: Promise<void>; resync?: ReturnType<typeof setInterval> }
    | undefined;

  let isSynced = false;
  let synced = deferred();
  function emit<E extends ServiceInformerEvent>(event: E, ...args: Parameters<ServiceInformerEvents[E]>): void {
    for (const handler of [...handlers[event]]) {
      try {
        (handler as (...a: Parameters<ServiceInformerEvents[E]>) => void)(...args);
      } catch (error) {
        // A throwing handler must not stop the informer or the other handlers.
        if (event !== 'error') emit('error', error);
      }
    }
  }

  /** Whether an object is one this informer caches: a Service, of its namespace when it has one. */
  function inScope(service: Service): boolean {
    const kind = service.kind ?? 'Service';
    const namespace = service.metadata?.namespace;
    if (kind === 'Service' && (options.namespace === undefined || namespace === options.namespace)) return true;
    emit('warning', `ignored ${sanitizeForMessage(`${kind} ${namespace}/${service.metadata?.name}`)}: out of scope.`);
    return false;
  }

  function upsert(service: Service): void {
    if (!inScope(service)) return;
    const key = keyOf(service);
    const old = cache.get(key);
    cache.set(key, service);
    if (old === undefined) {
      emit('add', service);
      emit('change', service);
    } else if (
      old.metadata.resourceVersion === undefined ||
      old.metadata.resourceVersion !== service.metadata.resourceVersion
    ) {
      emit('update', service, old);
      emit('change', service);
    }
  }

  function remove(service: Service): void {
    const key = keyOf(service);
    const old = cache.get(key);
    if (old === undefined) return;
    cache.delete(key);
    emit('delete', service);
    emit('change', service);
  }

  /** Makes the cache equal to a fresh list, with an event for each difference. */
  function replace(all: Service[], version: string): void {
    const items = all.filter(inScope);
    const fresh = new Set(items.map(keyOf));
    for (const [key, old] of cache) if (!fresh.has(key)) remove(old);
    for (const item of items) upsert(item);
    resourceVersion = version;
    emit('relist', version);
  }

  async function run(signal: AbortSignal): Promise<void> {
    // One back-off for the informer's life: its watches' relists and reconnects and its restarts
    // after an error all take their pauses from it, and an event does not reset it.
    const backoff = createBackoff(options.restartDelayMs ?? BACKOFF_DEFAULTS.initialMs);
    let needList = true;
    while (!signal.aborted) {
      try {
        emit('connect');
        if (needList) {
          const listed = await listAllServices(ops, { ...selection, signal });
          replace(listed.items, listed.resourceVersion);
          needList = false;
          if (!isSynced) {
            isSynced = true;
            synced.resolve();
          }
        }
        const events = watchWithBackoff(
          ops,
          {
            ...selection,
            ...(resourceVersion !== '' && { resourceVersion }),
            allowBookmarks: true,
            signal,
          },
          backoff,
        );
        for await (const event of events) {
          switch (event.type) {
            case 'ADDED':
            case 'MODIFIED':
              upsert(event.object);
              break;
            case 'DELETED':
              remove(event.object);
              break;
            case 'RELISTED':
              replace(event.items, event.resourceVersion);
              continue;
            case 'BOOKMARK':
              break;
          }
          resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
        }
      } catch (error) {
        if (signal.aborted) return;
        // Without a version to resume from (no list yet, or a list answer without one), list again.
        if (resourceVersion === '') needList = true;
        emit('error', error);
        await clock.sleep(backoff.next(), signal).catch(() => {});
      }
    }
  }

  function start(): void {
    if (running) return;
    // A start after a stop that came before the first list waits for a new first list.
    if (synced.rejected) synced = deferred();
    const controller = new AbortController();
    running = { controller, done: run(controller.signal) };
    if (options.resyncMs !== undefined) {
      running.resync = setInterval(() => {
        if (!isSynced) return;
        for (const service of cache.values()) emit('update', service, service);
      }, clampDelay(options.resyncMs));
    }
  }

  start();

  return {
    synced: () => synced.promise,
    get: (namespace, name) => cache.get(`${namespace}/${name}`),
    list: (namespace) => {
      const all = [...cache.values()];
      return namespace === undefined ? all : all.filter((service) => service.metadata.namespace === namespace);
    },
    latestResourceVersion: () => resourceVersion,
    on(event, handler) {
      if (!EVENTS.includes(event))
        throw new CciInputError(`unknown informer event ${JSON.stringify(event)}; one of ${EVENTS.join(', ')}.`);
      handlers[event].add(handler);
      return () => handlers[event].delete(handler);
    },
    off(event, handler) {
      handlers[event]?.delete(handler);
    },
    start,
    async stop() {
      const current = running;
      if (!current) return;
      running = undefined;
      if (current.resync !== undefined) clearInterval(current.resync);
      current.controller.abort(new DOMException('the informer was stopped', 'AbortError'));
      if (!isSynced) synced.reject(new DOMException('the informer was stopped before its first list', 'AbortError'));
      await current.done;
    },
  };
}

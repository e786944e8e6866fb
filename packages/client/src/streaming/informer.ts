import type { CciContext } from '../client/context.js';
import { CciInputError } from '../errors/classes.js';
import { sanitizeForMessage } from '@cci-openapi/internals/redact';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import { BACKOFF_DEFAULTS, createBackoff } from './backoff.js';
import { checkPageSize, listAllOf, listOptionsOf, pageGuard, pageRequest } from './list-pages.js';
import {
  type ItemOf,
  type KubeObject,
  type ListOperation,
  type ListSource,
  checkedListSource,
  type PathParamsOf,
} from './source.js';
import { type WatchEvent, watchWithBackoff } from './watch.js';

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Every `resyncMs`, emit `update(object, object)` for each cached object (client-go's resync),
   * for handlers that reconcile. Off by default. Longer than a timer can hold (about 24.8 days) counts as that.
   */
  resyncMs?: number;
  /** Page size of the lists. Default 500. */
  pageSize?: number;
  /** Most pages of one list (see ListOptions.maxPages). */
  maxPages?: number;
  /** Most objects of one list (see ListOptions.maxItems). */
  maxItems?: number;
  /**
   * First pause of the back-off before a relist, a reconnect or a restart after an error; doubles
   * per step up to 30 s, with jitter, and starts over only after a stream stayed up a while.
   * Default 800 ms (client-go's reflector).
   */
  restartDelayMs?: number;
}

/** The parameters of createInformer: the operation's path parameters (a namespace) and the informer options. */
export type InformerParams<Op> = PathParamsOf<Op> & InformerOptions;

/** The options of an informer (path parameters aside). */
const INFORMER_KEYS = [
  'labelSelector',
  'fieldSelector',
  'pageSize',
  'maxPages',
  'maxItems',
  'resyncMs',
  'restartDelayMs',
] as const satisfies readonly (keyof InformerOptions)[];

/** The informer's events and their handlers' types. */
export interface InformerEvents<T> {
  add: (object: T) => void;
  /** A changed object (or, on resync, the same one twice). */
  update: (object: T, old: T) => void;
  /** The object as last seen before it went. */
  delete: (object: T) => void;
  /** add, update and delete in one handler (client-node's `change`). */
  change: (object: T) => void;
  /** A list or watch failed; the informer restarts after a pause (watching on from the last version when it has one). */
  error: (error: unknown) => void;
  /** A list or watch connection is being opened. */
  connect: () => void;
  /** The cache was replaced by a fresh list (the first one, or after the watch fell behind with 410). */
  relist: (resourceVersion: string) => void;
  /** The server sent something the informer ignored: an object of another kind, or outside its namespace. */
  warning: (message: string) => void;
}

export type InformerEvent = keyof InformerEvents<unknown>;

export interface Informer<T> {
  /** Resolves once the first list is in the cache; rejects if the informer is stopped before. */
  synced(): Promise<void>;
  /** The cached object, or undefined (namespace '' for an object of no namespace). */
  get(namespace: string, name: string): T | undefined;
  /** The cached objects, of one namespace or all. */
  list(namespace?: string): T[];
  /** The version the cache is at (of the last list, event or bookmark); '' before the first list. */
  latestResourceVersion(): string;
  /** Adds a handler; returns a function that removes it. */
  on<E extends InformerEvent>(event: E, handler: InformerEvents<T>[E]): () => void;
  off<E extends InformerEvent>(event: E, handler: InformerEvents<T>[E]): void;
  /** Starts again after stop() (with a fresh list). The informer starts by itself when created. */
  start(): void;
  /** Closes the watch and stops resyncing; resolves when the stream is closed. The cache stays readable. */
  stop(): Promise<void>;
}

const EVENTS: readonly InformerEvent[] = ['add', 'update', 'delete', 'change', 'error', 'connect', 'relist', 'warning'];

const keyOf = (object: KubeObject) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

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

type Emit<T> = <E extends InformerEvent>(event: E, ...args: Parameters<InformerEvents<T>[E]>) => void;

/** The handlers of each event, and emit(), which no throwing handler can stop. */
function createHandlers<T>() {
  const handlers = Object.fromEntries(EVENTS.map((event) => [event, new Set<(...args: never[]) => void>()])) as {
    [E in InformerEvent]: Set<InformerEvents<T>[E]>;
  };
  const emit: Emit<T> = (event, ...args) => {
    for (const handler of [...handlers[event]]) {
      try {
        (handler as (...a: typeof args) => void)(...args);
      } catch (error) {
        // A throwing handler must not stop the informer or the other handlers.
        if (event !== 'error') emit('error', error);
      }
    }
  };
  return { handlers, emit };
}

/** The informer's cache: objects of its kind (and namespace) by namespace/name, each change emitted. */
function createCache<T extends KubeObject>(source: ListSource<T>, emit: Emit<T>) {
  const cache = new Map<string, T>();
  /** Whether an object is one this informer caches: of its kind, of its namespace when it has one. */
  const inScope = (object: T): boolean => {
    const kind = object.kind ?? source.kind;
    const namespace = object.metadata?.namespace;
    if (kind === source.kind && (source.namespace === undefined || namespace === source.namespace)) return true;
    emit('warning', `ignored ${sanitizeForMessage(`${kind} ${namespace}/${object.metadata?.name}`)}: out of scope.`);
    return false;
  };
  const upsert = (object: T): void => {
    if (!inScope(object)) return;
    const key = keyOf(object);
    const old = cache.get(key);
    cache.set(key, object);
    if (old === undefined) {
      emit('add', object);
      emit('change', object);
    } else if (
      old.metadata?.resourceVersion === undefined ||
      old.metadata.resourceVersion !== object.metadata?.resourceVersion
    ) {
      emit('update', object, old);
      emit('change', object);
    }
  };
  const remove = (object: T): void => {
    const key = keyOf(object);
    const old = cache.get(key);
    if (old === undefined) return;
    cache.delete(key);
    emit('delete', object);
    emit('change', object);
  };
  /** Makes the cache equal to a fresh list, with an event for each difference. */
  const replace = (all: T[]): void => {
    const items = all.filter(inScope);
    const fresh = new Set(items.map(keyOf));
    for (const [key, old] of cache) if (!fresh.has(key)) remove(old);
    for (const item of items) upsert(item);
  };
  /** The version the cache is at: of the last list, event or bookmark ('' before the first list). */
  const version = '';
  return { cache, upsert, remove, replace, version };
}

type Store<T extends KubeObject> = ReturnType<typeof createCache<T>>;

/**
 * The informer's loop, to run until its signal aborts: list (the first time, or when there is no
 * version to resume from), then watch from the cache's version; after an error, a pause, then
 * again. `listed` is called after each list.
 */
function createLoop<T extends KubeObject>(
  source: ListSource<T>,
  options: InformerOptions,
  store: Store<T>,
  emit: Emit<T>,
  listed: () => void,
): (signal: AbortSignal) => Promise<void> {
  const selection = listOptionsOf(options);
  const relist = (items: T[], version: string) => {
    store.replace(items);
    store.version = version;
    emit('relist', version);
  };
  const apply = (event: WatchEvent<T>) => {
    if (event.type === 'RELISTED') return relist(event.items, event.resourceVersion);
    if (event.type === 'ADDED' || event.type === 'MODIFIED') store.upsert(event.object);
    else if (event.type === 'DELETED') store.remove(event.object);
    store.version = event.object.metadata?.resourceVersion ?? store.version;
  };
  return async (signal) => {
    // One back-off for the informer's life: its watches' relists and reconnects and its restarts
    // after an error all take their pauses from it, and an event does not reset it.
    const backoff = createBackoff(options.restartDelayMs ?? BACKOFF_DEFAULTS.initialMs);
    let needList = true;
    while (!signal.aborted) {
      try {
        emit('connect');
        if (needList) {
          const all = await listAllOf(source, { ...selection, signal });
          relist(all.items, all.resourceVersion);
          listed();
          needList = false;
        }
        const from = store.version !== '' ? { resourceVersion: store.version } : {};
        const watch = { ...selection, ...from, allowBookmarks: true, signal };
        for await (const event of watchWithBackoff(source, watch, backoff)) apply(event);
      } catch (error) {
        if (signal.aborted) return;
        // Without a version to resume from (no list yet, or a list answer without one), list again.
        if (store.version === '') needList = true;
        emit('error', error);
        await source.clock.sleep(backoff.next(), signal).catch(() => {});
      }
    }
  };
}

/** Checks an informer's options before it starts (CciInputError). */
function checkInformerOptions<T>(source: ListSource<T>, options: InformerOptions): void {
  if (typeof options !== 'object' || options === null) throw new CciInputError('An informer needs an options object.');
  positiveOption('resyncMs', options.resyncMs);
  positiveOption('restartDelayMs', options.restartDelayMs);
  const selection = listOptionsOf(options);
  pageRequest(source, selection); // checks the selectors
  checkPageSize(options.pageSize);
  pageGuard(selection); // checks maxPages and maxItems
  source.watchPath(new URLSearchParams()); // and that the list can be watched
}

/**
 * List-then-watch into a local cache, as client-go's informer and client-node's makeInformer, and
 * more than the latter: it restarts by itself after an error (client-node's stops until start() is
 * called again), resumes its watch from the last version instead of relisting, relists only on
 * 410, and types each event's handler.
 */
export function informerOf<T extends KubeObject>(source: ListSource<T>, options: InformerOptions = {}): Informer<T> {
  checkInformerOptions(source, options);
  const { handlers, emit } = createHandlers<T>();
  const store = createCache(source, emit);
  const { cache } = store;
  let isSynced = false;
  let synced = deferred();
  const run = createLoop(source, options, store, emit, () => {
    if (isSynced) return;
    isSynced = true;
    synced.resolve();
  });
  let running:
    | { controller: AbortController; done: Promise<void>; resync?: ReturnType<typeof setInterval> }
    | undefined;
  function start(): void {
    if (running) return;
    // A start after a stop that came before the first list waits for a new first list.
    if (synced.rejected) synced = deferred();
    const controller = new AbortController();
    running = { controller, done: run(controller.signal) };
    if (options.resyncMs !== undefined) {
      running.resync = setInterval(() => {
        if (isSynced) for (const object of cache.values()) emit('update', object, object);
      }, clampDelay(options.resyncMs));
    }
  }
  async function stop(): Promise<void> {
    const current = running;
    if (!current) return;
    running = undefined;
    if (current.resync !== undefined) clearInterval(current.resync);
    current.controller.abort(new DOMException('the informer was stopped', 'AbortError'));
    if (!isSynced) synced.reject(new DOMException('the informer was stopped before its first list', 'AbortError'));
    await current.done;
  }
  start();
  return {
    synced: () => synced.promise,
    get: (namespace, name) => cache.get(`${namespace}/${name}`),
    list: (namespace) => {
      const all = [...cache.values()];
      return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
    },
    latestResourceVersion: () => store.version,
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
    stop,
  };
}

/**
 * An informer on any generated list operation that takes `watch` (see informerOf):
 * `createInformer(cci, listCoreV1ServiceForAllNamespaces, { labelSelector })`, typed by its item kind.
 */
export function createInformer<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: InformerParams<Op>,
): Informer<ItemOf<Op>> {
  const source = checkedListSource(context, op, params, INFORMER_KEYS) as ListSource<KubeObject>;
  return informerOf(source, params) as Informer<ItemOf<Op>>;
}

import type { CciContext } from '../client/context.js';
import { CciApiError, CciInputError, CciTimeoutError } from '../errors/classes.js';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { Clock } from '../transport/sleep.js';
import {
  checkedListSource,
  type ItemOf,
  type KubeObject,
  type ListOperation,
  type ListSource,
  type PathParamsOf,
} from './source.js';
import { type WatchEvent, watchSource } from './watch.js';

export interface WaitOptions<T> {
  /** The object's name (`metadata.name`); the wait watches only it (`fieldSelector=metadata.name=…`). */
  name: string;
  /** What to wait for: the wait resolves with the first state of the object for which this is true. */
  until: (object: T) => boolean;
  /** Give up after this long, in ms: CciTimeoutError. Default 300 000 (5 min). */
  timeoutMs?: number;
  /** Watch from this version (of a read you made) instead of listing first. */
  resourceVersion?: string;
  signal?: AbortSignal;
  /** Each state of the object seen: from the first list, an event, or a relist after the watch fell behind. */
  onChange?: (object: T, from: 'ADDED' | 'MODIFIED' | 'RELISTED') => void;
}

/** The parameters of waitFor: the operation's path parameters (a namespace) and the wait options. */
export type WaitParams<Op> = PathParamsOf<Op> & WaitOptions<ItemOf<Op>>;

export const WAIT_FOR_DEFAULTS = /* @__PURE__ */ Object.freeze({ timeoutMs: 300_000 });

const WAIT_KEYS = ['name', 'until', 'timeoutMs', 'resourceVersion', 'signal', 'onChange'] as const;

/**
 * A source whose back-off pauses (before a relist or a reconnect) end by `deadline`, on the
 * source's clock: a pause that would outlast it calls `expire` instead of sleeping on.
 */
function boundedSource<T>(source: ListSource<T>, deadline: number, expire: () => void): ListSource<T> {
  const { clock } = source;
  const bounded: Clock = {
    now: () => clock.now(),
    sleep: (ms, signal) =>
      clock.sleep(Math.min(ms, deadline - clock.now()), signal).then(() => {
        if (clock.now() >= deadline) expire();
        signal?.throwIfAborted();
      }),
  };
  return { ...source, clock: bounded };
}

/** The state of the waited-for object an event brings, or undefined (a bookmark, or not in a relist). */
function stateOf<T extends KubeObject>(event: WatchEvent<T>, name: string): T | undefined {
  if (event.type === 'BOOKMARK') return undefined;
  if (event.type === 'RELISTED') return event.items.find((item) => item.metadata?.name === name);
  return event.object;
}

/**
 * Waits until one object of a list satisfies `until`: a watch of that object alone (from
 * `resourceVersion`, or a list first), resumed and relisted as every watch is, all of it ended by
 * the deadline — with the `timeout()` error — or by the signal (its reason). The object deleted
 * meanwhile (a DELETED event, or missing from a relist) ends the wait with the `deleted()` error;
 * one that does not exist yet is waited for. The errors are the caller's, so they can name what
 * was waited for.
 */
export async function waitForSource<T extends KubeObject>(
  source: ListSource<T>,
  options: WaitOptions<T> & { deadline: number; timeout: () => Error; deleted: () => Error },
): Promise<T> {
  const { name, deadline, signal } = options;
  const expired = options.timeout();
  signal?.throwIfAborted();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(expired), clampDelay(deadline - source.clock.now()));
  const onAbort = () => controller.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const events = watchSource(
      boundedSource(source, deadline, () => controller.abort(expired)),
      {
        fieldSelector: `metadata.name=${name}`,
        ...(options.resourceVersion && { resourceVersion: options.resourceVersion }),
        // The server ends each stream by the deadline too.
        timeoutSeconds: Math.max(1, Math.ceil((deadline - source.clock.now()) / 1000)),
        signal: controller.signal,
      },
    );
    for await (const event of events) {
      const object = stateOf<T>(event, name);
      const gone = event.type === 'DELETED' || (event.type === 'RELISTED' && object === undefined);
      if (gone) throw options.deleted();
      if (object === undefined || event.type === 'BOOKMARK') continue;
      options.onChange?.(object, event.type as 'ADDED');
      if (options.until(object)) return object;
    }
    throw expired; // not reached: a watch does not end by itself
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Waits until one object of any generated list operation that takes `watch` satisfies `until` (see
 * waitForSource): `waitFor(cci, listCoreV1NamespacedService, { namespace, name, until: (s) =>
 * (s.status.loadBalancer?.ingress?.length ?? 0) > 0 })`, typed by the list's item kind.
 */
export async function waitFor<Op extends ListOperation>(
  context: CciContext,
  op: Op,
  params: WaitParams<Op>,
): Promise<ItemOf<Op>> {
  const source = checkedListSource(context, op, params, WAIT_KEYS) as ListSource<KubeObject>;
  const timeoutMs = params.timeoutMs ?? WAIT_FOR_DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))
    throw new CciInputError(`timeoutMs must be a positive number of ms, got ${String(timeoutMs)}.`);
  if (typeof params.name !== 'string' || params.name === '')
    throw new CciInputError('name must be a non-empty string.');
  if (typeof params.until !== 'function') throw new CciInputError('until must be a function of the object.');
  const deadline = source.clock.now() + timeoutMs;
  const what = `${source.kind} ${source.namespace === undefined ? '' : `${source.namespace}/`}${params.name}`;
  const object = await waitForSource(source, {
    ...(params as unknown as WaitOptions<KubeObject>),
    deadline,
    timeout: () => new CciTimeoutError(`${what}: still not as waited for after ${timeoutMs} ms.`),
    deleted: () => new CciApiError(`${what} was deleted while waiting for it.`, { status: 404, reason: 'NotFound' }),
  });
  return object as ItemOf<Op>;
}

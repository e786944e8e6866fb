import { clampDelay } from '@cci-openapi/internals/timer-delay';

import type { Pending, PendingSet } from './pending.js';

export interface SettleOptions {
  /** Ends the wait with `onTimeout()` after this many ms (real timers); absent or Infinity for no timer. */
  ms?: number;
  /** The timeout's error; runs when the timer fires, before the wait ends (so it may record the stall). */
  onTimeout?: () => Error;
  /** The caller's signal: an abort ends the wait with its reason. */
  signal?: AbortSignal | null | undefined;
  /** Where close() finds the wait: it is in the set while it lasts. */
  pending?: PendingSet;
  /** Undoes the work when the wait is ended before the work settled (cancel an exchange, hand a slot back). */
  teardown?: (error: Error) => void;
  /** Called with the wait's handle once it started, for other enders (a stall watcher); what it returns runs once the wait is over. */
  onStart?: (handle: Pending) => () => void;
  /** Called when the work itself settles, even after the wait ended early (an exchange's slot is released then). */
  afterWork?: () => void;
}

/**
 * The one way the transport finishes a wait: `work`, bounded by a timer, the caller's signal and
 * close(). Whichever comes first settles the promise, exactly once, and removes the others (timer
 * cleared, listener removed, out of `pending`); an early end runs `teardown`, a late result of the
 * work is dropped. Attempts, token waits, rate-limit pauses, slot waits and retry pauses all use it.
 */
export function settle<T>(work: Promise<T>, options: SettleOptions): Promise<T> {
  const { signal, pending } = options;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      if (slot !== undefined) pending!.delete(slot, handle);
      stop?.();
      return true;
    };
    const handle: Pending = {
      end(error) {
        if (!finish()) return;
        options.teardown?.(error);
        reject(error);
      },
    };
    const onAbort = signal ? () => handle.end(signal.reason) : undefined;
    const { ms } = options;
    const timer =
      ms === undefined || ms === Infinity
        ? undefined
        : setTimeout(() => handle.end(options.onTimeout!()), clampDelay(ms));
    let stop: (() => void) | undefined;
    let slot: number | undefined;
    if (signal?.aborted) return handle.end(signal.reason);
    if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
    slot = pending?.add(handle);
    stop = options.onStart?.(handle);
    const { afterWork } = options;
    work.then(
      (value) => {
        afterWork?.();
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        afterWork?.();
        if (finish()) reject(error);
      },
    );
  });
}

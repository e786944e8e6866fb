import { clampDelay } from '@cci-openapi/internals/timer-delay';

/** Waits `ms` (clamped to what a timer can hold), or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, clampDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The time the client's waits are measured in: the retry loop, Retry-After, the call's deadline
 * and waitForLoadBalancerIngress's polls and deadline. Injectable so that tests (and simulations)
 * can run hours of backoff instantly; per-attempt socket timeouts stay on real timers, since a
 * virtual one could leave a real socket open forever.
 */
export interface Clock {
  /** The current time in ms since the epoch, like Date.now(). */
  now(): number;
  /** Resolves after `ms` (rejects with the signal's reason as soon as it aborts), like sleep(). */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
}

/** Real time: Date.now() and setTimeout. One shared object, so the fast path allocates nothing. */
export const REAL_CLOCK: Clock = Object.freeze({ now: Date.now, sleep });

import { CciInputError } from '../errors/classes.js';

/**
 * At most `limit` requests in flight. acquire() returns undefined when a slot is free right away
 * (the common case costs no promise), else a promise that resolves when one frees up.
 */
export interface Limiter {
  acquire(signal?: AbortSignal | null): Promise<void> | undefined;
  release(): void;
  /** Rejects every waiting acquire, and every later one that would wait, with `error`. */
  close(error: Error): void;
}

export function createLimiter(limit: number): Limiter {
  if (limit === Infinity) return { acquire: () => undefined, release: () => {}, close: () => {} };
  if (!Number.isInteger(limit) || limit < 1)
    throw new CciInputError(`concurrency must be an integer ≥ 1 or Infinity, got ${String(limit)}.`);
  let active = 0;
  let closedWith: Error | undefined;
  const waiting: Array<{ grant: () => void; refuse: (error: Error) => void }> = [];
  return {
    acquire(signal) {
      if (active < limit) {
        active++;
        return undefined;
      }
      if (closedWith) return Promise.reject(closedWith);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(waiter);
          if (index !== -1) waiting.splice(index, 1);
          reject(signal!.reason);
        };
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            active++;
            resolve();
          },
          refuse: (error: Error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },
    release() {
      active--;
      waiting.shift()?.grant();
    },
    close(error) {
      closedWith = error;
      for (const waiter of waiting.splice(0)) waiter.refuse(error);
    },
  };
}

/** The client-side request rate limit (client-go's `QPS` and `Burst`). */
export interface RateLimitOptions {
  /** Requests per second, sustained (> 0). */
  qps: number;
  /** Requests that may go at once after a quiet spell (an integer ≥ 1). */
  burst: number;
}

/**
 * A token bucket (client-go's flowcontrol token-bucket limiter): `burst` tokens, refilled at `qps`
 * a second. take() reserves a token and returns how long to wait for it, in ms, or -1 (reserving
 * nothing) when that wait would pass `end`. A wait cut short by an abort still spends its token.
 */
export interface RateLimiter {
  take(now: number, end: number): number;
}

export function createRateLimiter(options: RateLimitOptions, now: number): RateLimiter {
  const { qps, burst } = options ?? ({} as RateLimitOptions);
  if (!(qps > 0 && qps < Number.POSITIVE_INFINITY && Number.isInteger(burst) && burst >= 1)) {
    throw new CciInputError('rateLimit must be { qps: a number > 0, burst: an integer ≥ 1 }.');
  }
  let tokens = burst;
  let last = now;
  return {
    take(at, end) {
      tokens = Math.min(burst, tokens + (Math.max(0, at - last) * qps) / 1000);
      last = Math.max(last, at);
      const wait = tokens >= 1 ? 0 : ((1 - tokens) * 1000) / qps;
      if (at + wait > end) return -1;
      tokens--;
      return wait;
    },
  };
}

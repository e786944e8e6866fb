import { CceInputError } from './errors.js';

/**
 * At most `limit` requests in flight. acquire() returns undefined when a slot is free right away
 * (the common case costs no promise), else a promise that resolves when one frees up.
 */
export interface Limiter {
  acquire(signal?: AbortSignal | null): Promise<void> | undefined;
  release(): void;
}

export function createLimiter(limit: number): Limiter {
  if (limit === Infinity) return { acquire: () => undefined, release: () => {} };
  if (!Number.isInteger(limit) || limit < 1) throw new CceInputError(`concurrency must be an integer ≥ 1 or Infinity, got ${String(limit)}.`);
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    acquire(signal) {
      if (active < limit) {
        active++;
        return undefined;
      }
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(grant);
          if (index !== -1) waiting.splice(index, 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          active++;
          resolve();
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(grant);
      });
    },
    release() {
      active--;
      waiting.shift()?.();
    },
  };
}

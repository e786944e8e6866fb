import type { Clock } from '../../src/index.js';

/**
 * A clock for tests: time moves only when the client sleeps, and at once, so a 1 s Retry-After or a
 * 5 min wait costs no real time. `sleeps` records every wait asked for, in ms, in order.
 */
export interface VirtualClock extends Clock {
  readonly sleeps: number[];
}

export function virtualClock(start = Date.parse('2026-01-01T00:00:00Z')): VirtualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

// A sleep of more than a timer can hold still sleeps: setTimeout turns 2^31 ms or more into 1 ms
// (the clamp itself is tested in packages/internals/test/timer-delay.test.ts).
import { describe, expect, it } from 'vitest';
import { sleep } from '../src/transport/sleep.js';

describe('sleep', () => {
  it.each([2 ** 31, 600 * 3_600_000, Number.MAX_SAFE_INTEGER])(
    'a sleep of %d ms does not end after 1 ms',
    async (ms) => {
      const controller = new AbortController();
      const slept = sleep(ms, controller.signal).then(
        () => 'slept',
        () => 'aborted',
      );
      const later = new Promise((resolve) => setTimeout(() => resolve('still sleeping'), 50));
      expect(await Promise.race([slept, later])).toBe('still sleeping');
      controller.abort();
      expect(await slept).toBe('aborted');
    },
  );
});

// Delays are clamped to what a timer can hold: setTimeout turns 2^31 ms or more into 1 ms.
import { describe, expect, it } from 'vitest';
import { clampDelay, MAX_TIMER_MS, sleep } from '../src/transport/sleep.js';

describe('sleep', () => {
  it('clamps delays to [0, 2^31−1] ms', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(clampDelay(600 * 3_600_000)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(1_500)).toBe(1_500);
  });

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

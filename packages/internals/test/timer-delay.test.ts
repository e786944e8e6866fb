// Delays are clamped to what a timer can hold: setTimeout turns 2^31 ms or more into 1 ms.
import { describe, expect, it } from 'vitest';
import { clampDelay, MAX_TIMER_MS } from '../src/timer-delay.js';

describe('clampDelay', () => {
  it('clamps delays to [0, 2^31−1] ms', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(clampDelay(600 * 3_600_000)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(1_500)).toBe(1_500);
  });
});

/**
 * The longest delay a timer can hold: setTimeout stores it as a signed 32-bit number of ms, and a
 * longer one (or NaN) fires after 1 ms instead — a 600 h poll interval became a busy loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay made safe for setTimeout: within [0, MAX_TIMER_MS] (about 24.8 days); NaN counts as 0. */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/**
 * The one back-off of relists and reconnects (watch, informer, waitForLoadBalancerIngress), shaped
 * like client-go's reflector: the first pause is about 800 ms, each next one doubles up to 30 s,
 * with jitter so that many watchers do not come back together. It is reset only by a stream that
 * stayed up for a while (`healthyMs`, and at least the pause before it): not by an event or a
 * BOOKMARK, since a server that sends one event and closes would otherwise be hammered.
 */
export interface Backoff {
  /** The next pause, in ms (and the step after it grows). */
  next(): number;
  /** A stream ran for `ranMs`: when that is long enough, the next pause starts from the beginning again. Returns whether it did. */
  streamRan(ranMs: number): boolean;
}

/** The back-off's shape (each pause doubles the last): first pause, cap, jitter (a share of the pause), and how long a stream must stay up to reset it. */
export const BACKOFF_DEFAULTS = Object.freeze({ initialMs: 800, maxMs: 30_000, jitter: 0.25, healthyMs: 10_000 });

export function createBackoff(initialMs: number = BACKOFF_DEFAULTS.initialMs): Backoff {
  const { maxMs, jitter, healthyMs } = BACKOFF_DEFAULTS;
  let base = initialMs;
  let last = 0;
  return {
    next() {
      // Jitter spreads a pause over [base, base × 1.25), still within the cap.
      last = Math.min(maxMs, base * (1 + jitter * Math.random()));
      base = Math.min(maxMs, base * 2);
      return last;
    },
    streamRan(ranMs) {
      if (!(ranMs >= Math.max(healthyMs, last))) return false;
      base = initialMs;
      last = 0;
      return true;
    },
  };
}

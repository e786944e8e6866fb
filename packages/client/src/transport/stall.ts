/**
 * How long after a timeout the requests of a client carry an AbortSignal. Passing a signal to Node's
 * fetch costs ~15 µs of CPU per request (undici follows it with a WeakRef, a FinalizationRegistry
 * entry and a listener), so a healthy client sends none. Once a request has timed out, the server
 * is one that stalls: for the next minute every request gets a signal, which the timer aborts, so
 * its socket and concurrency slot are freed at the deadline instead of piling up.
 */
const SIGNAL_AFTER_TIMEOUT_MS = 60_000;

/** Whether the server stalls (a timeout within the last minute), and who waits to hear of it. */
export interface StallWatch {
  /** True within SIGNAL_AFTER_TIMEOUT_MS of the last timeout. */
  stalling(): boolean;
  /** An attempt timed out: from now on the server stalls; every watcher is told. */
  announce(): void;
  /** Runs `onStall` now if the server stalls, else at the next announce() (until unwatch). */
  watch(onStall: () => void): void;
  unwatch(onStall: () => void): void;
}

export function createStallWatch(): StallWatch {
  let until = 0;
  const watchers = new Set<() => void>();
  return {
    stalling: () => until > Date.now(),
    announce() {
      until = Date.now() + SIGNAL_AFTER_TIMEOUT_MS;
      for (const onStall of [...watchers]) onStall();
    },
    watch(onStall) {
      if (until > Date.now()) onStall();
      else watchers.add(onStall);
    },
    unwatch(onStall) {
      watchers.delete(onStall);
    },
  };
}

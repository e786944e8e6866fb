import { clampDelay } from '@cci-openapi/internals/timer-delay';

import type { Pending, PendingSet } from './pending.js';
import { SWEEP_FROM_MS, type TimeoutSweep } from './timeout-sweep.js';

/** What bounds a wait: a timer, the caller's signal, close(). */
export interface WaitBounds {
  /** Ends the wait with `timeoutError()` after this many ms (real timers); absent or Infinity for no timer. */
  ms?: number;
  /** The caller's signal: an abort ends the wait with its reason. */
  signal?: AbortSignal | null | undefined;
  /** Where close() finds the wait: it is in the set while it lasts. */
  pending?: PendingSet;
  /** A shared timer for a limit of SWEEP_FROM_MS or more, instead of a timer of the wait's own. */
  sweep?: TimeoutSweep;
}

/**
 * The one way the transport finishes a wait: some work, bounded by a timer, the caller's signal and
 * close(). Whichever comes first settles the wait, exactly once, and removes the others (timer
 * cleared, listener removed, out of `pending`); an early end runs `teardown`, a late result of the
 * work is dropped. Attempts (attempt.ts) extend it directly, so that an exchange on the wire costs
 * no promise of its own; every other wait goes through `settle()` below.
 */
export abstract class Wait<T> implements Pending {
  #done = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | null | undefined;
  #pending: PendingSet | undefined;
  #slot = -1;
  #sweep: TimeoutSweep | undefined;
  #sweepSlot = -1;

  /** The wait's outcome, exactly once. Neither may throw: they run in timers and socket events. */
  protected abstract resolved(value: T): void;
  protected abstract rejected(error: unknown): void;

  /** The timeout's error; runs when the timer fires, before the wait ends (so it may record the stall). */
  protected timeoutError(): Error {
    return new Error('timed out');
  }

  /** Undoes the work when the wait is ended before the work settled (cancel an exchange, hand a slot back). */
  protected teardown(_error: Error): void {}

  /** Runs when the work itself settles, even after the wait ended early (an exchange's slot is released then). */
  protected afterWork(): void {}

  /** Runs once when the wait is over, however it ended. */
  protected finished(): void {}

  /** Starts the bounds; false when the signal had already aborted (the wait has then ended). */
  protected begin(bounds: WaitBounds): boolean {
    const { ms, signal, pending, sweep } = bounds;
    if (signal?.aborted) {
      this.end(signal.reason);
      return false;
    }
    if (ms !== undefined && ms !== Infinity) {
      if (sweep && ms >= SWEEP_FROM_MS) {
        this.#sweep = sweep;
        this.#sweepSlot = sweep.add(this, Date.now() + ms);
      } else this.#timer = setTimeout(Wait.#fire, clampDelay(ms), this);
    }
    if (signal) {
      this.#signal = signal;
      signal.addEventListener('abort', this, { once: true });
    }
    if (pending) {
      this.#pending = pending;
      this.#slot = pending.add(this);
    }
    return true;
  }

  /** The work succeeded. */
  protected workDone(value: T): void {
    this.afterWork();
    if (this.#finish()) this.resolved(value);
  }

  /** The work failed. */
  protected workFailed(error: unknown): void {
    this.afterWork();
    if (this.#finish()) this.rejected(error);
  }

  /** Ends the wait early (close(), the timer, the signal, a stall): the work is torn down. */
  end(error: Error): void {
    if (!this.#finish()) return;
    this.teardown(error);
    this.rejected(error);
  }

  /** The signal's listener (an object with handleEvent: no closure per wait). */
  handleEvent(): void {
    this.end(this.#signal!.reason);
  }

  /** The time limit is up: ends the wait with its timeout error. */
  expire(): void {
    this.end(this.timeoutError());
  }

  // A static function given the wait as the timer's argument: no closure per wait.
  static #fire(wait: Wait<unknown>): void {
    wait.expire();
  }

  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    else if (this.#sweep) this.#sweep.delete(this.#sweepSlot, this);
    this.#signal?.removeEventListener('abort', this);
    if (this.#pending) this.#pending.delete(this.#slot, this);
    this.finished();
    return true;
  }
}

export interface SettleOptions extends WaitBounds {
  /** The timeout's error; runs when the timer fires, before the wait ends (so it may record the stall). */
  onTimeout?: () => Error;
  /** Undoes the work when the wait is ended before the work settled (cancel an exchange, hand a slot back). */
  teardown?: (error: Error) => void;
  /** Called with the wait's handle once it started, for other enders (a stall watcher); what it returns runs once the wait is over. */
  onStart?: (handle: Pending) => () => void;
}

/** A wait for a promise: token waits, rate-limit pauses, slot waits and retry pauses. */
class PromiseWait<T> extends Wait<T> {
  readonly #options: SettleOptions;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #stop: (() => void) | undefined;

  constructor(options: SettleOptions, resolve: (value: T) => void, reject: (error: unknown) => void) {
    super();
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  run(work: Promise<T>): void {
    if (!this.begin(this.#options)) return;
    this.#stop = this.#options.onStart?.(this);
    work.then(
      (value) => this.workDone(value),
      (error: unknown) => this.workFailed(error),
    );
  }

  protected resolved(value: T): void {
    this.#resolve(value);
  }

  protected rejected(error: unknown): void {
    this.#reject(error);
  }

  protected override timeoutError(): Error {
    return this.#options.onTimeout?.() ?? super.timeoutError();
  }

  protected override teardown(error: Error): void {
    this.#options.teardown?.(error);
  }

  protected override finished(): void {
    this.#stop?.();
  }
}

/** `work`, bounded as a Wait: whichever of the work, the timer, the signal and close() comes first settles it. */
export function settle<T>(work: Promise<T>, options: SettleOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => new PromiseWait(options, resolve, reject).run(work));
}

import { Slots } from './slots.js';

/** Time limits at least this long go to a transport's sweep rather than to a timer of their own. */
export const SWEEP_FROM_MS = 1_000;

/** How often the sweep looks: a limit of SWEEP_FROM_MS or more ends at most this late (≤ 10 %). */
const TICK_MS = 100;

/** What the sweep ends when its time is up. */
export interface Expiring {
  expire(): void;
}

/**
 * One timer for the long time limits of a transport's attempts (the 30 s default), as undici does
 * for its own: a per-attempt setTimeout cost 2–4 µs of CPU per request at 8 in flight and 7–14 µs
 * at 1 in flight, where Node's timer list for the duration is created, scheduled and ref'd anew for
 * every request (docs/benchmarks.md §1). Registering here is a slot in an array. The interval is
 * unref'd, like undici's: an attempt's socket is what keeps the process alive. It stops at the
 * first tick that finds nothing registered.
 */
export class TimeoutSweep {
  readonly #entries = new Slots<Expiring>();
  /** When each slot's entry is due (Date.now() ms), by slot. */
  readonly #due: number[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Ends `entry` (its expire()) once Date.now() reaches `due`; the slot it returns takes it out again. */
  add(entry: Expiring, due: number): number {
    const slot = this.#entries.add(entry);
    this.#due[slot] = due;
    if (this.#timer === undefined) {
      this.#timer = setInterval(TimeoutSweep.#tick, TICK_MS, this);
      (this.#timer as { unref?: () => void }).unref?.();
    }
    return slot;
  }

  /** Takes `entry` out of `slot`; nothing when the slot no longer holds it. */
  delete(slot: number, entry: Expiring): void {
    this.#entries.delete(slot, entry);
  }

  /** How many limits are registered (what a leak would grow). */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether the interval runs (it stops at the first tick with nothing registered). */
  get ticking(): boolean {
    return this.#timer !== undefined;
  }

  static #tick(sweep: TimeoutSweep): void {
    const entries = sweep.#entries;
    if (entries.size === 0) {
      clearInterval(sweep.#timer);
      sweep.#timer = undefined;
      return;
    }
    const now = Date.now();
    // An entry that expires takes itself out (delete); slots are cleared, never moved.
    for (let slot = 0; slot < entries.span; slot++) {
      const entry = entries.at(slot);
      if (entry !== undefined && sweep.#due[slot]! <= now) entry.expire();
    }
  }
}

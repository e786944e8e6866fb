/** Something a call is waiting for that close(), a timer or a stall can end at once. */
export interface Pending {
  end(error: Error): void;
}

/**
 * Every attempt, token wait, pause and open stream of a transport, so that close() can end them.
 * Slots in an array with a list of free ones, not a Set: a Set whose entries come and go on every
 * call made V8's scavenger copy and promote nearly every young object (a scavenge took 6 ms instead
 * of 0.5, and the CPU per request rose by ~10 µs; docs/benchmarks.md §1).
 */
export class PendingSet {
  readonly #slots: Array<Pending | undefined> = [];
  readonly #free: number[] = [];

  /** Registers `entry`; the slot it returns takes it out again. */
  add(entry: Pending): number {
    const slot = this.#free.length > 0 ? this.#free.pop()! : this.#slots.length;
    this.#slots[slot] = entry;
    return slot;
  }

  /** Takes `entry` out of `slot`; nothing when the slot no longer holds it (endAll emptied it). */
  delete(slot: number, entry: Pending): void {
    if (this.#slots[slot] !== entry) return;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
  }

  /** How many entries are registered (what a leak would grow). */
  get size(): number {
    return this.#slots.length - this.#free.length;
  }

  /** Ends every entry with `error` (each takes itself out as it ends). */
  endAll(error: Error): void {
    for (const entry of this.#slots.filter((slot) => slot !== undefined)) entry.end(error);
  }
}

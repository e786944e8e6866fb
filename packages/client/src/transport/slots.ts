/**
 * Entries that come and go on every call, in slots of an array with a list of free ones, not in a
 * Set: a Set whose entries come and go on every call made V8's scavenger copy and promote nearly
 * every young object (a scavenge took 6 ms instead of 0.5, and the CPU per request rose by ~10 µs;
 * docs/benchmarks.md §1). A slot is cleared, never moved, so a walk over them holds while entries
 * take themselves out.
 */
export class Slots<T> {
  readonly #slots: Array<T | undefined> = [];
  readonly #free: number[] = [];

  /** Registers `entry`; the slot it returns takes it out again. */
  add(entry: T): number {
    const slot = this.#free.length > 0 ? this.#free.pop()! : this.#slots.length;
    this.#slots[slot] = entry;
    return slot;
  }

  /** Takes `entry` out of `slot`; nothing when the slot no longer holds it. */
  delete(slot: number, entry: T): void {
    if (this.#slots[slot] !== entry) return;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
  }

  /** How many entries are registered (what a leak would grow). */
  get size(): number {
    return this.#slots.length - this.#free.length;
  }

  /** One past the highest slot in use so far: the bound of a walk with at(). */
  get span(): number {
    return this.#slots.length;
  }

  /** The entry in `slot`, if any. */
  at(slot: number): T | undefined {
    return this.#slots[slot];
  }

  /** The entries registered now, copied (ending one may register another). */
  entries(): T[] {
    return this.#slots.filter((entry) => entry !== undefined);
  }
}

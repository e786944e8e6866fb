import { Slots } from './slots.js';

/** Something a call is waiting for that close(), a timer or a stall can end at once. */
export interface Pending {
  end(error: Error): void;
}

/** Every attempt, token wait, pause and open stream of a transport, so that close() can end them. */
export class PendingSet extends Slots<Pending> {
  /** Ends every entry with `error` (each takes itself out as it ends). */
  endAll(error: Error): void {
    for (const entry of this.entries()) entry.end(error);
  }
}

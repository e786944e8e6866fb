import { describeRequest } from '../errors/from-response.js';
import { CciTimeoutError } from '../errors/classes.js';
import type { Limiter } from './limiter.js';
import { settle } from './settle.js';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { StallWatch } from './stall.js';
import type { SendRequest } from './transport.js';

const noop = () => {};

export interface SlotWait {
  limiter: Limiter;
  stall: StallWatch;
  /** The client's per-attempt timeout: how long a queued call waits once the server stalls. */
  timeoutMs: number;
  /** Time left until the call's end (Infinity for none), and its error. */
  left: number;
  deadlineError: () => Error;
}

/**
 * The wait for a concurrency slot (`wait`, the limiter's promise). A timed-out request keeps its
 * slot until it has really ended, and one that carried no signal may take a while to end: so once
 * the server stalls (a timeout in the last minute, announced to waiters already queued) the wait is
 * bounded by timeoutMs, and it is always bounded by the call's deadline. A slot granted after
 * giving up is handed back.
 */
export function waitForSlot(wait: Promise<void>, request: SendRequest, options: SlotWait): Promise<void> {
  const { limiter, stall, timeoutMs } = options;
  return settle(wait, {
    ms: options.left,
    onTimeout: options.deadlineError,
    teardown: () => wait.then(() => limiter.release(), noop),
    onStart(handle) {
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const onStall = () => {
        stallTimer ??= setTimeout(
          () =>
            handle.end(
              new CciTimeoutError(
                `${describeRequest(request.method, request.url)}: no concurrency slot came free within ${timeoutMs} ms (requests to a server that stopped answering still hold them).`,
              ),
            ),
          clampDelay(timeoutMs),
        );
      };
      stall.watch(onStall);
      return () => {
        clearTimeout(stallTimer);
        stall.unwatch(onStall);
      };
    },
  });
}

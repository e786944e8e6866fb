import { describeRequest } from '../errors/from-response.js';
import { CciNetworkError, CciTimeoutError, isCciError } from '../errors/classes.js';
import { type Attempt, type AttemptOutcome, startAttempt } from './attempt.js';
import type { SentHeaders } from './credential.js';
import { parseRetryAfter } from './retry-after.js';
import { errorCode, isConnectionReset, isIdempotent, isRetryableStatus, retryDelayMs } from './retry-policy.js';
import { settle } from './settle.js';
import { waitForSlot } from './slot.js';
import type { Received, SendRequest, TransportState } from './transport.js';

/** One call and its limits, fixed when it starts. */
interface Call {
  state: TransportState;
  request: SendRequest;
  /** Nothing of this call may outlast it (deadlineMs, a helper's own deadline); epoch ms on the clock. */
  end: number;
  /** No retry starts after it (retry.maxElapsedMs). */
  lastStart: number;
  /** Repeatable after it may have reached the server; any request may be repeated after a 429. */
  retryable: boolean;
}

/**
 * One call: attempts until one stands (an answer not worth retrying, or the retries are spent),
 * with a renewed credential after a 401 and the policy's pauses between retries. The answer that
 * stands goes through `finish` (a generated operation's body check) before the call settles: the
 * common call (a fixed credential, a free slot, one attempt) is one promise from here to its body.
 */
export function sendWithRetries<T>(
  state: TransportState,
  request: SendRequest,
  finish: ((received: Received) => T) | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (state.closedWith) return reject(state.closedWith);
    new CallRun(callOf(state, request), finish, resolve, reject).next();
  });
}

function callOf(state: TransportState, request: SendRequest): Call {
  const { config, clock } = state;
  const started = clock.now();
  const end = Math.min(started + state.deadlineMs, request.deadline ?? Infinity);
  return {
    state,
    request,
    end,
    lastStart: Math.min(started + config.retry.maxElapsedMs, end),
    retryable: request.idempotent ?? isIdempotent(request.method),
  };
}

/** A call's run of attempts: each attempt's outcome decides the next step. */
class CallRun<T> implements AttemptOutcome {
  readonly #call: Call;
  readonly #finish: ((received: Received) => T) | undefined;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #number = 0;
  /**
   * A renewable token refused with 401 is renewed and the request sent once more, whatever its
   * method: the server refused it before acting on it. (An attempt with no token from a renewable
   * source proved itself otherwise, by an exec plugin's client certificate: renewed the same way.)
   */
  #renewed: boolean;

  constructor(
    call: Call,
    finish: ((received: Received) => T) | undefined,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ) {
    this.#call = call;
    this.#finish = finish;
    this.#resolve = resolve;
    this.#reject = reject;
    const { tokenSource } = call.state.config;
    this.#renewed = tokenSource.kind !== 'dynamic' || tokenSource.invalidate === undefined;
  }

  /** Prepares the next attempt (at once when nothing has to be waited for) and starts it. */
  next(): void {
    const number = ++this.#number;
    let prepared: Attempt | Promise<Attempt>;
    try {
      prepared = prepareAttempt(this.#call, number);
    } catch (error) {
      this.#reject(error);
      return;
    }
    if (prepared instanceof Promise)
      prepared.then(
        (attempt) => this.#start(attempt),
        (error: unknown) => this.#reject(error),
      );
    else this.#start(prepared);
  }

  #start(attempt: Attempt): void {
    try {
      startAttempt(attempt, this.#call.state.deps, this);
    } catch (error) {
      // Nothing may escape into a then() callback or a socket event: the call fails instead.
      this.#reject(error);
    }
  }

  received(attempt: Attempt, received: Received): void {
    this.#decide(attempt, received, undefined);
  }

  failed(attempt: Attempt, error: unknown): void {
    let failure = networkError(this.#call, error);
    if (attempt.cutByDeadline && isCciError(failure, 'timeout')) failure = deadlineError(this.#call, this.#number);
    this.#decide(attempt, undefined, failure);
  }

  /** Renew the credential and send again, pause and retry, or settle the call. */
  #decide(attempt: Attempt, received: Received | undefined, failure: unknown): void {
    const call = this.#call;
    try {
      if (received?.status === 401 && !this.#renewed) {
        this.#renewed = true;
        const { tokenSource } = call.state.config;
        (tokenSource as { invalidate: (token: string | undefined) => void }).invalidate(attempt.token);
        this.next();
        return;
      }
      const delay = retryDelay(call, this.#number, received, failure);
      if (delay === undefined) {
        if (!received) {
          this.#reject(failure);
          return;
        }
        this.#resolve(this.#finish ? this.#finish(received) : (received as T));
        return;
      }
      // Registered with close() like an attempt; the delay itself already ends before lastStart.
      const { clock, pending } = call.state;
      settle(clock.sleep(delay, call.request.signal), { pending }).then(
        () => this.next(),
        (error: unknown) => this.#reject(error),
      );
    } catch (error) {
      this.#reject(error);
    }
  }
}

/**
 * Everything before an attempt goes on the wire: the call's end not passed, the rate limit's token
 * (before the concurrency slot: waited for on the clock, ended by the call's signal, its deadline —
 * a wait that would pass it fails at once — and close()), the credential, the slot. Synchronous
 * when nothing has to be waited for (no pause, a fixed credential, a free slot): the common case
 * costs no promise.
 */
function prepareAttempt(call: Call, number: number): Attempt | Promise<Attempt> {
  const { config, clock, deps } = call.state;
  const { end, request } = call;
  const left = end - clock.now();
  if (left <= 0) throw deadlineError(call, number - 1);
  const pause = config.rateLimiter ? config.rateLimiter.take(clock.now(), end) : 0;
  if (pause < 0) throw deadlineError(call, number - 1);
  if (pause || config.tokenSource.kind === 'dynamic') return prepareAfterWaits(call, number, pause, left);
  return withSlot(call, number, undefined, deps.credential.headersFor(undefined, request.headers, request.contentType));
}

/** prepareAttempt when it has to wait: for the rate limit's pause, the token source, or both. */
async function prepareAfterWaits(call: Call, number: number, pause: number, left: number): Promise<Attempt> {
  const { state, request } = call;
  const { credential } = state.deps;
  if (pause) {
    const sleeping = state.clock.sleep(pause, request.signal);
    await settle(sleeping, { signal: request.signal, pending: state.pending });
  }
  const token = await credential.tokenFor(request, Math.min(state.config.timeoutMs, left), state.pending);
  return withSlot(call, number, token, credential.headersFor(token, request.headers, request.contentType));
}

/** The attempt, once it holds a concurrency slot: at once when one is free, else after waitForSlot. */
function withSlot(
  call: Call,
  number: number,
  token: string | undefined,
  headers: SentHeaders,
): Attempt | Promise<Attempt> {
  const { state, request } = call;
  const { config } = state;
  const wait = config.limiter.acquire(request.signal);
  if (wait === undefined) return attemptOf(call, token, headers);
  return waitForSlot(wait, request, {
    limiter: config.limiter,
    stall: state.deps.stall,
    timeoutMs: config.timeoutMs,
    left: call.end - state.clock.now(),
    deadlineError: () => deadlineError(call, number - 1),
  }).then(() => attemptOf(call, token, headers));
}

function attemptOf(call: Call, token: string | undefined, headers: SentHeaders): Attempt {
  const { state, request } = call;
  const { timeoutMs } = state.config;
  const limit = Math.min(timeoutMs, call.end - state.clock.now());
  return {
    request,
    token,
    headers,
    secrets: state.deps.credential.secretsFor(token),
    timeoutMs: Math.max(1, limit),
    // Cut short by deadlineMs (not by a helper's own deadline, which words its own timeout).
    cutByDeadline: limit < timeoutMs && request.deadline === undefined,
  };
}

/** The pause before the next attempt, or undefined when this outcome stands. */
function retryDelay(call: Call, number: number, received: Received | undefined, failure: unknown): number | undefined {
  const { retry } = call.state.config;
  const { clock } = call.state;
  const again =
    number < retry.attempts &&
    (received
      ? call.retryable
        ? isRetryableStatus(received.status)
        : received.status === 429
      : call.retryable && failure instanceof CciNetworkError && isConnectionReset(failure));
  if (!again) return undefined;
  const retryAfter = received ? parseRetryAfter(received.headers.get('retry-after'), clock.now()) : undefined;
  const delay = retryDelayMs(retry, number, retryAfter);
  return clock.now() + delay > call.lastStart ? undefined : delay;
}

function networkError(call: Call, error: unknown): unknown {
  const { request } = call;
  if (isCciError(error)) return error;
  // Torn down by close(): the closed error, not a connection error to retry.
  if (call.state.closedWith) return call.state.closedWith;
  // The caller's own abort keeps its reason (an AbortError by default), as fetch does.
  if (request.signal?.aborted) return request.signal.reason;
  const code = errorCode(error);
  const detail =
    code ??
    (error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
  return new CciNetworkError(`${describeRequest(request.method, request.url)} failed: ${detail}`, {
    cause: error,
    ...(code !== undefined && { code }),
  });
}

function deadlineError(call: Call, attempts: number): CciTimeoutError {
  return new CciTimeoutError(
    `${describeRequest(call.request.method, call.request.url)} did not finish within the client's deadline of ${call.state.deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}).`,
  );
}

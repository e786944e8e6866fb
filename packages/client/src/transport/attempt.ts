import { createResponseError, describeRequest, type ReceivedResponse } from '../errors/from-response.js';
import { CciTimeoutError } from '../errors/classes.js';
import { BodyTooLargeError } from '../wire/body-text.js';
import type { TextReceiver, Wire, WireAnswer, WireExchange, WireReceiver, WireRequest } from '../wire/fetch-wire.js';
import type { CredentialStep, SentHeaders } from './credential.js';
import type { Pending, PendingSet } from './pending.js';
import { Wait } from './settle.js';
import type { StallWatch } from './stall.js';
import type { TimeoutSweep } from './timeout-sweep.js';
import type { Received, SendRequest } from './transport.js';

const MAX_REDIRECTS = 5;

/** One attempt of a call: what it sends, with what, for how long. */
export interface Attempt {
  request: SendRequest;
  /** The credential this attempt carries (a dynamic source's token), if any. */
  token: string | undefined;
  headers: SentHeaders;
  /** The secrets to cut out of any error text of this attempt. */
  secrets: readonly string[];
  /** The attempt's time limit, in ms (the client's timeout, or less when the call's end is nearer). */
  timeoutMs: number;
  /** Whether deadlineMs cut timeoutMs short (its timeout is then the deadline's error). */
  cutByDeadline: boolean;
}

/** What an attempt needs from its transport. */
export interface AttemptDeps {
  wire: Wire;
  credential: CredentialStep;
  maxResponseBytes: number;
  pending: PendingSet;
  stall: StallWatch;
  /** The concurrency slot: handed back when the exchange itself has ended. */
  release: () => void;
  /** The transport's shared timer for long attempt timeouts (timeout-sweep.ts). */
  sweep: TimeoutSweep;
}

/** Who hears how an attempt ended: what it received, or why it failed; exactly one, once. Neither may throw. */
export interface AttemptOutcome {
  received(attempt: Attempt, received: Received): void;
  failed(attempt: Attempt, error: unknown): void;
}

/**
 * Runs one attempt: one HTTP exchange (following same-origin redirects), settled at its timeout,
 * and tells `outcome`. A timer, not an AbortSignal per request (see SIGNAL_AFTER_TIMEOUT_MS): on
 * expiry the attempt fails at once and the exchange is torn down, aborted through the signal when
 * it has one, else cancelled on the wire (the connection is closed, not reused). The slot is
 * released only when the exchange itself has ended, so a request still on the wire keeps its slot.
 */
export function startAttempt(attempt: Attempt, deps: AttemptDeps, outcome: AttemptOutcome): void {
  new LiveAttempt(attempt, deps, outcome).start();
}

/**
 * An attempt in progress, one object from the request to the body's last byte: the wait bounding
 * it (timer, close()), the exchange on the wire and its hops (send, read the answer, follow a
 * same-origin redirect, up to MAX_REDIRECTS). Driven by the wire's callbacks, not by awaits: a
 * promise per step cost the common call several µs of CPU (docs/benchmarks.md §1).
 */
class LiveAttempt extends Wait<Received> implements WireReceiver, TextReceiver {
  readonly #attempt: Attempt;
  readonly #deps: AttemptDeps;
  readonly #outcome: AttemptOutcome;
  /** Only after a recent timeout, or for a stream (see SIGNAL_AFTER_TIMEOUT_MS): the fast path has none. */
  readonly #controller: AbortController | undefined;
  /** What the wire gets: the caller's signal, the controller's, or both. */
  readonly #signal: AbortSignal | null | undefined;
  #hop = 0;
  #url: string;
  #current: WireExchange | undefined;
  #base: ReceivedAnswer | undefined;
  /** Why the attempt was ended early (timeout, close()): the exchange's late answer is cancelled. */
  #endedWith: Error | undefined;

  constructor(attempt: Attempt, deps: AttemptDeps, outcome: AttemptOutcome) {
    super();
    this.#attempt = attempt;
    this.#deps = deps;
    this.#outcome = outcome;
    this.#url = attempt.request.url;
    const { request } = attempt;
    const controller = request.stream || deps.stall.stalling() ? new AbortController() : undefined;
    this.#controller = controller;
    this.#signal = controller
      ? request.signal
        ? anySignal(request.signal, controller.signal)
        : controller.signal
      : request.signal;
  }

  start(): void {
    const { pending, sweep } = this.#deps;
    this.begin({ ms: this.#attempt.timeoutMs, pending, sweep });
    this.#send(this.#url);
  }

  protected resolved(received: Received): void {
    this.#outcome.received(this.#attempt, received);
  }

  protected rejected(error: unknown): void {
    this.#outcome.failed(this.#attempt, error);
  }

  protected override timeoutError(): Error {
    this.#deps.stall.announce();
    const { request, timeoutMs } = this.#attempt;
    return new CciTimeoutError(
      `${describeRequest(request.method, request.url)} timed out after ${Math.round(timeoutMs)} ms.`,
    );
  }

  protected override teardown(error: Error): void {
    this.#endedWith = error;
    if (this.#controller) this.#controller.abort(error);
    else this.#current?.cancel();
  }

  protected override afterWork(): void {
    this.#deps.release();
  }

  /** One hop put on the wire; signed first when the credential signs (a signature covers this hop's URL and headers). */
  #send(url: string): void {
    const { credential } = this.#deps;
    const { headers, request } = this.#attempt;
    if (!credential.signs) {
      this.#deliver(url, headers);
      return;
    }
    let signed: SentHeaders | Promise<SentHeaders>;
    try {
      signed = credential.sign(url, headers, request);
    } catch (error) {
      this.workFailed(error);
      return;
    }
    if (signed instanceof Promise)
      signed.then(
        (withSignature) => this.#deliver(url, withSignature),
        (error: unknown) => this.workFailed(error),
      );
    else this.#deliver(url, signed);
  }

  #deliver(url: string, headers: SentHeaders): void {
    if (this.#endedWith) {
      this.workFailed(this.#endedWith);
      return;
    }
    const { request } = this.#attempt;
    const sent: WireRequest = { method: request.method, url, headers };
    if (request.body !== undefined) sent.body = request.body;
    if (this.#signal) sent.signal = this.#signal;
    try {
      this.#current = this.#deps.wire(sent, this);
    } catch (error) {
      this.workFailed(error);
    }
  }

  answered(answer: WireAnswer): void {
    if (this.#endedWith) {
      this.#current?.cancel();
      this.workFailed(this.#endedWith);
      return;
    }
    let streamed: Received | undefined;
    try {
      const { request, secrets } = this.#attempt;
      const base = new ReceivedAnswer(request.method, this.#url, answer);
      if (answer.opaqueRedirect) {
        // A browser with redirect: 'manual' hides where it goes: nothing to check, so not followed.
        const message = 'the server redirected; redirects are not followed from a browser.';
        throw createResponseError(base, 'Redirect', message, secrets);
      }
      streamed = this.#openStream(answer, base);
      this.#base = base;
    } catch (error) {
      this.workFailed(error);
      return;
    }
    if (streamed) this.workDone(streamed);
    else answer.readText(this.#deps.maxResponseBytes, this);
  }

  answerFailed(error: unknown): void {
    this.workFailed(error);
  }

  text(text: string): void {
    const base = this.#base!;
    const { secrets } = this.#attempt;
    let location: string | null = null;
    try {
      if (base.status >= 300 && base.status < 400) location = base.headers.get('location');
      if (location !== null) this.#url = redirectTarget(base, location, this.#hop++, secrets);
    } catch (error) {
      this.workFailed(error);
      return;
    }
    if (location === null) this.workDone(withBody(base, text, secrets));
    else this.#send(this.#url);
  }

  textFailed(error: unknown): void {
    this.workFailed(
      error instanceof BodyTooLargeError
        ? createResponseError(this.#base!, 'ResponseTooLarge', error.message, this.#attempt.secrets)
        : error,
    );
  }

  /** A 2xx answer to a `stream` request, handed back unread; undefined otherwise. */
  #openStream(answer: WireAnswer, base: ReceivedAnswer): Received | undefined {
    const { request, secrets } = this.#attempt;
    if (!request.stream || answer.status < 200 || answer.status >= 300) return undefined;
    const body = answer.stream();
    if (body === null) return undefined;
    // The live body outlives this exchange: close() still ends it, until it ends, fails or is
    // cancelled, or the caller's signal aborts. (A stream opened without a signal and read to its end
    // must not stay registered for the client's lifetime: one entry per watch would pile up.)
    const controller = this.#controller!;
    const { pending } = this.#deps;
    const stream: Pending = { end: (error) => controller.abort(error) };
    const slot = pending.add(stream);
    const { signal } = request;
    // Also off the caller's signal: one signal may serve many streams, and each would leave a listener.
    const release = () => {
      signal?.removeEventListener('abort', release);
      pending.delete(slot, stream);
    };
    signal?.addEventListener('abort', release, { once: true });
    return withBody(base, '', secrets, untilEnd(body, release));
  }
}

/**
 * What an exchange received, its body filled in by withBody. `headers` reads through to the wire's
 * answer (node:http's raw headers become a Headers object only when used). A class rather than an
 * object literal with a getter: V8 gives each such literal a hidden class of its own, which the
 * garbage collector pays for on every call (docs/benchmarks.md §1).
 */
class ReceivedAnswer implements Received {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  text = '';
  secrets: readonly string[] = NO_SECRETS;
  // Set for a stream only (declared, not a field: a read answer has no `body` at all).
  declare body?: ReadableStream<Uint8Array>;
  readonly #answer: WireAnswer;

  constructor(method: string, url: string, answer: WireAnswer) {
    this.method = method;
    this.url = url;
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.#answer = answer;
  }

  get headers(): Headers {
    return this.#answer.headers;
  }
}

const NO_SECRETS: readonly string[] = Object.freeze([]);

/**
 * `body` as it is read, calling `onEnd` when it ends, fails or is cancelled. It pulls only when
 * its reader asks (no buffer of its own): one more promise per chunk, on a stream of events.
 */
function untilEnd(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          onEnd();
          controller.error(error);
          return;
        }
        if (!chunk.done) return controller.enqueue(chunk.value);
        onEnd();
        controller.close();
      },
      cancel(reason) {
        onEnd();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Where a redirect leads, if it may be followed: same origin only, at most MAX_REDIRECTS. */
function redirectTarget(
  base: Omit<ReceivedResponse, 'text'>,
  location: string,
  hop: number,
  secrets: readonly string[],
): string {
  const target = new URL(location, base.url);
  if (target.origin !== new URL(base.url).origin) {
    // The token is a header fetch would carry along: never let it reach another origin.
    throw createResponseError(
      base,
      'Redirect',
      `redirected to another origin (${target.origin}); not followed, so credentials stay here.`,
      secrets,
    );
  }
  if (hop >= MAX_REDIRECTS)
    throw createResponseError(base, 'Redirect', `more than ${MAX_REDIRECTS} redirects.`, secrets);
  return target.href;
}

/** What an exchange received: `base` with its body. */
function withBody(
  base: ReceivedAnswer,
  text: string,
  secrets: readonly string[],
  body?: ReadableStream<Uint8Array>,
): Received {
  base.text = text;
  base.secrets = secrets;
  if (body) base.body = body;
  return base;
}

/** A signal that aborts when either does (without AbortSignal.any, an old browser: the timer's only). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return typeof AbortSignal.any === 'function' ? AbortSignal.any([a, b]) : b;
}

import { createResponseError, describeRequest, type ReceivedResponse } from '../errors/from-response.js';
import { CciTimeoutError } from '../errors/classes.js';
import { BodyTooLargeError } from '../wire/body-text.js';
import type { Wire, WireAnswer, WireExchange, WireRequest } from '../wire/fetch-wire.js';
import type { CredentialStep, SentHeaders } from './credential.js';
import type { Pending, PendingSet } from './pending.js';
import { settle } from './settle.js';
import type { StallWatch } from './stall.js';
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
}

/** An attempt in progress: the exchange on the wire, and how to tear it down. */
interface Live {
  attempt: Attempt;
  deps: AttemptDeps;
  /** Only after a recent timeout, or for a stream (see SIGNAL_AFTER_TIMEOUT_MS): the fast path has none. */
  controller: AbortController | undefined;
  /** What the wire gets: the caller's signal, the controller's, or both. */
  signal: AbortSignal | null | undefined;
  current?: WireExchange;
  ended?: Error;
}

/**
 * Runs one attempt: one HTTP exchange (following same-origin redirects), settled at its timeout.
 * A timer, not an AbortSignal per request (see SIGNAL_AFTER_TIMEOUT_MS): on expiry the call rejects
 * at once and the exchange is torn down, aborted through the signal when it has one, else cancelled
 * on the wire (the connection is closed, not reused). The slot is released only when the exchange
 * itself has ended, so a request still on the wire keeps its slot.
 */
export function runAttempt(attempt: Attempt, deps: AttemptDeps): Promise<Received> {
  const { request } = attempt;
  const controller = request.stream || deps.stall.stalling() ? new AbortController() : undefined;
  const signal = controller
    ? request.signal
      ? anySignal(request.signal, controller.signal)
      : controller.signal
    : request.signal;
  const live: Live = { attempt, deps, controller, signal };
  return settle(hops(live), {
    afterWork: deps.release,
    ms: attempt.timeoutMs,
    onTimeout() {
      deps.stall.announce();
      return new CciTimeoutError(
        `${describeRequest(request.method, request.url)} timed out after ${Math.round(attempt.timeoutMs)} ms.`,
      );
    },
    pending: deps.pending,
    teardown(error) {
      live.ended = error;
      if (controller) controller.abort(error);
      else live.current?.cancel();
    },
  });
}

/**
 * The exchange's hops: send, read the answer, follow a same-origin redirect, up to MAX_REDIRECTS.
 * One async function for the whole exchange (no async helper per step: each would add a promise
 * to every request).
 */
async function hops(live: Live): Promise<Received> {
  const { attempt, deps } = live;
  const { secrets } = attempt;
  let url = attempt.request.url;
  for (let hop = 0; ; hop++) {
    const started = startHop(live, url);
    const current = started instanceof Promise ? await started : started;
    live.current = current;
    const answer = await current.answer;
    if (live.ended) {
      current.cancel();
      throw live.ended;
    }
    const base = new ReceivedAnswer(attempt.request.method, url, answer);
    if (answer.opaqueRedirect) {
      // A browser with redirect: 'manual' hides where it goes: nothing to check, so not followed.
      throw createResponseError(
        base,
        'Redirect',
        'the server redirected; redirects are not followed from a browser.',
        secrets,
      );
    }
    const streamed = openStream(live, answer, base);
    if (streamed) return streamed;
    let text: string;
    try {
      text = await answer.readText(deps.maxResponseBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        throw createResponseError(base, 'ResponseTooLarge', error.message, secrets);
      throw error;
    }
    const location = answer.status >= 300 && answer.status < 400 ? answer.headers.get('location') : null;
    if (location === null) return withBody(base, text, secrets);
    url = redirectTarget(base, location, hop, secrets);
  }
}

/** One hop put on the wire; signed first when the credential signs (a signature covers this hop's URL and headers). */
function startHop(live: Live, url: string): WireExchange | Promise<WireExchange> {
  const { attempt, deps } = live;
  if (!deps.credential.signs) return deliver(live, url, attempt.headers);
  const withSignature = deps.credential.sign(url, attempt.headers, attempt.request);
  return withSignature instanceof Promise
    ? withSignature.then((headers) => deliver(live, url, headers))
    : deliver(live, url, withSignature);
}

function deliver(live: Live, url: string, headers: SentHeaders): WireExchange {
  const { request } = live.attempt;
  const sent: WireRequest = { method: request.method, url, headers };
  if (request.body !== undefined) sent.body = request.body;
  if (live.signal) sent.signal = live.signal;
  return live.deps.wire(sent);
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

/** A 2xx answer to a `stream` request, handed back unread; undefined otherwise. */
function openStream(live: Live, answer: WireAnswer, base: ReceivedAnswer): Received | undefined {
  const { request, secrets } = live.attempt;
  if (!request.stream || answer.status < 200 || answer.status >= 300) return undefined;
  const body = answer.stream();
  if (body === null) return undefined;
  // The live body outlives this exchange: close() still ends it, until it ends, fails or is
  // cancelled, or the caller's signal aborts. (A stream opened without a signal and read to its end
  // must not stay registered for the client's lifetime: one entry per watch would pile up.)
  const { controller } = live;
  const { pending } = live.deps;
  const stream: Pending = { end: (error) => controller!.abort(error) };
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

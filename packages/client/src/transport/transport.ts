import { clampDelay } from '@cci-openapi/internals/timer-delay';
import { createResponseError, describeRequest, type ReceivedResponse } from '../errors/from-response.js';
import type { TokenSource } from '../auth/token-source.js';
import { CciInputError, CciNetworkError, CciTimeoutError, isCciError } from '../errors/classes.js';
import type { Limiter, RateLimiter } from './limiter.js';
import { BodyTooLargeError } from '../wire/body-text.js';
import { parseRetryAfter } from './retry-after.js';
import {
  errorCode,
  isConnectionReset,
  isIdempotent,
  isRetryableStatus,
  retryDelayMs,
  type RetryPolicy,
} from './retry-policy.js';
import { type Clock, REAL_CLOCK } from './sleep.js';
import type { Wire, WireExchange, WireRequest } from '../wire/fetch-wire.js';

/**
 * One call on the wire, below the middleware of pipeline.ts, for generated operations, helpers
 * and openapi-fetch's client.GET alike: auth header, concurrency limit, per-attempt timeout, overall
 * deadline, same-origin-only redirects, bounded body, retries. It answers with the whole response
 * read into text, so that retries can look at it and a timeout covers the body too.
 */
export interface TransportConfig {
  /** What carries each exchange: fetch, or node:http on Node (wire.ts, node-wire.ts). */
  wire: Wire;
  tokenSource: TokenSource;
  /** Lower-case names; sent on every request, under the request's own headers. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Most time one call may take, every attempt, the token source and the waits between retries included; Infinity for none. */
  deadlineMs?: number;
  maxResponseBytes: number;
  limiter: Limiter;
  /** The client's request rate limit (a token bucket), taken before each attempt, before the concurrency limiter. */
  rateLimiter?: RateLimiter;
  /** What retry waits, Retry-After dates and deadlines are measured on; default real time. Attempt timeouts stay on real timers. */
  clock?: Clock;
}

export interface SendRequest {
  method: string;
  url: string;
  /** The complete headers of a Request (client.GET's, or one middleware saw), instead of the configured ones. */
  headers?: Headers;
  body?: ArrayBuffer;
  /** The body's media type, sent as Content-Type (with `headers` given, those say it instead). */
  contentType?: string;
  /**
   * Whether the request may be sent again after it may have reached the server (a timeout, a reset,
   * a 503/504). Default: by method, GET, HEAD and OPTIONS only. A write is retried after a 429
   * alone (refused before it was acted on), unless it says it is safe to repeat (a PUT carrying the
   * resourceVersion it replaces: a second landing is refused with 409, never applied twice).
   */
  idempotent?: boolean;
  signal?: AbortSignal | null;
  /** An end time (epoch ms on the transport's clock) of its own, for waitForLoadBalancerIngress, which must end by its deadline. */
  deadline?: number;
  /**
   * Hand a 2xx body back unread, as `body` (a watch never ends). The timeout and the concurrency
   * slot then cover the opening only, up to the response headers; an error answer is still read
   * to text, for typed errors and retries.
   */
  stream?: boolean;
}

export interface Received extends ReceivedResponse {
  /** The token this request carried, to cut out of any error text. */
  secrets: readonly string[];
  /** The live body of a 2xx answer to a `stream` request (`text` is then empty). */
  body?: ReadableStream<Uint8Array>;
}

export interface Transport {
  send(request: SendRequest): Promise<Received>;
  /** From now on every call rejects with `error`: new ones at once, queued ones in the limiter, those in flight (aborted). */
  close(error: Error): void;
}

const MAX_REDIRECTS = 5;
const NO_SECRETS: readonly string[] = Object.freeze([]);
const noop = () => {};
/**
 * How long after a timeout the requests of a client carry an AbortSignal. Passing a signal to Node's
 * fetch costs ~15 µs of CPU per request (undici follows it with a WeakRef, a FinalizationRegistry
 * entry and a listener), so a healthy client sends none. Once a request has timed out, the server
 * is one that stalls: for the next minute every request gets a signal, which the timer aborts, so
 * its socket and concurrency slot are freed at the deadline instead of piling up.
 */
const SIGNAL_AFTER_TIMEOUT_MS = 60_000;

/** Something a call is waiting for that close() or the timer can end at once. */
interface Pending {
  end(error: Error): void;
}

export function createTransport(config: TransportConfig): Transport {
  const { tokenSource, retry, limiter, rateLimiter } = config;
  const { wire } = config;
  const deadlineMs = config.deadlineMs ?? Infinity;
  const clock = config.clock ?? REAL_CLOCK;
  // Built once: with a fixed token, most requests send this very object. The token source names its
  // header: X-Auth-Token (CCI gateway) or Authorization: Bearer (kube-apiserver).
  const fixedHeaders: Record<string, string> =
    tokenSource.kind === 'static'
      ? { ...config.headers, [tokenSource.header]: tokenSource.headerValue(tokenSource.token) }
      : config.headers;
  const fixedSecrets =
    tokenSource.kind === 'static'
      ? Object.freeze([tokenSource.token])
      : tokenSource.kind === 'signed'
        ? tokenSource.secrets
        : NO_SECRETS;
  const tokenFunction = tokenSource.kind === 'dynamic' ? tokenSource.name : 'the token source';
  /** What close() ends: every attempt and token wait in progress. */
  const pending = new Set<Pending>();
  let closedWith: Error | undefined;
  let signalUntil = 0;
  /** Calls waiting for a slot, told when a timeout shows that the server stalls. */
  const stallWatchers = new Set<() => void>();

  function headersFor(
    token: string | undefined,
    given: Headers | undefined,
    contentType: string | undefined,
  ): Record<string, string> | Headers {
    if (given === undefined) {
      const base =
        token === undefined || tokenSource.kind !== 'dynamic'
          ? fixedHeaders
          : { ...config.headers, [tokenSource.header]: tokenSource.headerValue(token) };
      return contentType === undefined ? base : { ...base, 'content-type': contentType };
    }
    // A Request's headers (client.GET's, or one that middleware saw) already hold the configured
    // ones and are taken as they are, so middleware can change or remove any; only the credential
    // is added here, per attempt, and middleware never sees it.
    const headers = new Headers(given);
    if (token !== undefined && tokenSource.kind === 'dynamic')
      headers.set(tokenSource.header, tokenSource.headerValue(token));
    else if (tokenSource.kind === 'static') headers.set(tokenSource.header, tokenSource.headerValue(tokenSource.token));
    return headers;
  }

  /**
   * `work` bounded by `ms`, the caller's signal and close(): whichever comes first settles the result.
   * For the rarer waits (a token source, a queue slot under a deadline); attempts have their own.
   */
  function bounded<T>(
    work: Promise<T>,
    ms: number,
    signal: AbortSignal | null | undefined,
    onTimeout: () => Error,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { end: (error) => finish(() => reject(error)) };
      const onAbort = () => entry.end(signal!.reason);
      const timer = ms === Infinity ? undefined : setTimeout(() => entry.end(onTimeout()), clampDelay(ms));
      let done = false;
      function finish(settle: () => void) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        pending.delete(entry);
        settle();
      }
      if (signal?.aborted) return entry.end(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.add(entry);
      work.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  /** The credential for one attempt, from the token source, bounded like the attempt; its failures are typed. */
  async function tokenFor(request: SendRequest, ms: number): Promise<string | undefined> {
    if (tokenSource.kind !== 'dynamic') return undefined;
    let work: Promise<string | undefined>;
    try {
      work = tokenSource.getToken();
    } catch (error) {
      work = Promise.reject(error);
    }
    try {
      return await bounded(
        work,
        ms,
        request.signal,
        () =>
          new CciTimeoutError(
            `${tokenFunction} did not return a token within ${Math.round(ms)} ms (${describeRequest(request.method, request.url)}).`,
          ),
      );
    } catch (error) {
      if (isCciError(error) || (request.signal?.aborted && error === request.signal.reason)) throw error;
      // A token source may reject with anything, even a bare string: the caller gets a typed error
      // with the original as `cause`. Its text is not quoted, as it may carry a credential.
      const what = error instanceof Error ? `${error.name}` : `a ${error === null ? 'null' : typeof error}`;
      throw new CciInputError(
        `${tokenFunction} failed (${what}; see cause), so ${describeRequest(request.method, request.url)} was not sent.`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * One HTTP exchange (following same-origin redirects), bounded by `timeoutMs`. The promise settles
   * at the deadline; `release` (the concurrency slot) runs only when the exchange itself has ended,
   * so a request still on the wire keeps its slot.
   */
  function exchange(
    request: SendRequest,
    headers: Record<string, string> | Headers,
    secrets: readonly string[],
    timeoutMs: number,
    release: () => void,
  ): Promise<Received> {
    return new Promise<Received>((resolve, reject) => {
      let done = false;
      let current: WireExchange | undefined;
      // Only after a recent timeout (see SIGNAL_AFTER_TIMEOUT_MS), or for a stream, which outlives
      // the exchange and must still end at close(): the fast path creates no signal.
      const controller = request.stream || signalUntil > Date.now() ? new AbortController() : undefined;
      const entry: Pending = {
        end(error) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          pending.delete(entry);
          if (controller) controller.abort(error);
          else current?.cancel();
          reject(error);
        },
      };
      // A timer, not an AbortSignal per request (see SIGNAL_AFTER_TIMEOUT_MS). On expiry the call
      // rejects at once and the exchange is torn down: aborted through the signal when it has one,
      // else cancelled on the wire (the connection is closed, not reused).
      const timer = setTimeout(() => {
        signalUntil = Date.now() + SIGNAL_AFTER_TIMEOUT_MS;
        for (const onStall of [...stallWatchers]) onStall();
        entry.end(
          new CciTimeoutError(
            `${describeRequest(request.method, request.url)} timed out after ${Math.round(timeoutMs)} ms.`,
          ),
        );
      }, clampDelay(timeoutMs));
      pending.add(entry);
      const signal = controller
        ? request.signal
          ? anySignal(request.signal, controller.signal)
          : controller.signal
        : request.signal;

      (async (): Promise<Received> => {
        let url = request.url;
        for (let hop = 0; ; hop++) {
          // A signature covers the URL of this hop and the headers and body exactly as sent.
          let sentHeaders = headers;
          if (tokenSource.kind === 'signed') {
            const withSignature = signed(url, headers, request);
            sentHeaders = withSignature instanceof Promise ? await withSignature : withSignature;
          }
          const sent: WireRequest = { method: request.method, url, headers: sentHeaders };
          if (request.body !== undefined) sent.body = request.body;
          if (signal) sent.signal = signal;
          current = wire(sent);
          const answer = await current.answer;
          if (done) {
            current.cancel();
            throw new Error('ended');
          }
          // `headers` read through: node:http's raw headers become a Headers object only when used.
          const base = {
            method: request.method,
            url,
            status: answer.status,
            statusText: answer.statusText,
            get headers() {
              return answer.headers;
            },
          };
          if (answer.opaqueRedirect) {
            // A browser with redirect: 'manual' hides where it goes: nothing to check, so not followed.
            throw createResponseError(
              base,
              'Redirect',
              'the server redirected; redirects are not followed from a browser.',
              secrets,
            );
          }
          if (request.stream && answer.status >= 200 && answer.status < 300) {
            const body = answer.stream();
            if (body !== null) {
              // The live body outlives this exchange: close() still ends it, until the caller's signal does.
              const live: Pending = { end: (error) => controller!.abort(error) };
              pending.add(live);
              request.signal?.addEventListener('abort', () => pending.delete(live), { once: true });
              return withBody(base, '', secrets, body);
            }
          }
          let text: string;
          try {
            text = await answer.readText(config.maxResponseBytes);
          } catch (error) {
            if (error instanceof BodyTooLargeError)
              throw createResponseError(base, 'ResponseTooLarge', error.message, secrets);
            throw error;
          }
          const location = answer.status >= 300 && answer.status < 400 ? answer.headers.get('location') : null;
          if (location === null) return withBody(base, text, secrets);
          const target = new URL(location, url);
          if (target.origin !== new URL(url).origin) {
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
          url = target.href;
        }
      })().then(
        (received) => {
          release();
          if (done) return;
          done = true;
          clearTimeout(timer);
          pending.delete(entry);
          resolve(received);
        },
        (error: unknown) => {
          release();
          if (done) return;
          done = true;
          clearTimeout(timer);
          pending.delete(entry);
          reject(error);
        },
      );
    });
  }

  /**
   * The headers of one hop with the AK/SK signature's headers added (names lower-cased: the
   * signature covers them as sent). Synchronous where the signer is (node:crypto).
   */
  function signed(
    url: string,
    headers: Record<string, string> | Headers,
    request: SendRequest,
  ): Record<string, string> | Promise<Record<string, string>> {
    // The configured headers' names are lower-case already (client.ts); a Headers object's too.
    const plain: Record<string, string> = headers instanceof Headers ? Object.fromEntries(headers) : { ...headers };
    const { sign } = tokenSource as Extract<TokenSource, { kind: 'signed' }>;
    const signable = {
      method: request.method,
      url,
      headers: plain,
      ...(request.body !== undefined && { body: request.body }),
    };
    if (sign.sync) return Object.assign(plain, sign.sync(signable, Date.now()));
    return sign(signable, Date.now()).then((added) => Object.assign(plain, added));
  }

  function networkError(request: SendRequest, error: unknown): unknown {
    if (isCciError(error)) return error;
    // Torn down by close(): the closed error, not a connection error to retry.
    if (closedWith) return closedWith;
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

  /**
   * The wait for a concurrency slot. A timed-out request keeps its slot until it has really ended,
   * and one that carried no signal may take a while to end: so once the server stalls (a timeout in
   * the last minute, announced to waiters already queued) the wait is bounded by timeoutMs, and it
   * is always bounded by the call's deadline. A slot granted after giving up is handed back.
   */
  function waitForSlot(wait: Promise<void>, request: SendRequest, end: number, attempt: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false;
      let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(deadlineTimer);
        clearTimeout(stallTimer);
        stallWatchers.delete(onStall);
        settle();
      };
      const giveUp = (error: Error) =>
        finish(() => {
          wait.then(() => limiter.release(), noop);
          reject(error);
        });
      function onStall() {
        stallTimer ??= setTimeout(
          () =>
            giveUp(
              new CciTimeoutError(
                `${describeRequest(request.method, request.url)}: no concurrency slot came free within ${config.timeoutMs} ms (requests to a server that stopped answering still hold them).`,
              ),
            ),
          clampDelay(config.timeoutMs),
        );
      }
      if (end !== Infinity)
        deadlineTimer = setTimeout(() => giveUp(deadlineError(request, attempt - 1)), clampDelay(end - clock.now()));
      if (signalUntil > Date.now()) onStall();
      else stallWatchers.add(onStall);
      wait.then(
        () => finish(resolve),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  function deadlineError(request: SendRequest, attempts: number): CciTimeoutError {
    return new CciTimeoutError(
      `${describeRequest(request.method, request.url)} did not finish within the client's deadline of ${deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}).`,
    );
  }

  async function send(request: SendRequest): Promise<Received> {
    if (closedWith) throw closedWith;
    const started = clock.now();
    // Repeatable after it may have reached the server; any request may be repeated after a 429.
    const retryable = request.idempotent ?? isIdempotent(request.method);
    // `end`: nothing of this call may outlast it (deadlineMs, a helper's own deadline).
    // `lastStart`: no retry starts after it (retry.maxElapsedMs).
    const end = Math.min(started + deadlineMs, request.deadline ?? Infinity);
    const lastStart = Math.min(started + retry.maxElapsedMs, end);
    // A renewable token refused with 401 is renewed and the request sent once more, whatever its
    // method: the server refused it before acting on it. (An attempt with no token from a renewable
    // source proved itself otherwise, by an exec plugin's client certificate: renewed the same way.)
    let renewed = tokenSource.kind !== 'dynamic' || tokenSource.invalidate === undefined;
    for (let attempt = 1; ; attempt++) {
      const left = end - clock.now();
      if (left <= 0) throw deadlineError(request, attempt - 1);
      // The rate limit's token, before the concurrency slot: waited for on the clock, ended by the
      // call's signal, its deadline (a wait that would pass it fails at once) and close().
      const pause = rateLimiter ? rateLimiter.take(clock.now(), end) : 0;
      if (pause < 0) throw deadlineError(request, attempt - 1);
      if (pause)
        await bounded(clock.sleep(pause, request.signal), Infinity, request.signal, () =>
          deadlineError(request, attempt - 1),
        );
      const token = await tokenFor(request, Math.min(config.timeoutMs, left));
      const secrets = token === undefined ? fixedSecrets : [token];
      const headers = headersFor(token, request.headers, request.contentType);
      const wait = limiter.acquire(request.signal);
      if (wait) await waitForSlot(wait, request, end, attempt);
      const timeoutMs = Math.min(config.timeoutMs, end - clock.now());
      // Cut short by deadlineMs (not by a helper's own deadline, which words its own timeout).
      const byDeadline = timeoutMs < config.timeoutMs && request.deadline === undefined;
      let received: Received | undefined;
      let failure: unknown;
      try {
        received = await exchange(request, headers, secrets, Math.max(1, timeoutMs), limiter.release);
      } catch (error) {
        failure = networkError(request, error);
        if (byDeadline && isCciError(failure, 'timeout')) failure = deadlineError(request, attempt);
      }
      if (received?.status === 401 && !renewed) {
        renewed = true;
        (tokenSource as { invalidate: (token: string | undefined) => void }).invalidate(token);
        continue;
      }
      const again =
        attempt < retry.attempts &&
        (received
          ? retryable
            ? isRetryableStatus(received.status)
            : received.status === 429
          : retryable && failure instanceof CciNetworkError && isConnectionReset(failure));
      if (!again) {
        if (received) return received;
        throw failure;
      }
      const retryAfter = received ? parseRetryAfter(received.headers.get('retry-after'), clock.now()) : undefined;
      const delay = retryDelayMs(retry, attempt, retryAfter);
      if (clock.now() + delay > lastStart) {
        if (received) return received;
        throw failure;
      }
      // Registered with close() like an attempt; the delay itself already ends before lastStart.
      await bounded(clock.sleep(delay, request.signal), Infinity, null, () => deadlineError(request, attempt));
    }
  }

  return {
    send,
    close(error) {
      if (closedWith) return;
      closedWith = error;
      limiter.close(error);
      for (const entry of [...pending]) entry.end(error);
    },
  };
}

/** What an exchange received: `base` with its body, keeping its `headers` getter (a spread would call it). */
function withBody(
  base: Omit<ReceivedResponse, 'text'>,
  text: string,
  secrets: readonly string[],
  body?: ReadableStream<Uint8Array>,
): Received {
  const received = base as Received;
  received.text = text;
  received.secrets = secrets;
  if (body) received.body = body;
  return received;
}

/** A signal that aborts when either does (without AbortSignal.any, an old browser: the timer's only). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return typeof AbortSignal.any === 'function' ? AbortSignal.any([a, b]) : b;
}

import { createBadResponseError, describeRequest, type ReceivedResponse } from './api-error.js';
import type { TokenSource } from './auth.js';
import { CceApiError, CceNetworkError, CceTimeoutError } from './errors.js';
import type { Limiter } from './limiter.js';
import { BodyTooLargeError, readBodyText } from './read-body.js';
import { parseRetryAfter } from './retry-after.js';
import { errorCode, isConnectionReset, isIdempotent, isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';

/**
 * One call on the wire, below the middleware of pipeline.ts, for generated operations, helpers
 * and openapi-fetch's client.GET alike: auth header, concurrency limit, per-attempt timeout, same-origin-only
 * redirects, bounded body, retries. It answers with the whole response read into text, so that
 * retries can look at it and a timeout covers the body too.
 */
export interface TransportConfig {
  fetch: typeof globalThis.fetch;
  tokenSource: TokenSource;
  /** Lower-case names; sent on every request, under the request's own headers. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  limiter: Limiter;
  dispatcher?: unknown;
}

export interface SendRequest {
  method: string;
  url: string;
  /** The complete headers of a Request (client.GET's, or one middleware saw), instead of the configured ones. */
  headers?: Headers;
  body?: ArrayBuffer;
  signal?: AbortSignal | null;
  /** Overrides for waitForLoadBalancerIngress, which must end by its own deadline. */
  timeoutMs?: number;
  deadline?: number;
}

export interface Received extends ReceivedResponse {
  /** The token this request carried, to cut out of any error text. */
  secrets: readonly string[];
}

const MAX_REDIRECTS = 5;
const NO_SECRETS: readonly string[] = Object.freeze([]);
const noop = () => {};

export interface Transport {
  send(request: SendRequest): Promise<Received>;
}

export function createTransport(config: TransportConfig): Transport {
  const { tokenSource, retry, limiter } = config;
  const fetchImpl = config.fetch;
  // Built once: with a fixed token, most requests send this very object. The token source names its
  // header: X-Auth-Token (CCE gateway) or Authorization: Bearer (kube-apiserver).
  const fixedHeaders: Record<string, string> =
    tokenSource.kind === 'static' ? { ...config.headers, [tokenSource.header]: tokenSource.headerValue(tokenSource.token) } : config.headers;
  const fixedSecrets = tokenSource.kind === 'static' ? Object.freeze([tokenSource.token]) : NO_SECRETS;

  function headersFor(token: string | undefined, given: Headers | undefined): Record<string, string> | Headers {
    if (given === undefined) return token === undefined || tokenSource.kind === 'none' ? fixedHeaders : { ...config.headers, [tokenSource.header]: tokenSource.headerValue(token) };
    // A Request's headers (client.GET's, or one that middleware saw) already hold the configured
    // ones and are taken as they are, so middleware can change or remove any; only the credential
    // is added here, per attempt, and middleware never sees it.
    const headers = new Headers(given);
    if (token !== undefined && tokenSource.kind !== 'none') headers.set(tokenSource.header, tokenSource.headerValue(token));
    else if (tokenSource.kind === 'static') headers.set(tokenSource.header, tokenSource.headerValue(tokenSource.token));
    return headers;
  }

  /** One HTTP exchange (following same-origin redirects), bounded by `timeoutMs`. */
  async function exchange(request: SendRequest, headers: Record<string, string> | Headers, secrets: readonly string[], timeoutMs: number): Promise<Received> {
    let expired = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let pending: Promise<Response> | undefined;
    let rejectTimeout!: (error: Error) => void;
    const timedOut = new Promise<never>((_, reject) => (rejectTimeout = reject));
    // A timer, not an AbortSignal: in Node's fetch a signal costs ~18 µs of CPU per request (a
    // WeakRef, a FinalizationRegistry entry and listeners inside undici), 10 % of a loopback round
    // trip. On expiry the call rejects at once; the connection is closed by cancelling the body
    // reader, or the response's body as soon as headers arrive (see README, "Timeouts").
    const timer = setTimeout(() => {
      expired = true;
      if (reader) reader.cancel().catch(noop);
      else pending?.then((late) => late.body?.cancel().catch(noop), noop);
      rejectTimeout(new CceTimeoutError(`${describeRequest(request.method, request.url)} timed out after ${timeoutMs} ms.`));
    }, timeoutMs);
    try {
      let url = request.url;
      for (let hop = 0; ; hop++) {
        const init: RequestInit & { dispatcher?: unknown } = { method: request.method, headers, redirect: 'manual' };
        if (request.body !== undefined) init.body = request.body;
        if (request.signal) init.signal = request.signal;
        if (config.dispatcher !== undefined) init.dispatcher = config.dispatcher;
        pending = fetchImpl(url, init);
        const response = await Promise.race([pending, timedOut]);
        const base = { method: request.method, url, status: response.status, statusText: response.statusText, headers: response.headers };
        if (response.type === 'opaqueredirect') {
          // A browser with redirect: 'manual' hides where it goes: nothing to check, so not followed.
          throw createBadResponseError(base, 'Redirect', 'the server redirected; redirects are not followed from a browser.', secrets);
        }
        let text: string;
        try {
          text = await readBodyText(response, config.maxResponseBytes, (r) => (reader = r));
        } catch (error) {
          if (error instanceof BodyTooLargeError) throw createBadResponseError(base, 'ResponseTooLarge', error.message, secrets);
          throw error;
        }
        reader = undefined;
        if (expired) await timedOut;
        const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
        if (location === null) return { ...base, text, secrets };
        const target = new URL(location, url);
        if (target.origin !== new URL(url).origin) {
          // The token is a header fetch would carry along: never let it reach another origin.
          throw createBadResponseError(base, 'Redirect', `redirected to another origin (${target.origin}); not followed, so credentials stay here.`, secrets);
        }
        if (hop >= MAX_REDIRECTS) throw createBadResponseError(base, 'Redirect', `more than ${MAX_REDIRECTS} redirects.`, secrets);
        url = target.href;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  function networkError(request: SendRequest, error: unknown): unknown {
    if (error instanceof CceApiError || error instanceof CceTimeoutError) return error;
    // The caller's own abort keeps its reason (an AbortError by default), as fetch does.
    if (request.signal?.aborted) return request.signal.reason;
    const code = errorCode(error);
    const detail = code ?? (error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
    return new CceNetworkError(`${describeRequest(request.method, request.url)} failed: ${detail}`, { cause: error, ...(code !== undefined && { code }) });
  }

  async function send(request: SendRequest): Promise<Received> {
    const started = Date.now();
    const retryable = isIdempotent(request.method);
    const deadline = Math.min(started + retry.maxElapsedMs, request.deadline ?? Infinity);
    for (let attempt = 1; ; attempt++) {
      const token = tokenSource.kind === 'dynamic' ? await tokenSource.getToken() : undefined;
      const secrets = token === undefined ? fixedSecrets : [token];
      const headers = headersFor(token, request.headers);
      const timeoutMs = request.deadline === undefined ? config.timeoutMs : Math.max(1, Math.min(config.timeoutMs, request.deadline - Date.now()));
      const wait = limiter.acquire(request.signal);
      if (wait) await wait;
      let received: Received | undefined;
      let failure: unknown;
      try {
        received = await exchange(request, headers, secrets, timeoutMs);
      } catch (error) {
        failure = networkError(request, error);
      } finally {
        limiter.release();
      }
      const again =
        retryable &&
        attempt < retry.attempts &&
        (received ? isRetryableStatus(received.status) : failure instanceof CceNetworkError && isConnectionReset(failure));
      if (!again) {
        if (received) return received;
        throw failure;
      }
      const retryAfter = received ? parseRetryAfter(received.headers.get('retry-after')) : undefined;
      const delay = retryDelayMs(retry, attempt, retryAfter);
      if (Date.now() + delay > deadline) {
        if (received) return received;
        throw failure;
      }
      await sleep(delay, request.signal);
    }
  }

  return { send };
}

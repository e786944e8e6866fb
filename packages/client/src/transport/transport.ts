import type { TokenSource } from '../auth/token-source.js';
import type { ReceivedResponse } from '../errors/from-response.js';
import type { Wire } from '../wire/fetch-wire.js';
import type { AttemptDeps } from './attempt.js';
import { createCredentialStep } from './credential.js';
import type { Limiter, RateLimiter } from './limiter.js';
import { sendWithRetries } from './retry-loop.js';
import type { RetryPolicy } from './retry-policy.js';
import { PendingSet } from './pending.js';
import { type Clock, REAL_CLOCK } from './sleep.js';
import { createStallWatch } from './stall.js';
import { TimeoutSweep } from './timeout-sweep.js';

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
  /**
   * The complete headers of a request (client.GET's, or one middleware saw), instead of the
   * configured ones: a Request's Headers, or a plain object with lower-case names.
   */
  headers?: Headers | Record<string, string>;
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
  /** One call; the answer that stands goes through `finish` (a body check) before the call settles. */
  send<T = Received>(request: SendRequest, finish?: (received: Received) => T): Promise<T>;
  /** From now on every call rejects with `error`: new ones at once, queued ones in the limiter, those in flight (aborted). */
  close(error: Error): void;
}

/** What the retry loop of every call shares: the configuration, and what close() ends. */
export interface TransportState {
  config: TransportConfig;
  deadlineMs: number;
  clock: Clock;
  /** Every attempt, token wait and pause in progress. */
  pending: PendingSet;
  closedWith: Error | undefined;
  /** Built once: the same for every attempt. */
  deps: AttemptDeps;
}

/**
 * The transport, in steps of their own: the retry loop (retry-loop.ts) around each attempt's
 * preparation (rate limit, credential, concurrency slot) and the attempt itself (attempt.ts: one
 * exchange and its redirects), every wait bounded the same way (settle.ts: the attempt is a Wait of
 * its own, the other waits go through settle()). A call that waits for nothing is one promise.
 */
export function createTransport(config: TransportConfig): Transport {
  const credential = createCredentialStep(config.tokenSource, config.headers);
  const pending = new PendingSet();
  const state: TransportState = {
    config,
    deadlineMs: config.deadlineMs ?? Infinity,
    clock: config.clock ?? REAL_CLOCK,
    pending,
    closedWith: undefined,
    deps: {
      wire: config.wire,
      credential,
      maxResponseBytes: config.maxResponseBytes,
      pending,
      stall: createStallWatch(),
      release: config.limiter.release,
      sweep: new TimeoutSweep(),
    },
  };
  return {
    send: (request, finish) => sendWithRetries(state, request, finish),
    close(error) {
      if (state.closedWith) return;
      state.closedWith = error;
      config.limiter.close(error);
      pending.endAll(error);
    },
  };
}

import { readBodyText } from './body-text.js';

/**
 * One HTTP exchange as the transport needs it, whatever carries it: `fetch` (browsers, a fetch the
 * caller passes, an undici dispatcher) or node:http (the default on Node; see node-wire.ts). The
 * transport above it owns everything else: auth, retries, timeouts, redirects, limits.
 */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string> | Headers;
  body?: ArrayBuffer;
  /** Aborts the exchange with the signal's reason, body included. Absent on the fast path. */
  signal?: AbortSignal | null;
}

export interface WireAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** A browser's answer to redirect: 'manual', which hides where it goes. */
  opaqueRedirect: boolean;
  /** Reads the whole body as UTF-8 text, at most `maxBytes` of it (BodyTooLargeError beyond), and tells `receiver`. */
  readText(maxBytes: number, receiver: TextReceiver): void;
  /** The body unread, for a stream that outlives the exchange; null when there is none. */
  stream(): ReadableStream<Uint8Array> | null;
}

/**
 * Who hears how an exchange went: its answer, or why there is none; exactly one of the two, once.
 * Callbacks rather than a promise: the attempt above (transport/attempt.ts) is one object that
 * follows its exchange from request to body, and a promise per step cost the common call several
 * µs of CPU (docs/benchmarks.md §1). Neither may throw: they run in socket events.
 */
export interface WireReceiver {
  answered(answer: WireAnswer): void;
  answerFailed(error: unknown): void;
}

/** Who hears the body's text, or why it could not be read: exactly one of the two, once. */
export interface TextReceiver {
  text(text: string): void;
  textFailed(error: unknown): void;
}

export interface WireExchange {
  /** Tears the exchange down, before the answer or during its body: the connection is not reused. */
  cancel(): void;
}

/** Puts one request on the wire; what comes back goes to `receiver`, never before this returns. */
export type Wire = (request: WireRequest, receiver: WireReceiver) => WireExchange;

const noop = () => {};

/** The wire over a fetch function: redirects are the transport's (`manual`), `dispatcher` is undici's. */
export function createFetchWire(fetchImpl: typeof globalThis.fetch, dispatcher?: unknown): Wire {
  return (request, receiver) => {
    const init: RequestInit & { dispatcher?: unknown } = {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
    };
    if (request.body !== undefined) init.body = request.body;
    if (request.signal) init.signal = request.signal;
    if (dispatcher !== undefined) init.dispatcher = dispatcher;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const response = fetchImpl(request.url, init);
    // The receiver's methods do not throw, so their two-argument then() never calls both.
    response.then(
      (answer) =>
        receiver.answered({
          status: answer.status,
          statusText: answer.statusText,
          headers: answer.headers,
          opaqueRedirect: answer.type === 'opaqueredirect',
          readText(maxBytes, text) {
            readBodyText(answer, maxBytes, (r) => (reader = r)).then(
              (body) => text.text(body),
              (error: unknown) => text.textFailed(error),
            );
          },
          stream: () => answer.body,
        }),
      (error: unknown) => receiver.answerFailed(error),
    );
    return {
      cancel() {
        // Without a signal, cancelling the body is what closes the connection (at once when the
        // body is being read, else as soon as the answer arrives).
        if (reader) reader.cancel().catch(noop);
        else response.then((late) => late.body?.cancel().catch(noop), noop);
      },
    };
  };
}

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
  /** The whole body as UTF-8 text, at most `maxBytes` of it (BodyTooLargeError beyond). */
  readText(maxBytes: number): Promise<string>;
  /** The body unread, for a stream that outlives the exchange; null when there is none. */
  stream(): ReadableStream<Uint8Array> | null;
}

export interface WireExchange {
  answer: Promise<WireAnswer>;
  /** Tears the exchange down, before the answer or during its body: the connection is not reused. */
  cancel(): void;
}

export type Wire = (request: WireRequest) => WireExchange;

const noop = () => {};

/** The wire over a fetch function: redirects are the transport's (`manual`), `dispatcher` is undici's. */
export function createFetchWire(fetchImpl: typeof globalThis.fetch, dispatcher?: unknown): Wire {
  return (request) => {
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
    return {
      answer: response.then((answer) => ({
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
        opaqueRedirect: answer.type === 'opaqueredirect',
        readText: (maxBytes) => readBodyText(answer, maxBytes, (r) => (reader = r)),
        stream: () => answer.body,
      })),
      cancel() {
        // Without a signal, cancelling the body is what closes the connection (at once when the
        // body is being read, else as soon as the answer arrives).
        if (reader) reader.cancel().catch(noop);
        else response.then((late) => late.body?.cancel().catch(noop), noop);
      },
    };
  };
}

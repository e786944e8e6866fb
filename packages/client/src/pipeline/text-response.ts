import { createResponseError } from '../errors/from-response.js';
import type { Received } from '../transport/transport.js';

/** Statuses whose Response has no body (the Response constructor refuses one). */
const noop = () => {};

const isNullBodyStatus = (status: number): boolean => status === 204 || status === 205 || status === 304;

/**
 * A Response of a body the transport already read to text. text() and json() answer from that text:
 * openapi-fetch reads every answer again through one of them, and reading the body stream (a
 * reader, its chunks, decoding) was most of client.GET's cost over the generated operations. The
 * stream is still there for every other reader, and cancelled by the first text() or json(), so
 * the body counts as used after it as after any Response's.
 */
class TextResponse extends Response {
  readonly #text: string;

  constructor(text: string, init: ResponseInit) {
    super(text, init);
    this.#text = text;
  }

  override text(): Promise<string> {
    if (this.bodyUsed) return super.text();
    this.body?.cancel().catch(noop);
    return Promise.resolve(this.#text);
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

/**
 * A Response carrying what the transport received: `received.body` (a stream's live body) as it is,
 * else the text it read. `text: true` makes a TextResponse (no stream unless asked for), for
 * openapi-fetch's own reading; middleware gets a plain Response.
 */
export function toResponse(received: Received, text = false): Response {
  const nullBody = isNullBodyStatus(received.status);
  const init: ResponseInit = { status: received.status, statusText: received.statusText, headers: received.headers };
  try {
    // A stream's live body passes through as it is (a middleware reading it would wait for its end).
    if (received.body) return new Response(received.body, init);
    if (text && !nullBody) return new TextResponse(received.text, init);
    return new Response(nullBody ? null : received.text, init);
  } catch (error) {
    // `new Response` takes 200–599 only; a server can send anything from 100 to 999.
    if (error instanceof RangeError) {
      throw createResponseError(
        received,
        'InvalidResponse',
        `HTTP status ${received.status} is not a valid final status.`,
        received.secrets,
      );
    }
    throw error;
  }
}

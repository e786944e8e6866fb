import { createResponseError } from '../errors/from-response.js';
import type { Received } from '../transport/transport.js';

/** Statuses whose Response has no body (the Response constructor refuses one). */
const isNullBodyStatus = (status: number): boolean => status === 204 || status === 205 || status === 304;

/**
 * A Response of a body the transport already read to text. text() and json() answer from that text,
 * with no stream in between: openapi-fetch reads every answer again through one of them, and a
 * stream per response (made, filled, read, decoded) was most of client.GET's cost over the
 * generated operations. `body` and the other readers get a real Response of the same text, made
 * when first asked for, so the object behaves as any Response does.
 */
export class TextResponse extends Response {
  readonly #text: string;
  readonly #init: ResponseInit;
  #used = false;
  #full: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
    this.#init = init;
  }

  /** The real Response behind `body` and the rarer readers; already read when text() or json() was. */
  #asFull(): Response {
    if (!this.#full) {
      this.#full = new Response(isNullBodyStatus(this.status) ? null : this.#text, this.#init);
      if (this.#used) this.#full.text();
    }
    return this.#full;
  }

  override get body(): Response['body'] {
    return this.#asFull().body;
  }

  override get bodyUsed(): boolean {
    return this.#used || (this.#full?.bodyUsed ?? false);
  }

  override text(): Promise<string> {
    if (this.#full || this.#used) return this.#asFull().text();
    this.#used = true;
    return Promise.resolve(this.#text);
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#asFull().arrayBuffer();
  }

  override blob(): Promise<Blob> {
    return this.#asFull().blob();
  }

  override formData(): Promise<FormData> {
    return this.#asFull().formData();
  }

  override clone(): Response {
    return this.#asFull().clone();
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
    if (text) return new TextResponse(nullBody ? '' : received.text, init);
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

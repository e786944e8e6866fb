import type { MergedOptions, Middleware, MiddlewareCallbackParams, MiddlewareRequestParams } from 'openapi-fetch';
import { createResponseError } from '../errors/from-response.js';
import { CciInputError } from '../errors/classes.js';
import { BodyTooLargeError, readBodyText } from '../wire/body-text.js';
import { toResponse } from './text-response.js';
import type { Received, SendRequest, Transport } from '../transport/transport.js';

/** What a middleware is told about the call besides its Request (openapi-fetch's fields). */
export interface CallContext {
  /** The path template of the spec, e.g. /api/v1/namespaces/{namespace}/services/{name}/status. */
  schemaPath: string;
  params: MiddlewareRequestParams;
  /** Middleware given to this one call (openapi-fetch's `init.middleware`), after the client's. */
  middleware?: readonly Middleware[] | undefined;
  /** Set by `fetch` (openapi-fetch's calls): the answer handed back, so a body openapi-fetch cannot parse becomes a typed error. */
  answered?: Answered;
}

/** What a SendRequest carries past the middleware, which sees only a Request. */
type Carried = Pick<SendRequest, 'deadline' | 'stream' | 'idempotent'>;

/** The answer `fetch` handed to openapi-fetch, without its body. */
export interface Answered {
  method: string;
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  secrets: readonly string[];
}

/**
 * The one request path of the client. Every call — a generated operation, a helper such as
 * waitForLoadBalancerIngress, openapi-fetch's client.GET — comes through here: the middleware
 * registered with client.use() runs once per call (onRequest in order; onError and onResponse in
 * reverse, as openapi-fetch does), around the transport, which adds auth and applies the
 * concurrency limit, timeout, redirect rule, body limit and retries to each attempt.
 *
 * Middleware lives here, not in openapi-fetch (whose own list the client keeps empty), so that it
 * runs exactly once whichever way a call came in. With no middleware a call builds no Request and
 * no Response: the fast path stays as light as the transport.
 */
export interface Pipeline {
  /** For generated operations and helpers: the answer read to text, for typed checking. */
  send(request: SendRequest, context: () => CallContext): Promise<Received>;
  /** For openapi-fetch (its `fetch`): its Request in, a Response out. */
  fetch(request: Request, context: CallContext): Promise<Response>;
  /** Whether a call with `extra` middleware of its own would run any middleware. */
  hasMiddleware(extra?: readonly Middleware[]): boolean;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

export interface PipelineConfig {
  transport: Transport;
  /** Sent on every request (lower-case names); a Request built for middleware starts with them. */
  headers: Readonly<Record<string, string>>;
  maxResponseBytes: number;
  /** What middleware sees as `options` (openapi-fetch's merged client options). */
  options: MergedOptions;
}

/**
 * How a call through middleware ended: `received` while the transport's answer stands (then
 * `response`, if set, is only its Response form), else the Response a middleware supplied.
 */
type Outcome = ({ received: Received; response?: Response } | { received?: undefined; response: Response }) & {
  request: Request;
  /** The token the request carried, to cut out of errors made from a middleware's Response. */
  secrets: readonly string[];
};

const NO_MIDDLEWARE: readonly Middleware[] = Object.freeze([]);
const NO_SECRETS: readonly string[] = Object.freeze([]);

function randomId(): string {
  return Math.random().toString(36).slice(2, 11);
}

export function createPipeline(config: PipelineConfig): Pipeline {
  const { transport, maxResponseBytes, options } = config;
  let middlewares: readonly Middleware[] = NO_MIDDLEWARE;

  /** The SendRequest for a Request (the caller's, or one a middleware made). */
  async function fromRequest(
    request: Request,
    signal: AbortSignal | null | undefined,
    carried: Carried = {},
  ): Promise<SendRequest> {
    const send: SendRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      signal: signal ?? null,
    };
    if (carried.deadline !== undefined) send.deadline = carried.deadline;
    if (carried.stream) send.stream = true;
    if (carried.idempotent !== undefined) send.idempotent = carried.idempotent;
    if (request.body !== null) send.body = await request.arrayBuffer();
    return send;
  }

  /** A Response a middleware supplied, read like a server's answer (bounded), for typed checking. */
  async function toReceived(
    response: Response,
    request: Request,
    secrets: readonly string[],
    stream?: boolean,
  ): Promise<Received> {
    const base = {
      method: request.method,
      url: response.url || request.url,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    };
    if (stream && response.ok && response.body !== null) return { ...base, text: '', body: response.body, secrets };
    try {
      return { ...base, text: await readBodyText(response, maxResponseBytes, () => {}), secrets };
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        throw createResponseError(base, 'ResponseTooLarge', error.message, secrets);
      throw error;
    }
  }

  /**
   * openapi-fetch's middleware loop around one transport call. `signal` is what the transport gets
   * while the Request is still the caller's own (null: no per-request AbortSignal, the fast choice).
   */
  async function run(
    list: readonly Middleware[],
    initial: Request,
    context: CallContext,
    signal: AbortSignal | null | undefined,
    carried: Carried = {},
  ): Promise<Outcome> {
    let request = initial;
    const id = randomId();
    const params = (): MiddlewareCallbackParams => ({
      request,
      schemaPath: context.schemaPath,
      params: context.params,
      options,
      id,
    });
    for (const m of list) {
      if (typeof m.onRequest !== 'function') continue;
      const result = await m.onRequest(params());
      if (!result) continue;
      if (result instanceof Request) request = result;
      else if (result instanceof Response) return { response: result, request, secrets: NO_SECRETS };
      else throw new CciInputError('onRequest: a middleware must return a Request, a Response or nothing.');
    }
    let outcome: Outcome;
    try {
      const send = await fromRequest(request, request === initial ? signal : request.signal, carried);
      const received = await transport.send(send);
      outcome = { received, request, secrets: received.secrets };
    } catch (error) {
      let failure: unknown = error;
      let recovered: Response | undefined;
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i]!;
        if (typeof m.onError !== 'function') continue;
        const result = await m.onError({ ...params(), error: failure });
        if (!result) continue;
        if (result instanceof Response) {
          recovered = result;
          break;
        }
        if (result instanceof Error) failure = result;
        else throw new CciInputError('onError: a middleware must return a Response, an Error or nothing.');
      }
      if (!recovered) throw failure;
      outcome = { response: recovered, request, secrets: NO_SECRETS };
    }
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]!;
      if (typeof m.onResponse !== 'function') continue;
      const response = outcome.response ?? (outcome.response = toResponse(outcome.received!));
      const result = await m.onResponse({ ...params(), response });
      if (!result) continue;
      if (!(result instanceof Response))
        throw new CciInputError('onResponse: a middleware must return a Response or nothing.');
      if (result !== response) outcome = { response: result, request, secrets: outcome.secrets };
    }
    return outcome;
  }

  /** A generated operation's or a helper's call when middleware is registered: a Request is built for it. */
  async function sendThroughMiddleware(request: SendRequest, described: CallContext): Promise<Received> {
    const headers =
      request.contentType === undefined ? config.headers : { ...config.headers, 'content-type': request.contentType };
    const initial = new Request(request.url, {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: request.body }),
      ...(request.signal && { signal: request.signal }),
    });
    const { deadline, stream, idempotent } = request;
    const outcome = await run(listFor(described.middleware), initial, described, request.signal, {
      deadline,
      stream,
      idempotent,
    });
    if (outcome.received) return outcome.received;
    return toReceived(outcome.response, outcome.request, outcome.secrets, request.stream);
  }

  function listFor(extra: readonly Middleware[] | undefined): readonly Middleware[] {
    return extra && extra.length > 0 ? [...middlewares, ...extra] : middlewares;
  }

  return {
    send(request, context) {
      // Not async: with no middleware the call is the transport's own promise, nothing more.
      return middlewares.length === 0 ? transport.send(request) : sendThroughMiddleware(request, context());
    },

    async fetch(request, context) {
      const list = listFor(context.middleware);
      let response: Response;
      let secrets: readonly string[];
      if (list.length === 0) {
        const received = await transport.send(await fromRequest(request, request.signal));
        response = toResponse(received, true);
        secrets = received.secrets;
      } else {
        const outcome = await run(list, request, context, request.signal);
        response = outcome.response ?? toResponse(outcome.received!, true);
        secrets = outcome.secrets;
      }
      noteAnswer(context, request, response, secrets);
      return response;
    },

    hasMiddleware: (extra) => middlewares.length > 0 || (extra !== undefined && extra.length > 0),

    use(...added) {
      const valid = added.filter((m) => {
        if (!m) return false;
        if (typeof m !== 'object' || !('onRequest' in m || 'onResponse' in m || 'onError' in m)) {
          throw new CciInputError('A middleware must be an object with onRequest(), onResponse() or onError().');
        }
        return true;
      });
      // A new array each time: a call in flight keeps the list it started with.
      middlewares = [...middlewares, ...valid];
    },

    eject(...removed) {
      let next = middlewares;
      for (const m of removed) {
        const index = next.indexOf(m);
        if (index !== -1) next = [...next.slice(0, index), ...next.slice(index + 1)];
      }
      middlewares = next;
    },
  };
}

/** Tells `context` the answer handed to openapi-fetch, so a body it cannot parse becomes a typed error. */
export function noteAnswer(
  context: CallContext,
  request: { method: string; url: string },
  response: Response,
  secrets: readonly string[],
): void {
  const { status, statusText, headers } = response;
  context.answered = { method: request.method, url: response.url || request.url, status, statusText, headers, secrets };
}

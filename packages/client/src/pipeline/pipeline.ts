import type { MergedOptions, Middleware, MiddlewareRequestParams } from 'openapi-fetch';
import { createResponseError } from '../errors/from-response.js';
import { CciInputError } from '../errors/classes.js';
import { BodyTooLargeError, readBodyText } from '../wire/body-text.js';
import { runMiddleware } from './middleware-loop.js';
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
  /**
   * For generated operations and helpers: the answer read to text, for typed checking, through
   * `finish` when given (a generated operation's body check, run before the call settles).
   */
  send<T = Received>(request: SendRequest, context: () => CallContext, finish?: (received: Received) => T): Promise<T>;
  /** For openapi-fetch (its `fetch`): its Request in, a Response out. */
  fetch(request: Request, context: CallContext): Promise<Response>;
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

const NO_MIDDLEWARE: readonly Middleware[] = Object.freeze([]);

export function createPipeline(config: PipelineConfig): Pipeline {
  const { transport, maxResponseBytes, options } = config;
  const send = (request: SendRequest) => transport.send(request);
  let middlewares: readonly Middleware[] = NO_MIDDLEWARE;

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
    const outcome = await runMiddleware({
      list: listFor(described.middleware),
      initial,
      context: described,
      options,
      signal: request.signal,
      carried: { deadline, stream, idempotent },
      send,
    });
    if (outcome.received) return outcome.received;
    return toReceived(outcome.response, outcome.request, outcome.secrets, maxResponseBytes, request.stream);
  }

  function listFor(extra: readonly Middleware[] | undefined): readonly Middleware[] {
    return extra && extra.length > 0 ? [...middlewares, ...extra] : middlewares;
  }

  return {
    send<T>(request: SendRequest, context: () => CallContext, finish?: (received: Received) => T): Promise<T> {
      // Not async: with no middleware the call is the transport's own promise, nothing more.
      if (middlewares.length === 0) return transport.send(request, finish);
      const received = sendThroughMiddleware(request, context());
      return finish ? received.then(finish) : (received as Promise<T>);
    },

    async fetch(request, context) {
      // With no middleware the loop is the transport call alone.
      const list = listFor(context.middleware);
      const outcome = await runMiddleware({ list, initial: request, context, options, signal: request.signal, send });
      const response = outcome.response ?? toResponse(outcome.received!, true);
      noteAnswer(context, request, response, outcome.secrets);
      return response;
    },

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
function noteAnswer(
  context: CallContext,
  request: { method: string; url: string },
  response: Response,
  secrets: readonly string[],
): void {
  const { status, statusText, headers } = response;
  context.answered = { method: request.method, url: response.url || request.url, status, statusText, headers, secrets };
}

/** A Response a middleware supplied, read like a server's answer (bounded), for typed checking. */
async function toReceived(
  response: Response,
  request: Request,
  secrets: readonly string[],
  maxResponseBytes: number,
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
    if (error instanceof BodyTooLargeError) throw createResponseError(base, 'ResponseTooLarge', error.message, secrets);
    throw error;
  }
}

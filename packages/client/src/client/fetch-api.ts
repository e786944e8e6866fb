import type { paths } from '@cci-openapi/types';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { CciInputError, isCciError } from '../errors/classes.js';
import { createResponseError } from '../errors/from-response.js';
import { serializePath } from '../operation/path-template.js';
import { type CallContext, noteAnswer, type Pipeline } from '../pipeline/pipeline.js';
import { toResponse } from '../pipeline/text-response.js';
import type { SendRequest } from '../transport/transport.js';

/**
 * openapi-fetch's API on the client (`client.GET(path, init)` & co., `client.request`, `client.use`,
 * `client.eject`), composed, not patched: an openapi-fetch client of its own builds each call's URL,
 * headers and body and reads the answer into `{ data, error, response }`, with the pipeline as its
 * fetch; the middleware lists are the pipeline's (openapi-fetch's own stays empty), so middleware
 * runs once, in the pipeline, for every kind of call.
 */
export type FetchApi = Client<paths>;

export interface FetchApiConfig {
  baseUrl: string;
  /** Sent on every request (lower-case names). */
  headers: Record<string, string>;
  pipeline: Pipeline;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

type FetchInit = { params?: CallContext['params']; middleware?: Middleware[]; fetch?: unknown } & Record<
  string,
  unknown
>;

/**
 * The query serializer of client.GET (and what middleware is told, `options.querySerializer`):
 * keys and values percent-encoded (openapi-fetch's default leaves keys as they are, so a key with
 * `&` or `=` would add parameters); an array repeats its key (form, explode), as openapi-fetch does.
 */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const name = encodeURIComponent(key);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) parts.push(`${name}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.join('&');
}

export function createFetchApi(config: FetchApiConfig): FetchApi {
  const { pipeline } = config;
  const inner = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    pathSerializer: serializePath,
    querySerializer: serializeQuery,
  });
  const request = inner.request as unknown as (method: string, url: string, init: FetchInit) => Promise<unknown>;

  function call(method: string, url: unknown, init: FetchInit | undefined): Promise<unknown> {
    const schemaPath = String(url);
    // `path: {}` makes openapi-fetch call the path serializer even without parameters, so a
    // template left unfilled is refused rather than sent as a literal `{name}`.
    const params = { ...init?.params, path: init?.params?.path ?? {} };
    const context: CallContext = { schemaPath, params, middleware: init?.middleware };
    let sent = false;
    const fetch = (made: Request | PlainRequest) => {
      if (made instanceof PlainRequest) {
        const plain = made.toSendRequest();
        // A body or URL only a Request can carry or check (FormData, a malformed URL): made as openapi-fetch would.
        if (plain === undefined) return fetch(made.toRequest());
        sent = true;
        return sendPlain(pipeline, plain, context);
      }
      sent = true;
      return pipeline.fetch(made, context);
    };
    // With no middleware to show a Request to, openapi-fetch builds a PlainRequest instead: the
    // platform's Request (with its AbortSignal and body stream) was most of client.GET's cost.
    const light = pipeline.hasMiddleware(init?.middleware) ? undefined : PlainRequest;
    return Promise.resolve()
      .then(() =>
        request(method, schemaPath, {
          ...init,
          params,
          middleware: undefined,
          fetch,
          ...(light && { Request: light }),
        }),
      )
      .catch((error: unknown) => {
        throw typedOutcome(error, context, sent);
      });
  }

  const api = { request: (method: string, url: unknown, init?: FetchInit) => call(method, url, init) } as Record<
    string,
    unknown
  >;
  for (const method of METHODS) api[method] = (url: unknown, init?: FetchInit) => call(method, url, init);
  api.use = pipeline.use;
  api.eject = pipeline.eject;
  return api as unknown as FetchApi;
}

/** A call with no middleware: the transport's answer as a Response openapi-fetch reads without a stream. */
async function sendPlain(pipeline: Pipeline, request: SendRequest, context: CallContext): Promise<Response> {
  const received = await pipeline.send(request, () => context);
  const response = toResponse(received, true);
  noteAnswer(context, request, response, received.secrets);
  return response;
}

const encoder = new TextEncoder();

/**
 * What openapi-fetch is given as its `Request` class when no middleware runs: it keeps the URL and
 * init openapi-fetch built, and turns them into the transport's request directly. Only openapi-fetch
 * and this module ever hold one.
 */
class PlainRequest {
  readonly method: string;
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {
    this.method = init.method ?? 'GET';
  }

  /** The transport's request; undefined when only a real Request can carry it (a non-text body, an unparsable URL). */
  toSendRequest(): SendRequest | undefined {
    const { body, headers, signal } = this.init;
    if ((body !== undefined && body !== null && typeof body !== 'string') || !canParse(this.url)) return undefined;
    // openapi-fetch's merged headers (a Headers object): the names come lower-case out of it.
    const plain: Record<string, string> = {};
    for (const [name, value] of headers as Headers) plain[name] = value;
    const request: SendRequest = { method: this.method, url: this.url, headers: plain, signal: signal ?? null };
    if (typeof body === 'string') request.body = encoder.encode(body).buffer as ArrayBuffer;
    return request;
  }

  toRequest(): Request {
    return new Request(this.url, this.init);
  }
}

/** Whether `url` parses (assumed where URL.canParse is missing: the wire's own parsing refuses it then). */
const canParse = (url: string): boolean => typeof URL.canParse !== 'function' || URL.canParse(url);

/**
 * What client.GET & co. throw, typed like the generated operations': openapi-fetch's own failures
 * before the request is sent (an invalid URL or header: CciInputError) and a 2xx body it cannot
 * parse as JSON (CciResponseError, reason InvalidResponse), instead of a raw TypeError/SyntaxError.
 */
function typedOutcome(error: unknown, context: CallContext, sent: boolean): unknown {
  if (isCciError(error) || !(error instanceof Error)) return error;
  const answered = context.answered;
  if (answered && error instanceof SyntaxError) {
    return createResponseError(
      answered,
      'InvalidResponse',
      `the body is not JSON (${answered.headers.get('content-type') ?? 'no content-type'}).`,
      answered.secrets,
    );
  }
  if (!sent && (error instanceof TypeError || error instanceof RangeError)) {
    // A header value the platform refuses (CR, LF, NUL…) is quoted in its message: it may be a secret.
    const header = /header/i.test(error.message);
    return new CciInputError(
      `${context.schemaPath}: the request cannot be built: ${header ? 'a header holds a character not allowed in HTTP headers' : error.message}`,
      { cause: header ? undefined : error },
    );
  }
  return error;
}

import type { paths } from '@cci-openapi/types';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { CciInputError, isCciError } from '../errors/classes.js';
import { createResponseError } from '../errors/from-response.js';
import { serializePath } from '../operation/path-template.js';
import type { CallContext, Pipeline } from '../pipeline/pipeline.js';
import { serializeQuery } from './context.js';

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
    const fetch = (made: Request) => {
      sent = true;
      return pipeline.fetch(made, context);
    };
    return Promise.resolve()
      .then(() =>
        request(method, schemaPath, {
          ...init,
          params,
          middleware: undefined,
          fetch,
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

import type { MergedOptions, Middleware, MiddlewareCallbackParams } from 'openapi-fetch';
import { CciInputError } from '../errors/classes.js';
import type { Received, SendRequest } from '../transport/transport.js';
import type { CallContext } from './pipeline.js';
import { toResponse } from './text-response.js';

/** What a SendRequest carries past the middleware, which sees only a Request. */
export type Carried = Pick<SendRequest, 'deadline' | 'stream' | 'idempotent'>;

/**
 * How a call through middleware ended: `received` while the transport's answer stands (then
 * `response`, if set, is only its Response form), else the Response a middleware supplied.
 */
export type Outcome = ({ received: Received; response?: Response } | { received?: undefined; response: Response }) & {
  request: Request;
  /** The token the request carried, to cut out of errors made from a middleware's Response. */
  secrets: readonly string[];
};

/** One call through a middleware list: the Request, what middleware is told, and how to send it. */
export interface MiddlewareCall {
  list: readonly Middleware[];
  initial: Request;
  context: CallContext;
  /** What middleware sees as `options` (openapi-fetch's merged client options). */
  options: MergedOptions;
  /** What the transport gets while the Request is still the caller's own (null: no per-request AbortSignal, the fast choice). */
  signal: AbortSignal | null | undefined;
  carried?: Carried;
  send(request: SendRequest): Promise<Received>;
}

const NO_SECRETS: readonly string[] = Object.freeze([]);

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

/**
 * openapi-fetch's middleware loop around one transport call, as openapi-fetch runs it: onRequest in
 * order (a Response ends the loop), the call (onError in reverse when it fails: a Response recovers,
 * an Error replaces the failure), onResponse in reverse.
 */
// One loop as openapi-fetch's own (≈ 50 lines): its three phases share `request` and `params`.
export async function runMiddleware(call: MiddlewareCall): Promise<Outcome> {
  const { list, initial, context, options } = call;
  let request = initial;
  const id = Math.random().toString(36).slice(2, 11);
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
    const send = await fromRequest(request, request === initial ? call.signal : request.signal, call.carried);
    const received = await call.send(send);
    outcome = { received, request, secrets: received.secrets };
  } catch (error) {
    // onError in reverse: a Response recovers, an Error replaces the failure.
    let failure: unknown = error;
    let recovered: Response | undefined;
    for (let i = list.length - 1; i >= 0 && !recovered; i--) {
      const m = list[i]!;
      if (typeof m.onError !== 'function') continue;
      const result = await m.onError({ ...params(), error: failure });
      if (!result) continue;
      if (result instanceof Response) recovered = result;
      else if (result instanceof Error) failure = result;
      else throw new CciInputError('onError: a middleware must return a Response, an Error or nothing.');
    }
    if (!recovered) throw failure;
    outcome = { response: recovered, request, secrets: NO_SECRETS };
  }
  // onResponse in reverse; the transport's answer becomes a Response only when one of them is there to see it.
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

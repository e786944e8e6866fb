import type { Status } from '@cci-openapi/types';
import { CciApiError, type CciGatewayError, CciResponseError, type CciResponseProblem } from './classes.js';
import { createGatewayError, parseGatewayBody } from './gateway-body.js';
import { redact, redactValue, sanitizeText } from '@cci-openapi/internals/redact';
import { parseRetryAfter } from '../transport/retry-after.js';

/** Body text kept on an error: enough to read a gateway's HTML page, not a runaway body. */
const MAX_BODY_TEXT = 8 * 1024;

export interface ReceivedResponse {
  method: string;
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** The request id a server put on its answer: CCI's API gateway or kube-apiserver's audit id. */
function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-request-id') ?? headers.get('audit-id') ?? undefined;
}

function parseStatus(text: string): Status | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as Status).kind === 'Status') {
      return value as Status;
    }
  } catch {
    // not JSON: the caller keeps the text instead
  }
  return undefined;
}

function describeBody(headers: Headers, text: string): string {
  if (!text) return 'empty body';
  const type = headers.get('content-type')?.split(';')[0]?.trim() || 'no content-type';
  return `non-Status body (${type}, ${text.length} characters)`;
}

/** Where a request went, for messages: method and path, never headers or credentials. */
export function describeRequest(method: string, url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return `${method} ${origin}${pathname}`;
  } catch {
    return method;
  }
}

/** A string field of the body, or undefined: a server may put anything where a string belongs. */
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `Status.details.retryAfterSeconds` when it is a whole number of seconds ≥ 0. */
function retryAfterIn(body: Status | undefined): number | undefined {
  const seconds: unknown = body?.details?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * Body text kept on an error: redacted first, then cut, so a token straddling the cut cannot
 * leave its first half behind.
 */
const keptBodyText = (text: string, secrets: readonly string[]) => redact(text, secrets).slice(0, MAX_BODY_TEXT);

/**
 * A CciApiError for an HTTP error answer. `secrets` (the token in use) are cut out of every field
 * taken from the answer — the reason phrase, Status.reason and message, the request id, the body —
 * in case a proxy echoes request headers back.
 */
export function createApiError(received: ReceivedResponse, secrets: readonly string[]): CciApiError | CciGatewayError {
  const { status, headers, text } = received;
  const gateway = parseGatewayBody(text);
  if (gateway)
    return createGatewayError(status, describeRequest(received.method, received.url), gateway, headers, secrets);
  // Redacted and cut to a bounded depth before anything reads it (a 5,000-deep body would overflow
  // the stack of JSON.stringify(error)).
  const parsed = parseStatus(text);
  const body = parsed && redactValue(parsed, secrets);
  const requestId = optional(requestIdOf(headers), secrets);
  const retryAfter = parseRetryAfter(headers.get('retry-after')) ?? retryAfterIn(body);
  const reason = textOf(body?.reason) ?? optional(received.statusText || undefined, secrets);
  const detail = sanitizeText(
    body ? (textOf(body.message) ?? reason ?? 'no message') : describeBody(headers, text),
    secrets,
    1_000,
  );
  const message = redact(
    `${describeRequest(received.method, received.url)} failed: HTTP ${status}${reason ? ` ${sanitizeText(reason, secrets)}` : ''}: ${detail}` +
      (requestId ? ` (request id ${sanitizeText(requestId, secrets)})` : ''),
    secrets,
  );
  return new CciApiError(message, {
    status,
    ...(reason !== undefined && { reason }),
    ...(body ? { body } : { bodyText: keptBodyText(text, secrets) }),
    ...(requestId !== undefined && { requestId }),
    ...(retryAfter !== undefined && { retryAfter }),
  });
}

const optional = (text: string | undefined, secrets: readonly string[]) =>
  text === undefined ? undefined : redact(text, secrets);

interface RefusedAnswer extends Omit<ReceivedResponse, 'text'> {
  text?: string;
}

/**
 * A CciResponseError: the server answered (usually 2xx) but the client will not use the answer —
 * the body is not JSON or not the expected kind, it is too large, or it is a redirect that is not
 * followed. Every field is redacted like createApiError's.
 */
export function createResponseError(
  received: RefusedAnswer,
  reason: CciResponseProblem,
  detail: string,
  secrets: readonly string[],
): CciResponseError {
  const requestId = optional(requestIdOf(received.headers), secrets);
  const message = redact(
    `${describeRequest(received.method, received.url)}: HTTP ${received.status} ${reason}: ${detail}${requestId ? ` (request id ${requestId})` : ''}`,
    secrets,
  );
  return new CciResponseError(message, {
    status: received.status,
    reason,
    ...(received.text !== undefined && { bodyText: keptBodyText(received.text, secrets) }),
    ...(requestId !== undefined && { requestId }),
  });
}

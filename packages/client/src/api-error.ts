import type { Status } from '@cce-openapi/types';
import { CceApiError } from './errors.js';
import { redact } from './redact.js';
import { parseRetryAfter } from './retry-after.js';

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

/** The request id a server put on its answer: CCE's API gateway or kube-apiserver's audit id. */
export function requestIdOf(headers: Headers): string | undefined {
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

/**
 * A CceApiError for an HTTP error answer. `secrets` (the token in use) are cut out of anything
 * taken from the body, in case a proxy echoes request headers back.
 */
export function createApiError(received: ReceivedResponse, secrets: readonly string[]): CceApiError {
  const { status, headers, text } = received;
  const body = parseStatus(text);
  const requestId = requestIdOf(headers);
  const retryAfter = parseRetryAfter(headers.get('retry-after')) ?? body?.details?.retryAfterSeconds;
  const reason = body?.reason ?? (received.statusText || undefined);
  const detail = body ? (body.message ?? body.reason ?? 'no message') : describeBody(headers, text);
  const message = redact(
    `${describeRequest(received.method, received.url)} failed: HTTP ${status}${reason ? ` ${reason}` : ''}: ${detail}` +
      (requestId ? ` (request id ${requestId})` : ''),
    secrets,
  );
  return new CceApiError(message, {
    status,
    ...(reason !== undefined && { reason }),
    ...(body ? { body: redactStatus(body, secrets) } : { bodyText: redact(text.slice(0, MAX_BODY_TEXT), secrets) }),
    ...(requestId !== undefined && { requestId }),
    ...(retryAfter !== undefined && { retryAfter }),
  });
}

function redactStatus(body: Status, secrets: readonly string[]): Status {
  if (secrets.length === 0) return body;
  const text = JSON.stringify(body);
  const clean = redact(text, secrets);
  return clean === text ? body : (JSON.parse(clean) as Status);
}

/**
 * A 2xx answer whose body cannot be used (not JSON, not a Service, too large): still a
 * CceApiError, with the HTTP status and a reason saying what was wrong.
 */
export function createBadResponseError(
  received: Omit<ReceivedResponse, 'text'> & { text?: string },
  reason: 'InvalidResponse' | 'ResponseTooLarge' | 'Redirect',
  detail: string,
  secrets: readonly string[],
): CceApiError {
  const requestId = requestIdOf(received.headers);
  const message = redact(
    `${describeRequest(received.method, received.url)}: HTTP ${received.status} ${reason}: ${detail}` +
      (requestId ? ` (request id ${requestId})` : ''),
    secrets,
  );
  return new CceApiError(message, {
    status: received.status,
    reason,
    ...(received.text !== undefined && { bodyText: redact(received.text.slice(0, MAX_BODY_TEXT), secrets) }),
    ...(requestId !== undefined && { requestId }),
  });
}

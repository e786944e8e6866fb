import type { Status } from '@cce-openapi/types';

/**
 * The brand every error of this client carries. A registered symbol (Symbol.for), so that two
 * copies of the package (a bundled one and an installed one, an ESM and a CJS build) still
 * recognise each other's errors, which `instanceof` and class names cannot do safely.
 */
const CCE_ERROR = Symbol.for('@cce-openapi/client:error');

/** Which of the client's errors this is; stable across versions, unlike class names after minification. */
export type CceErrorKind = 'api' | 'response' | 'timeout' | 'input' | 'network';

/** The base of every error the client throws. Test for it with `isCceError(error)`, or `isCceError(error, 'api')`. */
export abstract class CceError extends Error {
  abstract readonly kind: CceErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Non-enumerable: it is for isCceError, not for JSON.stringify or util.inspect.
    Object.defineProperty(this, CCE_ERROR, { value: true });
  }
}

interface KindToError {
  api: CceApiError;
  response: CceResponseError;
  timeout: CceTimeoutError;
  input: CceInputError;
  network: CceNetworkError;
}

/** True for any error of this client (from any copy of the package); with `kind`, only for that kind. */
export function isCceError(value: unknown): value is CceError;
export function isCceError<K extends CceErrorKind>(value: unknown, kind: K): value is KindToError[K];
export function isCceError(value: unknown, kind?: CceErrorKind): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[CCE_ERROR] !== true) return false;
  return kind === undefined || (value as CceError).kind === kind;
}

/** What the server's answer said, as kept on CceApiError and CceResponseError (no request header, so no token). */
interface AnswerFields {
  status: number;
  reason?: string;
  bodyText?: string;
  requestId?: string;
}

function assignAnswer(target: AnswerFields, fields: AnswerFields): void {
  target.status = fields.status;
  if (fields.reason !== undefined) target.reason = fields.reason;
  if (fields.bodyText !== undefined) target.bodyText = fields.bodyText;
  if (fields.requestId !== undefined) target.requestId = fields.requestId;
}

/**
 * The server answered with an HTTP error status: the Kubernetes `Status` body parsed into `body`,
 * or an HTML page from a gateway kept in `bodyText`. Only the fields the server sent are set; no
 * request header (and so no token) is kept, and every field has the token cut out.
 */
export class CceApiError extends CceError {
  override name = 'CceApiError';
  readonly kind = 'api' as const;
  /** HTTP status code. */
  status!: number;
  /** `Status.reason` from the body (e.g. `NotFound`), else the HTTP reason phrase. */
  reason?: string;
  /** The Kubernetes `Status` object the server sent, when the body was one. */
  body?: Status;
  /** The raw body text when it was not a Kubernetes `Status` (e.g. an HTML error page), truncated. */
  bodyText?: string;
  /** `x-request-id` (CCE API gateway) or `audit-id` (kube-apiserver) response header. */
  requestId?: string;
  /** Seconds to wait before retrying, from `Retry-After` or `Status.details.retryAfterSeconds`. */
  retryAfter?: number;

  constructor(message: string, fields: AnswerFields & { body?: Status; retryAfter?: number }) {
    super(message);
    assignAnswer(this, fields);
    if (fields.body !== undefined) this.body = fields.body;
    if (fields.retryAfter !== undefined) this.retryAfter = fields.retryAfter;
  }
}

/** Why the client would not use an answer. */
export type CceResponseProblem = 'InvalidResponse' | 'ResponseTooLarge' | 'Redirect';

/**
 * The server answered, but the client itself refused the answer: a body that is not JSON or not
 * the expected kind, a body over the size limit, or a redirect that was not followed. Unlike
 * CceApiError, the server did not report an error; `reason` says what the client found wrong.
 */
export class CceResponseError extends CceError {
  override name = 'CceResponseError';
  readonly kind = 'response' as const;
  /** HTTP status code of the refused answer (0 when a browser hid an unfollowed redirect). */
  status!: number;
  /** What was wrong with the answer. */
  reason!: CceResponseProblem;
  /** The start of the body text, when it was read (token cut out). */
  bodyText?: string;
  requestId?: string;

  constructor(message: string, fields: AnswerFields & { reason: CceResponseProblem }) {
    super(message);
    assignAnswer(this, fields);
  }
}

/** A request (or a wait such as waitForLoadBalancerIngress) did not finish within its time limit. */
export class CceTimeoutError extends CceError {
  override name = 'CceTimeoutError';
  readonly kind = 'timeout' as const;
}

/** Bad input (a path parameter, a token, an option, a kubeconfig) rejected before any request. */
export class CceInputError extends CceError {
  override name = 'CceInputError';
  readonly kind = 'input' as const;
}

/**
 * No HTTP answer at all: connection refused or reset, DNS failure, TLS handshake failure.
 * `code` is the system or undici error code when there is one (`ECONNRESET`, `ECONNREFUSED`,
 * `UND_ERR_SOCKET`, `DEPTH_ZERO_SELF_SIGNED_CERT` …); the original error is `cause`.
 */
export class CceNetworkError extends CceError {
  override name = 'CceNetworkError';
  readonly kind = 'network' as const;
  code?: string;

  constructor(message: string, options: { cause: unknown; code?: string }) {
    super(message, { cause: options.cause });
    if (options.code !== undefined) this.code = options.code;
  }
}

import type { Status } from '@cci-openapi/types';

/**
 * The brand every error of this client carries. A registered symbol (Symbol.for), so that two
 * copies of the package (a bundled one and an installed one, an ESM and a CJS build) still
 * recognise each other's errors, which `instanceof` and class names cannot do safely.
 */
const CCI_ERROR = Symbol.for('@cci-openapi/client:error');

/** Which of the client's errors this is; stable across versions, unlike class names after minification. */
export type CciErrorKind = 'api' | 'gateway' | 'auth' | 'response' | 'timeout' | 'input' | 'network';

/** The base of every error the client throws. Test for it with `isCciError(error)`, or `isCciError(error, 'api')`. */
export abstract class CciError extends Error {
  abstract readonly kind: CciErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Non-enumerable: it is for isCciError, not for JSON.stringify or util.inspect.
    Object.defineProperty(this, CCI_ERROR, { value: true });
  }
}

interface KindToError {
  api: CciApiError;
  gateway: CciGatewayError;
  auth: CciAuthError;
  response: CciResponseError;
  timeout: CciTimeoutError;
  input: CciInputError;
  network: CciNetworkError;
}

/** True for any error of this client (from any copy of the package); with `kind`, only for that kind. */
export function isCciError(value: unknown): value is CciError;
export function isCciError<K extends CciErrorKind>(value: unknown, kind: K): value is KindToError[K];
export function isCciError(value: unknown, kind?: CciErrorKind): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[CCI_ERROR] !== true)
    return false;
  return kind === undefined || (value as CciError).kind === kind;
}

/** What the server's answer said, as kept on CciApiError and CciResponseError (no request header, so no token). */
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
export class CciApiError extends CciError {
  override name = 'CciApiError';
  readonly kind = 'api' as const;
  /** HTTP status code. */
  status!: number;
  /** `Status.reason` from the body (e.g. `NotFound`), else the HTTP reason phrase. */
  reason?: string;
  /** The Kubernetes `Status` object the server sent, when the body was one. */
  body?: Status;
  /** The raw body text when it was not a Kubernetes `Status` (e.g. an HTML error page), truncated. */
  bodyText?: string;
  /** `x-request-id` (CCI API gateway) or `audit-id` (kube-apiserver) response header. */
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

/** What Huawei Cloud's API gateway answers when it refuses a call itself (sign-in, throttling), instead of a Kubernetes `Status`. */
export interface GatewayErrorBody {
  error_code: string;
  error_msg: string;
  request_id?: string;
}

/**
 * Huawei Cloud's API gateway, in front of CCI, refused the call itself: `{"error_code":
 * "APIGW.0301", "error_msg": …, "request_id": …}` instead of a Kubernetes `Status`. Mostly
 * sign-in (`APIGW.0301` wrong or missing credentials or signature, `APIGW.0307` a token to renew,
 * `APIGW.0302` no permission), also throttling (`APIGW.0308`). `hint` says what to check.
 */
export class CciGatewayError extends CciError {
  override name = 'CciGatewayError';
  readonly kind = 'gateway' as const;
  /** HTTP status code. */
  status: number;
  /** The gateway's `error_code`, e.g. `APIGW.0301` (newer gateways write `APIG.0301`). */
  code: string;
  /** The gateway's `error_msg` (credentials cut out). */
  gatewayMessage: string;
  /** The gateway's `request_id` (or the `X-Request-Id` header): quote it to Huawei Cloud's support. */
  requestId?: string;
  /** What to check, when the code says (the machine's clock, the token's region, the SK …). */
  hint?: string;
  /** The body as sent (credentials cut out). */
  body: GatewayErrorBody;

  constructor(message: string, fields: { status: number; body: GatewayErrorBody; requestId?: string; hint?: string }) {
    super(message);
    this.status = fields.status;
    this.code = fields.body.error_code;
    this.gatewayMessage = fields.body.error_msg;
    this.body = fields.body;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    if (fields.hint !== undefined) this.hint = fields.hint;
  }
}

/** Where a credential was to come from when getting it failed. */
export type CciAuthSource = 'iam' | 'exec-plugin';

/**
 * The credential could not be had: IAM refused the user name and password (`status` is IAM's
 * answer), or a kubeconfig's exec plugin failed. The message says what to check; it never holds
 * the password, the SK or a token.
 */
export class CciAuthError extends CciError {
  override name = 'CciAuthError';
  readonly kind = 'auth' as const;
  /** Which sign-in failed. */
  source: CciAuthSource;
  /** IAM's HTTP status, when IAM answered. */
  status?: number;
  /** An exec plugin's exit code, when it exited. */
  exitCode?: number;

  constructor(message: string, fields: { source: CciAuthSource; status?: number; exitCode?: number; cause?: unknown }) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.source = fields.source;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.exitCode !== undefined) this.exitCode = fields.exitCode;
  }
}

/** Why the client would not use an answer. */
export type CciResponseProblem = 'InvalidResponse' | 'ResponseTooLarge' | 'Redirect';

/**
 * The server answered, but the client itself refused the answer: a body that is not JSON or not
 * the expected kind, a body over the size limit, or a redirect that was not followed. Unlike
 * CciApiError, the server did not report an error; `reason` says what the client found wrong.
 */
export class CciResponseError extends CciError {
  override name = 'CciResponseError';
  readonly kind = 'response' as const;
  /** HTTP status code of the refused answer (0 when a browser hid an unfollowed redirect). */
  status!: number;
  /** What was wrong with the answer. */
  reason!: CciResponseProblem;
  /** The start of the body text, when it was read (token cut out). */
  bodyText?: string;
  requestId?: string;

  constructor(message: string, fields: AnswerFields & { reason: CciResponseProblem }) {
    super(message);
    assignAnswer(this, fields);
  }
}

/** A request (or a wait such as waitForLoadBalancerIngress) did not finish within its time limit. */
export class CciTimeoutError extends CciError {
  override name = 'CciTimeoutError';
  readonly kind = 'timeout' as const;
}

/** Bad input (a path parameter, a token, an option, a kubeconfig) rejected before any request. */
export class CciInputError extends CciError {
  override name = 'CciInputError';
  readonly kind = 'input' as const;
}

/**
 * No HTTP answer at all: connection refused or reset, DNS failure, TLS handshake failure.
 * `code` is the system or undici error code when there is one (`ECONNRESET`, `ECONNREFUSED`,
 * `UND_ERR_SOCKET`, `DEPTH_ZERO_SELF_SIGNED_CERT` …); the original error is `cause`.
 */
export class CciNetworkError extends CciError {
  override name = 'CciNetworkError';
  readonly kind = 'network' as const;
  code?: string;

  constructor(message: string, options: { cause: unknown; code?: string }) {
    super(message, { cause: options.cause });
    if (options.code !== undefined) this.code = options.code;
  }
}

import type { Status } from '@cce-openapi/types';

/**
 * The server answered, but not with the Service that was asked for: an HTTP error status (the
 * Kubernetes `Status` body parsed into `body`), an HTML page from a gateway (kept in `bodyText`),
 * a body that is not JSON or not a Service, a body over the size limit, or a redirect that was not
 * followed. Only the fields the server sent are set; no request header (and so no token) is kept.
 */
export class CceApiError extends Error {
  override name = 'CceApiError';
  /** HTTP status code (0 when a browser hid an unfollowed redirect). */
  status: number;
  /** `Status.reason` from the body (e.g. `NotFound`), or a reason of this client for bad responses. */
  reason?: string;
  /** The Kubernetes `Status` object the server sent, when the body was one. */
  body?: Status;
  /** The raw body text when it was not a Kubernetes `Status` (e.g. an HTML error page), truncated. */
  bodyText?: string;
  /** `x-request-id` (CCE API gateway) or `audit-id` (kube-apiserver) response header. */
  requestId?: string;
  /** Seconds to wait before retrying, from `Retry-After` or `Status.details.retryAfterSeconds`. */
  retryAfter?: number;

  constructor(message: string, fields: Omit<CceApiError, keyof Error>) {
    super(message);
    this.status = fields.status;
    if (fields.reason !== undefined) this.reason = fields.reason;
    if (fields.body !== undefined) this.body = fields.body;
    if (fields.bodyText !== undefined) this.bodyText = fields.bodyText;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    if (fields.retryAfter !== undefined) this.retryAfter = fields.retryAfter;
  }
}

/** A request (or a wait such as waitForLoadBalancerIngress) did not finish within its time limit. */
export class CceTimeoutError extends Error {
  override name = 'CceTimeoutError';
}

/** Bad input (a path parameter, a token, an option, a kubeconfig) rejected before any request. */
export class CceInputError extends Error {
  override name = 'CceInputError';
}

/**
 * No HTTP answer at all: connection refused or reset, DNS failure, TLS handshake failure.
 * `code` is the system or undici error code when there is one (`ECONNRESET`, `ECONNREFUSED`,
 * `UND_ERR_SOCKET`, `DEPTH_ZERO_SELF_SIGNED_CERT` …); the original error is `cause`.
 */
export class CceNetworkError extends Error {
  override name = 'CceNetworkError';
  code?: string;

  constructor(message: string, options: { cause: unknown; code?: string }) {
    super(message, { cause: options.cause });
    if (options.code !== undefined) this.code = options.code;
  }
}

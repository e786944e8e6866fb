import { CciInputError } from '../errors/classes.js';

export interface RetryOptions {
  /** Total attempts including the first. Default 4. */
  attempts?: number;
  /** Base of the exponential backoff, in ms. Default 200. */
  baseDelayMs?: number;
  /** Ceiling of one backoff delay, in ms (a server's Retry-After may ask for more). Default 5 000. */
  maxDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt, in ms. Default 30 000. */
  maxElapsedMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  attempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
});
export const NO_RETRY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY, attempts: 1 });

/** Throttled (429), unavailable (503) and gateway/server timeout (504): worth trying again. */
const RETRYABLE_STATUS = new Set([429, 503, 504]);
/** Only methods that are safe to repeat are retried: a POST that timed out may have happened. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Errors meaning the connection broke under the request, not that the server refused it. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

export function resolveRetryPolicy(retry: false | RetryOptions | undefined): RetryPolicy {
  if (retry === false) return NO_RETRY;
  const policy = { ...DEFAULT_RETRY, ...stripUndefined(retry ?? {}) };
  for (const [key, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new CciInputError(`retry.${key} must be a number ≥ 0, got ${String(value)}.`);
    }
  }
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new CciInputError(`retry.attempts must be an integer ≥ 1, got ${policy.attempts}.`);
  }
  return Object.freeze(policy);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUS.has(status);
export const isIdempotent = (method: string): boolean => IDEMPOTENT_METHODS.has(method);

/** The code of a connection reset, looked up through fetch's `TypeError('fetch failed', { cause })`. */
export function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isConnectionReset = (error: unknown): boolean => {
  const code = errorCode(error);
  return code !== undefined && RESET_CODES.has(code);
};

/**
 * Delay before retry number `retry` (1 = first retry). With a Retry-After from the server, wait
 * that long (plus a little jitter so throttled clients do not return in lockstep); otherwise
 * exponential backoff with full jitter: uniform in [0, min(maxDelay, base·2^(retry-1))].
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterSeconds: number | undefined,
  random = Math.random,
): number {
  if (retryAfterSeconds !== undefined) {
    return retryAfterSeconds * 1000 + random() * Math.min(policy.baseDelayMs, 1000);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return random() * ceiling;
}

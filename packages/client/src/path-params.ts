import { CciInputError } from './errors.js';

/** Kubernetes names and namespaces are DNS labels of at most 63 characters. */
const MAX_NAME_LENGTH = 63;

// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws URIError).
const LONE_SURROGATE = /\p{Cs}/u;
const LINE_BREAK_OR_NUL = /[\0\r\n]/;

/**
 * Checks a namespace or name before it goes into a path. Rejected: empty, longer than 63 UTF-16
 * code units, NUL/CR/LF, lone surrogates, and the dot segments `.` and `..` (the URL parser removes
 * those even when percent-encoded as %2E, so they would change the path). Everything else is legal
 * here and is percent-encoded by encodePathParam, so the path can never change; the server decides
 * whether the name exists.
 */
export function assertPathParam(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string')
    throw new CciInputError(`${what} must be a string, got ${value === null ? 'null' : typeof value}.`);
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value.length === 0) throw new CciInputError(`${what} must not be empty.`);
  if (value.length > MAX_NAME_LENGTH) {
    throw new CciInputError(
      `${what} is ${value.length} characters long; Kubernetes allows at most ${MAX_NAME_LENGTH}: ${shown}.`,
    );
  }
  if (LINE_BREAK_OR_NUL.test(value)) throw new CciInputError(`${what} must not contain NUL, CR or LF: ${shown}.`);
  if (LONE_SURROGATE.test(value))
    throw new CciInputError(`${what} is not well-formed Unicode (lone surrogate): ${shown}.`);
  if (value === '.' || value === '..')
    throw new CciInputError(`${what} must not be ${shown}: it is a path dot-segment.`);
}

/** One path segment, percent-encoded: `/`, `?`, `#`, `%`, spaces and non-ASCII cannot escape it. */
export function encodePathParam(what: string, value: unknown): string {
  assertPathParam(what, value);
  return encodeURIComponent(value);
}

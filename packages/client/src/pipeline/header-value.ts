import { CciInputError } from '../errors/classes.js';

// Header values may hold visible ASCII, spaces, tabs and Latin-1 (RFC 9110 field-value). A CR or
// LF would split the header (request smuggling), a NUL or another control character is refused by
// fetch, and characters above U+00FF cannot be sent at all.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function describeInvalid(value: string): string {
  const index = value.search(INVALID_HEADER_VALUE);
  const code = value.codePointAt(index)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at index ${index}`;
}

/** Throws a CciInputError naming the bad character's position, never the value (it may be a secret). */
export function assertHeaderValue(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new CciInputError(`${what} must be a string, got ${typeof value}.`);
  if (value.length === 0) throw new CciInputError(`${what} is empty.`);
  if (INVALID_HEADER_VALUE.test(value)) {
    throw new CciInputError(
      `${what} contains a character that is not allowed in an HTTP header value (${describeInvalid(value)}); it was not sent.`,
    );
  }
}

export function assertHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new CciInputError(`Header name ${JSON.stringify(name)} is not a valid HTTP token.`);
    assertHeaderValue(`Header ${name}`, value);
  }
}

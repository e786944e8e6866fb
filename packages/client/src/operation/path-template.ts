import { CciInputError } from '../errors/classes.js';

// A path and its parameters: each namespace or name checked and percent-encoded (one segment it
// cannot escape), and templates compiled once for fast filling.

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
  // Quoted only in an error: a good value (every call) costs no copy.
  const shown = () => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value.length === 0) throw new CciInputError(`${what} must not be empty.`);
  if (value.length > MAX_NAME_LENGTH) {
    throw new CciInputError(
      `${what} is ${value.length} characters long; Kubernetes allows at most ${MAX_NAME_LENGTH}: ${shown()}.`,
    );
  }
  if (LINE_BREAK_OR_NUL.test(value)) throw new CciInputError(`${what} must not contain NUL, CR or LF: ${shown()}.`);
  if (LONE_SURROGATE.test(value))
    throw new CciInputError(`${what} is not well-formed Unicode (lone surrogate): ${shown()}.`);
  if (value === '.' || value === '..')
    throw new CciInputError(`${what} must not be ${shown()}: it is a path dot-segment.`);
}

/** One path segment, percent-encoded: `/`, `?`, `#`, `%`, spaces and non-ASCII cannot escape it. */
function encodePathParam(what: string, value: unknown): string {
  assertPathParam(what, value);
  return encodeURIComponent(value);
}

/** A path template split once into its literal parts and parameter names, for fast filling. */
export interface CompiledPath {
  names: readonly string[];
  /** The path with every parameter checked and percent-encoded (see encodePathParam). */
  fill(values: Readonly<Record<string, unknown>>): string;
}

const PARAMETER = /\{([^{}]+)\}/g;

export function compilePath(template: string): CompiledPath {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PARAMETER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1]!);
    last = match.index! + match[0].length;
  }
  literals.push(template.slice(last));
  return {
    names,
    fill(values) {
      let path = literals[0]!;
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const value = values[name];
        if (value === undefined) throw new CciInputError(`${name} is missing: ${template} needs it.`);
        path += encodePathParam(name, value) + literals[i + 1]!;
      }
      return path;
    },
  };
}

const cache = new Map<string, CompiledPath>();

/**
 * The path serializer given to openapi-fetch, so `client.GET` fills templates exactly as the
 * generated operations do, and refuses a missing or unknown path parameter instead of sending a
 * literal `{name}` or dropping it.
 */
export function serializePath(template: string, values: Record<string, unknown> | undefined): string {
  let compiled = cache.get(template);
  if (!compiled) {
    compiled = compilePath(template);
    // Templates come from the spec's paths (typed), but a JS caller can pass anything: stay bounded.
    if (cache.size < 256) cache.set(template, compiled);
  }
  const given = values ?? {};
  for (const key of Object.keys(given)) {
    if (!compiled.names.includes(key))
      throw new CciInputError(`Unknown path parameter ${JSON.stringify(key)} for ${template}.`);
  }
  return compiled.fill(given);
}

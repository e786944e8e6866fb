import { createApiError, createResponseError } from '../errors/from-response.js';
import type { OperationDescriptor, Shape } from './descriptor.js';
import type { Received } from '../transport/transport.js';

/**
 * The body of an operation's answer; else a CciApiError for an error answer (with its Kubernetes
 * Status), or a CciResponseError for a 2xx answer whose body is not JSON (an HTML page from a proxy, a truncated body), not of the
 * expected `kind`, or not of the expected object/array structure (both derived from the response
 * schema by the generator). Structural, not a full schema validation, which would cost a
 * validator in every browser bundle and CPU on every call.
 */
export function bodyOf(received: Received, expected: Pick<OperationDescriptor, 'json' | 'kind' | 'shape'>): unknown {
  if (received.status < 200 || received.status > 299) throw createApiError(received, received.secrets);
  if (!expected.json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(received.text);
  } catch {
    const type = received.headers.get('content-type') ?? 'no content-type';
    throw createResponseError(
      received,
      'InvalidResponse',
      `the body is not JSON (${type}, ${received.text.length} characters).`,
      received.secrets,
    );
  }
  const problem = bodyProblem(value, expected);
  if (problem) {
    throw createResponseError(
      received,
      'InvalidResponse',
      `the body is not ${expected.kind ? `a ${expected.kind}` : 'what the spec declares'}: ${problem}.`,
      received.secrets,
    );
  }
  return value;
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const describe = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;

export function bodyProblem(value: unknown, expected: Pick<OperationDescriptor, 'kind' | 'shape'>): string | undefined {
  const { kind, shape } = expected;
  if (shape?.type === 'object' || kind !== undefined) {
    if (!isObject(value)) return `expected an object, got ${describe(value)}`;
    if (kind !== undefined && value.kind !== kind) return `kind is ${JSON.stringify(value.kind)}`;
  }
  if (!shape) return undefined;
  const mismatch = shapeMismatch(value, shape);
  if (!mismatch) return undefined;
  const where = mismatch.path.reduce(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
  return `${where || 'the body'} is not ${mismatch.expected}`;
}

interface Mismatch {
  /** From the outside in; filled in while the recursion unwinds, so a good body allocates nothing. */
  path: Array<string | number>;
  expected: 'an object' | 'an array';
}

function shapeMismatch(value: unknown, shape: Shape): Mismatch | undefined {
  if (shape.type === 'object') {
    if (!isObject(value)) return { path: [], expected: 'an object' };
    const properties = shape.properties;
    if (properties === undefined) return undefined;
    for (const key in properties) {
      const child = value[key];
      if (child === undefined) continue;
      const mismatch = shapeMismatch(child, properties[key]!);
      if (mismatch) {
        mismatch.path.unshift(key);
        return mismatch;
      }
    }
    return undefined;
  }
  if (!Array.isArray(value)) return { path: [], expected: 'an array' };
  const items = shape.items;
  if (items === undefined) return undefined;
  for (let i = 0; i < value.length; i++) {
    const mismatch = shapeMismatch(value[i], items);
    if (mismatch) {
      mismatch.path.unshift(i);
      return mismatch;
    }
  }
  return undefined;
}

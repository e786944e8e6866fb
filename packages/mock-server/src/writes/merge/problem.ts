// The outcome of a patch engine: the patched object, or what kube-apiserver 1.20 answers instead.
// `Problem` carries exactly the parts of a Status the mock's catalogue (status.ts) takes as
// overrides, so a caller builds the body with `catalog.build(p.status, p)`.
import type { StatusCause, StatusDetails } from '@cci-openapi/types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Problem {
  status: number;
  /** '' is kube-apiserver's "no reason" (an error that is not a StatusError). */
  reason: string;
  message: string;
  /** undefined: no details member; {} is kept (kube-apiserver prints `"details": {}` for generic responses). */
  details?: StatusDetails;
  causes?: StatusCause[];
}

export type Outcome<T = JsonObject> = { ok: true; object: T } | { ok: false; problem: Problem };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 400 BadRequest, as errors.NewBadRequest (no details). */
export function badRequest(message: string): Problem {
  return { status: 400, reason: 'BadRequest', message };
}

/** 422 from errors.NewGenericServerResponse: a fixed message, the real reason hidden (details printed empty). */
export function genericUnprocessable(): Problem {
  return {
    status: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    details: {},
  };
}

/** A plain Go error that reaches the client: 500, no reason, no details. */
export function internalError(message: string): Problem {
  return { status: 500, reason: '', message };
}

/** errors.NewInvalid(GroupKind{}, "", [field.Invalid(field.NewPath("patch"), value, detail)]). */
export function invalidPatch(value: string, detail: string): Problem {
  const cause = { reason: 'FieldValueInvalid', message: `Invalid value: ${goQuote(value)}: ${detail}`, field: 'patch' };
  return {
    status: 422,
    reason: 'Invalid',
    message: ` "" is invalid: patch: ${cause.message}`,
    details: { causes: [cause] },
    causes: [cause],
  };
}

/** Go's %q for the ASCII range the mock produces (JSON text): quotes, backslashes, control characters escaped. */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** obj[key] = value, also for the key "__proto__" (a member, never the prototype). */
export function setMember(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

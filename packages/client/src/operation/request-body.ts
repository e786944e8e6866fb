// The request body of a generated operation: which media type, checked and encoded before anything
// is sent, so a body of the wrong shape for its format is a CciInputError, not a server's 400.
import type { BodyDescriptor, BodyMediaType } from './descriptor.js';
import { CciInputError } from '../errors/classes.js';
import { bodyProblem } from './response-body.js';

export interface EncodedBody {
  body: ArrayBuffer;
  contentType: string;
}

const encoder = new TextEncoder();

/** The media type the call asked for (`contentType`), or the only one the operation takes. */
function chooseMediaType(declared: BodyDescriptor, contentType: unknown, where: string): BodyMediaType {
  const offered = declared.mediaTypes;
  if (contentType === undefined && offered.length === 1) return offered[0] as BodyMediaType;
  const chosen = offered.find((candidate) => candidate.mediaType === contentType);
  if (chosen) return chosen;
  const list = offered.map((candidate) => candidate.mediaType).join(', ');
  if (contentType === undefined)
    throw new CciInputError(`contentType is missing: ${where} takes a body in one of ${list}; say which.`);
  const shown = typeof contentType === 'string' ? JSON.stringify(contentType.slice(0, 80)) : typeof contentType;
  throw new CciInputError(`contentType ${shown} is not one ${where} takes; it takes ${list}.`);
}

function toBuffer(text: string): ArrayBuffer {
  const bytes = encoder.encode(text);
  return bytes.buffer.byteLength === bytes.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** JSON text of the body; a value JSON cannot hold (a cycle, a BigInt) is the caller's mistake. */
function serialize(value: unknown, where: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new CciInputError(`The body of ${where} cannot be sent as JSON: ${(error as Error).message}`);
  }
}

/**
 * The body to send, or undefined when the call gives none and none is required. Text is sent as
 * it is only for a `+yaml` media type (an apply configuration written in YAML); everything else
 * is a value, checked against the media type's shape (a JSON Patch is a list, a merge patch an
 * object) and sent as JSON.
 */
export function encodeRequestBody(
  declared: BodyDescriptor,
  body: unknown,
  contentType: unknown,
  where: string,
): EncodedBody | undefined {
  const media = chooseMediaType(declared, contentType, where);
  if (body === undefined) {
    if (declared.required) throw new CciInputError(`body is missing: ${where} needs one (${media.mediaType}).`);
    return undefined;
  }
  if (typeof body === 'string') {
    if (!media.text)
      throw new CciInputError(
        `body must be a value, not text: ${where} sends ${media.mediaType} as JSON made from it.`,
      );
    return { body: toBuffer(body), contentType: media.mediaType };
  }
  const problem = media.shape ? bodyProblem(body, { shape: media.shape }) : undefined;
  if (problem) throw new CciInputError(`The body of ${where} is not a valid ${media.mediaType} body: ${problem}.`);
  return { body: toBuffer(serialize(body, where)), contentType: media.mediaType };
}

/**
 * Whether a write may be sent again after it may have reached the server: a PUT that names the
 * resourceVersion it replaces (Kubernetes' optimistic concurrency turns a second landing into 409
 * Conflict, never a second change). Other writes are retried only after a 429.
 */
export function isRepeatableWrite(method: string, body: unknown): boolean {
  if (method !== 'PUT' || typeof body !== 'object' || body === null) return false;
  const resourceVersion = (body as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return typeof resourceVersion === 'string' && resourceVersion !== '';
}

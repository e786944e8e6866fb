// Decoding a write's body as kube-apiserver v1.20 does: the Content-Type picks JSON or YAML
// (anything else is 415), the bytes must parse (400 "the object provided is unrecognized", with a
// hex excerpt of the body as Go's transformDecodeError writes it), and apiVersion/kind, when given,
// must name this kind in this version (400 as the scheme words it). Both may be left out.
import { parse as parseYaml } from 'yaml';
import { isObject, type JsonObject } from './json-value.js';
import { decodeLikeGo, patchMetaFor } from './merge/index.js';

export type Decoded = { object: JsonObject } | { problem: { code: 400 | 415 | 500; message: string; reason?: string } };

/** What kube-apiserver's negotiation accepts for an object body (protobuf is not served here). */
const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml'];
export const UNKNOWN_FORMAT =
  'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/** The media type of a Content-Type header, lower case without parameters; JSON when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' ? 'application/json' : type;
}

/** Go's `%v` of the body in a decode error: hex of the first 30 bytes, "…" beyond, "<empty>" for none. */
function bodyExcerpt(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  // A body that starts like JSON is quoted as text, anything else in hex (summarizeData).
  const encoding = body[0] === 0x7b ? 'utf8' : 'hex';
  return body.length > 30 ? `${body.subarray(0, 30).toString(encoding)} ...` : body.toString(encoding);
}

/** encoding/json's syntax error for the commonest malformed bodies (the first byte that cannot start a value). */
function goJsonSyntaxError(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed === '') return 'unexpected end of JSON input';
  const first = trimmed[0]!;
  for (const [literal, word] of [
    ['n', 'null'],
    ['t', 'true'],
    ['f', 'false'],
  ] as const) {
    if (first !== literal) continue;
    for (let i = 1; i < word.length; i++) {
      if (trimmed[i] === undefined) return 'unexpected end of JSON input';
      if (trimmed[i] !== word[i])
        return `invalid character '${trimmed[i]}' in literal ${word} (expecting '${word[i]}')`;
    }
  }
  if (!/[[{"\-0-9ntf]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected end of JSON input';
}

function parseBody(body: Buffer, mediaType: string): { value: unknown } | { error: string } {
  const text = body.toString('utf8');
  if (mediaType === 'application/yaml') {
    try {
      return { value: parseYaml(text, { maxAliasCount: 100 }) ?? null };
    } catch (error) {
      return { error: `yaml: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: `json parse error: ${goJsonSyntaxError(text)}` };
  }
}

/** Core v1 kinds the scheme knows: another of them is an "unknown conversion", anything else unregistered. */
const CORE_V1_KINDS = new Set([
  'Pod',
  'Service',
  'Namespace',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Node',
  'Event',
  'ServiceAccount',
  'PersistentVolumeClaim',
]);

/** The body of a create or replace, as an object of `kind` in `apiVersion`. */
export function decodeObject(body: Buffer, contentType: string | undefined, kind: string, apiVersion: string): Decoded {
  const mediaType = mediaTypeOf(contentType);
  if (!OBJECT_MEDIA_TYPES.includes(mediaType))
    return { problem: { code: 415, reason: 'UnsupportedMediaType', message: UNKNOWN_FORMAT } };
  const parsed = parseBody(body, mediaType);
  const unrecognized = (why: string) => ({
    problem: {
      code: 400 as const,
      message: `the object provided is unrecognized (must be of type ${kind}): ${why} (${bodyExcerpt(body)})`,
    },
  });
  if ('error' in parsed)
    return unrecognized(mediaType === 'application/yaml' ? parsed.error : `couldn't get version/kind; ${parsed.error}`);
  if (!isObject(parsed.value))
    return unrecognized(
      "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct",
    );
  const object = parsed.value;
  const gotKind = typeof object.kind === 'string' && object.kind !== '' ? object.kind : kind;
  const gotVersion = typeof object.apiVersion === 'string' && object.apiVersion !== '' ? object.apiVersion : apiVersion;
  // Go prints the version alone ("v1" of "apps/v1").
  const version = gotVersion.slice(gotVersion.lastIndexOf('/') + 1);
  const cannot = (why: string) => ({
    problem: {
      code: 400 as const,
      message: `${gotKind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${why}`,
    },
  });
  if (gotVersion !== apiVersion || (gotKind !== kind && !CORE_V1_KINDS.has(gotKind))) {
    return cannot(
      `no kind ${JSON.stringify(gotKind)} is registered for version ${JSON.stringify(gotVersion)} in scheme "pkg/runtime/scheme.go:100"`,
    );
  }
  if (gotKind !== kind) return cannot(`converting (v1.${gotKind}) to (core.${kind}): unknown conversion`);
  // What the Go types keep: unknown fields and empty optional ones go; a value of the wrong type is
  // a decode error (400; kube-apiserver words it as its JSON reader does, here the converter's words).
  const typed = decodeLikeGo(object as never, patchMetaFor(kind));
  if (!typed.ok) return cannot(typed.detail);
  return { object: { ...(typed.object as JsonObject), apiVersion, kind } };
}

/** A DeleteOptions body (JSON or YAML); a body that does not parse is a plain error: 500, as kube-apiserver answers. */
export function decodeOptions(
  body: Buffer,
  contentType: string | undefined,
): { object: JsonObject } | { problem: { code: 415 | 500; message: string; reason?: string } } {
  const mediaType = mediaTypeOf(contentType);
  if (!OBJECT_MEDIA_TYPES.includes(mediaType))
    return { problem: { code: 415, reason: 'UnsupportedMediaType', message: UNKNOWN_FORMAT } };
  const parsed = parseBody(body, mediaType);
  if ('error' in parsed)
    return { problem: { code: 500, reason: '', message: `couldn't get version/kind; ${parsed.error}` } };
  if (!isObject(parsed.value))
    return {
      problem: {
        code: 500,
        reason: '',
        message: "couldn't get version/kind; json parse error: cannot unmarshal into an object",
      },
    };
  return { object: parsed.value };
}

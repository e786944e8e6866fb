// The canonical request of Huawei Cloud's `SDK-HMAC-SHA256` signing, rebuilt from a request as the
// gateway received it (the API signing guide's rules, see cci-and-huawei-cloud-facts.md):
//
//   METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n hex(sha256(body))
//
// Written for the mock on its own, from the guide, not from any client's signer: the point is a
// second, independent implementation that a client's signer must agree with.
//
// Everything works on bytes: a percent-escape decodes to a byte, not to a character, so escapes of
// invalid UTF-8 (`%FF`) survive decoding and re-encoding unchanged.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What the canonical request is built from: the request exactly as received. */
export interface ReceivedRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query as sent (after `?`), still percent-encoded; '' when none. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const HEX = '0123456789ABCDEF';

/** A-Z a-z 0-9 - _ . ~ stay; every other byte is %XY, uppercase. */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x7e
  );
}

function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes)
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}

/**
 * Percent-decoding to bytes. `+` stays `+` (the signing guide encodes a space as %20, so a `+` is a
 * plus). A `%` not followed by two hex digits is kept as a literal `%`. Node's HTTP parser admits
 * only ASCII in a request target; any wider character (a target given as text) counts as UTF-8.
 */
function decodeToBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      const point = text.codePointAt(i) as number;
      bytes.push(...Buffer.from(String.fromCodePoint(point), 'utf8'));
      if (point > 0xffff) i++;
    }
  }
  return Buffer.from(bytes);
}

/** Each `/`-separated segment decoded and re-encoded; a `/` appended when the path lacks one. */
export function canonicalUri(rawPath: string): string {
  const uri = rawPath
    .split('/')
    .map((segment) => encodeBytes(decodeToBytes(segment)))
    .join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/**
 * Parameters split on `&` and the first `=`, decoded, sorted by name then value (as bytes: the
 * code-point order of UTF-8 text), re-encoded, joined by `&`. A name without `=` has the value ''.
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs = rawQuery
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const eq = piece.indexOf('=');
      return eq === -1
        ? [decodeToBytes(piece), Buffer.alloc(0)]
        : [decodeToBytes(piece.slice(0, eq)), decodeToBytes(piece.slice(eq + 1))];
    }) as Array<[Buffer, Buffer]>;
  pairs.sort(([nameA, valueA], [nameB, valueB]) => Buffer.compare(nameA, nameB) || Buffer.compare(valueA, valueB));
  return pairs.map(([name, value]) => `${encodeBytes(name)}=${encodeBytes(value)}`).join('&');
}

/** The signed header names lower-cased and sorted, without repeats. */
export function normaliseSignedHeaders(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.trim().toLowerCase()))].sort();
}

/** `name:value\n` per signed header, values as received (Node has already trimmed their edges). */
function canonicalHeaders(signed: readonly string[], headers: IncomingHttpHeaders): string {
  return signed
    .map((name) => {
      const value = headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim()}\n`;
    })
    .join('');
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function canonicalRequest(request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const signed = normaliseSignedHeaders(signedHeaders);
  return [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders(signed, request.headers),
    signed.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

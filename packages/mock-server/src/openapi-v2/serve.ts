// GET /openapi/v2 as kube-apiserver v1.20 answers it (kube-openapi's handler, checked against a real
// one): the Accept header picks JSON or gnostic protobuf (first match of the q-sorted ranges; no
// Accept is */*, which is JSON), anything else is 406 with an empty body. The body is served by
// Go's http.ServeContent: a Content-Type sniffed from the bytes (text/plain for JSON,
// application/octet-stream for protobuf), an ETag that is the SHA-512 of the bytes in upper-case
// hex, Last-Modified the time the document was built, 304 for a matching If-None-Match (or a
// not-newer If-Modified-Since), one byte range (206; a request for several ranges gets the whole
// document, where Go writes multipart/byteranges), and gzip when the client accepts it
// (gziphandler, 1400 bytes up). kube-openapi's handler does not look at the method: POST is answered like GET.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';

export const OPENAPI_V2_PATH = '/openapi/v2';
const PROTOBUF_MEDIA_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export interface OpenApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Variant {
  type: string;
  subtype: string;
  contentType: string;
  body(): Buffer;
}

/** gziphandler's DefaultMinSize: smaller bodies are sent as they are. */
const GZIP_MIN_SIZE = 1400;
/** Longest Accept header looked at; kube-apiserver's header limit is far above what a client sends. */
const MAX_ACCEPT_LENGTH = 4096;

interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
}

/** goautoneg.ParseAccept: the ranges sorted by q (higher first), then the specific before the wildcard. */
function parseAccept(header: string): AcceptRange[] {
  const ranges: AcceptRange[] = [];
  for (const part of header.slice(0, MAX_ACCEPT_LENGTH).split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const slash = range.indexOf('/');
    const type = slash === -1 ? range : range.slice(0, slash);
    const subtype = slash === -1 ? '*' : range.slice(slash + 1);
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key === 'q' && value !== undefined && !Number.isNaN(Number.parseFloat(value))) q = Number.parseFloat(value);
    }
    ranges.push({ type, subtype, q });
  }
  // Array.prototype.sort is stable, as Go's sort.Sort is for goautoneg's short lists.
  return ranges.sort(
    (a, b) =>
      b.q - a.q ||
      Number(a.type === '*') - Number(b.type === '*') ||
      Number(a.subtype === '*') - Number(b.subtype === '*'),
  );
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function acceptsGzip(headers: IncomingHttpHeaders): boolean {
  return parseAccept(header(headers, 'accept-encoding') ?? '').some(
    (range) => range.type.toLowerCase() === 'gzip' && range.q > 0,
  );
}

/** The answer for one variant's bytes, computed once (with its ETag and gzip form). */
class Served {
  readonly etag: string;
  private gzipped: Buffer | undefined;

  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {
    this.etag = `"${createHash('sha512').update(bytes).digest('hex').toUpperCase()}"`;
  }

  gzip(): Buffer {
    this.gzipped ??= gzipSync(this.bytes);
    return this.gzipped;
  }
}

export interface OpenApiV2Service {
  answer(request: { method: string; headers: IncomingHttpHeaders }): OpenApiAnswer;
}

// Over ~60 lines on purpose: one closure over the two built documents and their ETags; the answer
// follows kube-apiserver's handler (methods, conditional requests, media types) case by case.
/**
 * Serves the document built by `json()` and `protobuf()`, each built on first use and kept: the
 * spec does not change while the mock runs. `builtAt` is Last-Modified.
 */
export function createOpenApiV2Service(
  build: { json(): Buffer; protobuf(): Buffer },
  builtAt = new Date(),
): OpenApiV2Service {
  const cache = new Map<string, Served>();
  const variants: Variant[] = [
    { type: 'application', subtype: 'json', contentType: 'text/plain; charset=utf-8', body: build.json },
    {
      type: 'application',
      subtype: PROTOBUF_MEDIA_TYPE.slice('application/'.length),
      contentType: 'application/octet-stream',
      body: build.protobuf,
    },
  ];
  const served = (variant: Variant): Served => {
    let entry = cache.get(variant.subtype);
    if (!entry) cache.set(variant.subtype, (entry = new Served(variant.contentType, variant.body())));
    return entry;
  };
  // Go's http.TimeFormat has one-second resolution: Last-Modified and If-Modified-Since compare so.
  const lastModified = new Date(Math.floor(builtAt.getTime() / 1000) * 1000);

  return {
    answer({ method, headers }) {
      const base = { 'cache-control': 'no-cache, private', vary: 'Accept-Encoding, Accept' };
      const accept = header(headers, 'accept');
      const ranges = parseAccept(accept === undefined || accept === '' ? '*/*' : accept);
      let variant: Variant | undefined;
      for (const range of ranges) {
        variant = variants.find(
          (v) =>
            (range.type === v.type || range.type === '*') && (range.subtype === v.subtype || range.subtype === '*'),
        );
        if (variant) break;
      }
      if (!variant) return { status: 406, headers: base, body: Buffer.alloc(0) };
      const entry = served(variant);
      const validators = { ...base, etag: entry.etag };
      const condition = preconditions(method, headers, entry.etag, lastModified);
      if (condition !== 200) return { status: condition, headers: validators, body: Buffer.alloc(0) };
      const range = byteRange(header(headers, 'range'), entry.bytes.length);
      if (range.kind === 'invalid') {
        const contentRange = range.unsatisfiable ? { 'content-range': `bytes */${entry.bytes.length}` } : {};
        const textHeaders = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
        return {
          status: 416,
          headers: { ...validators, ...contentRange, ...textHeaders },
          body: Buffer.from(`${range.message}\n`),
        };
      }
      const bytes = range.kind === 'part' ? entry.bytes.subarray(range.start, range.end + 1) : entry.bytes;
      const gzip = bytes.length >= GZIP_MIN_SIZE && acceptsGzip(headers);
      const body = !gzip ? bytes : range.kind === 'part' ? gzipSync(bytes) : entry.gzip();
      return {
        status: range.kind === 'part' ? 206 : 200,
        headers: {
          ...validators,
          'accept-ranges': 'bytes',
          'content-type': entry.contentType,
          'last-modified': lastModified.toUTCString(),
          ...(range.kind === 'part' && { 'content-range': `bytes ${range.start}-${range.end}/${entry.bytes.length}` }),
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
        // A HEAD answer carries the body too: the server writes its Content-Length, and Node sends no body for HEAD.
        body,
      };
    },
  };
}

type RangeChoice =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  | { kind: 'invalid'; message: string; unsatisfiable: boolean };

/** Go's http parseRange for one `bytes=` range: start-end, start-, or -suffix (end inclusive, clamped to the size). */
function byteRange(value: string | undefined, size: number): RangeChoice {
  if (value === undefined || value === '') return { kind: 'whole' };
  if (!value.startsWith('bytes=')) return { kind: 'invalid', message: 'invalid range', unsatisfiable: false };
  const specs = value
    .slice('bytes='.length)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length !== 1) return { kind: 'whole' };
  const match = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!match || (match[1] === '' && match[2] === ''))
    return { kind: 'invalid', message: 'invalid range', unsatisfiable: false };
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Math.min(Number(last), size);
    return { kind: 'part', start: size - suffix, end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'invalid', message: 'invalid range: failed to overlap', unsatisfiable: true };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: 'invalid', message: 'invalid range', unsatisfiable: false };
  return { kind: 'part', start, end };
}

/**
 * http.ServeContent's preconditions: a matching If-None-Match (weak comparison) is 304 for GET and
 * HEAD and 412 for other methods; without one, If-Modified-Since not older than the document is 304.
 */
function preconditions(
  method: string,
  headers: IncomingHttpHeaders,
  etag: string,
  lastModified: Date,
): 200 | 304 | 412 {
  const read = method === 'GET' || method === 'HEAD';
  const ifNoneMatch = header(headers, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    const matches = ifNoneMatch.split(',').some((tag) => {
      const candidate = tag.trim();
      return candidate === '*' || candidate.replace(/^W\//, '') === etag;
    });
    return !matches ? 200 : read ? 304 : 412;
  }
  const since = header(headers, 'if-modified-since');
  if (!read || since === undefined) return 200;
  const time = Date.parse(since);
  return !Number.isNaN(time) && lastModified.getTime() <= time ? 304 : 200;
}

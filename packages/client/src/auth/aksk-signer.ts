// AK/SK request signing of Huawei Cloud's API gateway (`SDK-HMAC-SHA256`, the "API signing guide").
//
//   canonical request = method \n canonical URI \n canonical query \n canonical headers \n
//                       signed header names \n hex SHA-256 of the body
//   string to sign    = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex SHA-256 of the canonical request
//   Authorization     = SDK-HMAC-SHA256 Access={AK}, SignedHeaders={names}, Signature={hex HMAC-SHA256(SK, string to sign)}
//
// What is signed is what goes on the wire: the URL as sent (its path and query are decoded and
// re-encoded to the canonical form, so `%7E` and `~` sign alike, as a server decoding them sees them), every
// header given, the exact body bytes. Pure: no clock (the caller passes the time), no I/O.
//
// Crypto: on Node, node:crypto found through process.getBuiltinModule (no static `node:` import:
// the main entry stays browser-safe), synchronous; elsewhere WebCrypto (crypto.subtle). The SK
// lives only in this module's closures: on Node as the HMAC pads derived once per signer, on
// WebCrypto as a non-extractable CryptoKey imported once per signer. No error message names it.
import type * as NodeCrypto from 'node:crypto';
import { CciInputError } from '../errors/classes.js';

/** An access key pair of Huawei Cloud IAM; a temporary one also has its security token. */
export interface AkSkCredentials {
  /** Access key id (sent in `Authorization`). */
  ak: string;
  /** Secret access key: only ever used as the HMAC key, never sent nor shown. */
  sk: string;
  /** The security token of a temporary access key: sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
  /** Sent (and signed) as `X-Project-Id`, for project-level services. */
  projectId?: string;
}

/** A request as it will be sent. */
export interface SignableRequest {
  /** Upper-case method (`GET`, `POST` …). */
  method: string;
  /** Absolute http(s) URL exactly as it goes on the wire (path and query already percent-encoded). */
  url: string;
  /** Lower-case names → values, exactly as they will be sent; all of them are signed (see createSigner). */
  headers: Record<string, string>;
  /** The exact bytes sent; none (or empty) for no body. */
  body?: ArrayBuffer | Uint8Array;
}

/** Headers to ADD to the request (lower-case names): x-sdk-date, authorization, and x-security-token / x-project-id when given. */
export type Signer = ((request: SignableRequest, nowMs: number) => Promise<Record<string, string>>) & {
  /** The same, synchronous: there on Node (node:crypto), where a transport can sign without a promise. */
  sync?: (request: SignableRequest, nowMs: number) => Record<string, string>;
};

const ALGORITHM = 'SDK-HMAC-SHA256';
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/**
 * A header named so carries the payload hash to sign instead of the body's (`UNSIGNED-PAYLOAD` for a
 * streamed body); Huawei's gateway signers read it so (the Node SDK only when spelt `X-Sdk-Content-Sha256`).
 */
const CONTENT_SHA256 = 'x-sdk-content-sha256';

// A lower-case RFC 9110 token (the contract of SignableRequest.headers).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
// Values are signed as strings (UTF-8) but sent as bytes (Latin-1 by node:http, ByteString by
// fetch), and fetch, HTTP parsers and Huawei's gateway signers trim whitespace at either end: so
// only visible ASCII with inner spaces and tabs can be signed consistently.
const HEADER_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/;
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Z]+$/;
// The AK stands in `Authorization: … Access={AK}, …`: visible ASCII without the comma that ends it.
const ACCESS_KEY = /^[\x21-\x2b\x2d-\x7e]+$/;
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;
const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-_.~/]*$/;
// encodeURIComponent leaves these five besides the unreserved ones.
const LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;

// ---------------------------------------------------------------------------------------------
// Canonical form

// The last date written: signatures come many to a second.
let lastSecond = Number.NaN;
let lastDate = '';

/** `X-Sdk-Date` of an instant: `YYYYMMDDTHHMMSSZ`, UTC. */
export function sdkDate(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastDate;
  // ±8.64e15 ms is the range of Date; beyond it toISOString throws a RangeError.
  const iso = Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : '';
  // 2019-11-15T03:36:55.000Z; years outside 0000–9999 come out as ±YYYYYY and cannot be written.
  if (iso.length !== 24)
    throw new CciInputError(
      'The signing time must be a finite epoch in milliseconds, between the years 0000 and 9999.',
    );
  lastDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastSecond = second;
  return lastDate;
}

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** Keeps A-Z a-z 0-9 - _ . ~ and writes every other UTF-8 byte as %XY (upper-case hex). */
function encode(text: string): string {
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text).replace(LEFT_BY_ENCODE_URI_COMPONENT, escapeChar);
}

/**
 * Percent-decodes; a malformed escape (`%zz`, bytes that are not UTF-8) leaves the text as it is,
 * so its `%` is then encoded as `%25`. `+` stays `+` (canonically `%2B`), NOT a space: our client
 * encodes a space as %20 (encodeURIComponent), never as `+`; Huawei's signers unescape the same
 * way (the Node SDK signs its decoded parameters, the gateway SDKs use percent-decoding only).
 */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function canonicalUri(pathname: string): string {
  let uri: string;
  if (UNRESERVED_PATH.test(pathname)) uri = pathname;
  else {
    const segments = pathname.split('/');
    for (let i = 0; i < segments.length; i++) segments[i] = encode(decode(segments[i] as string));
    uri = segments.join('/');
  }
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pairs in canonical order: by name, then value (UTF-16 code units). */
function comparePairs(a: [string, string], b: [string, string]): number {
  return compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]);
}

function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const pairs: [name: string, value: string][] = [];
  for (const part of search.slice(1).split('&')) {
    if (part === '') continue; // `a=1&&b=2`: no parameter between the two `&` (as URLSearchParams reads it)
    const equals = part.indexOf('=');
    if (equals < 0) pairs.push([decode(part), '']);
    else pairs.push([decode(part.slice(0, equals)), decode(part.slice(equals + 1))]);
  }
  // By name, then the values of one name: JavaScript's default order (UTF-16 code units), the
  // order of Huawei's Node.js SDK signer (`keys.sort()`, then `values.sort()`).
  pairs.sort(comparePairs);
  let query = '';
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i] as [string, string];
    query += `${i === 0 ? '' : '&'}${encode(name)}=${encode(value)}`;
  }
  return query;
}

/** What a signature needs of a URL: its host and its canonical path and query. */
interface SignedUrl {
  host: string;
  /** `{canonical URI}\n{canonical query}`. */
  target: string;
}

/** The last URLs signed, canonical: a client sends the same few URLs over and over. Bounded. */
const signedUrls = new Map<string, SignedUrl>();
const MAX_CACHED_URLS = 256;

function signedUrl(url: unknown): SignedUrl {
  const cached = typeof url === 'string' ? signedUrls.get(url) : undefined;
  if (cached !== undefined) return cached;
  let parsed: URL | undefined;
  if (typeof url === 'string') {
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
  }
  // The URL is not in the message: its query may hold something private.
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new CciInputError('AK/SK signing: the request url must be an absolute http(s) URL.');
  }
  const result = { host: parsed.host, target: `${canonicalUri(parsed.pathname)}\n${canonicalQuery(parsed.search)}` };
  if (signedUrls.size >= MAX_CACHED_URLS) signedUrls.clear();
  signedUrls.set(url as string, result);
  return result;
}

function canonicalParts(
  method: string,
  url: SignedUrl,
  headers: Record<string, string>,
  payloadSha256: string,
): { canonical: string; signedHeaders: string } {
  const names = Object.keys(headers).sort(compareCodeUnits);
  let canonicalHeaders = '';
  for (const name of names) canonicalHeaders += `${name}:${headers[name]}\n`;
  const signedHeaders = names.join(';');
  return {
    canonical: `${method}\n${url.target}\n${canonicalHeaders}\n${signedHeaders}\n${payloadSha256}`,
    signedHeaders,
  };
}

/**
 * The canonical request of a request whose signed headers are exactly `headers` (lower-case
 * names, `host` and `x-sdk-date` included), with the given hex SHA-256 of the payload. The signer
 * builds that set itself (see createSigner); a verifier passes the headers named by
 * `SignedHeaders`, with their values as received.
 */
export function canonicalRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  payloadSha256: string,
): string {
  return canonicalParts(method, signedUrl(url), headers, payloadSha256).canonical;
}

// ---------------------------------------------------------------------------------------------
// Crypto: node:crypto (synchronous) or WebCrypto

interface Sha256Hmac<Result> {
  sha256Hex(data: string | Uint8Array): Result;
  hmacHex(message: string): Result;
}

type NodeCryptoModule = Pick<typeof NodeCrypto, 'createHash'> & { hash?: typeof NodeCrypto.hash };

/** node:crypto when this runs on Node (looked up, not imported: the main entry is browser-safe). */
function nodeCrypto(): NodeCryptoModule | undefined {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    const crypto = getBuiltinModule('node:crypto') as NodeCryptoModule | undefined;
    return typeof crypto?.createHash === 'function' ? crypto : undefined;
  } catch {
    return undefined;
  }
}

const BLOCK = 64;
const utf8 = new TextEncoder();

/**
 * HMAC-SHA256 (RFC 2104) from the two pads, derived once: H((K ^ opad) ‖ H((K ^ ipad) ‖ message)).
 * Two one-shot hashes of small buffers cost less than a createHmac per signature, even keyed with
 * a KeyObject (2–10 % less CPU per whole signature in our runs), and the key is set up once per
 * signer rather than once per request.
 */
function nodeSha256Hmac(crypto: NodeCryptoModule, secret: string): Sha256Hmac<string> {
  const hash: (data: string | Uint8Array, encoding: 'hex' | 'buffer') => string | Uint8Array =
    typeof crypto.hash === 'function'
      ? (
          crypto.hash as (
            algorithm: string,
            data: string | Uint8Array,
            encoding: 'hex' | 'buffer',
          ) => string | Uint8Array
        ).bind(null, 'sha256')
      : (data, encoding) => {
          const digest = crypto.createHash('sha256').update(data);
          return encoding === 'hex' ? digest.digest('hex') : digest.digest();
        };
  let key: Uint8Array = utf8.encode(secret);
  if (key.length > BLOCK) key = hash(key, 'buffer') as Uint8Array;
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const byte = key[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  key.fill(0);
  // The string to sign is ASCII of a fixed length (algorithm, date, hex digest): one buffer, reused.
  let message = new Uint8Array(BLOCK + 97);
  let tail = message.subarray(BLOCK);
  message.set(inner);
  return {
    sha256Hex: (data) => hash(data, 'hex') as string,
    hmacHex: (text) => {
      if (BLOCK + text.length !== message.length) {
        message = new Uint8Array(BLOCK + text.length);
        tail = message.subarray(BLOCK);
        message.set(inner);
      }
      utf8.encodeInto(text, tail); // ASCII: one byte per character
      outer.set(hash(message, 'buffer') as Uint8Array, BLOCK);
      return hash(outer, 'hex') as string;
    },
  };
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i] as number];
  return hex;
}

function webSha256Hmac(subtle: SubtleCrypto, secret: string): Sha256Hmac<Promise<string>> {
  // The key is imported once, on first use; a failed import is retried by the next signature.
  let keyBytes: Uint8Array | undefined = utf8.encode(secret);
  let key: Promise<CryptoKey> | undefined;
  const hmacKey = (): Promise<CryptoKey> => {
    if (key === undefined) {
      const bytes = keyBytes as Uint8Array<ArrayBuffer>;
      key = subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then(
        (imported) => {
          bytes.fill(0);
          keyBytes = undefined;
          return imported;
        },
        (error: unknown) => {
          key = undefined;
          throw new CciInputError('WebCrypto could not import the AK/SK signing key.', { cause: error });
        },
      );
    }
    return key;
  };
  return {
    sha256Hex: async (data) =>
      toHex(
        await subtle.digest(
          'SHA-256',
          typeof data === 'string' ? utf8.encode(data) : (data as Uint8Array<ArrayBuffer>),
        ),
      ),
    hmacHex: async (text) => toHex(await subtle.sign('HMAC', await hmacKey(), utf8.encode(text))),
  };
}

// ---------------------------------------------------------------------------------------------
// The signer

function checkCredentials(credentials: AkSkCredentials): void {
  if (typeof credentials !== 'object' || credentials === null)
    throw new CciInputError('AK/SK credentials must be an object with ak and sk.');
  const { ak, sk, securityToken, projectId } = credentials;
  if (typeof ak !== 'string' || ak === '') throw new CciInputError('AK/SK credentials: ak must be a non-empty string.');
  if (!ACCESS_KEY.test(ak))
    throw new CciInputError(
      'AK/SK credentials: ak may hold only visible ASCII characters, without commas (no whitespace, no control character).',
    );
  if (typeof sk !== 'string' || sk === '') throw new CciInputError('AK/SK credentials: sk must be a non-empty string.');
  if (WHITESPACE_OR_CONTROL.test(sk))
    throw new CciInputError('AK/SK credentials: sk contains whitespace or a control character.');
  for (const [field, value] of [
    ['securityToken', securityToken],
    ['projectId', projectId],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '')
      throw new CciInputError(`AK/SK credentials: ${field} must be a non-empty string when given.`);
    if (!HEADER_VALUE.test(value)) {
      throw new CciInputError(
        `AK/SK credentials: ${field} is not a valid header value (visible ASCII and inner spaces only, no whitespace at either end).`,
      );
    }
  }
}

/** A request made ready to sign: everything but the hashes. */
interface PreparedRequest {
  method: string;
  url: SignedUrl;
  date: string;
  /** The headers that are signed, by lower-case name. */
  signed: Record<string, string>;
  /** The headers the signer adds to the request (authorization is added last). */
  added: Record<string, string>;
  bytes: Uint8Array;
  /** The payload hash to sign when it is not the body's (x-sdk-content-sha256, or the empty body's). */
  payloadSha256: string | undefined;
}

/** The headers of `request.headers` that are signed, each checked to be signable as it will be sent. */
function signableHeaders(headers: unknown, credentials: AkSkCredentials): Record<string, string> {
  if (typeof headers !== 'object' || headers === null)
    throw new CciInputError('AK/SK signing: headers must be an object of lower-case names to values.');
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new CciInputError(`AK/SK signing: header name ${JSON.stringify(name)} is not a lower-case HTTP token.`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new CciInputError(
        `AK/SK signing: the value of header ${name} cannot be signed as sent (only visible ASCII with inner spaces or tabs, no whitespace at either end).`,
      );
    }
    // The signer's own headers are replaced by ours, not signed twice.
    if (name === 'authorization' || name === 'x-sdk-date') continue;
    if (name === 'x-security-token' && credentials.securityToken !== undefined) continue;
    if (name === 'x-project-id' && credentials.projectId !== undefined) continue;
    signed[name] = value;
  }
  return signed;
}

/** The exact bytes sent, as the payload hash needs them. */
function bodyBytes(body: unknown): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new CciInputError('AK/SK signing: the body must be an ArrayBuffer or a Uint8Array (the exact bytes sent).');
}

/** Everything but the hashes: synchronous, so that a bad request throws before any await. */
function prepareRequest(request: SignableRequest, nowMs: number, credentials: AkSkCredentials): PreparedRequest {
  if (typeof request !== 'object' || request === null)
    throw new CciInputError('AK/SK signing: the request must be an object.');
  const { method } = request;
  if (typeof method !== 'string' || !METHOD.test(method))
    throw new CciInputError('AK/SK signing: the method must be an upper-case HTTP token.');
  const url = signedUrl(request.url);
  const date = sdkDate(nowMs);
  const signed: Record<string, string> = { host: url.host, ...signableHeaders(request.headers, credentials) };
  signed['x-sdk-date'] = date;
  const added: Record<string, string> = { 'x-sdk-date': date };
  const { securityToken, projectId } = credentials;
  if (securityToken !== undefined) signed['x-security-token'] = added['x-security-token'] = securityToken;
  if (projectId !== undefined) signed['x-project-id'] = added['x-project-id'] = projectId;
  const bytes = bodyBytes(request.body);
  // x-sdk-content-sha256 (e.g. UNSIGNED-PAYLOAD): that value is signed instead of the body's hash.
  const payloadSha256 =
    signed[CONTENT_SHA256] ?? (bytes === undefined || bytes.byteLength === 0 ? EMPTY_BODY_SHA256 : undefined);
  return { method, url, date, signed, added, bytes: bytes as Uint8Array, payloadSha256 };
}

/** The headers to add: the prepared ones plus `authorization` with the signature. */
function signedHeadersOut(prepared: PreparedRequest, ak: string, signedHeaders: string, signature: string) {
  prepared.added.authorization = `${ALGORITHM} Access=${ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return prepared.added;
}

/** node:crypto: synchronous inside, one promise per signature and no await; `sync` skips even that. */
function nodeSigner(node: NodeCryptoModule, credentials: AkSkCredentials): Signer {
  const { sha256Hex, hmacHex } = nodeSha256Hmac(node, credentials.sk);
  const signSync = (request: SignableRequest, nowMs: number): Record<string, string> => {
    const prepared = prepareRequest(request, nowMs, credentials);
    const { method, url, date, signed, bytes, payloadSha256 } = prepared;
    const { canonical, signedHeaders } = canonicalParts(method, url, signed, payloadSha256 ?? sha256Hex(bytes));
    const signature = hmacHex(`${ALGORITHM}\n${date}\n${sha256Hex(canonical)}`);
    return signedHeadersOut(prepared, credentials.ak, signedHeaders, signature);
  };
  const signAkSk = (request: SignableRequest, nowMs: number): Promise<Record<string, string>> => {
    try {
      return Promise.resolve(signSync(request, nowMs));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(signAkSk, { sync: signSync });
}

/** WebCrypto (browsers): the hashes are asynchronous. */
function webSigner(subtle: SubtleCrypto, credentials: AkSkCredentials): Signer {
  const { sha256Hex, hmacHex } = webSha256Hmac(subtle, credentials.sk);
  return async function signAkSk(request, nowMs) {
    const prepared = prepareRequest(request, nowMs, credentials);
    const { method, url, date, signed, bytes, payloadSha256 } = prepared;
    const { canonical, signedHeaders } = canonicalParts(method, url, signed, payloadSha256 ?? (await sha256Hex(bytes)));
    const signature = await hmacHex(`${ALGORITHM}\n${date}\n${await sha256Hex(canonical)}`);
    return signedHeadersOut(prepared, credentials.ak, signedHeaders, signature);
  };
}

/**
 * A signer for one access key. Checks the credentials at once (CciInputError naming the field,
 * never its value). Each call returns the headers to add: `x-sdk-date` (from `nowMs`),
 * `authorization`, and `x-security-token` / `x-project-id` when the credentials have them.
 *
 * What is signed: `host` (the URL's host, with a non-default port, as node:http and fetch send it;
 * a `host` in `request.headers` is what will be sent, so its value is signed instead, as Huawei's
 * SDK does), `x-sdk-date`, the credential headers, and every header of `request.headers` except
 * the ones this signer sets itself (`authorization`, `x-sdk-date`, and `x-security-token` /
 * `x-project-id` when the credentials have them): those are replaced by ours, not signed twice.
 * The payload hash is the SHA-256 of `request.body`, unless the headers carry
 * `x-sdk-content-sha256` (e.g. `UNSIGNED-PAYLOAD`): Huawei's gateway signers then sign that value, so do we.
 * A header name that is not a lower-case token, or a value that is not visible ASCII with inner
 * spaces or tabs only, cannot be signed as it will be sent: CciInputError.
 */
export function createSigner(credentials: AkSkCredentials): Signer {
  checkCredentials(credentials);
  const node = nodeCrypto();
  if (node !== undefined) return nodeSigner(node, credentials);
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle === undefined) {
    throw new CciInputError(
      'AK/SK signing needs node:crypto or WebCrypto (crypto.subtle, which browsers offer in secure contexts only).',
    );
  }
  return webSigner(subtle, credentials);
}

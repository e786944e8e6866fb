// Verifying an `SDK-HMAC-SHA256` signature as Huawei Cloud's API gateway does (the API signing
// guide, summarised in cci-and-huawei-cloud-facts.md):
//
//   Authorization: SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b;c}, Signature={hex}
//   string to sign = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(canonical request))
//   signature      = hex(HMAC-SHA256(SK, string to sign))
//
// `host` and `x-sdk-date` must be signed; X-Sdk-Date must be within 15 minutes of the gateway's
// clock; a temporary key must send its security token in X-Security-Token, signed with the rest.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKey } from './credentials.js';
import { canonicalRequest, normaliseSignedHeaders, sha256Hex, type ReceivedRequest } from './canonical.js';
import type { GatewayRefusalName } from './errors.js';

const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** How far X-Sdk-Date may be from the gateway's clock, either way. */
const DATE_WINDOW_MS = 15 * 60_000;

export type SignatureVerdict = { ok: true; key: AccessKey } | { ok: false; refusal: GatewayRefusalName };

interface SignatureHeader {
  access: string;
  signedHeaders: string[];
  signature: string;
}

/** True when the Authorization header claims this signing scheme (then nothing else is tried). */
export function isSignedRequest(authorization: string | undefined): boolean {
  return authorization?.trimStart().startsWith(`${SIGNING_ALGORITHM} `) ?? false;
}

/** `Access=…, SignedHeaders=…, Signature=…` after the algorithm; undefined when one is missing. */
function parseSignatureHeader(authorization: string): SignatureHeader | undefined {
  const fields = new Map<string, string>();
  for (const part of authorization.trim().slice(SIGNING_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const access = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!access || !signedHeaders || !signature) return undefined;
  return { access, signedHeaders: signedHeaders.split(';').filter(Boolean), signature };
}

/** `YYYYMMDDTHHMMSSZ` (UTC) to epoch milliseconds; undefined when it is not a real time of that form. */
function parseSdkDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 20190230 over into March: a date that does not come back unchanged is not real.
  const wanted = [month, day, hour, minute, second];
  const got = [
    back.getUTCMonth() + 1,
    back.getUTCDate(),
    back.getUTCHours(),
    back.getUTCMinutes(),
    back.getUTCSeconds(),
  ];
  return got.every((part, index) => part === wanted[index]) ? ms : undefined;
}

/** Constant-time equality of two strings of any length (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function signatureOf(canonical: string, sdkDate: string, sk: string): string {
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', sk).update(stringToSign).digest('hex');
}

/**
 * A security token belongs to one temporary key and must be signed; a permanent key sends none. A
 * different token would derive a different key at the gateway: a mismatch is a signature that fails.
 */
function securityTokenHolds(key: AccessKey, presented: string | undefined, signed: readonly string[]): boolean {
  if (key.securityToken === undefined) return presented === undefined;
  return presented !== undefined && sameSecret(presented, key.securityToken) && signed.includes('x-security-token');
}

const firstValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * The gateway's checks, in its order: the header's form, the AK, the date window, the temporary
 * key's security token, the signed-header rule, then the signature itself.
 */
export function verifySignature(
  request: ReceivedRequest,
  keys: ReadonlyMap<string, AccessKey>,
  nowMs: number,
): SignatureVerdict {
  const header = parseSignatureHeader(firstValue(request.headers.authorization) ?? '');
  if (!header) return { ok: false, refusal: 'badSignature' };
  const key = keys.get(header.access);
  const securityToken = firstValue(request.headers['x-security-token']);
  // A temporary AK is found through its security token: without one the gateway looks for a
  // permanent key of that name and finds none (inferred from how temporary keys work).
  if (!key || (key.securityToken !== undefined && securityToken === undefined))
    return { ok: false, refusal: 'unknownAccessKey' };
  const sdkDate = firstValue(request.headers['x-sdk-date']);
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return { ok: false, refusal: 'badSignature' };
  if (Math.abs(nowMs - signedAt) > DATE_WINDOW_MS) return { ok: false, refusal: 'dateOutOfWindow' };

  const signed = normaliseSignedHeaders(header.signedHeaders);
  if (!securityTokenHolds(key, securityToken, signed) || !signed.includes('host') || !signed.includes('x-sdk-date'))
    return { ok: false, refusal: 'badSignature' };

  const expected = signatureOf(canonicalRequest(request, signed), sdkDate as string, key.sk);
  return sameSecret(header.signature, expected) ? { ok: true, key } : { ok: false, refusal: 'badSignature' };
}

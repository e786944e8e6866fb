// The AK/SK signer (SDK-HMAC-SHA256): known answers, the WebCrypto path, the canonical form of
// what goes on the wire, the input checks, and that the SK shows nowhere. The comparison with
// Huawei's own signer on random requests is in aksk-signer-differential.test.ts.
import { createHash, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AkSkCredentials,
  canonicalRequest,
  createSigner,
  type SignableRequest,
  sdkDate,
  type Signer,
} from '../src/auth/aksk-signer.js';
import { type CciInputError, isCciError } from '../src/errors/classes.js';
import { AKSKSigner } from './helpers/official-signer.js';

// The signing guide's example (and a known answer of Huawei's Java SDK for the second path).
const AK = 'QTWAOYTTINDUT2QVKYUC';
const SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc';
const NOW = Date.UTC(2019, 10, 15, 3, 36, 55);
const ORIGIN = 'https://service.region.example.com';
const QUERY = '?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0';
const VPCS = `${ORIGIN}/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs${QUERY}`;
const CERTIFICATES = `${ORIGIN}/v5/iotps/77b6a44cba5143ab91d13ab9a8ff44fd/certificates${QUERY}`;
const JSON_HEADERS = { 'content-type': 'application/json' };
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const get = (url: string, headers: Record<string, string> = {}): SignableRequest => ({ method: 'GET', url, headers });

/** A signer on WebCrypto: node:crypto hidden from createSigner for this one. */
function webSigner(credentials: AkSkCredentials): Signer {
  const lookup = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
  try {
    return createSigner(credentials);
  } finally {
    lookup.mockRestore();
  }
}

/** The signature part of an Authorization header. */
async function signatureOf(signer: Signer, request: SignableRequest, nowMs = NOW): Promise<string> {
  return (await signer(request, nowMs)).authorization!.replace(/^.*SignedHeaders=/, '');
}

async function inputError(promise: Promise<unknown> | (() => unknown)): Promise<CciInputError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(isCciError(error, 'input'), String(error)).toBe(true);
    return error as CciInputError;
  }
  throw new Error('expected a CciInputError');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('known answers', () => {
  it('the signing guide example: GET …/vpcs with content-type, X-Sdk-Date 20191115T033655Z', async () => {
    const signer = createSigner({ ak: AK, sk: SK });
    expect(await signer(get(VPCS, JSON_HEADERS), NOW)).toEqual({
      'x-sdk-date': '20191115T033655Z',
      authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe`,
    });
  });

  it('the Java SDK example: GET …/certificates', async () => {
    const signer = createSigner({ ak: AK, sk: SK });
    expect((await signer(get(CERTIFICATES, JSON_HEADERS), NOW)).authorization).toBe(
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=012cac5e920807f98bf7b23dfe05d29596d544a9b76c37cf933b274a6d4aa874`,
    );
  });

  it('the canonical request of the guide example, blank line after the headers included', () => {
    const headers = {
      'content-type': 'application/json',
      host: 'service.region.example.com',
      'x-sdk-date': '20191115T033655Z',
    };
    expect(canonicalRequest('GET', VPCS, headers, EMPTY_SHA256)).toBe(
      [
        'GET',
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
        'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        'content-type:application/json',
        'host:service.region.example.com',
        'x-sdk-date:20191115T033655Z',
        '',
        'content-type;host;x-sdk-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
  });

  it('the signature is HMAC-SHA256(SK, string to sign) of that canonical request', async () => {
    const signer = createSigner({ ak: AK, sk: SK, securityToken: 'token', projectId: 'p1' });
    const body = new TextEncoder().encode('{"a":1}');
    const request: SignableRequest = {
      method: 'POST',
      url: `${ORIGIN}/v1/x?b=1&a=2`,
      headers: { 'content-type': 'application/json' },
      body,
    };
    const added = await signer(request, NOW);
    const signed = {
      ...request.headers,
      host: 'service.region.example.com',
      'x-sdk-date': added['x-sdk-date']!,
      'x-security-token': 'token',
      'x-project-id': 'p1',
    };
    const canonical = canonicalRequest('POST', request.url, signed, createHash('sha256').update(body).digest('hex'));
    const stringToSign = `SDK-HMAC-SHA256\n20191115T033655Z\n${createHash('sha256').update(canonical).digest('hex')}`;
    expect(added).toEqual({
      'x-sdk-date': '20191115T033655Z',
      'x-security-token': 'token',
      'x-project-id': 'p1',
      authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=${createHmac('sha256', SK).update(stringToSign).digest('hex')}`,
    });
  });
});

describe('WebCrypto (no node:crypto)', () => {
  it('gives the known answers, through crypto.subtle, importing the key once per signer', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const signer = webSigner({ ak: AK, sk: SK });
    expect(importKey).not.toHaveBeenCalled(); // lazily, on the first signature
    expect(await signatureOf(signer, get(VPCS, JSON_HEADERS))).toBe(
      'content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
    expect(await signatureOf(signer, get(CERTIFICATES, JSON_HEADERS))).toBe(
      'content-type;host;x-sdk-date, Signature=012cac5e920807f98bf7b23dfe05d29596d544a9b76c37cf933b274a6d4aa874',
    );
    expect(importKey).toHaveBeenCalledTimes(1);
    expect(importKey.mock.calls[0]![3]).toBe(false); // not extractable
    expect(sign).toHaveBeenCalledTimes(2);
  });

  it('agrees with node:crypto on bodies (a Uint8Array view inside a larger buffer, an ArrayBuffer), long and unicode SKs and credential headers', async () => {
    const bytes = new TextEncoder().encode('xx{"kind":"Service","name":"rédis 😀"}yy');
    const view = bytes.subarray(2, bytes.length - 2);
    const bodies = [undefined, new Uint8Array(0), view, view.slice().buffer, new Uint8Array(100_000).fill(7)];
    for (const sk of [SK, 'k'.repeat(65), 'k'.repeat(200), 'ключ-😀-秘密']) {
      const credentials = { ak: AK, sk, securityToken: 'sts token', projectId: '0123456789abcdef0123456789abcdef' };
      const [node, web] = [createSigner(credentials), webSigner(credentials)];
      for (const body of bodies) {
        const request: SignableRequest = {
          method: 'PUT',
          url: `${ORIGIN}/a%20b/%E4%B8%AD?q=%F0%9F%98%80&q=1`,
          headers: JSON_HEADERS,
        };
        if (body !== undefined) request.body = body;
        expect(await web(request, NOW)).toEqual(await node(request, NOW));
      }
    }
  });

  it('a body view and a copy of its bytes sign alike; an empty body is no body', async () => {
    const signer = createSigner({ ak: AK, sk: SK });
    const bytes = new TextEncoder().encode('__{"a":1}__');
    const post = (body?: ArrayBuffer | Uint8Array): SignableRequest => ({
      method: 'POST',
      url: `${ORIGIN}/x`,
      headers: {},
      ...(body && { body }),
    });
    const view = await signatureOf(signer, post(bytes.subarray(2, 9)));
    expect(await signatureOf(signer, post(new TextEncoder().encode('{"a":1}').buffer))).toBe(view);
    expect(await signatureOf(signer, post(bytes))).not.toBe(view);
    expect(await signatureOf(signer, post(new Uint8Array(0)))).toBe(await signatureOf(signer, post()));
    expect(await signatureOf(signer, post(new ArrayBuffer(0)))).toBe(await signatureOf(signer, post()));
  });
});

describe('sdkDate', () => {
  it('writes YYYYMMDDTHHMMSSZ in UTC, seconds truncated', () => {
    expect(sdkDate(NOW)).toBe('20191115T033655Z');
    expect(sdkDate(NOW + 999)).toBe('20191115T033655Z');
    expect(sdkDate(NOW + 1000)).toBe('20191115T033656Z');
    expect(sdkDate(0)).toBe('19700101T000000Z');
    expect(sdkDate(Date.UTC(2099, 11, 31, 23, 59, 59, 999))).toBe('20991231T235959Z');
    expect(sdkDate(Date.UTC(2000, 1, 29, 12, 0, 0))).toBe('20000229T120000Z');
  });

  it('agrees with a formatting from Date parts on random instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }),
        (ms) => {
          const d = new Date(ms);
          const two = (n: number) => String(n).padStart(2, '0');
          const expected = `${String(d.getUTCFullYear()).padStart(4, '0')}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
          expect(sdkDate(ms)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what it cannot write', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1), 8.64e15 + 1]) {
      await inputError(() => sdkDate(bad));
    }
    await inputError(createSigner({ ak: AK, sk: SK })(get(VPCS), Number.NaN));
  });
});

describe('the canonical form of what goes on the wire', () => {
  const signer = createSigner({ ak: AK, sk: SK });
  const same = async (
    a: string,
    b: string,
    headersA: Record<string, string> = {},
    headersB: Record<string, string> = headersA,
  ) => expect(await signatureOf(signer, get(a, headersA))).toBe(await signatureOf(signer, get(b, headersB)));
  const differ = async (a: string, b: string) =>
    expect(await signatureOf(signer, get(a))).not.toBe(await signatureOf(signer, get(b)));
  const canonical = (url: string) => canonicalRequest('GET', url, {}, EMPTY_SHA256).split('\n').slice(1, 3);

  it('paths: each segment decoded then encoded (unreserved kept, upper-case hex), a `/` appended', () => {
    expect(canonical(`${ORIGIN}/a%7Eb/%7e/~/%41%c3%a9/é/a%20b/a+b/!'()*/%2F`)).toEqual([
      '/a~b/~/~/A%C3%A9/%C3%A9/a%20b/a%2Bb/%21%27%28%29%2A/%2F/',
      '',
    ]);
    expect(canonical(`${ORIGIN}`)).toEqual(['/', '']);
    expect(canonical(`${ORIGIN}/`)).toEqual(['/', '']);
    expect(canonical(`${ORIGIN}/a/`)).toEqual(['/a/', '']);
    expect(canonical(`${ORIGIN}//a//`)).toEqual(['//a//', '']);
    // A malformed escape is kept as it stands, its `%` encoded; so are bytes that are not UTF-8.
    expect(canonical(`${ORIGIN}/%zz/%E4%B8/%`)).toEqual(['/%25zz/%25E4%25B8/%25/', '']);
    // What new URL (and so fetch) resolves never reaches the server: dot segments, the fragment.
    expect(canonical(`${ORIGIN}/a/./b/../c#frag`)).toEqual(['/a/c/', '']);
    // Astral plane, from the wire as the client writes it.
    expect(canonical(`${ORIGIN}/${encodeURIComponent('𝄞😀')}`)).toEqual(['/%F0%9D%84%9E%F0%9F%98%80/', '']);
  });

  it('queries: decoded, sorted by name then value (UTF-16 code units), `+` is not a space, bare names have empty values', () => {
    expect(canonical(`${ORIGIN}/?b=2&a=2&a=1&A=3&%61=0`)[1]).toBe('A=3&a=0&a=1&a=2&b=2');
    expect(canonical(`${ORIGIN}/?q=a+b&r=a%20b&s=a%2Bb&t=%7e!'()*`)[1]).toBe(
      'q=a%2Bb&r=a%20b&s=a%2Bb&t=~%21%27%28%29%2A',
    );
    expect(canonical(`${ORIGIN}/?flag&x=&&=v&y==`)[1]).toBe('=v&flag=&x=&y=%3D');
    expect(canonical(`${ORIGIN}/?bad=%zz&%=1`)[1]).toBe('%25=1&bad=%25zz');
    // U+FF5E sorts after U+1F600 in UTF-16 code units (a surrogate pair starts with 0xD83D), before it in code points.
    expect(canonical(`${ORIGIN}/?${encodeURIComponent('😀')}=1&${encodeURIComponent('～')}=2`)[1]).toBe(
      '%F0%9F%98%80=1&%EF%BD%9E=2',
    );
    expect(canonical(`${ORIGIN}/?`)[1]).toBe('');
  });

  it('equivalent spellings on the wire sign alike; a different request does not', async () => {
    await same(`${ORIGIN}/a~b?x=~`, `${ORIGIN}/a%7eb?x=%7E`);
    await same(`${ORIGIN}/é?é=é`, `${ORIGIN}/%C3%A9?%C3%A9=%C3%A9`);
    await same(`${ORIGIN}/?a=1&b=2`, `${ORIGIN}/?b=2&a=1`);
    await same(`${ORIGIN}/?a`, `${ORIGIN}/?a=`);
    await same(`${ORIGIN}/?a=1&&b=2`, `${ORIGIN}/?a=1&b=2`);
    await same(`${ORIGIN}/x`, `${ORIGIN}/x/`);
    await same(`${ORIGIN}/x#one`, `${ORIGIN}/x#two`);
    await differ(`${ORIGIN}/?q=a+b`, `${ORIGIN}/?q=a%20b`);
    await differ(`${ORIGIN}/a%2Fb`, `${ORIGIN}/a/b`);
    await differ(`${ORIGIN}/x?a=1`, `${ORIGIN}/x?a=2`);
  });

  it('host: the URL host as sent (lower-case, a non-default port kept, a default one dropped), or a host header given', async () => {
    await same('https://Service.Region.Example.com/x', 'https://service.region.example.com:443/x');
    await same('http://127.0.0.1:80/x', 'http://127.0.0.1/x');
    await differ('https://service.region.example.com:8443/x', 'https://service.region.example.com/x');
    expect(await signatureOf(signer, get('https://10.0.0.1:8443/x', { host: 'service.region.example.com' }))).toBe(
      await signatureOf(signer, get('https://service.region.example.com/x')),
    );
  });

  it('authorization and x-sdk-date given by the caller are replaced by ours, not signed', async () => {
    const added = await signer(
      get(VPCS, { ...JSON_HEADERS, authorization: 'Bearer old', 'x-sdk-date': '20000101T000000Z' }),
      NOW,
    );
    expect(added['x-sdk-date']).toBe('20191115T033655Z');
    expect(added.authorization).toBe((await signer(get(VPCS, JSON_HEADERS), NOW)).authorization);
  });

  it('x-security-token and x-project-id: ours when the credentials have them, else signed like any header', async () => {
    const temporary = createSigner({ ak: AK, sk: SK, securityToken: 'mine', projectId: 'p1' });
    const stale = { 'x-security-token': 'stale', 'x-project-id': 'p0' };
    expect(await temporary(get(VPCS, stale), NOW)).toEqual(await temporary(get(VPCS), NOW));
    expect(await temporary(get(VPCS), NOW)).toMatchObject({ 'x-security-token': 'mine', 'x-project-id': 'p1' });
    const added = await signer(get(VPCS, stale), NOW);
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-sdk-date']);
    expect(added.authorization).toContain('SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,');
  });

  it('x-sdk-content-sha256 (e.g. UNSIGNED-PAYLOAD) is signed as the payload hash instead of the body, as the gateway reads it', async () => {
    const unsigned = { 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' };
    const post = (body: string): SignableRequest => ({
      method: 'POST',
      url: `${ORIGIN}/x`,
      headers: unsigned,
      body: new TextEncoder().encode(body),
    });
    expect(await signatureOf(signer, post('one'))).toBe(await signatureOf(signer, post('two')));
    const headers = { ...unsigned, host: 'service.region.example.com', 'x-sdk-date': '20191115T033655Z' };
    const stringToSign = `SDK-HMAC-SHA256\n20191115T033655Z\n${createHash('sha256')
      .update(canonicalRequest('POST', `${ORIGIN}/x`, headers, 'UNSIGNED-PAYLOAD'))
      .digest('hex')}`;
    expect(await signatureOf(signer, post('one'))).toBe(
      `host;x-sdk-content-sha256;x-sdk-date, Signature=${createHmac('sha256', SK).update(stringToSign).digest('hex')}`,
    );
  });

  it('returns a fresh object of added headers each time, the request untouched', async () => {
    const request = get(VPCS, { ...JSON_HEADERS });
    const first = await signer(request, NOW);
    first.authorization = 'changed';
    expect((await signer(request, NOW)).authorization).not.toBe('changed');
    expect(request).toEqual(get(VPCS, JSON_HEADERS));
  });
});

describe('input checks', () => {
  it('credentials: ak and sk non-empty without whitespace or control characters; securityToken and projectId valid header values', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /must be an object/],
      [{ sk: SK }, /ak must be a non-empty string/],
      [{ ak: '', sk: SK }, /ak must be a non-empty string/],
      [{ ak: 'AK with space', sk: SK }, /\bak may hold only visible ASCII/],
      [{ ak: 'AK,x', sk: SK }, /\bak may hold only visible ASCII/],
      [{ ak: 'AKé', sk: SK }, /\bak may hold only visible ASCII/],
      [{ ak: AK }, /sk must be a non-empty string/],
      [{ ak: AK, sk: 42 }, /sk must be a non-empty string/],
      [{ ak: AK, sk: `${SK}\n` }, /sk contains whitespace or a control character/],
      [{ ak: AK, sk: `a\u0000b` }, /sk contains whitespace or a control character/],
      [{ ak: AK, sk: `a\u3000b` }, /sk contains whitespace or a control character/],
      [{ ak: AK, sk: SK, securityToken: '' }, /securityToken must be a non-empty string/],
      [{ ak: AK, sk: SK, securityToken: 'a\r\nX-Evil: 1' }, /securityToken is not a valid header value/],
      [{ ak: AK, sk: SK, securityToken: ' padded' }, /securityToken is not a valid header value/],
      [{ ak: AK, sk: SK, securityToken: 'jeton-é' }, /securityToken is not a valid header value/],
      [{ ak: AK, sk: SK, projectId: 5 }, /projectId must be a non-empty string/],
      [{ ak: AK, sk: SK, projectId: 'p\t' }, /projectId is not a valid header value/],
    ];
    for (const [credentials, message] of cases) {
      expect((await inputError(() => createSigner(credentials as AkSkCredentials))).message).toMatch(message);
    }
    // A unicode SK is fine (it is only a key, UTF-8 encoded).
    expect(() => createSigner({ ak: AK, sk: 'clé-秘密-😀' })).not.toThrow();
  });

  it('requests: what cannot be signed as sent is refused, by a rejected promise', async () => {
    const signer = createSigner({ ak: AK, sk: SK });
    const cases: [SignableRequest, RegExp][] = [
      [{ ...get(VPCS), method: 'get' }, /method must be an upper-case HTTP token/],
      [{ ...get(VPCS), method: 'GET /x' }, /method must be an upper-case HTTP token/],
      [get('/relative/path'), /absolute http\(s\) URL/],
      [get('ftp://example.com/x'), /absolute http\(s\) URL/],
      [get(VPCS, { 'Content-Type': 'application/json' }), /header name "Content-Type" is not a lower-case HTTP token/],
      [get(VPCS, { 'x bad': '1' }), /header name "x bad"/],
      [get(VPCS, { 'x-a': 'one\r\nx-b: two' }), /value of header x-a cannot be signed as sent/],
      [get(VPCS, { 'x-a': ' padded' }), /value of header x-a/],
      [get(VPCS, { 'x-a': 'padded\t' }), /value of header x-a/],
      [get(VPCS, { 'x-a': 'caf\u00e9' }), /value of header x-a/],
      [get(VPCS, { 'x-a': 1 as unknown as string }), /value of header x-a/],
      [{ ...get(VPCS), body: '{}' as unknown as Uint8Array }, /body must be an ArrayBuffer or a Uint8Array/],
    ];
    for (const [request, message] of cases) {
      const result = signer(request, NOW);
      expect(result).toBeInstanceOf(Promise);
      expect((await inputError(result)).message).toMatch(message);
    }
    // An empty value is a value (sent as `x-empty:`), and tabs and spaces inside are kept.
    expect((await signer(get(VPCS, { 'x-empty': '', 'x-inner': 'a \t b' }), NOW)).authorization).toContain(
      'SignedHeaders=host;x-empty;x-inner;x-sdk-date,',
    );
  });

  it('the URL is not repeated in a message (its query may be private)', async () => {
    const error = await inputError(createSigner({ ak: AK, sk: SK })(get('ftp://example.com/?password=hunter2'), NOW));
    expect(error.message).not.toContain('hunter2');
  });
});

describe('secrets', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9+/=]{12,64}$/);

  it('no error message for bad credentials or bad requests contains the SK or the security token', async () => {
    const badRequests: SignableRequest[] = [
      { ...get(VPCS), method: 'get' },
      get('nope'),
      get(VPCS, { 'X-Upper': '1' }),
      get(VPCS, { 'x-a': '\n' }),
      { ...get(VPCS), body: 'x' as unknown as Uint8Array },
    ];
    await fc.assert(
      fc.asyncProperty(
        secret,
        secret,
        fc.nat(),
        fc.constantFrom(' ', '\n', '\r', '\t', '\u0000', '\u007f', '\u3000', '\u2028'),
        fc.constantFrom('\r\n', 'é', ' ', '\u0000'),
        async (sk, token, at, blank, badTokenChar) => {
          const badSk = sk.slice(0, at % sk.length) + blank + sk.slice(at % sk.length);
          // A space inside is allowed; at the end it is not.
          const badToken =
            badTokenChar === ' '
              ? `${token} `
              : token.slice(0, at % token.length) + badTokenChar + token.slice(at % token.length);
          const messages: string[] = [];
          const record = async (work: () => unknown) => messages.push((await inputError(work)).message);
          await record(() => createSigner({ ak: AK, sk: badSk, securityToken: token }));
          await record(() => createSigner({ ak: AK, sk, securityToken: badToken }));
          await record(() => createSigner({ ak: `${AK} `, sk, securityToken: token }));
          await record(() => createSigner({ ak: AK, sk, securityToken: token, projectId: `${sk}\n` }));
          const signer = createSigner({ ak: AK, sk, securityToken: token });
          for (const request of badRequests) await record(() => signer(request, NOW));
          await record(() => signer(get(VPCS), Number.NaN));
          for (const message of messages) {
            for (const hidden of [sk, badSk, token, badToken]) expect(message).not.toContain(hidden);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the SK is nowhere in the signer or its results: not in properties, inspect output, JSON or source', async () => {
    const sk = 'SK-0123456789-secret-value-abcdef';
    for (const signer of [createSigner({ ak: AK, sk, securityToken: 'token' }), webSigner({ ak: AK, sk })]) {
      const added = await signer(get(VPCS, JSON_HEADERS), NOW);
      const views = [
        inspect(signer, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
        inspect(added, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
        JSON.stringify(added),
        JSON.stringify(Object.getOwnPropertyDescriptors(signer)),
        String(signer),
        Object.keys(signer).join(),
      ];
      for (const view of views) expect(view).not.toContain(sk);
    }
  });
});

describe("Huawei's Node.js signer (AKSKSigner): where it differs, and why ours does not follow", () => {
  const credential = { getAk: () => AK, getSk: () => SK };
  const official = (headers: Record<string, string>) =>
    AKSKSigner.sign(
      {
        method: 'GET',
        endpoint: `${ORIGIN}/x`,
        queryParams: {},
        headers: { ...headers, 'X-Sdk-Date': '20191115T033655Z' },
      },
      credential,
    ).Authorization;
  const ours = async (headers: Record<string, string>) =>
    (await createSigner({ ak: AK, sk: SK })(get(`${ORIGIN}/x`, headers), NOW)).authorization;

  it('header names of letters, digits and `-`: the same signature', async () => {
    const headers = { 'x-a-b': '1', 'x-ab': '2', 'x-a0': '3', 'content-type': 'application/json' };
    expect(await ours(headers)).toBe(official(headers));
  });

  it('a name with `_`: its canonical header lines follow localeCompare (ICU puts `_` before `-`), its SignedHeaders code units; ours follow code units in both', async () => {
    const headers = { 'x-a_b': '1', 'x-a-b': '2' };
    expect('x-a_b'.localeCompare('x-a-b')).toBeLessThan(0);
    expect('x-a_b' < 'x-a-b').toBe(false);
    const theirs = official(headers);
    expect(theirs).toContain('SignedHeaders=host;x-a-b;x-a_b;x-sdk-date,');
    expect(await ours(headers)).not.toBe(theirs);
    // Ours, by hand: the lines in the order SignedHeaders declares.
    const canonical = [
      'GET',
      '/x/',
      '',
      'host:service.region.example.com',
      'x-a-b:2',
      'x-a_b:1',
      'x-sdk-date:20191115T033655Z',
      '',
      'host;x-a-b;x-a_b;x-sdk-date',
      EMPTY_SHA256,
    ];
    const stringToSign = `SDK-HMAC-SHA256\n20191115T033655Z\n${createHash('sha256').update(canonical.join('\n')).digest('hex')}`;
    expect(await ours(headers)).toBe(
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-a-b;x-a_b;x-sdk-date, Signature=${createHmac('sha256', SK).update(stringToSign).digest('hex')}`,
    );
  });

  it('a multipart/form-data content-type: it leaves it unsigned; ours signs every header given', async () => {
    const headers = { 'content-type': 'multipart/form-data; boundary=x' };
    expect(official(headers)).toContain('SignedHeaders=host;x-sdk-date,');
    expect(await ours(headers)).toContain('SignedHeaders=content-type;host;x-sdk-date,');
  });
});

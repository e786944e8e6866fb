// The `cci` profile's AK/SK verification: the signing guide's known answers, requests signed by
// Huawei Cloud's own signer accepted, one changed byte anywhere refused, temporary keys and their
// security token, the 15-minute date window, and the gateway's refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ACCESS_KEY,
  DEMO_TEMPORARY_KEY,
  GATEWAY_REFUSALS,
  startMockServer,
  type MockServer,
} from '../src/index.js';
import { verifySignature } from '../src/gateway/aksk.js';
import { canonicalQuery, canonicalRequest, canonicalUri } from '../src/gateway/canonical.js';
import { signatureOf } from '../src/gateway/aksk.js';
import { READ_PATH, officialSigned, sdkDate, send, type RawAnswer, type SignedExchange } from './helpers/gateway.js';

const GUIDE_KEY = { ak: 'QTWAOYTTINDUT2QVKYUC', sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' };
const GUIDE_DATE = Date.UTC(2019, 10, 15, 3, 36, 55);
const GUIDE_QUERY = 'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0';
const guideRequest = (rawPath: string) => ({
  method: 'GET',
  rawPath,
  rawQuery: GUIDE_QUERY,
  headers: { 'content-type': 'application/json', host: 'service.region.example.com', 'x-sdk-date': '20191115T033655Z' },
  body: Buffer.alloc(0),
});
const SIGNED = ['content-type', 'host', 'x-sdk-date'];

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const MINUTE = 60_000;

const expectRefusal = (answer: RawAnswer, name: keyof typeof GATEWAY_REFUSALS) => {
  expect({ status: answer.status, body: answer.json }).toEqual({
    status: GATEWAY_REFUSALS[name].status,
    body: {
      error_msg: GATEWAY_REFUSALS[name].message,
      error_code: GATEWAY_REFUSALS[name].code,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    },
  });
};
const authenticated = (answer: RawAnswer) => answer.status !== 401 && answer.status !== 413;

describe('known answers (the API signing guide, the Java SDK)', () => {
  it('GET …/vpcs?limit=2&marker=… → Signature=7be66680…', () => {
    const canonical = canonicalRequest(guideRequest('/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs'), SIGNED);
    expect(canonical.split('\n').slice(0, 3)).toEqual([
      'GET',
      '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
      GUIDE_QUERY,
    ]);
    expect(signatureOf(canonical, '20191115T033655Z', GUIDE_KEY.sk)).toBe(
      '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
  });

  it('GET /v5/iotps/…/certificates → Signature=012cac5e…', () => {
    const canonical = canonicalRequest(guideRequest('/v5/iotps/77b6a44cba5143ab91d13ab9a8ff44fd/certificates'), SIGNED);
    expect(signatureOf(canonical, '20191115T033655Z', GUIDE_KEY.sk)).toBe(
      '012cac5e920807f98bf7b23dfe05d29596d544a9b76c37cf933b274a6d4aa874',
    );
  });

  it('verifySignature accepts the guide’s Authorization header at its date, and refuses it 16 minutes later', () => {
    const request = guideRequest('/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs');
    const headers = {
      ...request.headers,
      authorization: `SDK-HMAC-SHA256 Access=${GUIDE_KEY.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe`,
    };
    const keys = new Map([[GUIDE_KEY.ak, GUIDE_KEY]]);
    expect(verifySignature({ ...request, headers }, keys, GUIDE_DATE)).toEqual({ ok: true, key: GUIDE_KEY });
    expect(verifySignature({ ...request, headers }, keys, GUIDE_DATE + 16 * MINUTE)).toEqual({
      ok: false,
      refusal: 'dateOutOfWindow',
    });
  });

  it.each([
    ['/a b/ü', '/a%20b/%C3%BC/'],
    ['/a%20b/%c3%bc/', '/a%20b/%C3%BC/'],
    ["/x!'()*/~._-", '/x%21%27%28%29%2A/~._-/'],
    ['/%FF%2f', '/%FF%2F/'],
    ['/', '/'],
  ])('canonical URI of %j is %j (decoded per segment, re-encoded, / appended)', (raw, canonical) => {
    expect(canonicalUri(raw)).toBe(canonical);
  });

  it.each([
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1&a=10', 'a=1&a=10&a=2'],
    ['a+b=c+d', 'a%2Bb=c%2Bd'],
    ['k&j=', 'j=&k='],
    ['x=a%3Db=c', 'x=a%3Db%3Dc'],
    ['q=%E4%BD%A0%20!', 'q=%E4%BD%A0%20%21'],
    ['&&a=1&', 'a=1'],
    ['', ''],
  ])('canonical query of %j is %j', (raw, canonical) => {
    expect(canonicalQuery(raw)).toBe(canonical);
  });
});

describe('signed requests against the mock', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({
      port: 0,
      now: () => NOW,
      accessKeys: [DEMO_ACCESS_KEY, DEMO_TEMPORARY_KEY, GUIDE_KEY],
      limits: { maxBodyBytes: 4096 },
    });
  });
  afterAll(() => server?.close());

  const sign = (
    request: Partial<Parameters<typeof officialSigned>[2]> = {},
    key: { ak: string; sk: string; securityToken?: string } = DEMO_ACCESS_KEY,
  ) => officialSigned(server.url, key, { path: READ_PATH, date: NOW, ...request });
  const exchange = (signed: SignedExchange) => send(server.url, signed);

  it('the guide’s own request, sent to the mock with its Host, is accepted (404: the mock has no VPCs)', async () => {
    const signed = officialSigned('https://service.region.example.com', GUIDE_KEY, {
      path: '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs',
      query: { limit: '2', marker: '13551d6b-755d-4757-b956-536f674975c0' },
      headers: { 'Content-Type': 'application/json' },
      date: NOW,
    });
    expect(signed.headers.host).toBe('service.region.example.com');
    expect((await exchange(signed)).status).toBe(404);
  });

  it('a read signed by Huawei’s signer with the demo key is served', async () => {
    const answer = await exchange(sign());
    expect(answer.status).toBe(200);
    expect(answer.json.metadata.name).toBe('redis');
  });

  it('a list with query parameters (selectors with reserved characters) is served', async () => {
    const answer = await exchange(
      sign({
        path: '/api/v1/namespaces/namespace-test/services',
        query: { labelSelector: 'app in (web,db),tier!=x', limit: '2' },
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.kind).toBe('ServiceList');
  });

  it('a POST with a JSON body is authenticated (then 405: the mock serves GET)', async () => {
    const answer = await exchange(
      sign({
        method: 'POST',
        body: { kind: 'Service', metadata: { name: 'ü' } },
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    expect(answer.status).toBe(405);
  });

  it('headers outside SignedHeaders may change; X-Auth-Token, when present, is judged instead', async () => {
    const signed = sign();
    expect((await exchange({ ...signed, headers: { ...signed.headers, 'user-agent': 'changed/1.0' } })).status).toBe(
      200,
    );
    expect(
      (
        await exchange({
          ...signed,
          headers: { ...signed.headers, 'x-auth-token': 'mock-token', authorization: 'SDK-HMAC-SHA256 garbage' },
        })
      ).status,
    ).toBe(200);
  });

  describe('one changed byte anywhere is refused: verify aksk signature fail', () => {
    const base = () =>
      sign({
        method: 'PUT',
        path: '/api/v1/namespaces/namespace-test/services/redis',
        query: { dryRun: 'All', fieldManager: 'kubectl' },
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'value-1' },
        body: { spec: { type: 'ClusterIP' } },
      });

    it('the untouched request is authenticated', async () => {
      // Past the gateway, kube-apiserver's replace refuses the body, which names no Service: 400, not a gateway refusal.
      const answer = await exchange(base());
      expect(answer.status).toBe(400);
      expect(answer.json.message).toBe(
        'the name of the object (redis based on URL) was undeterminable: name must be provided',
      );
    });

    it.each([
      ['the method', (s: SignedExchange) => ({ ...s, method: 'POST' })],
      ['the path', (s: SignedExchange) => ({ ...s, path: s.path.replace('/redis?', '/rediz?') })],
      ['a path segment added', (s: SignedExchange) => ({ ...s, path: s.path.replace('/redis?', '/redis/x?') })],
      ['a query value', (s: SignedExchange) => ({ ...s, path: s.path.replace('dryRun=All', 'dryRun=Alm') })],
      ['a query name', (s: SignedExchange) => ({ ...s, path: s.path.replace('dryRun=', 'dryRuN=') })],
      ['an added query parameter', (s: SignedExchange) => ({ ...s, path: `${s.path}&pretty=true` })],
      ['a signed header', (s: SignedExchange) => ({ ...s, headers: { ...s.headers, 'X-Custom': 'value-2' } })],
      [
        'the Host',
        (s: SignedExchange) => ({
          ...s,
          headers: { ...s.headers, host: (s.headers.host as string).replace('127.0.0.1', 'localhost') },
        }),
      ],
      ['the body', (s: SignedExchange) => ({ ...s, body: (s.body as string).replace('ClusterIP', 'ClusterIQ') })],
      [
        'the date (one second)',
        (s: SignedExchange) => ({ ...s, headers: { ...s.headers, 'X-Sdk-Date': sdkDate(NOW + 1000) } }),
      ],
      [
        'the signature',
        (s: SignedExchange) => ({
          ...s,
          headers: {
            ...s.headers,
            Authorization: (s.headers.Authorization as string).replace(/.$/, (c) => (c === '0' ? '1' : '0')),
          },
        }),
      ],
      [
        'the signature’s case',
        (s: SignedExchange) => ({
          ...s,
          headers: {
            ...s.headers,
            Authorization: (s.headers.Authorization as string).replace(
              /Signature=(\w+)/,
              (_m, sig: string) => `Signature=${sig.toUpperCase()}`,
            ),
          },
        }),
      ],
    ])('%s', async (_what, change) => {
      expectRefusal(await exchange(change(base())), 'badSignature');
    });
  });

  it('host and x-sdk-date must be signed, even when the signature matches what was signed', async () => {
    const date = sdkDate(NOW);
    for (const signedHeaders of [['x-sdk-date'], ['host']]) {
      const headers = { host: new URL(server.url).host, 'x-sdk-date': date };
      const canonical = canonicalRequest(
        { method: 'GET', rawPath: READ_PATH, rawQuery: '', headers, body: Buffer.alloc(0) },
        signedHeaders,
      );
      const authorization = `SDK-HMAC-SHA256 Access=${DEMO_ACCESS_KEY.ak}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signatureOf(canonical, date, DEMO_ACCESS_KEY.sk)}`;
      expectRefusal(
        await send(server.url, { path: READ_PATH, headers: { ...headers, authorization } }),
        'badSignature',
      );
    }
  });

  it.each([
    ['no Signature', `SDK-HMAC-SHA256 Access=${DEMO_ACCESS_KEY.ak}, SignedHeaders=host;x-sdk-date`],
    ['no Access', 'SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, Signature=00'],
  ])('a malformed Authorization (%s) is verify aksk signature fail', async (_what, authorization) => {
    expectRefusal(
      await send(server.url, { path: READ_PATH, headers: { authorization, 'x-sdk-date': sdkDate(NOW) } }),
      'badSignature',
    );
  });

  it('an X-Sdk-Date that is not YYYYMMDDTHHMMSSZ is verify aksk signature fail', async () => {
    for (const date of ['2024-06-01T12:00:00Z', '20240230T120000Z', '20240601T120060Z']) {
      const signed = sign();
      expectRefusal(await exchange({ ...signed, headers: { ...signed.headers, 'X-Sdk-Date': date } }), 'badSignature');
    }
  });

  it('an unknown AK is "ak not exist", without echoing the AK', async () => {
    const answer = await exchange(sign({}, { ak: 'NOSUCHKEY00000000000', sk: DEMO_ACCESS_KEY.sk }));
    expectRefusal(answer, 'unknownAccessKey');
    expect(answer.text).not.toContain('NOSUCHKEY');
  });

  it('a wrong SK is verify aksk signature fail', async () => {
    expectRefusal(await exchange(sign({}, { ak: DEMO_ACCESS_KEY.ak, sk: `${DEMO_ACCESS_KEY.sk}x` })), 'badSignature');
  });

  describe('the 15-minute window, on both sides of the mock’s clock', () => {
    it.each([
      ['15 minutes behind', -15 * MINUTE],
      ['15 minutes ahead', 15 * MINUTE],
    ])('%s is accepted', async (_what, offset) => {
      expect((await exchange(sign({ date: NOW + offset }))).status).toBe(200);
    });

    it.each([
      ['15 min 1 s behind', -15 * MINUTE - 1000],
      ['15 min 1 s ahead', 15 * MINUTE + 1000],
      ['a day behind', -24 * 60 * MINUTE],
    ])('%s is refused with a message about the date and time', async (_what, offset) => {
      const answer = await exchange(sign({ date: NOW + offset }));
      expectRefusal(answer, 'dateOutOfWindow');
      expect(answer.json.error_msg).toMatch(/date|time/i);
      expect(answer.json.error_msg).not.toMatch(/token/i);
    });

    it('the Date header of the refusal is the mock’s clock, so a client can measure its skew', async () => {
      const answer = await exchange(sign({ date: NOW - 20 * MINUTE }));
      expect(answer.headers.date).toBe(new Date(NOW).toUTCString());
    });
  });

  describe('a temporary key needs its security token in X-Security-Token, signed', () => {
    it('with the token, signed: served', async () => {
      expect((await exchange(sign({}, DEMO_TEMPORARY_KEY))).status).toBe(200);
    });

    it('without the token: ak not exist (no permanent key has that AK)', async () => {
      expectRefusal(
        await exchange(sign({}, { ak: DEMO_TEMPORARY_KEY.ak, sk: DEMO_TEMPORARY_KEY.sk })),
        'unknownAccessKey',
      );
    });

    it('with another token, signed: verify aksk signature fail', async () => {
      expectRefusal(
        await exchange(sign({}, { ...DEMO_TEMPORARY_KEY, securityToken: `${DEMO_TEMPORARY_KEY.securityToken}x` })),
        'badSignature',
      );
    });

    it('with the right token added after signing (not signed): verify aksk signature fail', async () => {
      const signed = sign({}, { ak: DEMO_TEMPORARY_KEY.ak, sk: DEMO_TEMPORARY_KEY.sk });
      expectRefusal(
        await exchange({
          ...signed,
          headers: { ...signed.headers, 'X-Security-Token': DEMO_TEMPORARY_KEY.securityToken },
        }),
        'badSignature',
      );
    });

    it('a permanent key sending a security token: verify aksk signature fail', async () => {
      expectRefusal(
        await exchange(sign({}, { ...DEMO_ACCESS_KEY, securityToken: DEMO_TEMPORARY_KEY.securityToken })),
        'badSignature',
      );
    });
  });

  it('a signed body over limits.maxBodyBytes is 413 APIGW.0201; one at the limit is read and verified', async () => {
    const at = sign({ method: 'POST', body: 'x'.repeat(4094), headers: { 'Content-Type': 'application/json' } });
    expect(Buffer.byteLength(at.body as string)).toBe(4096);
    expect((await exchange(at)).status).toBe(405);
    const over = sign({ method: 'POST', body: 'x'.repeat(4095), headers: { 'Content-Type': 'application/json' } });
    expectRefusal(await exchange(over), 'bodyTooLarge');
    // Without Content-Length (chunked), the limit holds as the bytes arrive.
    expectRefusal(
      await exchange({ ...over, headers: { ...over.headers, 'transfer-encoding': 'chunked' } }),
      'bodyTooLarge',
    );
    expect(authenticated(await exchange(sign()))).toBe(true);
  });
});

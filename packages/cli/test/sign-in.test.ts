// cci-svc signs in from the environment only: an AK/SK pair (Huawei Cloud SDKs' variables), an IAM
// user (CCI_IAM_*) or an IAM token (CCI_TOKEN), against the mock playing CCI (profile cci). The
// gateway's refusals are printed with their code and a hint, and no secret ever reaches the output.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ACCESS_KEY,
  DEMO_IAM_USER,
  DEMO_TEMPORARY_KEY,
  startMockServer,
  type MockServer,
} from '@cci-openapi/mock-server';
import { assertBuilt, runCli } from './helpers/run.js';

let mock: MockServer;
beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
});

const AK_SK = { HUAWEICLOUD_SDK_AK: DEMO_ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: DEMO_ACCESS_KEY.sk };
const IAM = {
  CCI_IAM_USERNAME: DEMO_IAM_USER.username,
  CCI_IAM_PASSWORD: DEMO_IAM_USER.password,
  CCI_IAM_DOMAIN: DEMO_IAM_USER.domainName,
  CCI_IAM_PROJECT: DEMO_IAM_USER.projectName,
};
const status = (env: Record<string, string>, server = mock.url) =>
  runCli(['status', 'namespace-test/redis', '--server', server, '-o', 'json'], env);

describe('cci-svc signs in from the environment', () => {
  it('with an access key pair: every request signed', async () => {
    const result = await status(AK_SK);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).metadata.name).toBe('redis');
  });

  it('with a temporary access key and its security token', async () => {
    const result = await status({
      HUAWEICLOUD_SDK_AK: DEMO_TEMPORARY_KEY.ak,
      HUAWEICLOUD_SDK_SK: DEMO_TEMPORARY_KEY.sk,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: DEMO_TEMPORARY_KEY.securityToken,
    });
    expect(result.code).toBe(0);
  });

  it("as an IAM user: the client asks the mock's IAM for a token", async () => {
    const result = await status({ ...IAM, CCI_IAM_ENDPOINT: mock.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a wrong SK: exit 4 with the gateway code, message and a hint, and no SK', async () => {
    const wrongSk = 'wrong-secret-key-0123456789abcdefghijklm';
    const result = await status({ HUAWEICLOUD_SDK_AK: DEMO_ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: wrongSk });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/APIGW\.0301: Incorrect IAM authentication information: verify aksk signature fail/);
    expect(result.stderr).toMatch(/\nhint: .*SK/);
    expect(result.stdout + result.stderr).not.toContain(wrongSk);
  });

  it('a wrong IAM password: exit 4 saying what to check, without the password', async () => {
    const result = await status({ ...IAM, CCI_IAM_PASSWORD: 'not-the-Passw0rd-at-all', CCI_IAM_ENDPOINT: mock.url });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /IAM sign-in failed: .*HTTP 401.*check iam.username, iam.password and iam.domainName/,
    );
    expect(result.stderr).not.toContain('not-the-Passw0rd-at-all');
  });

  it("a clock 20 minutes off: the gateway refuses the date, and the hint says to check this machine's clock", async () => {
    const skewed = await startMockServer({ port: 0, now: () => Date.now() + 20 * 60_000 });
    try {
      const result = await status(AK_SK, skewed.url);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/hint: .*clock/i);
    } finally {
      await skewed.close();
    }
  });

  it.each([
    [
      { ...AK_SK, CCI_TOKEN: 'iam-token-0123456789' },
      /more than one way to sign in is set \(CCI_TOKEN, HUAWEICLOUD_SDK_AK\/HUAWEICLOUD_SDK_SK\)/,
    ],
    [{ HUAWEICLOUD_SDK_AK: DEMO_ACCESS_KEY.ak }, /HUAWEICLOUD_SDK_SK is not set/],
    [{ CCI_IAM_USERNAME: 'demo-user', CCI_IAM_PASSWORD: 'pw-0123456789' }, /IAM sign-in needs CCI_IAM_DOMAIN too/],
  ])('half-given or conflicting credentials are a usage error before any request (%#)', async (env, message) => {
    const before = mock.stats().requests;
    const result = await status(env as Record<string, string>);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(mock.stats().requests).toBe(before);
  });
});

describe('no secret reaches the output', () => {
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    // A gateway (and IAM) that echoes every request header back in its refusal.
    echo = createServer((req, res) => {
      req.resume();
      const said = Object.entries(req.headers)
        .map(([name, value]) => `${name}=${String(value)}`)
        .join('|');
      if (req.url?.startsWith('/v3/auth/tokens')) {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 401, message: `refused ${body} ${encodeURIComponent(body)}` } }));
        });
        return;
      }
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': said.slice(0, 2000) });
      res.end(
        JSON.stringify({
          error_code: 'APIGW.0301',
          error_msg: `Incorrect IAM authentication information: ${said}`,
          request_id: said,
        }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  // Printable secrets (what an environment variable holds), long enough to be real ones.
  const secret = fc.stringMatching(/^[A-Za-z0-9+/=_.~-]{16,48}$/);

  it('random SKs, security tokens, passwords and tokens, echoed by the server, never show (property, every way in)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, secret, fc.constantFrom('aksk', 'iam', 'token'), async (first, second, way) => {
        const env: Record<string, string> =
          way === 'aksk'
            ? {
                HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0000000001',
                HUAWEICLOUD_SDK_SK: first,
                HUAWEICLOUD_SDK_SECURITY_TOKEN: second,
              }
            : way === 'iam'
              ? {
                  CCI_IAM_USERNAME: 'someone',
                  CCI_IAM_PASSWORD: first,
                  CCI_IAM_DOMAIN: 'acct',
                  CCI_IAM_PROJECT: 'cn-north-4',
                  CCI_IAM_ENDPOINT: echoUrl,
                }
              : { CCI_TOKEN: first };
        const result = await runCli(['status', 'namespace-test/redis', '--server', echoUrl, '--verbose'], env);
        expect(result.code).toBe(4);
        for (const value of way === 'aksk' ? [first, second] : [first]) {
          expect(result.stdout).not.toContain(value);
          expect(result.stderr).not.toContain(value);
        }
      }),
      { numRuns: 12 },
    );
  });
});

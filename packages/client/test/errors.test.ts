import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CciApiError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { errorCases } from './helpers/spec.js';

const cases = errorCases();
let server: TestServer;
beforeAll(async () => {
  // The status to answer with is the name of the requested Service: /services/s404/status → 404.
  server = await startServer((req, res) => {
    const status = Number(/services\/s(\d+)\//.exec(req.url ?? '')?.[1]);
    const found = cases.find((c) => c.status === status);
    if (found)
      return sendJson(res, status, found.example, {
        'x-request-id': `req-${status}`,
        ...(found.declaresRetryAfter && { 'retry-after': '7' }),
      });
    if (req.url?.includes('/services/audit/'))
      return sendJson(res, 403, cases.find((c) => c.status === 403)!.example, { 'audit-id': 'a1b2c3' });
    if (req.url?.includes('/services/html/')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
    }
    if (req.url?.includes('/services/retry-in-body/'))
      return sendJson(res, 429, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'TooManyRequests',
        code: 429,
        details: { retryAfterSeconds: 3 },
      });
    if (req.url?.includes('/services/http-date/')) {
      return sendJson(
        res,
        503,
        { kind: 'Status', reason: 'ServiceUnavailable', code: 503 },
        { 'retry-after': new Date(Date.now() + 120_000).toUTCString() },
      );
    }
    res.writeHead(500).end();
  });
});
afterAll(() => server.close());

async function failure(name: string): Promise<CciApiError> {
  const error = await clientFor(server, { retry: false })
    .readServiceStatus({ namespace: 'default', name })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CciApiError);
  return error as CciApiError;
}

describe('every error status code of the spec gives a CciApiError with the Status parsed', () => {
  it('the spec declares the expected set of error codes', () => {
    expect(cases.map((c) => c.status)).toEqual([400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 503, 504]);
  });

  it.each(cases.map((c) => [c.status, c.response, c] as const))(
    '%i %s',
    async (status, _response, { example, declaresRetryAfter }) => {
      const error = await failure(`s${status}`);
      expect(error.status).toBe(status);
      expect(error.body).toEqual(example);
      expect(error.reason).toBe(example.reason);
      expect(error.bodyText).toBeUndefined();
      expect(error.requestId).toBe(`req-${status}`);
      expect(error.retryAfter).toBe(declaresRetryAfter ? 7 : example.details?.retryAfterSeconds);
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain(example.message ?? '');
      expect(error.message).toContain(`request id req-${status}`);
      expect(error.name).toBe('CciApiError');
    },
  );
});

describe('other error bodies and headers', () => {
  it('keeps an HTML error page as bodyText', async () => {
    const error = await failure('html');
    expect(error.status).toBe(502);
    expect(error.body).toBeUndefined();
    expect(error.bodyText).toContain('<h1>502 Bad Gateway</h1>');
    expect(error.reason).toBe('Bad Gateway');
    expect(error.message).toMatch(/HTTP 502 Bad Gateway: non-Status body \(text\/html, \d+ characters\)/);
  });

  it('takes the request id from kube-apiserver’s audit-id header', async () => {
    expect((await failure('audit')).requestId).toBe('a1b2c3');
  });

  it('takes retryAfter from Status.details.retryAfterSeconds when there is no header', async () => {
    expect((await failure('retry-in-body')).retryAfter).toBe(3);
  });

  it('reads an HTTP-date Retry-After as seconds from now', async () => {
    const { retryAfter } = await failure('http-date');
    expect(retryAfter).toBeGreaterThan(100);
    expect(retryAfter).toBeLessThanOrEqual(121);
  });

  it('an error without a body still has status and reason', async () => {
    const error = await failure('unknown');
    expect(error.status).toBe(500);
    expect(error.message).toContain('empty body');
  });
});

// Redaction covers every field of every error: a server on 127.0.0.1 that echoes the token it got
// everywhere it can — the HTTP reason phrase, Status.reason and message, X-Request-Id, the body —
// must not get it into anything a logger prints about the error.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type CciApiError, createCciClient, isCciError } from '../src/index.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Everything a logger might print about an error. */
const everythingAbout = (error: unknown) =>
  [
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    String(error),
    (error as Error).stack,
  ].join('\n');

async function failureWith(
  token: string,
  answer: (res: import('node:http').ServerResponse, token: string) => void,
): Promise<CciApiError> {
  server = await startServer((req, res) => answer(res, String(req.headers['x-auth-token'])));
  const client = createCciClient({ baseUrl: server.url, token, retry: false });
  const error = await client.readServiceStatus({ namespace: 'default', name: 'redis' }).catch((e: unknown) => e);
  expect(isCciError(error, 'api')).toBe(true);
  return error as CciApiError;
}

const TOKEN = 'echo-token-7Hq2ZxLp0vWc';

describe('a server that echoes the token everywhere', () => {
  it('Status body: reason phrase, Status.reason, message, request id — all redacted', async () => {
    const error = await failureWith(TOKEN, (res, token) => {
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: `Bad${token}`,
        message: `token ${token} expired`,
        code: 401,
        details: { name: token },
      });
      res
        .writeHead(401, `Denied ${token}`, { 'content-type': 'application/json', 'x-request-id': `req-${token}` })
        .end(body);
    });
    const text = everythingAbout(error);
    expect(text).not.toContain(TOKEN);
    expect(error.reason).toBe('Bad[REDACTED]');
    expect(error.requestId).toBe('req-[REDACTED]');
    expect(error.body?.message).toBe('token [REDACTED] expired');
    expect(error.body?.details?.name).toBe('[REDACTED]');
  });

  it('non-Status body: the HTTP reason phrase and the body text are redacted', async () => {
    const error = await failureWith(TOKEN, (res, token) => {
      res
        .writeHead(502, `Gateway ${token}`, { 'content-type': 'text/html', 'x-request-id': token })
        .end(`<pre>${token}</pre>`);
    });
    expect(everythingAbout(error)).not.toContain(TOKEN);
    expect(error.reason).toBe('Gateway [REDACTED]');
    expect(error.requestId).toBe('[REDACTED]');
    expect(error.bodyText).toBe('<pre>[REDACTED]</pre>');
  });

  it('a token straddling the 8 KiB cut of bodyText leaves no part behind', async () => {
    const error = await failureWith(TOKEN, (res, token) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end(`${'x'.repeat(8 * 1024 - 10)}${token}${'y'.repeat(100)}`);
    });
    const text = everythingAbout(error);
    // Neither half of the token: the cut happens after redaction.
    expect(text).not.toContain(TOKEN.slice(0, 10));
    expect(text).not.toContain(TOKEN.slice(10));
    expect(error.bodyText?.length).toBe(8 * 1024);
  });

  it('a token with " and \\ is redacted in its JSON-escaped form too', async () => {
    const token = 'quote"back\\slash-token-123';
    const error = await failureWith(token, (res, echoed) => {
      // JSON, but not a Status: kept as text, where the token appears JSON-escaped.
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `bad token ${echoed}` }));
    });
    const text = everythingAbout(error);
    expect(text).not.toContain(token);
    expect(text).not.toContain(JSON.stringify(token).slice(1, -1));
    expect(text).not.toContain('back');
    expect(error.bodyText).toBe('{"error":"bad token [REDACTED]"}');
  });

  it('a Status nested 5,000 levels deep is a CciApiError that JSON.stringify and inspect can print', async () => {
    const deep = `{"kind":"Status","reason":"Deep","message":"m","code":500,"details":${'{"a":'.repeat(5000)}"${TOKEN}"${'}'.repeat(5000)}}`;
    const error = await failureWith(TOKEN, (res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(deep);
    });
    expect(error.reason).toBe('Deep');
    const text = everythingAbout(error);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[nested too deep]');
  });
});

describe('the same without a token', () => {
  it('a Status nested 5,000 levels deep does not throw a RangeError either', async () => {
    const deep = `{"kind":"Status","reason":"Deep","code":500,"details":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    server = await startServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(deep));
    const error = await createCciClient({ baseUrl: server.url, retry: false })
      .readServiceStatus({ namespace: 'a', name: 'b' })
      .catch((e: unknown) => e);
    expect(isCciError(error, 'api')).toBe(true);
    expect(() => JSON.stringify(error)).not.toThrow();
  });
});

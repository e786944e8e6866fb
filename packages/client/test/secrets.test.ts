import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciInputError, createCciClient } from '../src/index.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
afterEach(() => server.close());

/** Everything a logger might print about an error. */
function everythingAbout(error: unknown): string {
  const e = error as Error;
  return [e.message, e.stack, JSON.stringify(error), String(error), JSON.stringify(Object.entries(e))].join('\n');
}

describe('secrets never appear in errors', () => {
  it('a server echoing the token in a Status message or an HTML page: redacted', async () => {
    server = await startServer((req, res, index) => {
      const token = String(req.headers['x-auth-token']);
      if (index === 0) {
        return sendJson(res, 401, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Unauthorized',
          code: 401,
          message: `token ${token} is expired`,
        });
      }
      res.writeHead(502, { 'content-type': 'text/html' }).end(`<pre>X-Auth-Token: ${token}</pre>`);
    });
    const client = clientFor(server);
    for (let i = 0; i < 2; i++) {
      const error = await client.readServiceStatus({ namespace: 'default', name: 'redis' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CciApiError);
      const text = everythingAbout(error);
      expect(text).not.toContain(TOKEN);
      expect(text).toContain('[REDACTED]');
    }
  });

  it('a token from getToken is redacted too', async () => {
    const fresh = 'fresh-iam-token-0123456789';
    server = await startServer((_req, res) =>
      sendJson(res, 403, { kind: 'Status', reason: 'Forbidden', code: 403, message: `${fresh} may not` }),
    );
    const error = await clientFor(server, { getToken: () => fresh })
      .readServiceStatus({ namespace: 'default', name: 'redis' })
      .catch((e: unknown) => e);
    expect(everythingAbout(error)).not.toContain(fresh);
    expect((error as CciApiError).body?.message).toBe('[REDACTED] may not');
  });

  it('an invalid token is named by position, never quoted', async () => {
    server = await startServer(() => undefined);
    const bad = 'secret-token-value\r\nX-Evil: 1';
    const thrown = (() => {
      try {
        createCciClient({ baseUrl: server.url, token: bad });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(CciInputError);
    expect((thrown as Error).message).toContain('U+000D at index 18');
    expect(everythingAbout(thrown)).not.toContain('secret-token-value');
    const rejected = await createCciClient({ baseUrl: server.url, getToken: () => bad })
      .readServiceStatus({ namespace: 'a', name: 'b' })
      .catch((e: unknown) => e);
    expect(everythingAbout(rejected)).not.toContain('secret-token-value');
    expect(server.requests).toHaveLength(0);
  });

  it('network and timeout errors carry no headers', async () => {
    server = await startServer((req, _res, index) => (index === 0 ? req.socket.destroy() : undefined));
    const client = clientFor(server, { retry: false, timeoutMs: 100 });
    for (let i = 0; i < 2; i++) {
      const error = await client.readServiceStatus({ namespace: 'default', name: 'redis' }).catch((e: unknown) => e);
      expect(everythingAbout(error)).not.toContain(TOKEN);
      expect(everythingAbout((error as Error).cause ?? '')).not.toContain(TOKEN);
    }
  });
});

// Bad input to the mock over raw TCP: it answers with a Status body or closes the connection, and
// keeps serving other clients.
import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { rawExchange, request, statusPath } from './helpers/http.js';
import { serviceProblems, statusProblems } from './helpers/spec.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    limits: { maxHeaderSize: 8 * 1024, headersTimeoutMs: 500, requestTimeoutMs: 1_000 },
  });
});
afterAll(() => server.close());

const get = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: mock-token\r\n${extra}Connection: close\r\n\r\n`;

async function expectStillServing() {
  const answer = await request(server.url + statusPath('namespace-test', 'redis'));
  expect(answer.status).toBe(200);
}

describe('malformed requests', () => {
  it.each([
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
    ['a request line without a version', 'GET /\r\n\r\n'],
    ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n'],
    ['a space inside the target', 'GET /api/v1/name spaces HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a control character in the target', 'GET /api/\x01 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['binary garbage', Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10])],
    ['a bad Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
  ])('%s → 400 Status, connection closed', async (_what, payload) => {
    const exchange = await rawExchange(server.url, payload);
    expect(exchange.closed).toBe(true);
    expect(exchange.status).toBe(400);
    expect(statusProblems(exchange.body)).toEqual([]);
    expect(exchange.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    await expectStillServing();
  });

  // Go's HTTP server refuses a path it cannot unescape itself, before kube-apiserver sees it: plain
  // text, connection closed (checked against kube-apiserver v1.20 by the contract suite).
  it.each([
    ['an invalid percent-escape', get(statusPath('namespace-test', 'red%ZZis'))],
    ['a lone "%" at the end', get(`${statusPath('namespace-test', 'redis')}%`)],
  ])('%s → plain-text "400 Bad Request", as Go answers', async (_what, payload) => {
    const exchange = await rawExchange(server.url, payload);
    expect(exchange.status).toBe(400);
    expect(exchange.received).toMatch(/\r\ncontent-type: text\/plain; charset=utf-8\r\n/i);
    expect(exchange.received.endsWith('\r\n\r\n400 Bad Request')).toBe(true);
    expect(exchange.closed).toBe(true);
    await expectStillServing();
  });

  it.each([
    ['a target that is not a path', get('redis')],
    ['the asterisk target', get('*')],
    ['no Host header', 'GET / HTTP/1.1\r\nX-Auth-Token: mock-token\r\nConnection: close\r\n\r\n'],
  ])('%s → 400 Status from the handler', async (_what, payload) => {
    const exchange = await rawExchange(server.url, payload);
    expect(exchange.status).toBe(400);
    expect(statusProblems(exchange.body)).toEqual([]);
    expect(exchange.body).toMatchObject({ reason: 'BadRequest', code: 400 });
    await expectStillServing();
  });

  it('HTTP/1.0 without Host is served (Host is required from HTTP/1.1 clients only)', async () => {
    const exchange = await rawExchange(
      server.url,
      `GET ${statusPath('namespace-test', 'redis')} HTTP/1.0\r\nX-Auth-Token: mock-token\r\n\r\n`,
    );
    expect(exchange.status).toBe(200);
    expect(serviceProblems(exchange.body)).toEqual([]);
  });

  it('undecodable UTF-8 in a name (%C3%28) → 400, not a crash', async () => {
    const exchange = await rawExchange(server.url, get(statusPath('namespace-test', '%C3%28')));
    expect(exchange.status).toBe(400);
    expect(statusProblems(exchange.body)).toEqual([]);
  });

  it('an invalid escape in the query only drops that parameter', async () => {
    const exchange = await rawExchange(server.url, get(`${statusPath('namespace-test', 'redis')}?pretty=%zz&x=1`));
    expect(exchange.status).toBe(200);
    expect(serviceProblems(exchange.body)).toEqual([]);
  });

  it('an absolute-form target is served like its path', async () => {
    const exchange = await rawExchange(server.url, get(`http://127.0.0.1${statusPath('namespace-test', 'redis')}`));
    expect(exchange.status).toBe(200);
  });

  it('a dot-segment name is refused as kube-apiserver refuses it', async () => {
    const exchange = await rawExchange(server.url, get(statusPath('namespace-test', '..')));
    expect(exchange.status).toBe(400);
    expect(exchange.body.message).toBe(`Name parameter invalid: "..": may not be '..'`);
  });
});

describe('oversized requests', () => {
  it('a header larger than maxHeaderSize → 431 Status, connection closed', async () => {
    const exchange = await rawExchange(
      server.url,
      get(statusPath('namespace-test', 'redis'), `X-Big: ${'a'.repeat(9 * 1024)}\r\n`),
    );
    expect(exchange.closed).toBe(true);
    expect(exchange.status).toBe(431);
    expect(statusProblems(exchange.body)).toEqual([]);
    expect(exchange.body).toMatchObject({ kind: 'Status', code: 431, reason: 'RequestEntityTooLarge' });
    await expectStillServing();
  });

  it('many headers adding up past the limit → 431', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(20)}\r\n`).join('');
    expect((await rawExchange(server.url, get('/', many))).status).toBe(431);
  });

  it('a huge URL → 431, never buffered without bound', async () => {
    const exchange = await rawExchange(server.url, get(`/${'x'.repeat(64 * 1024)}`));
    expect(exchange.status).toBe(431);
    await expectStillServing();
  });
});

describe('slow clients (slowloris)', () => {
  /** A connection that sends its request head one header every `gapMs`, never finishing it. */
  function trickle(gapMs: number): Promise<{ closed: boolean; received: string }> {
    const { port } = new URL(server.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      let sent = 0;
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(sent++ === 0 ? 'GET / HTTP/1.1\r\nHost: x\r\n' : `X-Slow-${sent}: y\r\n`);
      }, gapMs);
      // A bound far beyond the server's timeouts: reaching it means the server let the client hang.
      const giveUp = setTimeout(() => finish(false), 15_000);
      const finish = (closed: boolean) => {
        clearInterval(timer);
        clearTimeout(giveUp);
        socket.destroy();
        resolve({ closed, received });
      };
      socket.on('data', (d) => (received += d.toString()));
      socket.on('close', () => finish(true));
      socket.on('error', () => finish(true));
    });
  }

  it('drops connections that never finish their headers, while serving others', async () => {
    const slow = Array.from({ length: 20 }, () => trickle(100));
    // Others are served while the slow clients hang on.
    for (let i = 0; i < 5; i += 1) await expectStillServing();
    const outcomes = await Promise.all(slow);
    for (const outcome of outcomes) {
      expect(outcome.closed).toBe(true);
      // Node answers 408 with our Status body when it can still write; otherwise it just closes.
      if (outcome.received) expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect(server.stats().clientErrors).toBeGreaterThanOrEqual(20);
    await expectStillServing();
  });

  it('drops an idle connection that sends nothing', async () => {
    const exchange = await rawExchange(server.url, [], { timeoutMs: 15_000 });
    expect(exchange.closed).toBe(true);
    await expectStillServing();
  });

  it('drops a request whose body never completes', async () => {
    const exchange = await rawExchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc', {
      timeoutMs: 15_000,
    });
    expect(exchange.closed).toBe(true);
    await expectStillServing();
  });
});

describe('arbitrary path segments (property)', () => {
  it('any namespace/name bytes get a Status or a Service valid against the spec, or a closed connection', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        async (namespace, name) => {
          const payload = Buffer.from(get(`/api/v1/namespaces/${namespace}/services/${name}/status`), 'utf8');
          const exchange = await rawExchange(server.url, payload, { untilResponse: true });
          if (exchange.status === undefined) {
            expect(exchange.closed).toBe(true);
            return;
          }
          const problems = exchange.status === 200 ? serviceProblems(exchange.body) : statusProblems(exchange.body);
          expect(problems).toEqual([]);
          expect([200, 400, 404, 431]).toContain(exchange.status);
        },
      ),
      { numRuns: 150 },
    );
    await expectStillServing();
  });
});

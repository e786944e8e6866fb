// The node:http wire hands http.request an options object (host and path) instead of the URL
// string when the URL parser would not change the path (src/wire/request-target.ts): half the
// instructions of a keep-alive GET go to parsing and copying the URL's fields otherwise. What a
// server receives must be the same either way: proved here against http.request(url) itself.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as url from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeWire } from '../src/wire/node-wire.js';
import { exchangeText } from './helpers/wire.js';
import { createTargetParser } from '../src/wire/request-target.js';

interface Seen {
  method: string;
  target: string;
  host: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A real server on `host` that records the request line and Host header of every request. */
async function recordingServer(host: string): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method!, target: req.url!, host: req.headers.host! });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, seen };
}

/** What a server receives from `http.request(href)`, node:http's own reading of the URL. */
function sendWithUrlString(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(href, { method: 'GET' }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function sendWithWire(wire: ReturnType<typeof createNodeWire>, href: string): Promise<void> {
  await exchangeText(wire!.wire, { method: 'GET', url: href, headers: {} }, 1024);
}

// Paths and queries as an operation, a redirect or client.GET may produce them. `fast` says
// whether the options object is used; the rest go to node:http as URL strings.
const SUFFIXES: Array<{ suffix: string; fast: boolean }> = [
  { suffix: '/api/v1/namespaces/default/services/web/status', fast: true },
  { suffix: '/api/v1/namespaces/a%2Fb/services?labelSelector=app%3Dweb%2Ctier&limit=5', fast: true },
  { suffix: '/p/a:b@c!$&()*+,;=-._~/x?q=/?:@!$&()*+,;=', fast: true },
  { suffix: '/', fast: true },
  { suffix: '/a/../b', fast: false },
  { suffix: '/a/./b', fast: false },
  { suffix: '/a/%2e%2E/b', fast: false },
  { suffix: '/a/.%2e', fast: false },
  { suffix: '/a b?c d', fast: false },
  { suffix: '/a"b<c>d`e{f}g|h^', fast: false },
  { suffix: "/q?it's", fast: false },
  { suffix: '/a\\b', fast: false },
  { suffix: '/caf\u00e9?x=\u00fc', fast: false },
  { suffix: '/a#fragment', fast: false },
  { suffix: '/a?b#c', fast: false },
];

describe('the request target of the node:http wire', () => {
  it.each(['127.0.0.1', '::1'])(
    'reaches a server on %s with the request line and Host header of http.request(url)',
    async (host) => {
      const server = await recordingServer(host);
      const parse = createTargetParser(url);
      const wire = createNodeWire();
      closers.push(async () => wire!.close());
      for (const { suffix, fast } of SUFFIXES) {
        const href = server.origin + suffix;
        expect(parse(href) !== undefined, href).toBe(fast);
        await sendWithUrlString(href);
        await sendWithWire(wire, href);
        const [expected, actual] = server.seen.splice(0);
        expect(actual, href).toEqual(expected);
      }
    },
  );

  it('reads the origin with the URL parser: default port, host case, IPv6 brackets', () => {
    const parse = createTargetParser(url);
    expect(parse('http://Example.COM:80/x?y=1')).toEqual({
      protocol: 'http:',
      hostname: 'example.com',
      port: undefined,
      path: '/x?y=1',
    });
    expect(parse('https://cci.cn-north-4.myhuaweicloud.com:443/api/v1')).toEqual({
      protocol: 'https:',
      hostname: 'cci.cn-north-4.myhuaweicloud.com',
      port: undefined,
      path: '/api/v1',
    });
    expect(parse('https://[::1]:5443/api')).toEqual({ protocol: 'https:', hostname: '::1', port: 5443, path: '/api' });
  });

  it('leaves to node:http what it alone should read: user info, other schemes, no path', () => {
    const parse = createTargetParser(url);
    expect(parse('http://user:secret@127.0.0.1:1/x')).toBeUndefined();
    expect(parse('http://127.0.0.1:1\\@evil/x')).toBeUndefined();
    expect(parse('HTTP://127.0.0.1:1/x')).toBeUndefined();
    expect(parse('ftp://127.0.0.1/x')).toBeUndefined();
    expect(parse('http://127.0.0.1:1')).toBeUndefined();
    expect(parse('http://127.0.0.1:1?x')).toBeUndefined();
    expect(parse('http://127.0.0.1:99999/x')).toBeUndefined();
  });
});

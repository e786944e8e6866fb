// cci-svc against servers that misbehave or attack: the built CLI as a subprocess, real HTTP
// servers on 127.0.0.1. Each case is a finding of the hardening round.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { assertBuilt, bin, runCli } from './helpers/run.js';

const TOKEN = 'hardening-token-4f9a';
/** Any character that can act on a terminal or reorder text, except the line feed. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const EVIL = '\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202egnp.exe\u2066';

interface Scripted {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** A server answering every request with `answer`; counts the requests. */
async function scriptedServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Scripted> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

let mock: MockServer;
beforeAll(async () => {
  assertBuilt();
  mock = await startMockServer({ port: 0, tokens: [TOKEN] });
});
afterAll(() => mock?.close());

describe('terminal escapes', () => {
  it('a Service full of escape sequences prints escaped, in the table and in -o json/yaml', async () => {
    const server = await scriptedServer((_req, res) =>
      json(res, 200, {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: `web${EVIL}`, namespace: 'ns' },
        spec: { type: `ClusterIP${EVIL}`, clusterIP: `10.0.0.1${EVIL}` },
        status: {},
      }),
    );
    try {
      for (const output of ['table', 'json', 'yaml']) {
        const result = await runCli(['status', 'ns/web', '--server', server.url, '-o', output], { CCI_TOKEN: TOKEN });
        expect(result.code).toBe(0);
        expect(result.stdout).not.toMatch(RAW_CONTROL);
        // \x1b in the table, \u001b in JSON, \e in YAML: visible, never the raw ESC.
        expect(result.stdout).toMatch(/\\(x1b|u001b|e)\[2J/);
      }
    } finally {
      await server.close();
    }
  });

  it('a Status reason and message with escape sequences reach stderr escaped', async () => {
    const server = await scriptedServer((_req, res) =>
      json(res, 404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: `NotFound${EVIL}`,
        message: `gone${EVIL}\nforged line`,
        code: 404,
      }),
    );
    try {
      const result = await runCli(['status', 'ns/web', '--server', server.url], { CCI_TOKEN: TOKEN });
      expect(result.code).toBe(3);
      expect(result.stderr).not.toMatch(RAW_CONTROL);
      expect(result.stderr).toContain('NotFound\\x1b[2J');
    } finally {
      await server.close();
    }
  });
});

describe('output', () => {
  it('-o json into a reader that has gone away (| head -c100) ends quietly with exit 0', async () => {
    const child = spawn(process.execPath, [bin, 'status', 'namespace-test/redis', '--server', mock.url, '-o', 'json'], {
      env: { PATH: process.env.PATH ?? '', CCI_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader closes its end before cci-svc writes: every write gets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it.each([['table'], ['json'], ['yaml']])(
    'a 200 Service without spec or status still prints (-o %s)',
    async (output) => {
      const server = await scriptedServer((_req, res) =>
        json(res, 200, { kind: 'Service', apiVersion: 'v1', metadata: { name: 'bare', namespace: 'ns' } }),
      );
      try {
        const result = await runCli(['status', 'ns/bare', '--server', server.url, '-o', output], { CCI_TOKEN: TOKEN });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        if (output === 'table')
          expect(result.stdout).toBe(
            [
              'Service:                ns/bare',
              'Type:                   ClusterIP',
              'Cluster IP:             <none>',
              'Ports:                  <none>',
              'Load-balancer ingress:  <none>',
              '',
            ].join('\n'),
          );
        else expect(result.stdout).toContain('bare');
      } finally {
        await server.close();
      }
    },
  );

  it('a sparse LoadBalancer with --wait-for-ingress polls instead of crashing (the server refuses the watch: 405)', async () => {
    let polls = 0;
    const server = await scriptedServer((req, res) => {
      if (!req.url?.includes('/status')) {
        json(res, 405, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'MethodNotAllowed',
          message: 'no watch here\u001b[2J',
          code: 405,
        });
        return;
      }
      polls += 1;
      const status = polls >= 3 ? { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } } : undefined;
      json(res, 200, {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'lb', namespace: 'ns' },
        spec: { type: 'LoadBalancer' },
        ...(status && { status }),
      });
    });
    try {
      const result = await runCli(
        ['status', 'ns/lb', '--server', server.url, '--wait-for-ingress', '--interval', '50ms', '--timeout', '20s'],
        {
          CCI_TOKEN: TOKEN,
        },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Load-balancer ingress:  192.0.2.7');
      // The client's fallback from the watch to polling, said on a line of its own.
      expect(result.stderr).toContain('the server refused the watch (405 MethodNotAllowed): polling instead\n');
      expect(polls).toBeGreaterThanOrEqual(3);
    } finally {
      await server.close();
    }
  });
});

describe('secrets', () => {
  it.each([
    ['http://u:SECRET-PASSWORD@['],
    ['http://user:SECRET-PASSWORD@127.0.0.1:1/x y'],
    ['ftp://user:SECRET-PASSWORD@example.invalid/'],
    ['http://u:SECRET@['],
  ])('--server %j is refused without echoing its credentials', async (server) => {
    // Unparseable or not http(s): the CLI's message; a valid URL with credentials: the client's.
    const message = /--server must be an http\(s\) URL|baseUrl must not contain credentials/;
    for (const [args, env] of [
      [['--server', server], {}],
      [[`--server=${server}`], {}],
      [[], { CCI_SERVER: server }],
    ] as const) {
      const result = await runCli(['status', 'ns/web', ...args], { CCI_TOKEN: TOKEN, ...env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('SECRET');
    }
  });

  it('a token shorter than 8 characters is refused, and does not blank the letters of the output', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--server', mock.url], { CCI_TOKEN: 'e' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'cci-svc: CCI_TOKEN is 1 character long: a token has at least 8 (IAM tokens have thousands). Is it the right variable?\n',
    );
  });
});

describe('--timeout bounds the whole command', () => {
  it('a gateway answering 429 with Retry-After: 20 does not stretch --timeout 2s', async () => {
    const server = await scriptedServer((_req, res) =>
      json(
        res,
        429,
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429 },
        { 'retry-after': '20' },
      ),
    );
    try {
      const started = Date.now();
      const result = await runCli(['status', 'ns/web', '--server', server.url, '--timeout', '2s'], {
        CCI_TOKEN: TOKEN,
      });
      const elapsed = Date.now() - started;
      expect(result.code).toBe(5);
      expect(result.stderr).toBe('cci-svc: ns/web: no result within 2s (--timeout), retries and waits included.\n');
      // Not a wall-clock assertion on a busy machine: only that the 20 s Retry-After wait was cut short.
      expect(elapsed).toBeLessThan(15_000);
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('--interval 600h --timeout 600h (longer than a timer holds) waits instead of polling in a busy loop', async () => {
    const never = await startMockServer({ port: 0, tokens: [TOKEN], faults: { provisioning: { delayMs: 3_600_000 } } });
    const child = spawn(
      process.execPath,
      [
        bin,
        'status',
        'namespace-test/web-elb',
        '--server',
        never.url,
        '--wait-for-ingress',
        '--interval',
        '600h',
        '--timeout',
        '600h',
      ],
      {
        env: { PATH: process.env.PATH ?? '', CCI_TOKEN: TOKEN },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      // Long enough for thousands of requests if a delay overflowed the timer (it then fires after 1 ms).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // The first read and the first poll of the wait; then the wait pauses (24.8 days at most).
      expect(never.stats().requests).toBeLessThanOrEqual(3);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await never.close();
    }
  });
});

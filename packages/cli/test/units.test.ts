// The CLI's pure parts: durations, references, table rendering, progress display, redaction.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Service } from '@cci-openapi/types';
import { formatElapsed, parseDuration } from '../src/duration.js';
import { formatPort, renderService, renderTable } from '../src/format.js';
import { createProgress } from '../src/progress.js';
import { createRedactor, REDACTED, urlCredentials, withoutCredentials } from '../src/redact.js';
import { parseReference } from '../src/reference.js';
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

const spec = readSpec(typesBundlePath());
const redis: Service = spec.components.examples.ServiceRedisClusterIP.value;

describe('parseDuration', () => {
  it.each([
    ['5m', 300_000],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['10', 10_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '0', '0s', '-5s', '5 minutes', '5x', 'm', '1m-30s', 'Infinity'])('refuses %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it('formats elapsed time', () => {
    expect(formatElapsed(4_900)).toBe('4s');
    expect(formatElapsed(65_000)).toBe('1m05s');
  });
});

describe('parseReference', () => {
  it('splits namespace/name', () =>
    expect(parseReference('namespace-test/redis')).toEqual({ namespace: 'namespace-test', name: 'redis' }));
  it.each(['redis', '/redis', 'ns/', 'a/b/c', ''])('refuses %j', (text) =>
    expect(parseReference(text)).toHaveProperty('problem'),
  );
});

describe('rendering', () => {
  it('prints the page example as a table', () => {
    expect(renderTable(redis)).toBe(
      [
        'Service:                namespace-test/redis',
        'Type:                   ClusterIP',
        'Cluster IP:             10.247.212.210',
        'Ports:                  service0 8080:80/TCP',
        'Load-balancer ingress:  <none>',
        '',
      ].join('\n'),
    );
  });

  it('formats ports as port:targetPort/protocol with the node port', () => {
    expect(formatPort({ port: 80, targetPort: 8080, protocol: 'UDP', nodePort: 30080 })).toBe(
      '80:8080/UDP (nodePort 30080)',
    );
    expect(formatPort({ port: 53 })).toBe('53:53/TCP');
    expect(formatPort({ port: 80, targetPort: 'http' })).toBe('80:http/TCP');
  });

  it('shows a pending LoadBalancer, a headless Service and an ExternalName one', () => {
    const lb: Service = { ...redis, spec: { ...redis.spec, type: 'LoadBalancer' }, status: { loadBalancer: {} } };
    expect(renderTable(lb)).toContain('Load-balancer ingress:  <pending>');
    const headless: Service = { ...redis, spec: { ...redis.spec, clusterIP: 'None' } };
    expect(renderTable(headless)).toContain('Cluster IP:             None (headless)');
    const external: Service = { ...redis, spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    expect(renderTable(external)).toContain('External name:          db.example.com');
    expect(renderTable(external)).toContain('Ports:                  <none>');
  });

  it('lists every ingress and every port on its own line', () => {
    const lb: Service = {
      ...redis,
      spec: {
        ...redis.spec,
        type: 'LoadBalancer',
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }] } },
    };
    const table = renderTable(lb);
    expect(table).toContain('Ports:                  http 80:8080/TCP\n                        https 443:8443/TCP\n');
    expect(table).toContain('Load-balancer ingress:  192.0.2.10\n                        lb.example.com\n');
  });

  it('prints JSON and YAML that parse back to the Service', () => {
    expect(JSON.parse(renderService(redis, 'json'))).toEqual(redis);
    expect(YAML.parse(renderService(redis, 'yaml'))).toEqual(redis);
  });
});

describe('progress', () => {
  const stream = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, isTTY, write: (text: string) => chunks.push(text) };
  };

  it('rewrites one line with \\r on a terminal and clears it at the end', () => {
    let now = 0;
    const tty = stream(true);
    const progress = createProgress(tty, 'ns/web', () => now);
    now = 2_000;
    progress.poll();
    progress.tick();
    progress.done();
    expect(tty.chunks).toHaveLength(3);
    expect(tty.chunks[0]).toMatch(/^\r\x1b\[2K. waiting for the load-balancer ingress of ns\/web: 1 poll, 2s elapsed$/);
    expect(tty.chunks.join('')).not.toContain('\n');
    expect(tty.chunks[2]).toBe('\r\x1b[2K');
  });

  it('writes plain lines, no carriage returns, when not a terminal', () => {
    let now = 0;
    const pipe = stream(false);
    const progress = createProgress(pipe, 'ns/web', () => now);
    progress.poll();
    now = 3_000;
    progress.tick();
    progress.poll();
    progress.done();
    expect(pipe.chunks).toEqual([
      'waiting for the load-balancer ingress of ns/web: 1 poll, 0s elapsed\n',
      'waiting for the load-balancer ingress of ns/web: 2 polls, 3s elapsed\n',
    ]);
  });
});

describe('redaction', () => {
  it('hides registered secrets, also JSON-escaped and URL-encoded, and any PEM private key', () => {
    const redactor = createRedactor();
    redactor.add('s3cr3t"token/+');
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----';
    const text = `a s3cr3t"token/+ b ${JSON.stringify('s3cr3t"token/+')} c ${encodeURIComponent('s3cr3t"token/+')} d ${key}`;
    const out = redactor.redact(text);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('MHcCAQEEIB');
    expect(out.split(REDACTED)).toHaveLength(5);
  });

  it('finds and hides URL credentials, even in a URL that does not parse', () => {
    expect(urlCredentials('http://u:SECRET@[')).toEqual(['u:SECRET', 'SECRET', 'SECRET']);
    expect(urlCredentials('https://user:p%40ss@host/x')).toEqual(['user:p%40ss', 'p%40ss', 'p@ss']);
    expect(urlCredentials('http://127.0.0.1:4010')).toEqual([]);
    expect(withoutCredentials('http://u:SECRET@[')).toBe('http://[REDACTED]@[');
    expect(withoutCredentials('http://a:b@c@host/p@q')).toBe('http://[REDACTED]@host/p@q');
    expect(withoutCredentials('http://127.0.0.1:4010/a@b')).toBe('http://127.0.0.1:4010/a@b');
  });
});

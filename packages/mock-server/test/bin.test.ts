// The cci-mock command, run as a subprocess from the built dist/bin.js.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinBuilt, bin, startBin } from './helpers/bin.js';
import { request, statusPath } from './helpers/http.js';

const scratch = mkdtempSync(join(tmpdir(), 'cci-mock-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(assertBinBuilt);

describe('cci-mock', () => {
  it('prints its URL, serves, logs requests without headers, and stops cleanly on SIGINT', async () => {
    const { child, url, output } = await startBin(['--log', '--token', 'secret-token-123']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await request(url + statusPath('namespace-test', 'redis'), { token: 'secret-token-123' })).status).toBe(
      200,
    );
    expect((await request(url + statusPath('namespace-test', 'redis'))).status).toBe(401);
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    const { stdout, stderr } = output();
    expect(stderr).toContain('GET /api/v1/namespaces/namespace-test/services/redis/status 200');
    expect(stderr).toContain('GET /api/v1/namespaces/namespace-test/services/redis/status 401');
    expect(stdout + stderr).not.toContain('secret-token-123');
  });

  it('turns fault flags into fault modes', async () => {
    const { child, url } = await startBin([
      '--rate-limit',
      '0.01',
      '--rate-limit-burst',
      '1',
      '--retry-after',
      '7',
      '--transient-every',
      '1',
      '--transient-status',
      '504',
    ]);
    try {
      const first = await request(url + statusPath('namespace-test', 'redis'));
      const second = await request(url + statusPath('namespace-test', 'redis'));
      expect(first.status).toBe(504);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('7');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('hides LoadBalancer ingress with --provision-delay', async () => {
    const { child, url } = await startBin(['--provision-delay', '3600000']);
    try {
      expect((await request(url + statusPath('namespace-test', 'web-elb'))).json.status.loadBalancer).toEqual({});
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('--scoped-token limits a token to namespaces', async () => {
    const { child, url } = await startBin(['--scoped-token', 'team-token=team-a,team-b']);
    try {
      expect((await request(url + statusPath('namespace-test', 'redis'), { token: 'team-token' })).status).toBe(403);
      expect((await request(url + statusPath('team-b', 'redis'), { token: 'team-token' })).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('exits 2 naming the file and item when a fixture is invalid', () => {
    const path = join(scratch, 'bad.yaml');
    writeFileSync(
      path,
      'items:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: x, namespace: y }\n    spec: { ports: [{ port: -1 }] }\n    status: {}\n',
    );
    const result = spawnSync(process.execPath, [bin, '--port', '0', '--fixtures', path], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path}:2 item 0 (y/x) is not a valid Service: /spec/ports/0/port must be >= 1`);
  });

  it('--fixtures pointed at a .env file exits 2 naming the file and line, without its contents', () => {
    const path = join(scratch, 'some.env');
    writeFileSync(path, 'DB_USER=admin\nDB_PASSWORD: "hunter2-s3cr3t"\nAPI_TOKEN=tok-9f8e7d6c5b4a\n');
    const result = spawnSync(process.execPath, [bin, '--port', '0', '--fixtures', path], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path}:`);
    for (const secret of ['hunter2', 'tok-9f8e7d6c5b4a', 'DB_PASSWORD', 'admin'])
      expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('--generate N serves N more Services, listed over a few namespaces', async () => {
    // kube: the list spans every namespace, which the cci profile refuses.
    const { child, url } = await startBin(['--profile', 'kube', '--generate', '250']);
    try {
      const listed = await request(`${url}/api/v1/services?limit=1000`);
      expect(listed.status).toBe(200);
      expect(listed.json.items).toHaveLength(255);
      const page = await request(`${url}/api/v1/services?limit=100`);
      expect(page.json.metadata.remainingItemCount).toBe(155);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it.each([
    [['--port', 'eighty'], /option '-p, --port <port>' argument 'eighty' is invalid/],
    [['--transient-rate', '2'], /expected a number between 0 and 1/],
    [['--generate', '-1'], /option '--generate <n>' argument '-1' is invalid/],
    [['--history-size', '0'], /option '--history-size <n>' argument '0' is invalid/],
    [['--tls-cert', 'a.pem'], /--tls-cert, --tls-key and --tls-ca go together/],
  ])('refuses bad flags %j', (args, message) => {
    const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('--help lists the fault flags and examples', () => {
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const flag of [
      '--rate-limit',
      '--transient-rate',
      '--reset-every',
      '--delay',
      '--provision-delay',
      '--tls-ca',
      'Examples:',
    ])
      expect(result.stdout).toContain(flag);
  });
});

// Hardening round 3 (issue 17, mock side): a pipelining socket that never reads, --generate at its
// limits, file inputs that are not regular files, timers fed a user's huge number, the kubeconfig
// written without following symlinks, and selectors too large to evaluate. Real sockets on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../src/kubeconfig-writer.js';
import { startMockServer } from '../src/server.js';
import { assertBinBuilt, bin, startBin } from './helpers/bin.js';
import { request, statusPath } from './helpers/http.js';

const scratch = mkdtempSync(join(tmpdir(), 'cci-mock-hardening-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Resident set of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function runBin(args: string[], timeoutMs = 10_000) {
  return spawnSync(process.execPath, [bin, '--port', '0', ...args], { encoding: 'utf8', timeout: timeoutMs });
}

describe('a pipelining client that never reads (issue 17, medium 3)', () => {
  beforeAll(assertBinBuilt);

  it('keeps the mock under 500 MB of RSS and answering others while one socket pipelines LISTs against --generate 20000', async () => {
    const { child, url } = await startBin(['--profile', 'kube', '--generate', '20000']);
    const pid = child.pid as number;
    let maxRss = 0;
    let exited = false;
    child.once('exit', () => (exited = true));
    const { port } = new URL(url);
    // About 45 KB of LIST requests in one write, then nothing read.
    const one = 'GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer mock-token\r\n\r\n';
    const attack = one.repeat(Math.ceil(45_000 / one.length));
    const attacker = connect(Number(port), '127.0.0.1');
    attacker.on('error', () => {});
    attacker.pause();
    await once(attacker, 'connect');
    attacker.write(attack);
    try {
      let answered = 0;
      const deadline = Date.now() + 8_000;
      while (Date.now() < deadline && !exited) {
        maxRss = Math.max(maxRss, rssOf(pid));
        const answer = await request(`${url}${statusPath('namespace-test', 'redis')}`, {
          signal: AbortSignal.timeout(5_000),
        }).catch(() => undefined);
        if (answer?.status === 200) answered += 1;
        maxRss = Math.max(maxRss, rssOf(pid));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      console.log(
        `pipelining attack: max RSS ${(maxRss / 2 ** 20).toFixed(0)} MB, ${answered} answers to another client`,
      );
      expect(exited).toBe(false);
      expect(maxRss).toBeLessThan(500 * 2 ** 20);
      expect(answered).toBeGreaterThan(5);
    } finally {
      attacker.destroy();
      if (!exited) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
  }, 20_000);

  it('still answers pipelined requests in order when the client reads', async () => {
    const server = await startMockServer({ profile: 'kube' });
    try {
      const { port } = new URL(server.url);
      const paths = ['redis', 'web-elb', 'redis', 'nope', 'redis'];
      const payload = paths
        .map(
          (name) =>
            `GET ${statusPath('namespace-test', name)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token\r\n\r\n`,
        )
        .join('');
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(payload);
      let received = '';
      socket.setEncoding('utf8').on('data', (data: string) => (received += data));
      const deadline = Date.now() + 5_000;
      while ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length < paths.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
      expect((received.match(/HTTP\/1\.1 (\d{3})/g) ?? []).map((line) => line.slice(9))).toEqual([
        '200',
        '200',
        '200',
        '404',
        '200',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('--generate limits (issue 17, low 2)', () => {
  beforeAll(assertBinBuilt);

  it('serves --generate 130000 without overflowing the stack', async () => {
    const server = await startMockServer({ profile: 'kube', generate: 130_000 });
    try {
      const answer = await request(`${server.url}/api/v1/services?limit=1`);
      expect(answer.status).toBe(200);
      expect(answer.json.metadata.remainingItemCount).toBeGreaterThan(129_000);
    } finally {
      await server.close();
    }
  }, 20_000);

  it('refuses a --generate past the limit up front, with a clear message', () => {
    const result = runBin(['--generate', '300000']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--generate.*200000/);
    expect(result.stderr).not.toMatch(/call stack/i);
    return expect(startMockServer({ generate: 300_000 })).rejects.toThrow(/generate.*200000/);
  });
});

describe('file inputs (issue 17, low 3)', () => {
  beforeAll(assertBinBuilt);

  it('refuses -f /dev/zero at once, as not a regular file', () => {
    const started = Date.now();
    const result = runBin(['-f', '/dev/zero']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\/dev\/zero.*not a regular file/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a FIFO given as fixtures or as a TLS file instead of hanging', () => {
    const fifo = join(scratch, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const args of [
      ['-f', fifo],
      ['--tls-cert', fifo, '--tls-key', fifo, '--tls-ca', fifo],
    ]) {
      const result = runBin(args, 5_000);
      expect(result.signal).toBeNull();
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/not a regular file \(a FIFO\)/);
    }
  });

  it('refuses a fixtures file larger than the cap', () => {
    const big = join(scratch, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(65 * 1024 * 1024)}\n`);
    const result = runBin(['-f', big]);
    rmSync(big);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/larger than the \d+-byte limit/);
  });
});

describe('timers fed a user number (issue 17, low 4)', () => {
  beforeAll(assertBinBuilt);

  it('holds an answer back with --delay 3000000000 instead of answering after 1 ms', async () => {
    const { child, url } = await startBin(['--delay', '3000000000']);
    try {
      const answer = await request(`${url}${statusPath('namespace-test', 'redis')}`, {
        signal: AbortSignal.timeout(1_000),
      }).catch((error: Error) => error.name);
      expect(answer).toBe('TimeoutError');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('clamps a huge BOOKMARK interval instead of sending bookmarks every 1 ms', async () => {
    const server = await startMockServer({ profile: 'kube', watch: { bookmarkIntervalMs: 3_000_000_000 } });
    try {
      const controller = new AbortController();
      const response = await fetch(
        `${server.url}/api/v1/namespaces/namespace-test/services?watch=true&allowWatchBookmarks=true`,
        {
          headers: { authorization: 'Bearer mock-token' },
          signal: controller.signal,
        },
      );
      const reader = response.body!.getReader();
      let text = '';
      const stop = setTimeout(() => controller.abort(), 300);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      } catch {
        // aborted
      }
      clearTimeout(stop);
      expect(text).not.toContain('BOOKMARK');
    } finally {
      await server.close();
    }
  });
});

describe('--write-kubeconfig (issue 17, low 5)', () => {
  beforeAll(assertBinBuilt);

  it('does not follow a symlink planted at the temporary name', () => {
    const dir = mkdtempSync(join(scratch, 'kc-'));
    const target = join(dir, 'mock.kubeconfig');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    // The name today's writer used: predictable from the pid.
    symlinkSync(victim, join(dirname(target), `.${basename(target)}.${process.pid}.tmp`));
    writeKubeconfig(target, { server: 'https://127.0.0.1:1', token: 'tok' });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toContain('token: tok');
  });

  it('refuses to write through a symlink planted at the target, or to replace a file, unless told to', () => {
    const dir = mkdtempSync(join(scratch, 'kc-'));
    const target = join(dir, 'mock.kubeconfig');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, target);
    expect(() => writeKubeconfig(target, { server: 'https://127.0.0.1:1', token: 'tok' })).toThrow(/exists/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    rmSync(target);
    writeFileSync(target, 'old\n');
    expect(() => writeKubeconfig(target, { server: 'https://127.0.0.1:1', token: 'tok' })).toThrow(/exists/);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    writeKubeconfig(target, { server: 'https://127.0.0.1:1', token: 'tok' }, { force: true });
    expect(readFileSync(target, 'utf8')).toContain('token: tok');
    // --force replaces a symlink itself, never the file it points to.
    rmSync(target);
    symlinkSync(victim, target);
    writeKubeconfig(target, { server: 'https://127.0.0.1:1', token: 'tok' }, { force: true });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(existsSync(victim)).toBe(true);
  });

  it('cci-mock refuses an existing --write-kubeconfig file without --force, and replaces it with --force', async () => {
    const dir = mkdtempSync(join(scratch, 'kc-'));
    const target = join(dir, 'mock.kubeconfig');
    writeFileSync(target, 'old\n');
    const refused = runBin(['--profile', 'kube', '--write-kubeconfig', target], 20_000);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists.*--force/);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    const { child } = await startBin(['--profile', 'kube', '--write-kubeconfig', target, '--force'], (stdout) =>
      stdout.includes('kubeconfig written'),
    );
    child.kill('SIGTERM');
    await once(child, 'exit');
    expect(readFileSync(target, 'utf8')).toContain('token: mock-token');
  }, 30_000);
});

describe('selector size (issue 17, low 9)', () => {
  it('answers a 1,500-term label selector with 400 BadRequest at once, and normal selectors as before', async () => {
    // A head large enough to carry the selector (the default 16 KiB would answer 431 first).
    const server = await startMockServer({ profile: 'kube', generate: 20_000, limits: { maxHeaderSize: 64 * 1024 } });
    try {
      const selector = Array.from({ length: 1_500 }, (_, i) => `k${i}!=v`).join(',');
      // A first request pays for the process's warm-up (about 200 ms here, more on a loaded machine),
      // which is not what this measures.
      expect((await request(`${server.url}/api/v1/services?limit=1`)).status).toBe(200);
      const started = performance.now();
      const answer = await request(`${server.url}/api/v1/services?labelSelector=${encodeURIComponent(selector)}`, {
        headers: { authorization: 'Bearer mock-token' },
        token: null,
      });
      const elapsed = performance.now() - started;
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
      expect(answer.json.message).toMatch(/at most 100\b/);
      expect(elapsed).toBeLessThan(300);
      const fields = Array.from({ length: 150 }, (_, i) => `metadata.name!=n${i}`).join(',');
      expect(
        (await request(`${server.url}/api/v1/services?fieldSelector=${encodeURIComponent(fields)}&limit=1`)).status,
      ).toBe(400);
      const normal = await request(
        `${server.url}/api/v1/services?labelSelector=${encodeURIComponent('app=web,tier in (backend,frontend),!missing')}&limit=5`,
      );
      expect(normal.status).toBe(200);
      const hundred = Array.from({ length: 100 }, (_, i) => `k${i}!=v`).join(',');
      expect(
        (await request(`${server.url}/api/v1/services?labelSelector=${encodeURIComponent(hundred)}&limit=1`)).status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  }, 20_000);
});

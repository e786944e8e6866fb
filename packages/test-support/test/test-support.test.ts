import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestPki, runProcess } from '../src/index.js';

describe('createTestPki', () => {
  it('signs the server and client certificates with its CA, and the stranger with another', async () => {
    const pki = await createTestPki();
    const ca = new X509Certificate(pki.ca);
    const other = new X509Certificate(pki.otherCa);
    const server = new X509Certificate(pki.server.cert);
    const client = new X509Certificate(pki.client.cert);
    const stranger = new X509Certificate(pki.strangerClient.cert);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey) && client.verify(ca.publicKey)).toBe(true);
    expect(stranger.verify(ca.publicKey)).toBe(false);
    expect(stranger.verify(other.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(client.subject).toContain('CN=system:admin');
  });
});

describe('runProcess', () => {
  it('returns the exit code and both outputs, and feeds stdin', async () => {
    const script =
      "process.stdin.pipe(process.stdout); process.stderr.write('err'); process.stdin.on('end', () => process.exit(3));";
    await expect(runProcess(process.execPath, ['-e', script], { input: 'in' })).resolves.toEqual({
      code: 3,
      signal: null,
      stdout: 'in',
      stderr: 'err',
    });
  });

  it('kills a process that outlives its timeout and says so', async () => {
    await expect(
      runProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 500 }),
    ).rejects.toThrow(/did not exit within 500 ms/);
  });

  it('rejects when the command does not exist', async () => {
    await expect(runProcess('/nonexistent/command', [])).rejects.toThrow(/ENOENT/);
  });
});

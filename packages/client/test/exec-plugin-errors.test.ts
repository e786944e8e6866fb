// The exec credential provider on its own: what a plugin may print and how each way of failing is
// reported (typed, naming the plugin, its stderr cleaned, the token never shown), how long a
// credential and a failure are kept, and a property: whatever the token, no error path shows it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecPluginConfig } from '../src/auth/exec-config.js';
import { createExecCredentialProvider, type ExecProviderOptions } from '../src/auth/exec-plugin.js';
import { CciAuthError, CciInputError, CciTimeoutError, isCciError } from '../src/errors/classes.js';
import { execConfig, freshLog, runs, scratchDir, V1 } from './fixtures/exec-fixture.js';
import { failureOf } from './helpers/failure.js';
import { createPki } from './helpers/tls.js';
import { virtualClock } from './helpers/virtual-clock.js';

function provider(
  env: Record<string, string>,
  extra: Partial<ExecPluginConfig> = {},
  options: ExecProviderOptions = {},
) {
  const log = freshLog();
  return { log, plugin: createExecCredentialProvider(execConfig(log, env, extra), { timeoutMs: 10_000, ...options }) };
}

/** Everything an error shows: message, stack, JSON and inspect (cause included). */
const shown = (error: unknown) =>
  `${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(error)}\n${inspect(error, { depth: 5 })}`;

async function authError(env: Record<string, string>, extra: Partial<ExecPluginConfig> = {}): Promise<CciAuthError> {
  const error = await failureOf(provider(env, extra).plugin.get());
  expect(error).toBeInstanceOf(CciAuthError);
  return error as CciAuthError;
}

describe('what the plugin prints', () => {
  it('a v1 ExecCredential with a token and an expirationTimestamp', async () => {
    const { plugin } = provider(
      { EXEC_FIXTURE_TOKEN: 'v1-token-abcdefgh', EXEC_FIXTURE_EXPIRES_AT: '2030-01-02T03:04:05Z' },
      { apiVersion: V1, interactiveMode: 'Never' },
    );
    await expect(plugin.credential()).resolves.toEqual({
      token: 'v1-token-abcdefgh',
      expiresAt: Date.parse('2030-01-02T03:04:05Z'),
    });
  });

  it('a client certificate and key (PEM), checked to be a pair', async () => {
    const pki = await createPki();
    const { plugin } = provider({
      EXEC_FIXTURE_MODE: 'cert',
      EXEC_FIXTURE_CERT: pki.client.cert,
      EXEC_FIXTURE_KEY: pki.client.key,
    });
    await expect(plugin.credential()).resolves.toEqual({
      clientCertificate: { cert: pki.client.cert, key: pki.client.key },
    });
    // Alone: no token for the Authorization header (the certificate goes in the TLS handshake).
    await expect(plugin.get()).resolves.toBeUndefined();
    // Both: the token goes in the header as well.
    const both = provider({
      EXEC_FIXTURE_MODE: 'both',
      EXEC_FIXTURE_TOKEN: 'both-token-12345678',
      EXEC_FIXTURE_CERT: pki.client.cert,
      EXEC_FIXTURE_KEY: pki.client.key,
    });
    await expect(both.plugin.get()).resolves.toBe('both-token-12345678');
    const mismatched = await authError({
      EXEC_FIXTURE_MODE: 'cert',
      EXEC_FIXTURE_CERT: pki.client.cert,
      EXEC_FIXTURE_KEY: pki.strangerClient.key,
    });
    expect(mismatched.message).toMatch(/client certificate and key that are not a matching PEM pair/);
    expect(shown(mismatched)).not.toContain('PRIVATE KEY');
  });

  it.each([
    ['malformed', /printed \d+ bytes on stdout that are not JSON/],
    ['wrong-kind', /printed JSON whose kind is not ExecCredential/],
    [
      'wrong-version',
      /is configured for apiVersion client\.authentication\.k8s\.io\/v1beta1 but printed an ExecCredential of another one/,
    ],
    ['no-status', /printed an ExecCredential without a status/],
  ])('%s output is a CciAuthError that says what is wrong', async (mode, message) => {
    const error = await authError({ EXEC_FIXTURE_MODE: mode, EXEC_FIXTURE_TOKEN: 'secret-token-0123456789' });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^exec plugin \S+ /);
    expect(shown(error)).not.toContain('secret-token-0123456789');
  });

  it('an apiVersion other than the configured one is named when it looks like one', async () => {
    const error = await authError({ EXEC_FIXTURE_API_VERSION: 'client.authentication.k8s.io/v1' });
    expect(error.message).toMatch(
      /configured for apiVersion client\.authentication\.k8s\.io\/v1beta1 but printed an ExecCredential of client\.authentication\.k8s\.io\/v1\.$/,
    );
  });

  it('no token and no certificate, half a certificate, a bad expirationTimestamp, a token that cannot be a header', async () => {
    expect((await authError({ EXEC_FIXTURE_TOKEN: '' })).message).toMatch(
      /neither status\.token nor status\.clientCertificateData and clientKeyData/,
    );
    expect((await authError({ EXEC_FIXTURE_MODE: 'cert', EXEC_FIXTURE_CERT: 'x' })).message).toMatch(
      /only one of status\.clientCertificateData and status\.clientKeyData/,
    );
    expect((await authError({ EXEC_FIXTURE_EXPIRES_AT: 'tomorrow' })).message).toMatch(
      /expirationTimestamp that is not an RFC 3339 time/,
    );
    const header = await authError({ EXEC_FIXTURE_TOKEN: 'token-with\r\nX-Injected: 1' });
    expect(header.message).toMatch(/status\.token with a character not allowed in an HTTP header/);
    expect(shown(header)).not.toContain('X-Injected');
  });

  it('a plugin that exits but leaves a process holding its pipes: its output is read within 2 s of the exit', async () => {
    const { log, plugin } = provider({ EXEC_FIXTURE_MODE: 'token-and-linger' });
    const started = Date.now();
    try {
      await expect(plugin.get()).resolves.toBe('fixture-token-1');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      killStarted(runs(log)[0]?.grandchild);
    }
  });

  it('more than 1 MiB on stdout stops the plugin', async () => {
    const error = await authError({ EXEC_FIXTURE_MODE: 'huge', EXEC_FIXTURE_TOKEN: 'huge-token-0123456789' });
    expect(error.message).toMatch(/printed more than 1048576 bytes on stdout .* and was stopped/);
    expect(shown(error)).not.toContain('huge-token-0123456789');
  });
});

describe('how a failed run is reported', () => {
  it('its stderr is shown without terminal escapes, capped, with the credentials it was given cut out', async () => {
    const stderr = `\x1b[31mfatal:\x1b[0m IAM said no for --password hunter2-password and AK AKIA-0123456789\x07\n${'x'.repeat(100_000)}`;
    const error = await authError(
      { EXEC_FIXTURE_MODE: 'fail', EXEC_FIXTURE_STDERR: stderr, CCI_AK: 'AKIA-0123456789' },
      { args: [join(import.meta.dirname, 'fixtures/exec-plugin.mjs'), '--password', 'hunter2-password'] },
    );
    expect(error.message).toContain(
      'exited with status 1. Its stderr:\nfatal: IAM said no for --password [REDACTED] and AK [REDACTED]\n',
    );
    expect(error.message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(error.message.length).toBeLessThan(5_000);
    expect(error.message).toMatch(/… \(cut\)$/);
  });

  it('a plugin that writes nothing on stderr says so; one ended by a signal names it', async () => {
    expect((await authError({ EXEC_FIXTURE_MODE: 'fail' })).message).toMatch(
      /exited with status 1\. It wrote nothing on stderr\.$/,
    );
    const dir = scratchDir();
    const script = join(dir, 'plugin.sh');
    writeFileSync(script, '#!/bin/sh\nkill -TERM $$\n');
    chmodSync(script, 0o755);
    const error = await authError({}, { command: script, args: [] });
    expect(error.message).toMatch(/was ended by signal SIGTERM/);
    expect(error.exitCode).toBeUndefined();
  });

  it('a command that is not executable, or not there, names it (with the installHint)', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'plugin'), 'not a program');
    expect((await authError({}, { command: join(dir, 'plugin'), args: [] })).message).toMatch(
      /could not be started \(EACCES\)/,
    );
    const missing = await authError(
      {},
      { command: join(dir, 'missing'), args: [], installHint: 'Get it from the CCI console.' },
    );
    expect(missing.message).toBe(
      `exec plugin ${join(dir, 'missing')} is not installed (not found).\nGet it from the CCI console.`,
    );
    expect((await authError({}, { command: 'no-such-plugin-here', args: [] })).message).toMatch(
      /not found on PATH\)\. The kubeconfig gives no installHint/,
    );
  });

  it('a hang is a CciTimeoutError after timeoutMs, with what it wrote on stderr', async () => {
    // Long enough for Node to start and write on a busy machine.
    const { plugin } = provider(
      { EXEC_FIXTURE_MODE: 'hang', EXEC_FIXTURE_STDERR: 'waiting for the browser…' },
      {},
      { timeoutMs: 2_000 },
    );
    const error = await failureOf(plugin.get());
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(
      /did not finish within 2000 ms and was killed\. Its stderr:\nwaiting for the browser…$/,
    );
  });

  it('a failure is given to the callers of the next second without running the plugin again; then it runs', async () => {
    const clock = virtualClock();
    const { log, plugin } = provider({ EXEC_FIXTURE_MODE: 'fail' }, {}, { clock });
    const first = await failureOf(plugin.get());
    expect(await failureOf(plugin.get())).toBe(first);
    expect(runs(log)).toHaveLength(1);
    await clock.sleep(1_000);
    expect(await failureOf(plugin.get())).not.toBe(first);
    expect(runs(log)).toHaveLength(2);
    // Two failures in a row: a pause of 2 s.
    await clock.sleep(1_000);
    await failureOf(plugin.get());
    expect(runs(log)).toHaveLength(2);
  });
});

describe('the cache', () => {
  it('invalidate() forgets only the token it is given, and a token renewed after a 401 is not renewed again at once', async () => {
    const clock = virtualClock();
    const { log, plugin } = provider({}, {}, { clock });
    expect(await plugin.get()).toBe('fixture-token-1');
    plugin.invalidate('some-older-token');
    expect(await plugin.get()).toBe('fixture-token-1');
    plugin.invalidate('fixture-token-1');
    expect(await plugin.get()).toBe('fixture-token-2');
    plugin.invalidate('fixture-token-2');
    expect(await plugin.get()).toBe('fixture-token-2');
    await clock.sleep(10_000);
    plugin.invalidate('fixture-token-2');
    expect(await plugin.get()).toBe('fixture-token-3');
    expect(runs(log)).toHaveLength(3);
  });

  it('a certificate without a token: invalidate(undefined), what a refused request without a token reports, renews it', async () => {
    const pki = await createPki();
    const clock = virtualClock();
    const certificates = JSON.stringify([pki.client, pki.strangerClient]);
    const { log, plugin } = provider({ EXEC_FIXTURE_MODE: 'cert', EXEC_FIXTURE_CERTS: certificates }, {}, { clock });
    const heard: string[] = [];
    plugin.onCredential((credential) => heard.push(credential.clientCertificate!.cert));
    expect(await plugin.get()).toBeUndefined();
    // A token refused is not this credential's.
    plugin.invalidate('some-older-token');
    expect((await plugin.credential()).clientCertificate!.cert).toBe(pki.client.cert);
    plugin.invalidate(undefined);
    const renewed = plugin.credential();
    expect((await renewed).clientCertificate!.cert).toBe(pki.strangerClient.cert);
    // As for a token: one renewal per 401, not one per refused request.
    plugin.invalidate(undefined);
    expect((await plugin.credential()).clientCertificate!.cert).toBe(pki.strangerClient.cert);
    expect(runs(log)).toHaveLength(2);
    expect(heard).toEqual([pki.client.cert, pki.strangerClient.cert]);
  });

  it('onCredential() hears a new credential before the calls waiting for it are answered; not a cached one', async () => {
    const { plugin } = provider({});
    const order: string[] = [];
    plugin.onCredential((credential) => order.push(`heard ${credential.token}`));
    await Promise.all([
      plugin.get().then((token) => order.push(`got ${token}`)),
      plugin.get().then((token) => order.push(`got ${token}`)),
    ]);
    await plugin.get();
    expect(order).toEqual(['heard fixture-token-1', 'got fixture-token-1', 'got fixture-token-1']);
  });

  it('a token printed already expired is still kept 10 s (a plugin with a slow clock does not run per request)', async () => {
    const clock = virtualClock();
    const { log, plugin } = provider({ EXEC_FIXTURE_EXPIRES_AT: '2000-01-01T00:00:00Z' }, {}, { clock });
    await plugin.get();
    await clock.sleep(9_999);
    await plugin.get();
    expect(runs(log)).toHaveLength(1);
    await clock.sleep(1);
    await plugin.get();
    expect(runs(log)).toHaveLength(2);
  });

  it('interactiveMode Always and a bad timeout are CciInputErrors at once', () => {
    expect(() => createExecCredentialProvider(execConfig(freshLog(), {}, { interactiveMode: 'Always' }))).toThrow(
      CciInputError,
    );
    expect(() => createExecCredentialProvider(execConfig(freshLog()), { timeoutMs: 0 })).toThrow(
      /execTimeoutMs must be a positive number of ms/,
    );
    expect(() => createExecCredentialProvider(execConfig(freshLog()), { timeoutMs: 2 ** 40 })).toThrow(CciInputError);
  });

  it('after close() nothing runs', async () => {
    const { log, plugin } = provider({});
    plugin.close();
    expect(isCciError(await failureOf(plugin.get()), 'auth')).toBe(true);
    expect(runs(log)).toHaveLength(0);
  });
});

describe('the token never appears in an error', () => {
  // Tokens as IAM and service-account tokens are written (base64url, JWT dots); the T0 prefix keeps
  // one from being a word the messages use anyway.
  const tokens = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{6,80}$/).map((tail) => `T0${tail}`);
  const modes = ['fail', 'malformed', 'wrong-kind', 'wrong-version', 'no-status', 'huge', 'hang'] as const;

  it('on every error path, in the message, the stack, JSON and inspect, whatever it echoes on stderr', async () => {
    await fc.assert(
      fc.asyncProperty(tokens, fc.constantFrom(...modes), async (token, mode) => {
        const { plugin } = provider(
          {
            EXEC_FIXTURE_MODE: mode,
            EXEC_FIXTURE_TOKEN: token,
            EXEC_FIXTURE_STDERR: `got ${token} (${JSON.stringify(token)}) from IAM\n`,
          },
          {},
          { timeoutMs: mode === 'hang' ? 300 : 10_000 },
        );
        const error = await failureOf(plugin.get());
        expect(isCciError(error)).toBe(true);
        expect(shown(error)).not.toContain(token);
      }),
      { numRuns: 25 },
    );
  });
});

/** Ends a process this test's plugin left behind (by its pid, which the plugin logged). */
function killStarted(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

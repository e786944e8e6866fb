// undici is an optional peer of the client: both entries run without it (on Node the wire is
// node:http), and only a kubeconfig client given a fetch of its own needs it, for the TLS
// dispatcher; without undici that call fails with a message that says what to install.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUndici, UNDICI_MISSING_MESSAGE } from '../src/node/undici-peer.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootModules = join(packageDir, '..', '..', 'node_modules');

describe('loadUndici', () => {
  it('returns undici when it is installed', () => {
    const undici = loadUndici();
    expect(typeof undici.fetch).toBe('function');
    expect(typeof undici.Agent).toBe('function');
  });

  it('names the missing peer and keeps the loader error as cause', () => {
    const notFound = Object.assign(new Error("Cannot find module 'undici'"), { code: 'MODULE_NOT_FOUND' });
    const thrown = (() => {
      try {
        loadUndici(() => {
          throw notFound;
        });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(thrown?.message).toBe(UNDICI_MISSING_MESSAGE);
    expect(thrown?.cause).toBe(notFound);
  });

  it('passes on other failures as they are', () => {
    const broken = new SyntaxError('Unexpected token');
    expect(() =>
      loadUndici(() => {
        throw broken;
      }),
    ).toThrow(broken);
  });
});

// The built package installed in a folder whose node_modules has its dependencies but not undici.
describe.skipIf(!existsSync(join(packageDir, 'dist', 'node.js')))('the built package without undici installed', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'cci-no-undici-'));
    const installed = join(project, 'node_modules', '@cci-openapi', 'client');
    mkdirSync(installed, { recursive: true });
    cpSync(join(packageDir, 'package.json'), join(installed, 'package.json'));
    cpSync(join(packageDir, 'dist'), join(installed, 'dist'), { recursive: true });
    for (const dependency of ['openapi-fetch', 'yaml', '@cci-openapi/types']) {
      mkdirSync(dirname(join(project, 'node_modules', dependency)), { recursive: true });
      symlinkSync(join(rootModules, dependency), join(project, 'node_modules', dependency), 'dir');
    }
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const run = (type: 'module' | 'commonjs', code: string) =>
    spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], {
      cwd: project,
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.skipIf(existsSync(join(tmpdir(), 'node_modules', 'undici')))(
    'the main entry loads and builds a client, import and require',
    () => {
      const esm = run(
        'module',
        `const { createCciClient } = await import('@cci-openapi/client'); createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }); console.log('ok');`,
      );
      expect(esm.stderr).toBe('');
      expect(esm.stdout.trim()).toBe('ok');
      const cjs = run(
        'commonjs',
        `const { createCciClient } = require('@cci-openapi/client'); createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 't' }); console.log('ok');`,
      );
      expect(cjs.stderr).toBe('');
      expect(cjs.stdout.trim()).toBe('ok');
    },
  );

  it.skipIf(existsSync(join(tmpdir(), 'node_modules', 'undici')))(
    'the /node entry loads and builds a kubeconfig client; given a fetch, it asks for undici, for import and require',
    () => {
      const kubeconfig = JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      });
      const body = `createCciClientFromKubeconfig({ kubeconfig: ${kubeconfig} }); console.log('ok');
        try { createCciClientFromKubeconfig({ kubeconfig: ${kubeconfig}, fetch: globalThis.fetch }); } catch (error) { console.log(error.message); }`;
      for (const [type, code] of [
        ['module', `const { createCciClientFromKubeconfig } = await import('@cci-openapi/client/node'); ${body}`],
        ['commonjs', `const { createCciClientFromKubeconfig } = require('@cci-openapi/client/node'); ${body}`],
      ] as const) {
        const result = run(type, code);
        expect(result.stderr).toBe('');
        expect(result.stdout.trim().split('\n')).toEqual(['ok', UNDICI_MISSING_MESSAGE]);
      }
    },
  );
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/index.js';
import { exampleService } from './helpers/spec.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';

// Pay for what you call: a program that imports createCciContext and one operation function gets
// that operation's descriptor and nothing of the others'. The import is bundled with esbuild as a
// browser build would be (minified), and the bundle is searched for every other operation of the
// spec (from OPERATIONS, so a new operation is checked with no change here), then run for real.

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'cci-tree-shake-'));
const KEPT = 'readCoreV1NamespacedServiceStatus';

async function bundle(names: string[]): Promise<string> {
  const result = await build({
    stdin: {
      contents: `export { ${names.join(', ')} } from ${JSON.stringify(join(packageDir, 'src', 'index.ts'))};`,
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

let text: string;
let server: TestServer;
beforeAll(async () => {
  text = await bundle(['createCciContext', KEPT]);
  server = await startServer((_req, res) => sendJson(res, 200, { ...exampleService(), metadata: { name: 'redis' } }));
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe(`a bundle of { createCciContext, ${KEPT} }`, () => {
  const kept = OPERATIONS[KEPT];
  const others = Object.values(OPERATIONS).filter((descriptor) => descriptor.id !== KEPT);

  it('holds its own operation: its id and path', () => {
    expect(others.length).toBeGreaterThan(0);
    expect(text).toContain(JSON.stringify(kept.id));
    expect(text).toContain(JSON.stringify(kept.path));
  });

  it.each(others.map((descriptor) => [descriptor.id, descriptor] as const))(
    'holds nothing of %s (its id, and its path unless it is the same path)',
    (id, descriptor) => {
      expect(text).not.toContain(JSON.stringify(id));
      if (descriptor.path !== kept.path) expect(text).not.toContain(JSON.stringify(descriptor.path));
    },
  );

  it('holds no alias, no openapi-fetch client and no Service helper', () => {
    expect(text).not.toContain('"readServiceStatus"');
    expect(text).not.toMatch(/\bTRACE\b/); // openapi-fetch's method list
    expect(text).not.toContain('load-balancer ingress');
  });

  it('is smaller than a bundle of createCciClient, and works: the one call reaches a real server', async () => {
    const whole = await bundle(['createCciClient']);
    const size = (code: string) => brotliCompressSync(code).length;
    expect(size(text)).toBeLessThan(size(whole));
    const file = join(scratch, 'one-operation.mjs');
    writeFileSync(file, text);
    const module = await import(pathToFileURL(file).href);
    const cci = module.createCciContext({ baseUrl: server.url, token: 'test-token-123456', fetch: globalThis.fetch });
    await expect(module[KEPT](cci, { namespace: 'ns', name: 'redis' })).resolves.toMatchObject({
      metadata: { name: 'redis' },
    });
    expect(server.requests.at(-1)!.url).toBe('/api/v1/namespaces/ns/services/redis/status');
    await cci.close();
  });
});

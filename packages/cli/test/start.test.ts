// Smoke test of `npm start`'s main job: scripts/start.mjs as a subprocess comes up, prints its
// URLs and the status read through the client, answers on those URLs, and stops cleanly on SIGINT.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

const root = join(import.meta.dirname, '..', '..', '..');
const docsPage = join(root, 'docs', 'dist', 'index.html');
const spec = readSpec(typesBundlePath());

describe('npm start (scripts/start.mjs)', () => {
  it('serves the mock API and the docs, shows readServiceStatus through the client, and stops on Ctrl-C', async () => {
    // Port 0: never clash with a developer's own `npm start` on the default ports.
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...process.env, CCI_MOCK_PORT: '0', CCI_DOCS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = once(child, 'exit');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('serving until Ctrl-C') && resolve());
        child.on('exit', (code) => reject(new Error(`start.mjs exited early with ${code}\n${stdout}\n${stderr}`)));
      });

      const mockUrl = /mock API: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const docsUrl = /docs: +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      expect(mockUrl).toBeDefined();
      expect(docsUrl).toBeDefined();

      // The printed result is the page's example, fetched through the client.
      expect(stdout).toContain(
        'readServiceStatus({"namespace":"namespace-test","name":"redis"}) through @cci-openapi/client',
      );
      expect(stdout).toContain('namespace-test/redis: ClusterIP, cluster IP 10.247.212.210, ports 8080:80/TCP');
      const printed = stdout.slice(stdout.indexOf('\n  {'), stdout.indexOf('\n  }\n') + 4);
      expect(JSON.parse(printed)).toEqual(spec.components.examples.ServiceRedisClusterIP.value);
      expect(stdout).toContain(`npx cci-svc status namespace-test/redis --server ${mockUrl}`);

      const api = await fetch(`${mockUrl}/api/v1/namespaces/namespace-test/services/redis/status`, {
        headers: { 'X-Auth-Token': 'mock-token' },
      });
      expect(api.status).toBe(200);
      expect(await api.json()).toEqual(spec.components.examples.ServiceRedisClusterIP.value);

      const docs = await fetch(docsUrl as string);
      if (existsSync(docsPage)) {
        expect(docs.status).toBe(200);
        expect(docs.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await docs.text()).toBe(readFileSync(docsPage, 'utf8'));
      } else {
        // The docs are built by their own package; until then the URL says how to build them.
        expect(docs.status).toBe(503);
        expect(await docs.text()).toContain('npm run build -w docs');
        expect(stdout).toContain('docs/dist/index.html is missing');
      }
    } finally {
      child.kill('SIGINT');
    }
    const [code, signal] = await exited;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(stdout).toContain('stopped: mock API and docs server closed');
  });
});

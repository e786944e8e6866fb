// The TypeScript sample on the docs page is spec/code_samples/…/typescript.ts, type-checked here
// against the real @cce-openapi/client types, so a client or spec change that breaks it fails the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledSpec, codeSamplesDir, docsDir, OPERATION_PATH, repoRoot, requireBuilt } from './support/paths.js';

const sample = join(codeSamplesDir, 'typescript.ts');
const clientTypes = join(repoRoot, 'packages', 'client', 'dist', 'index.d.ts');
const scratch = mkdtempSync(join(tmpdir(), 'cce-openapi-sample-tsc-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Type-checks files as a reader's project would (NodeNext, strict), against the built client —
 *  or, before the client is built, against its sources. */
function typecheck(files: string[]): { status: number | null; output: string } {
  const paths = existsSync(clientTypes) ? {} : { '@cce-openapi/client': [join(repoRoot, 'packages', 'client', 'src', 'index.ts')] };
  const tsconfig = join(scratch, `tsconfig.${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(repoRoot, 'node_modules', '@types')], types: ['node'], paths },
      files,
    }),
  );
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the TypeScript code sample', () => {
  it('type-checks against the real client', () => {
    const { status, output } = typecheck([sample]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('would fail the check if it called the client wrongly (the check can fail)', () => {
    const brokenDir = join(docsDir, 'test-results', 'code-samples');
    mkdirSync(brokenDir, { recursive: true });
    const broken = join(brokenDir, 'typescript.broken.ts');
    writeFileSync(broken, readFileSync(sample, 'utf8').replace("name: 'redis'", "serviceName: 'redis'"));
    const { status, output } = typecheck([broken]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/serviceName/);
  });

  it('is the text the bundled spec (and so the page) carries', () => {
    requireBuilt();
    const spec = JSON.parse(readFileSync(bundledSpec, 'utf8'));
    const samples = spec.paths[OPERATION_PATH].get['x-codeSamples'];
    const typescript = samples.find((entry: { lang: string }) => entry.lang === 'TypeScript');
    expect(typescript.source).toBe(readFileSync(sample, 'utf8'));
    expect(typescript.source).toContain("import { createCceClient } from '@cce-openapi/client'");
    expect(typescript.source).toMatch(/await client\.readServiceStatus\(\{\s*namespace: 'namespace-test',\s*name: 'redis',\s*\}\)/);
  });

  it('comes with curl (gateway and direct) and kubectl samples', () => {
    const text = (file: string) => readFileSync(join(codeSamplesDir, file), 'utf8');
    expect(text('curl-gateway.sh')).toMatch(/-H "X-Auth-Token: \$\{TOKEN\}"/);
    expect(text('curl-apiserver.sh')).toMatch(/--cacert ca\.crt --cert client\.crt --key client\.key/);
    expect(text('kubectl.sh')).toContain('kubectl get --raw /api/v1/namespaces/namespace-test/services/redis/status');
  });
});

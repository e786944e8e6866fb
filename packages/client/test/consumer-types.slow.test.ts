// What a TypeScript user of the published packages type-checks against: the client's dist
// declarations (.d.ts for import, .d.cts for require) and @cci-openapi/types' one index.d.ts, read
// as CommonJS by both. strict, node16 resolution and skipLibCheck off, so every declaration is checked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootModules = join(packageDir, '..', '..', 'node_modules');

const CONSUMER = `import { createCciClient, type CciClient } from '@cci-openapi/client';
import { createCciClientFromKubeconfig } from '@cci-openapi/client/node';
import type { Service, Status } from '@cci-openapi/types';
const client: CciClient = createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 'x' });
export const read = (): Promise<Service> => client.readServiceStatus({ namespace: 'a', name: 'b' });
export const status: Status['kind'] = 'Status';
export const fromKubeconfig = createCciClientFromKubeconfig;
`;

describe.skipIf(!existsSync(join(packageDir, 'dist', 'index.d.cts')))('declarations as a consumer sees them', () => {
  const project = mkdtempSync(join(tmpdir(), 'cci-consumer-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('type-check from a CommonJS (.cts) and an ES module (.mts) file', () => {
    symlinkSync(rootModules, join(project, 'node_modules'), 'dir');
    writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
    writeFileSync(join(project, 'consumer.cts'), CONSUMER);
    writeFileSync(join(project, 'consumer.mts'), CONSUMER);
    const compilerOptions = {
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      lib: ['ES2023', 'DOM'],
    };
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['consumer.cts', 'consumer.mts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(rootModules, 'typescript', 'bin', 'tsc'), '-p', project], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // tsc checks every declaration the consumer reaches: seconds alone, longer on a busy machine.
  }, 120_000);
});

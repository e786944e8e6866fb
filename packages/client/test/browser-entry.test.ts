import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// What tsup leaves out of the build, as it does: the dependencies and peers a user installs. The
// repository's private @cci-openapi/internals is bundled in, so its imports count as the entry's own.
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const installed = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });

describe('the main entry is browser-safe', () => {
  it('bundles for the browser with no node: module and no undici', async () => {
    const result = await build({
      entryPoints: [join(packageDir, 'src/index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('openapi-fetch'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:') || input.includes('undici'))).toEqual([]);
  });

  it('the node entry is where undici (the optional peer, loaded at import) and node:fs come in', async () => {
    const result = await build({
      entryPoints: [join(packageDir, 'src/node.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      external: installed.flatMap((name) => [name, `${name}/*`]),
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports).toEqual(expect.arrayContaining(['node:module', 'node:fs']));
    expect(Object.keys(result.metafile.inputs)).toContain('src/node/undici-peer.ts');
  });
});

// `engines` tells users which Node runs this code: no lower than what the dependencies need
// (undici 7 needs Node >= 20.18.1), the same in the root and every package that declares it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const rootManifest = read(join(root, 'package.json'));
const require = createRequire(join(root, 'packages', 'client', 'package.json'));

/** The lowest version a ">=x.y.z" range allows, as [x, y, z]. */
function floor(range: string): number[] {
  const match = /^>=(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`engines.node ${JSON.stringify(range)} is not of the form >=x.y.z`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}
const atLeast = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

describe('engines', () => {
  const declared: Array<[string, string]> = [['package.json', rootManifest.engines.node]];
  for (const workspace of rootManifest.workspaces as string[]) {
    const manifest = read(join(root, workspace, 'package.json'));
    if (manifest.engines?.node) declared.push([`${workspace}/package.json`, manifest.engines.node]);
  }

  it('no package claims a Node older than undici needs', () => {
    const undici = read(require.resolve('undici/package.json'));
    for (const [file, range] of declared)
      expect(
        atLeast(floor(range), floor(undici.engines.node)),
        `${file}: ${range} < undici's ${undici.engines.node}`,
      ).toBeGreaterThanOrEqual(0);
  });

  it('the root and every package say the same, and the lockfile agrees', () => {
    expect(new Set(declared.map(([, range]) => range))).toEqual(new Set([rootManifest.engines.node]));
    const lock = read(join(root, 'package-lock.json'));
    for (const [key, entry] of Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)) {
      if (key.includes('node_modules') || !entry.engines?.node) continue;
      expect(`${key || '(root)'} ${entry.engines.node}`).toBe(`${key || '(root)'} ${rootManifest.engines.node}`);
    }
  });

  it('the Node running the tests satisfies it', () => {
    expect(
      atLeast(process.versions.node.split('.').map(Number), floor(rootManifest.engines.node)),
    ).toBeGreaterThanOrEqual(0);
  });
});

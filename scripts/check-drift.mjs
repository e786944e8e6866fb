// Fails when a committed generated file is stale: bundles spec/ and regenerates the types and the
// client's operations into a temporary directory, then compares byte for byte with what is committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Each generated file, committed at `path`, produced by the generators under `name` in the scratch dir. */
const GENERATED = [
  { path: 'packages/types/index.d.ts', name: 'types/index.d.ts' },
  { path: 'packages/types/openapi.json', name: 'types/openapi.json' },
  { path: 'packages/client/src/generated/operations.ts', name: 'client/operations.ts' },
];

const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-drift-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle-spec.mjs'), join(scratch, 'spec')], {
    stdio: 'ignore',
  });
  execFileSync(
    process.execPath,
    [
      join(root, 'scripts', 'generate-types.mjs'),
      '--spec',
      join(scratch, 'spec', 'openapi.json'),
      '--out',
      join(scratch, 'types'),
    ],
    { stdio: 'ignore' },
  );
  execFileSync(
    process.execPath,
    [
      join(root, 'scripts', 'generate-client.mjs'),
      '--spec',
      join(scratch, 'types', 'openapi.json'),
      '--out',
      join(scratch, 'client', 'operations.ts'),
    ],
    { stdio: 'ignore' },
  );
  const stale = GENERATED.filter(({ path, name }) => {
    let committed = '';
    try {
      committed = readFileSync(join(root, path), 'utf8');
    } catch {
      return true; // missing counts as stale
    }
    return committed !== readFileSync(join(scratch, name), 'utf8');
  });
  if (stale.length > 0) {
    console.error(`drift: ${stale.length} generated file(s) do not match spec/:`);
    for (const { path } of stale) console.error(`  - ${relative(root, join(root, path))}`);
    console.error('Run `npm run build` and commit the regenerated files.');
    process.exit(1);
  }
  console.log(`drift: ${GENERATED.length} generated files match spec/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

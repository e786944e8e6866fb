import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const docsDir = join(import.meta.dirname, '..', '..');
export const repoRoot = join(docsDir, '..');
export const builtPage = join(docsDir, 'dist', 'index.html');
export const bundledSpec = join(repoRoot, 'spec', 'dist', 'openapi.json');
export const codeSamplesDir = join(repoRoot, 'spec', 'code_samples', 'readCoreV1NamespacedServiceStatus');
export const OPERATION_PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';

/** The tests check the page `npm run build` made (turbo runs the build before the tests). */
export function requireBuilt(): void {
  for (const file of [bundledSpec, builtPage]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run \`node scripts/bundle-spec.mjs && node docs/build-docs.mjs\` (or \`npm run build\`) first`);
    }
  }
}

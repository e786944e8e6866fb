import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deref, operationsOf, readSpec } from '@cci-openapi/spec-kit';

export const docsDir = join(import.meta.dirname, '..', '..');
export const repoRoot = join(docsDir, '..');
export const builtPage = join(docsDir, 'dist', 'index.html');
export const bundledSpec = join(repoRoot, 'spec', 'dist', 'openapi.json');
const codeSamplesRoot = join(repoRoot, 'spec', 'code_samples');

/** The tests check the page `npm run build` made (turbo runs the build before the tests). */
export function requireBuilt(): void {
  for (const file of [bundledSpec, builtPage]) {
    if (!existsSync(file)) {
      throw new Error(
        `${file} is missing: run \`node scripts/bundle-spec.mjs && node docs/build-docs.mjs\` (or \`npm run build\`) first`,
      );
    }
  }
}

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
  /** The file under spec/code_samples/ that holds the text (from the split spec's $ref). */
  file: string;
}

export interface DocumentedOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  operation: any;
  /** The operation's request body, its $ref resolved: media types (with schema and examples) and whether it is required. */
  requestBody: { required?: boolean; description?: string; content: Record<string, any> } | undefined;
  samples: CodeSample[];
}

/** The bundled spec (requires the build). */
export function loadBuiltSpec(): any {
  requireBuilt();
  return readSpec(bundledSpec);
}

/**
 * Every operation of the bundled spec with its code samples. The sample files are where the split
 * spec's `x-codeSamples` $refs point: spec/code_samples/<operationId>/<file>.
 */
export function documentedOperations(spec: any): DocumentedOperation[] {
  return operationsOf(spec).map(({ operationId, method, path, operation }) => ({
    operationId,
    method,
    path,
    summary: operation.summary,
    operation,
    requestBody: operation.requestBody ? deref(spec, operation.requestBody) : undefined,
    samples: (operation['x-codeSamples'] ?? []).map((sample: { lang: string; label: string; source: string }) => ({
      ...sample,
      file: sampleFile(operationId, sample.source),
    })),
  }));
}

/** The file of spec/code_samples/<operationId>/ whose text is this sample. */
function sampleFile(operationId: string, source: string): string {
  const dir = join(codeSamplesRoot, operationId);
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const file = join(dir, name);
    if (readFileSync(file, 'utf8') === source) return file;
  }
  throw new Error(`code sample of ${operationId} is not the text of a file in ${dir}`);
}

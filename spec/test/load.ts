// Test helpers: the bundled spec, freshly bundled from spec/ (never a stale spec/dist), the source
// page, and the declared deviations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { readSourcePage } from '../../scripts/lib/source-page.mjs';

export const specRoot = join(import.meta.dirname, '..');
const repoRoot = join(specRoot, '..');

export function bundleSpec(): any {
  const scratch = mkdtempSync(join(tmpdir(), 'cce-openapi-spec-'));
  try {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'bundle-spec.mjs'), scratch], { stdio: 'ignore' });
    return JSON.parse(readFileSync(join(scratch, 'openapi.json'), 'utf8'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const loadSourcePage = () => readSourcePage(join(specRoot, 'source', 'read-service-status.zh-CN.txt'));

export const loadDeviations = () => YAML.parse(readFileSync(join(specRoot, 'source', 'deviations.yaml'), 'utf8'));

// Test helpers: the bundled spec, freshly bundled from spec/ (never a stale spec/dist), the source
// page, and the declared deviations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFresh, readSourcePage } from '@cce-openapi/spec-kit';
import YAML from 'yaml';

export const specRoot = join(import.meta.dirname, '..');
const repoRoot = join(specRoot, '..');

export const bundleSpec = (): any => bundleFresh({ root: repoRoot });

export const loadSourcePage = () => readSourcePage(join(specRoot, 'source', 'read-service-status.zh-CN.txt'));

export const loadDeviations = () => YAML.parse(readFileSync(join(specRoot, 'source', 'deviations.yaml'), 'utf8'));

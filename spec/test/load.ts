// Test helpers: the bundled spec, freshly bundled from spec/ (never a stale spec/dist), and the
// source documents with their declarations and deviations.
import { join } from 'node:path';
import { bundleFresh, loadSources, readSourceExtract, readSourcePage } from '@cci-openapi/spec-kit';

const specRoot = join(import.meta.dirname, '..');
const repoRoot = join(specRoot, '..');
export const sourceDir = join(specRoot, 'source');

export const bundleSpec = (): any => bundleFresh({ root: repoRoot });

export const loadAllSources = () => loadSources(sourceDir);

function sourceNamed(name: string) {
  const source = loadAllSources().find((candidate) => candidate.name === name);
  if (!source) throw new Error(`spec/source/${name}/source.yaml is missing`);
  return source;
}

export const cciPageSource = () => sourceNamed('cci-page');
export const upstreamSource = () => sourceNamed('upstream');

export const loadSourcePage = () => {
  const source = cciPageSource();
  return readSourcePage(join(source.dir, source.declaration.document));
};

export const loadUpstreamExtract = () => {
  const source = upstreamSource();
  return readSourceExtract(source);
};

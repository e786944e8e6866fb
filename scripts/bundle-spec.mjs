// spec/ (hand-written, split into files) → spec/dist/openapi.{yaml,json} (one bundled document).
// Every later step — codegen, docs, mock server — reads the bundle, never the split files.
//
//   node scripts/bundle-spec.mjs [outDir]
//
// The spec bundled is the one of the tree this script sits in (the review kit copies it into a
// checkout of the base commit to bundle that).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSpec } from '@cci-openapi/spec-kit';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2];
const written = bundleSpec({ root, ...(outDir ? { outDir } : {}) });
console.log(`bundled spec → ${written.replace(/\.json$/, '.{yaml,json}')}`);

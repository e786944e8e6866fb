// spec/ (hand-written, split into files) → spec/dist/openapi.{yaml,json} (one bundled document).
// Every later step — codegen, docs, mock server — reads the bundle, never the split files.
//
//   node scripts/bundle-spec.mjs [outDir]
import { bundleSpec } from '@cce-openapi/spec-kit';

const outDir = process.argv[2];
const written = bundleSpec(outDir ? { outDir } : {});
console.log(`bundled spec → ${written.replace(/\.json$/, '.{yaml,json}')}`);

// spec/ (hand-written, split into files) → spec/dist/openapi.{yaml,json} (one bundled document).
// Every later step — codegen, docs, mock server — reads the bundle, never the split files.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'spec', 'dist');
mkdirSync(outDir, { recursive: true });

const redocly = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
for (const ext of ['yaml', 'json']) {
  execFileSync(
    process.execPath,
    [redocly, 'bundle', 'cce@v1', '--config', join(root, 'redocly.yaml'), '--output', join(outDir, `openapi.${ext}`)],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
}
console.log(`bundled spec → ${outDir}/openapi.{yaml,json}`);

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  // The repository's private shared code (redactor, Service table, file reader) is bundled in.
  noExternal: ['@cci-openapi/internals'],
});

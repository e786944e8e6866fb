import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  // The repository's private spec tooling and shared internals are bundled in, so the published
  // package needs only its own dependencies.
  noExternal: ['@cci-openapi/spec-kit', '@cci-openapi/internals'],
});

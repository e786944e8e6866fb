import { defineConfig } from 'tsup';

// Two entries: `index` is the browser-safe client (no node: imports, no undici), `node` adds the
// kubeconfig/mTLS part. ESM + CJS, each with its own declaration file (.d.ts / .d.cts), so both
// `import` and `require` consumers get types that match the module format they load.
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
  // Shared chunk: the node entry re-exports the same error classes, so `instanceof` holds across entries.
  splitting: true,
  treeshake: true,
  removeNodeProtocol: false,
  // import.meta.url in the CommonJS build (src/node/undici-peer.ts resolves the optional peer undici from it).
  shims: true,
  // The repository's private shared code (redactor, delays, file reader) is bundled in: it is not
  // published, and no published declaration names it (the API reports in api/ show the surface).
  noExternal: ['@cci-openapi/internals'],
});

// Types only: this module exists so that `import "@cce-openapi/types"` resolves at run time too.
// The types are in index.d.ts (generated); the bundled spec is in openapi.json.
export {};

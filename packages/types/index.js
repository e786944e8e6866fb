// Types only: this module exists so that `import` and `require` of "@cci-openapi/types" resolve at
// run time too. The types are in index.d.ts (generated); the bundled spec is in openapi.json.
module.exports = {};

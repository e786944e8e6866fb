// Types only: this module exists so that `require("@cce-openapi/types")` resolves at run time too.
// The types are in index.d.cts (generated); the bundled spec is in openapi.json.
module.exports = {};

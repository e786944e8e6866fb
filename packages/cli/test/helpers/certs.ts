// The mock server's throw-away PKI (CA, server and client certificates, and a stranger client
// certificate), shared rather than copied: the CLI tests talk to that same mock in API-server mode.
export { createTestPki, type TestPki } from '../../../mock-server/test/helpers/certs.js';

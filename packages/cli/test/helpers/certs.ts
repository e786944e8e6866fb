// The repository's one test PKI (CA, server and client certificates, and a stranger client certificate):
// the CLI tests talk to the mock in API-server mode with it.
export { createTestPki, type TestPki } from '@cci-openapi/test-support';

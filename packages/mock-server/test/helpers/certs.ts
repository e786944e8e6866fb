// The repository's one test PKI (CA, server and client certificates, and a stranger client certificate).
export { createTestPki, type TestPki } from '@cci-openapi/test-support';

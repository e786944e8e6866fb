// The write side of the mock (create, replace, patch, delete): see serve.ts.
export { MAX_WRITE_BODY_BYTES, noWriteRules, serveWrite, type WriteContext } from './serve.js';

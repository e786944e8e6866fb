// @ts-check
// What the tests of every workspace share, in one place (plain ESM JavaScript, so no build step).
export { createTestPki } from './pki.js';
export { runProcess } from './run-process.js';

#!/usr/bin/env node
// cce-svc: see README.md, or run `cce-svc status --help`.
import { runCli } from './program.js';

/** Resolves once everything written so far has been handed to the OS. */
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .catch((error: unknown) => {
    // runCli handles its own errors; reaching this is a bug, reported without the error object (which may hold request details).
    process.stderr.write(`cce-svc: internal error: ${(error as Error)?.name ?? 'unknown'}\n`);
    return 1;
  })
  .then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // Exit now: after a timeout the client may still hold a request the server has not answered,
    // and the answer is no longer wanted.
    process.exit(code);
  });

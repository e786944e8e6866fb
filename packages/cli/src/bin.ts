#!/usr/bin/env node
// cci-svc: see README.md, or run `cci-svc status --help`.
import { runCli } from './program.js';

/**
 * A reader that went away (`cci-svc … | head -c100`) is not an error of cci-svc: the rest of the
 * output is dropped quietly and the exit code stays the command's own, as with other Unix tools,
 * instead of an unhandled EPIPE with a stack trace.
 */
const closedStreams = new Set<NodeJS.WriteStream>();
const stdoutClosed = new AbortController();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closedStreams.add(stream);
      // A watch writes until stopped: with nobody reading, it stops (as kubectl does on SIGPIPE).
      if (stream === process.stdout) stdoutClosed.abort(new Error('stdout was closed'));
      return;
    }
    // Anything else (EIO on a vanished terminal …): nothing more can be written; say so by the exit code.
    process.exit(1);
  });
}

/** Resolves once everything written so far has been handed to the OS (at once for a closed stream). */
const flushed = (stream: NodeJS.WriteStream) =>
  closedStreams.has(stream) || stream.destroyed
    ? Promise.resolve()
    : new Promise<void>((resolve) => stream.write('', () => resolve()));

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // Only `-f -` touches stdin: process.stdin is made on first use, so other commands never open it.
  get stdin() {
    return process.stdin;
  },
  outputClosed: stdoutClosed.signal,
};

runCli(process.argv.slice(2), io)
  .catch((error: unknown) => {
    // runCli handles its own errors; reaching this is a bug, reported without the error object (which may hold request details).
    if (!closedStreams.has(process.stderr))
      process.stderr.write(`cci-svc: internal error: ${(error as Error)?.name ?? 'unknown'}\n`);
    return 1;
  })
  .then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // Exit now: after a timeout the client may still hold a request the server has not answered,
    // and the answer is no longer wanted.
    process.exit(code);
  });

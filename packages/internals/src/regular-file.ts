import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest file the kubeconfig loader reads (a kubeconfig, a certificate, a key, a token file). */
const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

/** Why a file was not read: an errno code (`ENOENT`, `EACCES` …) or a sentence. */
export class FileReadProblem extends Error {
  override name = 'FileReadProblem';
}

/**
 * Reads a regular file of at most `maxBytes`. Anything else is refused before a byte is read: a
 * device such as /dev/zero (endless), a FIFO or socket (a read would block until a writer comes),
 * a directory. The file is opened non-blocking, so opening a FIFO returns at once, and checked
 * through its descriptor, so what is checked is what is read. The size is enforced while reading
 * too: /proc files say 0, and a file may grow after the check.
 */
export function readRegularFile(path: string, maxBytes = MAX_CONFIG_FILE_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK is undefined on Windows, where FIFOs are not files anyway.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new FileReadProblem((error as NodeJS.ErrnoException).code ?? 'open failed');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileReadProblem(`not a regular file (${kindOf(stat)})`);
    if (stat.size > maxBytes) throw new FileReadProblem(`larger than the ${maxBytes}-byte limit`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new FileReadProblem((error as NodeJS.ErrnoException).code ?? 'read failed');
      }
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw new FileReadProblem(`larger than the ${maxBytes}-byte limit`);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

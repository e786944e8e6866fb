import { concat } from '../wire/body-text.js';
/**
 * Splits a byte stream into newline-delimited lines as the bytes arrive (a watch never ends, so
 * nothing may wait for the whole body). A line longer than `maxLineBytes` ends the stream with
 * LineTooLongError before it is buffered any further: a server that never sends `\n` cannot make
 * the client grow without bound. Splitting on the byte 0x0A is safe in UTF-8, where it never
 * occurs inside a multi-byte character.
 */
export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(readonly limit: number) {
    super(`a line of the stream is longer than ${limit} bytes`);
  }
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

export async function* ndjsonLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<string, void, undefined> {
  // The start of the current line, split over chunks that had no newline yet.
  let parts: Uint8Array[] = [];
  let partsSize = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let start = 0;
    for (;;) {
      const end = value.indexOf(NEWLINE, start);
      if (end === -1) break;
      const size = partsSize + end - start;
      if (size > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      const tail = value.subarray(start, end);
      const line = partsSize === 0 ? decoder.decode(tail) : decoder.decode(concat([...parts, tail], size));
      parts = [];
      partsSize = 0;
      start = end + 1;
      if (line.trim() !== '') yield line;
    }
    if (start < value.byteLength) {
      partsSize += value.byteLength - start;
      if (partsSize > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      // Copy: some streams reuse their chunk buffers.
      parts.push(value.slice(start));
    }
  }
  // Bytes after the last newline are an event cut off mid-write (the server went away): dropped,
  // since the watch resumes from the last whole event and the server sends that one again.
}

const decoder = new TextDecoder();

/** UTF-8 bytes to text as response.text() does (a leading BOM dropped, bad sequences replaced). */
export const decodeUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body is larger than maxResponseBytes (${limit} bytes)`);
  }
}

/**
 * Reads a response body as UTF-8 text, at most `maxBytes` of it. It reads through its own reader
 * (not response.text()) so that `onReader` can hand the reader to a timer that cancels it: a
 * cancelled read ends the loop and closes the connection, so a server that stalls mid-body cannot
 * hold the socket. A declared Content-Length over the limit is refused before reading anything.
 */
export async function readBodyText(
  response: Response,
  maxBytes: number,
  onReader: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await body.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes);
  }
  const reader = body.getReader();
  onReader(reader);
  const first = await reader.read();
  if (first.done) return '';
  let chunks: Uint8Array[] | undefined;
  let size = first.value.byteLength;
  for (;;) {
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    const next = await reader.read();
    if (next.done) break;
    (chunks ??= [first.value]).push(next.value);
    size += next.value.byteLength;
  }
  // The common case (a small JSON object) arrives in one chunk: decode it without copying.
  return decoder.decode(chunks ? concat(chunks, size) : first.value);
}

/** Joins chunks of a known total size into one array (also used by the watch's line splitter). */
export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

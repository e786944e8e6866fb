// Reading a request body into memory, never more than a limit: the gateway hashes the bytes of a
// signed request and parses IAM's sign-in; nothing else reads bodies.
import type { IncomingMessage } from 'node:http';

/**
 * The whole body; 'too-large' as soon as it passes `limit` bytes (by Content-Length or as it
 * arrives), after which nothing more is buffered; undefined when the client goes away first.
 */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    // Refused unread: what arrives is dropped until the connection closes after the answer.
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      // What is left is read and dropped, as any unused body, until the connection closes.
      if (result === 'too-large') req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish('too-large');
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onClose = () => finish(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

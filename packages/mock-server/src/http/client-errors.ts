// Requests Node's HTTP parser refuses before the handler sees them (too large a head, too slow, not
// HTTP): answered with a Status and the connection closed, so one bad client never stops the others.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { StatusCatalog } from '../status.js';

function clientErrorStatus(code: string | undefined): { status: number; reason?: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, reason: 'RequestEntityTooLarge', message: 'request header fields too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, reason: 'Timeout', message: 'the client did not send a complete request in time' };
  return { status: 400, message: 'malformed HTTP request' };
}

export function answerClientError(catalog: StatusCatalog, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, message } = clientErrorStatus(error.code);
  const body = JSON.stringify(catalog.build(status, reason ? { reason, message } : { message }));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // A client that never reads its answer must not hold the socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

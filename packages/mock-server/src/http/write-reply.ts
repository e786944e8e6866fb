// Writing the handler's reply to the connection: a reset (an RST, not a FIN: the client sees
// ECONNRESET, as when a gateway drops the connection), a watch stream (chunked, its head sent at
// once so a watcher learns the watch started before any event), or a whole answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { MockReply } from '../handler.js';

export interface ReplyLog {
  /** The status written ('reset' for a reset), once the answer is complete (a stream: when it closes). */
  done(status: number | 'reset'): void;
  /** A watch stream opened: kept until it closes, so that close() can end it. */
  streamOpened(res: ServerResponse): void;
  streamClosed(res: ServerResponse): void;
}

export function writeReply(req: IncomingMessage, res: ServerResponse, reply: MockReply, log: ReplyLog): void {
  const socket = req.socket as Socket;
  if (res.destroyed || socket.destroyed) return;
  if (reply.kind === 'reset') {
    socket.resetAndDestroy();
    log.done('reset');
    return;
  }
  if (reply.kind === 'stream') {
    res.writeHead(reply.status, reply.headers);
    res.flushHeaders();
    log.streamOpened(res);
    const closers: Array<() => void> = [];
    res.once('close', () => {
      log.streamClosed(res);
      for (const closer of closers) closer();
      log.done(reply.status);
    });
    reply.start({
      write: (line) => res.write(line),
      end: () => res.end(),
      backlog: () => res.writableLength,
      onClose: (callback) => closers.push(callback),
    });
    return;
  }
  // A 204 carries no body, and no Content-Length (as Go's server writes it).
  const length = reply.status === 204 ? {} : { 'content-length': String(Buffer.byteLength(reply.body)) };
  res.writeHead(reply.status, { ...reply.headers, ...length });
  res.end(reply.body);
  log.done(reply.status);
}

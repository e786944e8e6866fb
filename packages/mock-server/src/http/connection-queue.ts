// One request at a time per connection. Node parses every request of a pipelined chunk at once and
// would have each answer built at once (it only queues the bytes): 400 LISTs of 10 MB each in one
// 45 KB write. Here a connection's requests are served in turn, the next one only after the answer
// before it is written out (its 'finish') or the connection is gone; past MAX_QUEUED_PER_CONNECTION
// waiting, the socket is paused until they drain. Node writes pipelined answers in order anyway, so
// nothing is slower, and a client that pipelines and never reads holds at most one answer in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Requests of one connection waiting for their turn before the mock stops reading that connection. */
const MAX_QUEUED_PER_CONNECTION = 32;

interface ConnectionState {
  busy: boolean;
  waiting: Array<() => void>;
  paused: boolean;
}

type Serve = (req: IncomingMessage, res: ServerResponse) => void;

/** A request listener that hands each connection's requests to `serve` one after another. */
export function queuePerConnection(serve: Serve): Serve {
  const connections = new WeakMap<Socket, ConnectionState>();
  return (req, res) => {
    const socket = req.socket;
    let state = connections.get(socket);
    if (!state) connections.set(socket, (state = { busy: false, waiting: [], paused: false }));
    const run = () => runInTurn(state, socket, () => serve(req, res), res);
    if (!state.busy) return run();
    state.waiting.push(run);
    if (!state.paused && state.waiting.length >= MAX_QUEUED_PER_CONNECTION) {
      state.paused = true;
      socket.pause();
    }
  };
}

function runInTurn(state: ConnectionState, socket: Socket, serve: () => void, res: ServerResponse): void {
  // The client is gone: nothing behind this request will be answered either.
  if (socket.destroyed) {
    state.waiting.length = 0;
    return;
  }
  state.busy = true;
  let done = false;
  const next = () => {
    if (done) return;
    done = true;
    state.busy = false;
    const following = state.waiting.shift();
    if (state.paused && state.waiting.length < MAX_QUEUED_PER_CONNECTION / 2 && !socket.destroyed) {
      state.paused = false;
      socket.resume();
    }
    following?.();
  };
  res.once('finish', next);
  res.once('close', next);
  serve();
}

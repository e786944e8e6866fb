import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Stream from 'node:stream';
import type * as Url from 'node:url';
import type * as Zlib from 'node:zlib';
import { BodyTooLargeError, decodeUtf8 } from './body-text.js';
import type { TextReceiver, Wire, WireAnswer, WireExchange, WireReceiver, WireRequest } from './fetch-wire.js';
import { createTargetParser } from './request-target.js';

const noop = () => {};

/** TLS settings of the https connection pool (the node entry's kubeconfig: CA, client certificate). */
export interface NodeTlsOptions {
  ca?: string | Uint8Array;
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  servername?: string;
  rejectUnauthorized?: boolean;
}

/** An https pool of the caller's for the wire (node.ts: one that presents an exec plugin's client certificate). */
export type NodeHttpsAgent = Https.Agent;

export interface NodeWire {
  wire: Wire;
  /** Closes every pooled and open connection. */
  close(): void;
}

interface NodeModules {
  http: typeof Http;
  https: typeof Https;
  stream: typeof Stream;
  url: typeof Url;
  zlib: typeof Zlib;
}

/**
 * node:http, when this runs on Node (or a runtime with its built-ins). Looked up through
 * process.getBuiltinModule rather than imported, so the main entry stays one module for browsers
 * and bundlers, with no `node:` import for them to trip on.
 */
function nodeModules(): NodeModules | undefined {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  // A runtime that only imitates Node (a worker with a compatibility flag) may lack a module or
  // its pieces: then the client stays on fetch rather than fail later.
  try {
    const modules = {
      http: getBuiltinModule('node:http') as typeof Http,
      https: getBuiltinModule('node:https') as typeof Https,
      stream: getBuiltinModule('node:stream') as typeof Stream,
      url: getBuiltinModule('node:url') as typeof Url,
      zlib: getBuiltinModule('node:zlib') as typeof Zlib,
    };
    const complete =
      typeof modules.http?.Agent === 'function' &&
      typeof modules.https?.Agent === 'function' &&
      typeof modules.stream?.Readable?.toWeb === 'function' &&
      typeof modules.url?.urlToHttpOptions === 'function' &&
      typeof modules.zlib?.createGunzip === 'function';
    return complete ? modules : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The wire over node:http/https with keep-alive pools (`agent`, when given, is the https one): on Node it takes half the CPU of Node's
 * fetch per request and none of the memory its WebAssembly HTTP parser takes (docs/benchmarks.md).
 * Undefined where there is no node:http. Like fetch, it asks for compression (a long list from a
 * remote cluster is mostly repetition) and decodes gzip, deflate and br; the body limit counts
 * decoded bytes.
 */
export function createNodeWire(tls: NodeTlsOptions = {}, agent?: NodeHttpsAgent): NodeWire | undefined {
  const modules = nodeModules();
  if (modules === undefined) return undefined;
  const { http, https } = modules;
  const answerModules = { stream: modules.stream, zlib: modules.zlib };
  // keepAlive: sockets are reused across calls (and unref'd while idle, so they keep no process alive).
  const httpAgent = new http.Agent({ keepAlive: true });
  // An agent given (an exec plugin's client certificate, node.ts) carries the TLS settings itself; it is this wire's to destroy.
  const httpsAgent = agent ?? new https.Agent({ keepAlive: true, ...(tls as Https.AgentOptions) });
  const targetOf = createTargetParser(modules.url);

  const wire: Wire = (request, receiver) => {
    const headers = outgoingHeaders(request);
    const secure = request.url.startsWith('https:');
    const { method } = request;
    const via = secure ? httpsAgent : httpAgent;
    const target = targetOf(request.url);
    // One literal (not a spread of `target`): node:http copies these options twice per request.
    const outgoing = target
      ? (secure ? https : http).request({
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          method,
          headers,
          agent: via,
        })
      : (secure ? https : http).request(request.url, { method, headers, agent: via });
    const exchange = new NodeExchange(outgoing, receiver, request.signal ?? undefined, answerModules);
    // A destroyed request may still emit 'error' after the answer: NodeExchange ignores it, and the body's own listeners report it.
    outgoing.end(request.body === undefined ? undefined : Buffer.from(request.body));
    return exchange;
  };

  return {
    wire,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** One exchange on node:http: tells its receiver the answer or the first error before it, once, and ends early on cancel() or an abort. */
class NodeExchange implements WireExchange {
  readonly #outgoing: Http.ClientRequest;
  readonly #receiver: WireReceiver;
  readonly #signal: AbortSignal | undefined;
  readonly #modules: AnswerModules;
  #incoming: Http.IncomingMessage | undefined;
  #ended: Error | undefined;
  #told = false;

  constructor(
    outgoing: Http.ClientRequest,
    receiver: WireReceiver,
    signal: AbortSignal | undefined,
    modules: AnswerModules,
  ) {
    this.#outgoing = outgoing;
    this.#receiver = receiver;
    this.#signal = signal;
    this.#modules = modules;
    if (signal) {
      if (signal.aborted) queueMicrotask(() => this.handleEvent());
      else signal.addEventListener('abort', this, { once: true });
      outgoing.once('close', () => signal.removeEventListener('abort', this));
    }
    // `on`, not `once`: an 'error' with no listener would crash the process; later ones change nothing.
    outgoing.on('error', (error) => this.#tell(undefined, error));
    outgoing.once('response', (response) => {
      this.#incoming = response;
      // The body's readers (readText, stream) listen for themselves; this one keeps an error from
      // a body nobody reads yet (an exchange ended between its answer and the read) from crashing.
      response.on('error', noop);
      this.#tell(new NodeAnswer(response, this, this.#modules), undefined);
    });
  }

  /** Why the exchange was ended early, if it was: the answer and the body fail with it. */
  get ended(): Error | undefined {
    return this.#ended;
  }

  cancel(): void {
    this.#end(new Error('exchange cancelled'));
  }

  /** The signal's listener. */
  handleEvent(): void {
    const reason = this.#signal!.reason;
    this.#end(reason instanceof Error ? reason : new Error(String(reason)));
  }

  #end(error: Error): void {
    if (this.#ended) return;
    this.#ended = error;
    this.#signal?.removeEventListener('abort', this);
    this.#incoming?.destroy(error);
    this.#outgoing.destroy(error);
  }

  #tell(answer: WireAnswer | undefined, error: Error | undefined): void {
    if (this.#told) return;
    this.#told = true;
    if (answer) this.#receiver.answered(answer);
    else this.#receiver.answerFailed(this.#ended ?? error);
  }
}

type AnswerModules = Pick<NodeModules, 'stream' | 'zlib'>;

/** What an answer's body readers ask of their exchange. */
interface Ending {
  readonly ended: Error | undefined;
}

/** Frozen header objects (the transport's, with a fixed token: most requests) and what is sent for them. */
const preparedHeaders = new WeakMap<object, Record<string, string>>();

/**
 * The headers node:http sends: the request's, asking for compression, with the body's length. A
 * frozen object is prepared once: copying it for every request cost a few µs of CPU each.
 */
function outgoingHeaders(request: WireRequest): Record<string, string> {
  const given = request.headers;
  if (request.body === undefined && !(given instanceof Headers) && Object.isFrozen(given)) {
    let prepared = preparedHeaders.get(given);
    if (prepared === undefined) {
      prepared = Object.freeze({ 'accept-encoding': 'gzip, deflate', ...given });
      preparedHeaders.set(given, prepared);
    }
    return prepared;
  }
  const headers = given instanceof Headers ? Object.fromEntries(given) : { ...given };
  headers['accept-encoding'] ??= 'gzip, deflate';
  // Stated, not left to node:http: a DELETE's body would otherwise go without a length or chunking.
  if (request.body !== undefined) headers['content-length'] = String(request.body.byteLength);
  return headers;
}

/**
 * A response header's value, read from the raw list (`name` in lower case): asking
 * IncomingMessage for `headers` builds an object of all of them, which a read that needs two does not.
 */
function rawHeader(response: Http.IncomingMessage, name: string): string | undefined {
  const raw = response.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The response body, decoded when the server compressed it. */
function decodedBody(response: Http.IncomingMessage, zlib: typeof Zlib): Stream.Readable {
  const encoding = rawHeader(response, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate' && encoding !== 'br') return response;
  // Lenient flushes, as fetch: a body whose last block was cut short still yields what arrived.
  const decoder =
    encoding === 'br'
      ? zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  response.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => response.destroy());
  return response.pipe(decoder);
}

/**
 * The answer of one exchange. A class rather than an object literal with a `headers` getter: V8
 * gives every literal whose getter closes over its own call a hidden class of its own, and the
 * garbage collector then pays for each of them (a scavenge took 6 ms instead of 0.5; docs/benchmarks.md §1).
 */
class NodeAnswer implements WireAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly opaqueRedirect = false;
  readonly #response: Http.IncomingMessage;
  readonly #exchange: Ending;
  readonly #modules: AnswerModules;
  #headers: Headers | undefined;

  constructor(response: Http.IncomingMessage, exchange: Ending, modules: AnswerModules) {
    this.status = response.statusCode ?? 0;
    this.statusText = response.statusMessage ?? '';
    this.#response = response;
    this.#exchange = exchange;
    this.#modules = modules;
  }

  /** Built on first use: most calls only need the status and the body. */
  get headers(): Headers {
    this.#headers ??= toHeaders(this.#response.rawHeaders);
    return this.#headers;
  }

  readText(maxBytes: number, receiver: TextReceiver): void {
    readText(this.#response, maxBytes, receiver, this.#exchange, this.#modules.zlib);
  }

  stream(): ReadableStream<Uint8Array> {
    const { stream, zlib } = this.#modules;
    return stream.Readable.toWeb(decodedBody(this.#response, zlib)) as ReadableStream<Uint8Array>;
  }
}

/** The body read whole into `receiver`, at most `maxBytes` of it once decoded. */
function readText(
  response: Http.IncomingMessage,
  maxBytes: number,
  receiver: TextReceiver,
  exchange: Ending,
  zlib: typeof Zlib,
): void {
  const declared = rawHeader(response, 'content-length');
  if (declared !== undefined && Number(declared) > maxBytes && rawHeader(response, 'content-encoding') === undefined) {
    response.destroy();
    receiver.textFailed(new BodyTooLargeError(maxBytes));
    return;
  }
  const body = decodedBody(response, zlib);
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const fail = (error: Error) => {
    if (settled) return;
    settled = true;
    receiver.textFailed(exchange.ended ?? error);
  };
  body.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > maxBytes) {
      fail(new BodyTooLargeError(maxBytes));
      response.destroy();
      return;
    }
    chunks.push(chunk);
  });
  // `on`, not `once`, here and for 'close': each is emitted once, and once() costs a wrapper per call.
  body.on('end', () => {
    if (settled) return;
    settled = true;
    receiver.text(decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });
  body.on('error', fail);
  // A connection that closes mid-body ends the stream without 'end' (and, on some versions, without 'error').
  body.on('close', () => {
    // After 'end' on every call: the Error (and its stack) only when the body really was cut short.
    if (!settled)
      fail(
        Object.assign(new Error('the connection closed before the response body was complete'), {
          code: 'ECONNRESET',
        }),
      );
  });
}

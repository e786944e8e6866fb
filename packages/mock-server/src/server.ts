// startMockServer: the HTTP(S) server around the request pipeline, hardened against bad clients
// (bounded header size, header and request timeouts, malformed requests answered with a Status or
// closed) so that one bad connection never stops it serving the others.
import {
  STATUS_CODES,
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import { createSpecValidator } from '@cci-openapi/spec-kit';
import { checkTokens, type TokenSpec } from './auth.js';
import { readBoundedBody } from './body.js';
import { createFaultInjector, type FaultOptions } from './faults.js';
import {
  DEMO_ACCESS_KEY,
  DEMO_IAM_USER,
  DEMO_TEMPORARY_KEY,
  type AccessKey,
  type IamUser,
} from './gateway/credentials.js';
import { createGateway, type Gateway } from './gateway/index.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from './gateway/tokens.js';
import { loadFixtures } from './fixtures.js';
import { isDns1123Label } from './names.js';
import { generateServices } from './generate.js';
import { createHandler, splitTarget, type MockReply } from './handler.js';
import { compileRoutes } from './routes.js';
import { loadBundledSpec, type OpenApiDocument } from './spec.js';
import { createStatusCatalog } from './status.js';
import { createStore, type KubeObject, type MockStore } from './store.js';
import type { WatchSettings } from './watch.js';
import { createWriteContext } from './writes/context.js';
import { MAX_WRITE_BODY_BYTES } from './writes/index.js';

export interface TlsOptions {
  /** PEM certificate chain of the server. */
  cert: string | Buffer;
  /** PEM private key of the server. */
  key: string | Buffer;
  /** PEM CA that client certificates must be signed by. */
  ca: string | Buffer;
}

export interface LimitOptions {
  /** Largest request head (request line + headers) in bytes; larger gets 431. Default 16 KiB. */
  maxHeaderSize?: number;
  /** Time a client has to send the whole request head. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Idle time before a kept-alive connection is closed. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** `cci` profile: largest body of an AK/SK-signed request (the gateway's 12 MB); larger gets 413. Default 12 MiB. */
  maxBodyBytes?: number;
}

/**
 * Whom the mock plays. `cci` (the default): CCI behind Huawei Cloud's API gateway — IAM tokens from
 * `POST /v3/auth/tokens`, AK/SK signatures, the gateway's refusal bodies, no lists or watches across
 * all namespaces. `kube`: a plain kube-apiserver — Bearer and X-Auth-Token with the static tokens,
 * client certificates, anonymous access, Kubernetes Status bodies for 401 and 403.
 */
export type MockProfile = 'cci' | 'kube' | 'cce';

export interface MockServerOptions {
  /** Whom the mock plays: `cci` (default) or `kube`, see MockProfile. */
  profile?: MockProfile;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /**
   * Objects to serve: given in code, or a path to a JSON/YAML file or to a folder of them; default
   * the package's fixtures. Each item's `kind` names the spec schema it is validated against.
   */
  fixtures?: readonly object[] | string;
  /** Also serve this many synthetic Services (spread over a few namespaces), for scale work. */
  generate?: number;
  /**
   * The OpenAPI document to serve (default: the bundled spec of @cci-openapi/types). Every
   * operation in it is routed, with no code change: see "Answers" in the README.
   */
  spec?: OpenApiDocument;
  /** Changes the store keeps for watches and continue tokens (default 1000); older ones are compacted (410 Expired). */
  historySize?: number;
  /** Watch tuning: BOOKMARK interval, slow-client bound. */
  watch?: WatchSettings;
  /**
   * Accepted static tokens, sent as `Authorization: Bearer` (kube-apiserver) or `X-Auth-Token` (CCI API
   * gateway); default ['mock-token']. A `{ token, namespaces }` entry may read only those namespaces
   * (403 elsewhere). They never expire, in both profiles.
   */
  tokens?: TokenSpec[];
  /**
   * `kube` profile: a request with no credential at all is the user `system:anonymous`, which may
   * read /version and gets 403 Forbidden elsewhere (kube-apiserver's default), instead of 401
   * Unauthorized. Default: on with `tls`, off over HTTP. The `cci` profile has no anonymous user.
   */
  anonymousAuth?: boolean;
  /** `cci` profile: the IAM user who may get tokens (default DEMO_IAM_USER). */
  iamUser?: IamUser;
  /** `cci` profile: access keys for AK/SK signing (default DEMO_ACCESS_KEY and DEMO_TEMPORARY_KEY). */
  accessKeys?: AccessKey[];
  /** `cci` profile: how long an issued IAM token is accepted (default 24 h, as IAM's). */
  tokenLifetimeMs?: number;
  /** The mock's clock in epoch ms (default Date.now): token expiry and the X-Sdk-Date window use it. */
  now?: () => number;
  faults?: FaultOptions;
  /**
   * API-server mode: HTTPS that requests a client certificate but does not require one, as
   * kube-apiserver does. A certificate signed by `ca` authenticates; so does a token; a certificate
   * from another CA gets 401. createThrowawayPki() makes a certificate set for tests.
   */
  tls?: TlsOptions;
  limits?: LimitOptions;
  /**
   * Namespaces that exist besides the four every cluster has and those of the served objects: a
   * create elsewhere is 404 NotFound for the namespace, as kube-apiserver answers.
   */
  namespaces?: string[];
  /** Called after each request with what was answered (never with headers: tokens stay out of logs). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number | 'reset';
  durationMs: number;
}

export interface MockServerStats {
  /** Requests that reached the handler. */
  requests: number;
  /** Answers by HTTP status. */
  responses: Record<number, number>;
  /** Connections reset by the reset fault. */
  resets: number;
  /** Requests the HTTP layer refused (malformed, too large, too slow). */
  clientErrors: number;
  /** TLS handshakes refused (no or untrusted client certificate). */
  tlsRejections: number;
}

export interface MockServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** The objects served: apply, delete, get, list. Every change bumps the resourceVersion and reaches watchers. */
  store: MockStore;
  /** Counters since start (a snapshot). */
  stats(): MockServerStats;
  /** Stops listening, drops open connections and pending delayed answers. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'mock-token';

/** The most synthetic Services `generate` may ask for (each all-namespace list of them is about 100 MB). */
export const MAX_GENERATE = 200_000;

/**
 * Requests of one connection waiting for their turn (HTTP/1.1 pipelining) before the mock stops
 * reading that connection. Answers are built one at a time per connection, each only once the one
 * before it has been handed to the operating system, so a client that pipelines and never reads
 * holds at most one answer in the mock's memory.
 */
const MAX_QUEUED_PER_CONNECTION = 32;

/** Methods whose body the operation reads. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The gateway of the `cci` profile from the options; undefined for `kube`, which refuses its options. */
function gatewayFor(options: MockServerOptions, tokens: readonly TokenSpec[]): Gateway | undefined {
  const profile = options.profile ?? 'cci';
  if (profile !== 'cci' && profile !== 'kube' && profile !== 'cce')
    throw new RangeError(`profile must be 'cci', 'kube' or 'cce', got ${JSON.stringify(profile)}`);
  if (profile !== 'cci') {
    const misplaced = (['iamUser', 'accessKeys', 'tokenLifetimeMs'] as const).filter(
      (name) => options[name] !== undefined,
    );
    if (misplaced.length > 0)
      throw new RangeError(`${misplaced.join(', ')}: only the 'cci' profile signs in through IAM and AK/SK`);
    return undefined;
  }
  if (options.anonymousAuth)
    throw new RangeError("anonymousAuth: the 'cci' profile has no anonymous user (the gateway answers 401)");
  return createGateway({
    tokens,
    iamUser: options.iamUser ?? DEMO_IAM_USER,
    accessKeys: options.accessKeys ?? [DEMO_ACCESS_KEY, DEMO_TEMPORARY_KEY],
    tokenLifetimeMs: options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
    now: options.now ?? Date.now,
    maxBodyBytes: options.limits?.maxBodyBytes ?? 12 * 1024 * 1024,
  });
}

function clientErrorStatus(code: string | undefined): { status: number; reason?: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, reason: 'RequestEntityTooLarge', message: 'request header fields too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, reason: 'Timeout', message: 'the client did not send a complete request in time' };
  return { status: 400, message: 'malformed HTTP request' };
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const spec = options.spec ?? loadBundledSpec();
  const catalog = createStatusCatalog(spec);
  const validator = createSpecValidator(spec);
  const validate = (kind: string, object: unknown) => validator.validate(`#/components/schemas/${kind}`, object);
  const objects: KubeObject[] = loadFixtures(options.fixtures, spec, validator);
  if (options.generate !== undefined) {
    const { generate } = options;
    if (!Number.isSafeInteger(generate) || generate < 0 || generate > MAX_GENERATE) {
      throw new RangeError(
        `generate: expected a whole number of Services between 0 and ${MAX_GENERATE}, got ${String(generate)}`,
      );
    }
    // One by one: spreading 130,000 arguments into push() overflows the stack.
    for (const service of generateServices(generate)) objects.push(service as unknown as KubeObject);
  }
  for (const namespace of options.namespaces ?? []) {
    if (typeof namespace !== 'string' || !isDns1123Label(namespace))
      throw new RangeError(`namespaces: ${JSON.stringify(namespace)} is not a namespace name (a DNS-1123 label)`);
  }
  const faults = createFaultInjector(options.faults);
  const tokens = options.tokens ?? [DEFAULT_TOKEN];
  checkTokens(tokens);
  const gateway = gatewayFor(options, tokens);
  // Client certificates are kube-apiserver's; the CCI gateway serves HTTPS without asking for one.
  const mutualTls = Boolean(options.tls) && !gateway;
  const store = createStore(objects, {
    validate,
    ...(options.historySize !== undefined ? { historySize: options.historySize } : {}),
    ...(options.faults?.provisioning ? { provisioning: options.faults.provisioning } : {}),
  });
  const handle = createHandler({
    spec,
    routes: compileRoutes(spec),
    catalog,
    store,
    faults,
    tokens,
    mutualTls,
    anonymous: !gateway && (options.anonymousAuth ?? Boolean(options.tls)),
    ...(options.watch ? { watch: options.watch } : {}),
    ...(gateway && { gateway }),
    writes: createWriteContext(store, { profile: options.profile ?? 'cci', namespaces: options.namespaces ?? [] }),
  });

  const limits = options.limits ?? {};
  const requestTimeout = limits.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(limits.headersTimeoutMs ?? 10_000, requestTimeout);
  const serverOptions = {
    maxHeaderSize: limits.maxHeaderSize ?? 16 * 1024,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
    // Node checks the two timeouts on this interval (30 s by default): keep it a fraction of them.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    // Checked by the handler, so the answer carries a Status body.
    requireHostHeader: false,
  };

  const stats: MockServerStats = { requests: 0, responses: {}, resets: 0, clientErrors: 0, tlsRejections: 0 };
  const pending = new Set<NodeJS.Timeout>();
  /** Open watch streams, ended on close() so that nothing hangs. */
  const streams = new Set<ServerResponse>();

  /** Per connection: whether an answer is being built or sent, and the pipelined requests behind it. */
  const connections = new WeakMap<Socket, { busy: boolean; waiting: Array<() => void>; paused: boolean }>();

  /**
   * Node parses every request of a pipelined chunk at once and would have each answer built at once
   * (it only queues the bytes): 400 LISTs of 10 MB each in one 45 KB write. Here a connection's
   * requests are served in turn, the next one only after the answer before it is written out (its
   * 'finish') or the connection is gone; past MAX_QUEUED_PER_CONNECTION waiting, the socket is
   * paused until they drain. Node writes pipelined answers in order anyway, so nothing is slower.
   */
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    let connection = connections.get(socket);
    if (!connection) connections.set(socket, (connection = { busy: false, waiting: [], paused: false }));
    const state = connection;
    const run = () => {
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
      serve(req, res);
    };
    if (!state.busy) return run();
    state.waiting.push(run);
    if (!state.paused && state.waiting.length >= MAX_QUEUED_PER_CONNECTION) {
      state.paused = true;
      socket.pause();
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    stats.requests += 1;
    // The gateway reads what it must hash or parse; a write's body is read up to kube-apiserver's
    // limit (one byte more tells the operation it was too large).
    const gatewayLimit = gateway?.bodyLimit(splitTarget(req.url ?? '/')?.rawPath ?? '', req.headers) ?? 0;
    // The gateway's limit comes first when it reads the body (IAM's 64 KiB, a signed request's 12 MiB).
    const bodyLimit = gatewayLimit > 0 ? gatewayLimit : WRITE_METHODS.has(req.method ?? '') ? MAX_WRITE_BODY_BYTES : 0;
    if (bodyLimit === 0) {
      // The body of a GET means nothing here; read and drop it so keep-alive works.
      req.resume();
      answer(req, res, started, undefined);
    } else {
      void readBoundedBody(req, bodyLimit).then((body) => body && answer(req, res, started, body));
    }
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    body: Buffer | 'too-large' | undefined,
  ) => {
    const socket = req.socket as Socket & Partial<TLSSocket>;
    let verdict: MockReply;
    try {
      verdict = handle({
        method: req.method ?? 'GET',
        httpVersion: req.httpVersion,
        url: req.url ?? '/',
        headers: req.headers,
        ...(mutualTls && { clientCertificate: clientCertificateOf(socket as TLSSocket) }),
        ...(body !== undefined && { body }),
      });
    } catch (error) {
      // A bug in the mock must cost one request, never the process.
      const body = JSON.stringify(
        catalog.build(500, { message: `Internal error occurred: ${(error as Error)?.message ?? String(error)}` }),
      );
      verdict = { kind: 'reply', status: 500, headers: { 'content-type': 'application/json' }, body };
    }
    const send = () => {
      if (res.destroyed || socket.destroyed) return;
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (verdict.kind === 'reset') {
        stats.resets += 1;
        // An RST, not a FIN: the client sees ECONNRESET, as when a gateway drops the connection.
        socket.resetAndDestroy();
        options.onRequest?.({
          method: req.method ?? '',
          path,
          status: 'reset',
          durationMs: performance.now() - started,
        });
        return;
      }
      stats.responses[verdict.status] = (stats.responses[verdict.status] ?? 0) + 1;
      if (verdict.kind === 'stream') {
        // Chunked, with the head sent at once: a watcher learns the watch started before any event.
        res.writeHead(verdict.status, verdict.headers);
        res.flushHeaders();
        streams.add(res);
        const closers: Array<() => void> = [];
        res.once('close', () => {
          streams.delete(res);
          for (const closer of closers) closer();
          options.onRequest?.({
            method: req.method ?? '',
            path,
            status: verdict.status,
            durationMs: performance.now() - started,
          });
        });
        verdict.start({
          write: (line) => res.write(line),
          end: () => res.end(),
          backlog: () => res.writableLength,
          onClose: (callback) => closers.push(callback),
        });
        return;
      }
      res.writeHead(verdict.status, { ...verdict.headers, 'content-length': String(Buffer.byteLength(verdict.body)) });
      res.end(verdict.body);
      options.onRequest?.({
        method: req.method ?? '',
        path,
        status: verdict.status,
        durationMs: performance.now() - started,
      });
    };
    // A timer holds at most 2^31-1 ms; a longer --delay would otherwise fire after 1 ms.
    const delay = clampDelay(faults.delayMs());
    if (delay <= 0) return send();
    const timer = setTimeout(() => {
      pending.delete(timer);
      send();
    }, delay);
    pending.add(timer);
  };

  const server: Server = options.tls
    ? createHttpsServer(
        {
          ...serverOptions,
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: mutualTls,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        onRequest,
      )
    : createHttpServer(serverOptions, onRequest);

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    stats.clientErrors += 1;
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
  });
  server.on('tlsClientError', (_error: Error, socket: Socket) => {
    stats.tlsRejections += 1;
    socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    store,
    stats: () => structuredClone(stats),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        store.close();
        server.close(() => resolve());
        // End watch streams cleanly (their last chunk is sent, so a watcher sees the end of the
        // stream, not a reset), waiting a moment at most, then drop every connection left.
        const ended = [...streams].map(
          (stream) =>
            new Promise<void>((done) => {
              stream.once('close', () => done());
              stream.end();
            }),
        );
        streams.clear();
        const grace = new Promise<void>((done) => setTimeout(done, 500).unref());
        void Promise.race([Promise.all(ended), grace]).then(() => server.closeAllConnections());
      });
      return closing;
    },
  };
}

/** What the handshake said about the client's certificate: kube-apiserver verifies it per request. */
function clientCertificateOf(socket: TLSSocket): { presented: boolean; verified: boolean; commonName?: string } {
  const peer = socket.getPeerCertificate?.();
  const presented = Boolean(peer && Object.keys(peer).length > 0);
  const commonName = presented && typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
  return { presented, verified: presented && socket.authorized, ...(commonName !== undefined && { commonName }) };
}

// startMockServer: the HTTP(S) server around the request path (handler.ts), hardened against bad
// clients (bounded header size, header and request timeouts, malformed requests answered with a
// Status or closed) so that one bad connection never stops it serving the others. Its parts:
// http/setup.ts (options → gateway, objects, limits), http/connection-queue.ts (one request at a
// time per connection), http/write-reply.ts, http/client-errors.ts.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import { createSpecValidator } from '@cci-openapi/spec-kit';
import { checkTokens, type TokenSpec } from './auth.js';
import { readBoundedBody } from './body.js';
import { createFaultInjector, type FaultOptions } from './faults.js';
import type { AccessKey, IamUser } from './gateway/credentials.js';
import { createHandler, splitTarget, type MockReply } from './handler.js';
import { answerClientError } from './http/client-errors.js';
import { queuePerConnection } from './http/connection-queue.js';
import { gatewayFor, initialObjects, nodeServerOptions } from './http/setup.js';
import { writeReply, type ReplyLog } from './http/write-reply.js';
import { compileRoutes } from './routes.js';
import { loadBundledSpec, type OpenApiDocument } from './spec.js';
import { createStatusCatalog } from './status.js';
import { createStore, type MockStore } from './store.js';
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

export { MAX_GENERATE } from './http/setup.js';

/** Methods whose body the operation reads. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Longer than ~60 lines on purpose: it is the one closure over a server's state (stats, pending
 * delay timers, open watch streams) and reads as the steps of a start — build the parts, serve a
 * request (read body → handle → delay → write), listen, close — each of them a named function here
 * or in http/.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the one closure over a server's state (see above)
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const spec = options.spec ?? loadBundledSpec();
  const catalog = createStatusCatalog(spec);
  const validator = createSpecValidator(spec);
  const validate = (kind: string, object: unknown) => validator.validate(`#/components/schemas/${kind}`, object);
  const objects = initialObjects(options, spec, validator);
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

  const stats: MockServerStats = { requests: 0, responses: {}, resets: 0, clientErrors: 0, tlsRejections: 0 };
  const pending = new Set<NodeJS.Timeout>();
  /** Open watch streams, ended on close() so that nothing hangs. */
  const streams = new Set<ServerResponse>();

  // read body → handle → (delay) → write: the steps of one request once its turn has come.
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

  const handleSafely = (req: IncomingMessage, body: Buffer | 'too-large' | undefined): MockReply => {
    try {
      return handle({
        method: req.method ?? 'GET',
        httpVersion: req.httpVersion,
        url: req.url ?? '/',
        headers: req.headers,
        ...(mutualTls && { clientCertificate: clientCertificateOf(req.socket as TLSSocket) }),
        ...(body !== undefined && { body }),
      });
    } catch (error) {
      // A bug in the mock must cost one request, never the process.
      const message = `Internal error occurred: ${(error as Error)?.message ?? String(error)}`;
      const status = JSON.stringify(catalog.build(500, { message }));
      return { kind: 'reply', status: 500, headers: { 'content-type': 'application/json' }, body: status };
    }
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    body: Buffer | 'too-large' | undefined,
  ) => {
    const reply = handleSafely(req, body);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const log: ReplyLog = {
      done: (status) => {
        if (status === 'reset') stats.resets += 1;
        options.onRequest?.({ method: req.method ?? '', path, status, durationMs: performance.now() - started });
      },
      streamOpened: (stream) => streams.add(stream),
      streamClosed: (stream) => streams.delete(stream),
    };
    const send = () => {
      if (reply.kind !== 'reset' && !res.destroyed && !req.socket.destroyed)
        stats.responses[reply.status] = (stats.responses[reply.status] ?? 0) + 1;
      writeReply(req, res, reply, log);
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

  const server = createNodeServer(options, mutualTls, queuePerConnection(serve));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    stats.clientErrors += 1;
    answerClientError(catalog, error, socket);
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

/** HTTP, or HTTPS that asks for a client certificate in API-server mode (kube-apiserver checks it per request). */
function createNodeServer(
  options: MockServerOptions,
  mutualTls: boolean,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const serverOptions = nodeServerOptions(options.limits);
  if (!options.tls) return createHttpServer(serverOptions, listener);
  const { cert, key, ca } = options.tls;
  const tls = { cert, key, ca, requestCert: mutualTls, rejectUnauthorized: false, minVersion: 'TLSv1.2' as const };
  return createHttpsServer({ ...serverOptions, ...tls }, listener);
}

/** What the handshake said about the client's certificate: kube-apiserver verifies it per request. */
function clientCertificateOf(socket: TLSSocket): { presented: boolean; verified: boolean; commonName?: string } {
  const peer = socket.getPeerCertificate?.();
  const presented = Boolean(peer && Object.keys(peer).length > 0);
  const commonName = presented && typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
  return { presented, verified: presented && socket.authorized, ...(commonName !== undefined && { commonName }) };
}

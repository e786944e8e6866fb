// The connections of a kubeconfig client whose exec plugin may give a client certificate
// (status.clientCertificateData and clientKeyData), which kubectl presents in the TLS handshake.
// The certificate is only known once the plugin has run, and it changes when the plugin runs
// again (expirationTimestamp, or a 401), so it cannot be fixed TLS options of a pool:
// - node:https: an Agent whose createConnection waits for the plugin's current credential and
//   connects with its certificate. A connection made with an older certificate is not reused:
//   idle ones are closed as soon as a new certificate comes, busy ones when their request ends.
// - undici (a fetch of the caller's): a dispatcher that sends through one undici Agent per
//   certificate; when a new one comes, the old Agent takes no more requests and closes once those
//   it carries have ended.
// TLS sessions are never resumed (maxCachedSessions 0): a resumed session keeps the identity of
// the handshake it came from. A token the plugin gives as well goes in Authorization, as kubectl
// sends both.
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type * as Undici from 'undici';
import type { ExecCredential } from './exec-credential.js';
import type { ExecCredentialProvider } from './exec-plugin.js';

type ClientCertificate = NonNullable<ExecCredential['clientCertificate']>;

/** The TLS settings of the kubeconfig's cluster (CA, server name, verification), without a client certificate. */
export interface ExecTlsOptions {
  ca?: string | Uint8Array;
  servername?: string;
  rejectUnauthorized?: boolean;
}

/**
 * Which client certificate connections are made with now. `generation` moves on each time the
 * plugin gives a different one (a token renewed alone leaves the connections as they are).
 */
function certificateTracker(provider: ExecCredentialProvider, onChange: () => void) {
  let current: ClientCertificate | undefined;
  let generation = 0;
  provider.onCredential(({ clientCertificate }) => {
    if (sameCertificate(clientCertificate, current)) return;
    current = clientCertificate;
    generation++;
    onChange();
  });
  return {
    get generation() {
      return generation;
    },
    /** The generation a connection made with `certificate` belongs to; -1 (never reused) when that is not the current one any more. */
    generationOf: (certificate: ClientCertificate | undefined) =>
      sameCertificate(certificate, current) ? generation : -1,
  };
}

function sameCertificate(a: ClientCertificate | undefined, b: ClientCertificate | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.cert === b.cert && a.key === b.key);
}

/** The plugin's current client certificate as TLS options (none when it gave only a token). */
const certificateOptions = (certificate: ClientCertificate | undefined) =>
  certificate ? { cert: certificate.cert, key: certificate.key } : {};

/**
 * The https.Agent of the node:http wire (node-wire.ts) for a kubeconfig user with an exec plugin:
 * keep-alive, the cluster's TLS settings, the plugin's client certificate.
 */
export class ExecCertificateAgent extends Agent {
  readonly #provider: ExecCredentialProvider;
  readonly #tracker: ReturnType<typeof certificateTracker>;
  /** The generation each connection was made in. */
  readonly #made = new WeakMap<Duplex, number>();

  constructor(provider: ExecCredentialProvider, tls: ExecTlsOptions) {
    super({ ...(tls as AgentOptions), keepAlive: true, maxCachedSessions: 0 });
    this.#provider = provider;
    this.#tracker = certificateTracker(provider, () => this.#closeIdle());
  }

  /** Connects once the plugin's credential is known (the call that needs it has it already: the transport asked first). */
  override createConnection(
    options: RequestOptions,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): undefined {
    const fail = (error: unknown) =>
      callback?.(error instanceof Error ? error : new Error(String(error)), undefined as never);
    this.#provider.credential().then(({ clientCertificate }) => {
      try {
        // https.Agent's own connection (tls.connect), with the certificate added to the options.
        const socket = super.createConnection({ ...options, ...certificateOptions(clientCertificate) });
        if (!socket) return fail(new Error('no connection was made'));
        this.#made.set(socket, this.#tracker.generationOf(clientCertificate));
        callback?.(null, socket);
      } catch (error) {
        fail(error);
      }
    }, fail);
    return undefined;
  }

  /**
   * A connection made with an older certificate is closed when its request ends rather than kept.
   * (The pool has no socket limit, so no queued request is handed a connection without this check.)
   */
  override keepSocketAlive(socket: Duplex): boolean {
    if (this.#made.get(socket) !== this.#tracker.generation) return false;
    // Node's returns true (typed void in @types/node).
    return super.keepSocketAlive(socket) as unknown as boolean;
  }

  /** A new certificate: every idle connection was made with an older one. */
  #closeIdle(): void {
    for (const sockets of Object.values(this.freeSockets)) {
      for (const socket of sockets ?? []) if (this.#made.get(socket) !== this.#tracker.generation) socket.destroy();
    }
  }
}

type UndiciAgent = InstanceType<typeof Undici.Agent>;
type Connector = ReturnType<typeof Undici.buildConnector>;

export interface ExecDispatcher {
  dispatch: UndiciAgent['dispatch'];
  /** Closes every Agent once its requests have ended. */
  close(): Promise<void>;
  /** Closes every Agent and connection now. */
  destroy(): Promise<void>;
}

/**
 * The undici dispatcher for a kubeconfig client given a fetch, with an exec plugin: the cluster's
 * TLS settings, the plugin's client certificate, and a fresh pool for each new certificate.
 */
export function createExecDispatcher(
  undici: Pick<typeof Undici, 'Agent' | 'buildConnector'>,
  provider: ExecCredentialProvider,
  tls: ExecTlsOptions,
  agentOptions: Pick<Undici.Agent.Options, 'headersTimeout' | 'bodyTimeout'>,
): ExecDispatcher {
  let connector: { certificate: ClientCertificate | undefined; connect: Connector } | undefined;
  const connectorFor = (certificate: ClientCertificate | undefined): Connector => {
    if (connector === undefined || !sameCertificate(connector.certificate, certificate)) {
      connector = {
        certificate,
        connect: undici.buildConnector({
          ...(tls as object),
          ...certificateOptions(certificate),
          maxCachedSessions: 0,
        }),
      };
    }
    return connector.connect;
  };
  const connect: Connector = (options, callback) => {
    const fail = (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null);
    provider.credential().then(({ clientCertificate }) => {
      try {
        connectorFor(clientCertificate)(options, callback);
      } catch (error) {
        fail(error);
      }
    }, fail);
  };
  const newAgent = () => new undici.Agent({ ...agentOptions, connect });
  let agent = newAgent();
  /** Agents of older certificates, closing once their requests have ended. */
  const retired = new Set<UndiciAgent>();
  certificateTracker(provider, () => {
    const old = agent;
    agent = newAgent();
    retired.add(old);
    old.close().then(
      () => retired.delete(old),
      () => retired.delete(old),
    );
  });
  const all = () => [agent, ...retired];
  return {
    dispatch: (options, handler) => agent.dispatch(options, handler),
    close: async () => {
      await Promise.all(all().map((each) => each.close()));
    },
    destroy: async () => {
      await Promise.all(all().map((each) => each.destroy()));
    },
  };
}

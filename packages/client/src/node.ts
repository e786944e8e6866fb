// @cci-openapi/client/node — the Node-only entry: everything of the main entry, plus a client
// built from a kubeconfig (YAML or JSON; TLS, client certificates, tokens and exec credential
// plugins over node:https).
import type * as Undici from 'undici';
import {
  checkExecTimeout,
  createExecCredentialProvider,
  type ExecClusterInfo,
  type ExecCredentialProvider,
} from './auth/exec-plugin.js';
import { createExecDispatcher, ExecCertificateAgent } from './auth/exec-tls.js';
import { CREDENTIAL_OPTIONS } from './auth/token-source.js';
import {
  buildCciClient,
  CLIENT_DEFAULTS,
  type CciClient,
  type CciClientOptions,
  type ClientInternals,
} from './client/client.js';
import { CciInputError } from './errors/classes.js';
import { isLoadedKubeconfig, loadKubeconfig, readTokenFile, type KubeconfigCredentials } from './node/kubeconfig.js';
import { loadUndici, type UndiciApi } from './node/undici-peer.js';

export * from './index.js';
export { loadKubeconfig };
export type { KubeconfigCredentials };
export type { ExecApiVersion, ExecInteractiveMode, ExecPluginConfig } from './auth/exec-config.js';

export interface KubeconfigClientOptions extends Omit<CciClientOptions, 'baseUrl' | 'region' | 'dispatcher'> {
  /** Path of a kubeconfig (YAML or JSON), its text, the parsed object, or what loadKubeconfig returned. */
  kubeconfig: string | object;
  /** Context to use; default current-context. CCI writes `internal` (private IP) and `external` (EIP). */
  context?: string;
  /** Turns off TLS certificate verification. Only when you explicitly ask; a warning goes to stderr. */
  insecureSkipTlsVerify?: boolean;
  /** How long one run of the user's exec credential plugin may take before it is killed (with its process group). Default 30 000 ms. */
  execTimeoutMs?: number;
}

/** How often a kubeconfig tokenFile is read again (client-go caches it for a minute too). */
const TOKEN_FILE_REFRESH_MS = 60_000;

/** The options that carry a credential of their own: any of them replaces the kubeconfig user's. */
const EXPLICIT_CREDENTIALS = ['iam', 'credentials', ...CREDENTIAL_OPTIONS] as const;

/**
 * A client for the kube-apiserver a kubeconfig names (for CCI, https://{apiserver}:5443). The
 * server is verified against the file's CA. The user proves who it is with its client certificate
 * and/or its token or tokenFile, sent as `Authorization: Bearer` as every Kubernetes client does,
 * or with what its exec credential plugin prints (cci-iam-authenticator …), which is run as
 * kubectl runs it, when a request needs it: a token (sent as `Authorization: Bearer`) and/or a
 * client certificate (presented in the TLS handshake; connections made with an older one are not
 * reused once the plugin gives a new one). A credential passed here (token, getToken, bearerToken,
 * getBearerToken, iam, credentials) replaces the file's. auth-provider users are refused.
 * Requests go over node:https with a keep-alive pool; a `fetch` passed here is used instead and
 * gets the TLS settings as an undici dispatcher (install undici, an optional peer, for that).
 * Call close() when done to release the connection pool (and stop a plugin still running).
 */
export function createCciClientFromKubeconfig(options: KubeconfigClientOptions): CciClient {
  if (typeof options !== 'object' || options === null)
    throw new CciInputError('createCciClientFromKubeconfig needs an options object.');
  const { kubeconfig, context, insecureSkipTlsVerify, execTimeoutMs, ...clientOptions } = options;
  checkExecTimeout(execTimeoutMs);
  const credentials = isLoadedKubeconfig(kubeconfig) ? kubeconfig : loadKubeconfig(kubeconfig, context);
  if (context !== undefined && context !== credentials.context)
    throw new CciInputError(
      `context ${JSON.stringify(context)} differs from the loaded kubeconfig's context ${JSON.stringify(credentials.context)}.`,
    );
  const explicitAuth = EXPLICIT_CREDENTIALS.some(
    (key) => (clientOptions as Record<string, unknown>)[key] !== undefined,
  );
  if (credentials.plugin === 'auth-provider' && !explicitAuth) {
    throw new CciInputError(
      `kubeconfig user of context ${JSON.stringify(credentials.context)} gets its credentials from an auth-provider plugin, which this client does not run (they are deprecated in kubectl too). ` +
        'Pass the token yourself (bearerToken, or getBearerToken for a refreshing one), or use a kubeconfig with a token, tokenFile, client certificate or exec plugin.',
    );
  }
  const insecure = insecureSkipTlsVerify === true;
  if (insecure) {
    process.stderr.write(
      `warning: @cci-openapi/client: TLS certificate verification is OFF for ${credentials.server} (insecureSkipTlsVerify: true). ` +
        'Anyone on the network path can read and change this traffic, including the credentials.\n',
    );
  }
  const tls = {
    ...(credentials.ca && { ca: credentials.ca }),
    ...(credentials.cert && { cert: credentials.cert }),
    ...(credentials.key && { key: credentials.key }),
    ...(credentials.tlsServerName !== undefined && { servername: credentials.tlsServerName }),
    rejectUnauthorized: !insecure,
  };
  const plugin = explicitAuth
    ? undefined
    : execPluginOf(credentials, { timeoutMs: execTimeoutMs, clock: clientOptions.clock, insecure });
  const auth = !explicitAuth && bearerFrom(credentials);
  // The plugin runs when a request first needs its credential (so this stays synchronous), then as
  // it expires or is refused; close() stops a run in progress.
  const exec: ClientInternals = plugin ? { bearer: plugin, onClose: async () => plugin.close() } : {};
  // The usual case: the node:http wire, its https pool carrying the kubeconfig's CA and client
  // certificate, or, for an exec plugin, the certificate the plugin gives (whether it gives one is
  // only known once it has run).
  if (clientOptions.fetch === undefined) {
    const httpsAgent = plugin && new ExecCertificateAgent(plugin, tls);
    try {
      return buildCciClient(
        { ...auth, ...clientOptions, baseUrl: credentials.server },
        { tls, ...exec, ...(httpsAgent && { httpsAgent }) },
      );
    } catch (error) {
      httpsAgent?.destroy();
      throw error;
    }
  }
  // A fetch of the caller's (to watch or shape requests) gets the same TLS as an undici dispatcher,
  // so undici, an optional peer, is needed for this case only.
  const undici = loadUndici() as UndiciApi & Pick<typeof Undici, 'buildConnector'>;
  const timeoutMs = clientOptions.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
  // Socket-level timeouts as well, so a stalled connection is closed by undici itself.
  const agentOptions = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  const agent = plugin
    ? createExecDispatcher(undici, plugin, tls, agentOptions)
    : new undici.Agent({ connect: tls, ...agentOptions });
  try {
    // destroy, not close: close() waits for requests in flight, and a stalled server never ends them.
    const onClose = async () => {
      plugin?.close();
      await agent.destroy();
    };
    return buildCciClient(
      { ...auth, ...clientOptions, baseUrl: credentials.server, dispatcher: agent },
      { ...exec, onClose },
    );
  } catch (error) {
    void agent.close();
    throw error;
  }
}

/**
 * The user's exec plugin, when it is what proves who the user is. As client-go: a token, token file
 * or client certificate in the kubeconfig wins, and the plugin is then not run.
 */
function execPluginOf(
  credentials: KubeconfigCredentials,
  options: { timeoutMs: number | undefined; clock: { now(): number } | undefined; insecure: boolean },
): ExecCredentialProvider | undefined {
  const { exec } = credentials;
  if (!exec || credentials.token !== undefined || credentials.tokenFile !== undefined || credentials.cert !== undefined)
    return undefined;
  const cluster: ExecClusterInfo = {
    server: credentials.server,
    ...(credentials.ca && { 'certificate-authority-data': credentials.ca.toString('base64') }),
    ...(credentials.tlsServerName !== undefined && { 'tls-server-name': credentials.tlsServerName }),
    ...(options.insecure && { 'insecure-skip-tls-verify': true }),
  };
  return createExecCredentialProvider(exec, {
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.clock !== undefined && { clock: options.clock }),
    cluster,
  });
}

/** The file's token as a bearer credential: fixed, or re-read from tokenFile at most once a minute. */
function bearerFrom(credentials: KubeconfigCredentials): Pick<CciClientOptions, 'bearerToken' | 'getBearerToken'> {
  const { token, tokenFile } = credentials;
  if (tokenFile === undefined) return token === undefined ? {} : { bearerToken: token };
  let current = token;
  let readAt = Date.now();
  return {
    getBearerToken: () => {
      if (current === undefined || Date.now() - readAt >= TOKEN_FILE_REFRESH_MS) {
        readAt = Date.now();
        try {
          current = readTokenFile(tokenFile);
        } catch (error) {
          // As client-go: keep the last good token while the file is being replaced.
          if (current === undefined) throw new CciInputError(`kubeconfig tokenFile: ${(error as Error).message}`);
        }
      }
      return current;
    },
  };
}

// @cci-openapi/client/node — the Node-only entry: everything of the main entry, plus a client
// built from a kubeconfig (YAML or JSON; TLS, client certificates and tokens over node:https).
import { CREDENTIAL_OPTIONS } from './auth.js';
import { buildCciClient, CLIENT_DEFAULTS, type CciClient, type CciClientOptions } from './client.js';
import { CciInputError } from './errors.js';
import { isLoadedKubeconfig, loadKubeconfig, readTokenFile, type KubeconfigCredentials } from './kubeconfig.js';
import { loadUndici } from './undici-peer.js';

export * from './index.js';
export { loadKubeconfig };
export type { KubeconfigCredentials };

export interface KubeconfigClientOptions extends Omit<CciClientOptions, 'baseUrl' | 'region' | 'dispatcher'> {
  /** Path of a kubeconfig (YAML or JSON), its text, the parsed object, or what loadKubeconfig returned. */
  kubeconfig: string | object;
  /** Context to use; default current-context. CCI writes `internal` (private IP) and `external` (EIP). */
  context?: string;
  /** Turns off TLS certificate verification. Only when you explicitly ask; a warning goes to stderr. */
  insecureSkipTlsVerify?: boolean;
}

/** How often a kubeconfig tokenFile is read again (client-go caches it for a minute too). */
const TOKEN_FILE_REFRESH_MS = 60_000;

/**
 * A client for the kube-apiserver a kubeconfig names (for CCI, https://{apiserver}:5443). The
 * server is verified against the file's CA. The user proves who it is with its client certificate
 * and/or its token or tokenFile, sent as `Authorization: Bearer` as every Kubernetes client does.
 * A credential passed here (token, getToken, bearerToken, getBearerToken) replaces the file's token.
 * exec and auth-provider users are refused: their commands and plugins are not run, on purpose.
 * Requests go over node:https with a keep-alive pool; a `fetch` passed here is used instead and
 * gets the TLS settings as an undici dispatcher (install undici, an optional peer, for that).
 * Call close() when done to release the connection pool.
 */
export function createCciClientFromKubeconfig(options: KubeconfigClientOptions): CciClient {
  if (typeof options !== 'object' || options === null) throw new CciInputError('createCciClientFromKubeconfig needs an options object.');
  const { kubeconfig, context, insecureSkipTlsVerify, ...clientOptions } = options;
  const credentials = isLoadedKubeconfig(kubeconfig) ? kubeconfig : loadKubeconfig(kubeconfig, context);
  if (context !== undefined && context !== credentials.context)
    throw new CciInputError(`context ${JSON.stringify(context)} differs from the loaded kubeconfig's context ${JSON.stringify(credentials.context)}.`);
  const explicitAuth = CREDENTIAL_OPTIONS.some((key) => clientOptions[key] !== undefined);
  if (credentials.plugin && !explicitAuth) {
    throw new CciInputError(
      `kubeconfig user of context ${JSON.stringify(credentials.context)} gets its credentials from ${credentials.plugin === 'exec' ? 'an exec command' : 'an auth-provider plugin'}, which this client does not run (that would execute a program named in a file). ` +
        'Pass the token yourself (bearerToken, or getBearerToken for a refreshing one), or use a kubeconfig with a token, tokenFile or client certificate.',
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
  const auth = !explicitAuth && bearerFrom(credentials);
  // The usual case: the node:http wire, its https pool carrying the kubeconfig's CA and client certificate.
  if (clientOptions.fetch === undefined) return buildCciClient({ ...auth, ...clientOptions, baseUrl: credentials.server }, { tls });
  // A fetch of the caller's (to watch or shape requests) gets the same TLS as an undici dispatcher,
  // so undici, an optional peer, is needed for this case only.
  const { Agent } = loadUndici();
  const timeoutMs = clientOptions.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
  // Socket-level timeouts as well, so a stalled connection is closed by undici itself.
  const agent = new Agent({ connect: tls, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    // destroy, not close: close() waits for requests in flight, and a stalled server never ends them.
    return buildCciClient({ ...auth, ...clientOptions, baseUrl: credentials.server, dispatcher: agent }, { onClose: () => agent.destroy() });
  } catch (error) {
    void agent.close();
    throw error;
  }
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

// @cce-openapi/client/node — the Node-only entry: everything of the main entry, plus a client
// built from a CCE kubeconfig.json (mutual TLS to the cluster's kube-apiserver through undici).
import { Agent, fetch as undiciFetch } from 'undici';
import { buildCceClient, CLIENT_DEFAULTS, type CceClient, type CceClientOptions } from './client.js';
import { CceInputError } from './errors.js';
import { loadKubeconfig } from './kubeconfig.js';

export * from './index.js';

export interface KubeconfigClientOptions extends Omit<CceClientOptions, 'baseUrl' | 'clusterId' | 'region' | 'dispatcher'> {
  /** Path of kubeconfig.json, its JSON text, or the parsed object. */
  kubeconfig: string | object;
  /** Context to use; default current-context. CCE writes `internal` (private IP) and `external` (EIP). */
  context?: string;
  /** Turns off TLS certificate verification. Only when you explicitly ask; a warning goes to stderr. */
  insecureSkipTlsVerify?: boolean;
}

/**
 * A client for the cluster's kube-apiserver (https://{apiserver}:5443) authenticated by the client
 * certificate of a CCE kubeconfig.json, verified against the cluster CA from the same file. Call
 * close() when done to release the connection pool.
 */
export function createCceClientFromKubeconfig(options: KubeconfigClientOptions): CceClient {
  if (typeof options !== 'object' || options === null) throw new CceInputError('createCceClientFromKubeconfig needs an options object.');
  const { kubeconfig, context, insecureSkipTlsVerify, ...clientOptions } = options;
  const credentials = loadKubeconfig(kubeconfig, context);
  const insecure = insecureSkipTlsVerify === true;
  if (insecure) {
    process.stderr.write(
      `warning: @cce-openapi/client: TLS certificate verification is OFF for ${credentials.server} (insecureSkipTlsVerify: true). ` +
        'Anyone on the network path can read and change this traffic, including the credentials.\n',
    );
  }
  const timeoutMs = clientOptions.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
  const agent = new Agent({
    connect: {
      ...(credentials.ca && { ca: credentials.ca }),
      ...(credentials.cert && { cert: credentials.cert }),
      ...(credentials.key && { key: credentials.key }),
      rejectUnauthorized: !insecure,
    },
    // Socket-level timeouts as well, so a stalled connection is closed by undici itself.
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const hasAuth = clientOptions.token !== undefined || clientOptions.getToken !== undefined;
  try {
    return buildCceClient(
      {
        ...(credentials.token && !hasAuth && { token: credentials.token }),
        ...clientOptions,
        baseUrl: credentials.server,
        // undici's own fetch with undici's own Agent: Node 20's built-in fetch bundles an older undici.
        fetch: clientOptions.fetch ?? (undiciFetch as unknown as typeof globalThis.fetch),
        dispatcher: agent,
      },
      () => agent.close(),
    );
  } catch (error) {
    void agent.close();
    throw error;
  }
}

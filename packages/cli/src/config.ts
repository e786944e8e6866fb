// Where to connect and how to authenticate: flags first, then the environment.
import { createCceClient, type CceClient, type CceClientOptions } from '@cce-openapi/client';
import { UsageError } from './errors.js';
import { withoutCredentials, type Redactor } from './redact.js';

export interface ConnectionFlags {
  server?: string;
  token?: string;
  clusterId?: string;
  region?: string;
  kubeconfig?: string;
  context?: string;
}

export type Environment = Record<string, string | undefined>;

export interface ClientSettings {
  timeoutMs: number;
  /** Called for each HTTP exchange when --verbose is on (method, URL, outcome; never headers). */
  log?: (line: string) => void;
}

/**
 * A fetch that reports each exchange, for --verbose. It only looks at the method, the URL and the
 * outcome, never at headers. `base` is the fetch the client would have used.
 */
function loggingFetch(log: (line: string) => void, base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : String(input);
    try {
      const response = await base(input, init);
      log(`${method} ${url} -> ${response.status} (${Math.round(performance.now() - started)} ms)`);
      return response;
    } catch (error) {
      log(`${method} ${url} -> ${(error as Error).message} (${Math.round(performance.now() - started)} ms)`);
      throw error;
    }
  };
}

/** The client for the configured endpoint; every secret it will use is registered with the redactor first. */
export async function createClientFromConfig(
  flags: ConnectionFlags,
  env: Environment,
  settings: ClientSettings,
  redactor: Redactor,
): Promise<{ client: CceClient; endpoint: string }> {
  const token = flags.token ?? (env.CCE_TOKEN || undefined);
  redactor.add(token);
  const common: CceClientOptions = { timeoutMs: settings.timeoutMs };
  if (token !== undefined) common.token = token;

  if (flags.kubeconfig) {
    // Loaded only here: the Node entry's kubeconfig loading and TLS are for this mode alone.
    const { createCceClientFromKubeconfig, loadKubeconfig } = await import('@cce-openapi/client/node');
    // The client's loader reads the kubeconfig (YAML or JSON, paths relative to the file, capped
    // reads of regular files only); the CLI has no parser of its own. Its errors are CceInputError
    // (exit 2) and never quote the file.
    const credentials = loadKubeconfig(flags.kubeconfig, flags.context);
    redactor.add(credentials.token);
    if (credentials.key) {
      redactor.add(credentials.key.toString('utf8').trim());
      redactor.add(credentials.key.toString('base64'));
    }
    // A kubeconfig names a Kubernetes API server, which reads `Authorization: Bearer`: an explicit
    // --token replaces the file's user token there (as kubectl's --token does). CCE_TOKEN, the
    // gateway's IAM token, is not sent to it.
    const options: Parameters<typeof createCceClientFromKubeconfig>[0] = { timeoutMs: settings.timeoutMs, kubeconfig: credentials };
    if (flags.token !== undefined) options.bearerToken = flags.token;
    // --log logs at the fetch level: given a fetch, the kubeconfig client hands it the TLS as an undici
    // dispatcher, so it must be undici's own fetch (Node's built-in one bundles an older undici).
    if (settings.log) options.fetch = loggingFetch(settings.log, (await import('undici')).fetch as unknown as typeof fetch);
    return { client: createCceClientFromKubeconfig(options), endpoint: `kubeconfig ${flags.kubeconfig}` };
  }

  if (settings.log) common.fetch = loggingFetch(settings.log, (input, init) => globalThis.fetch(input, init));

  const server = flags.server ?? (env.CCE_SERVER || undefined);
  if (server) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server must be an http(s) URL, got ${JSON.stringify(withoutCredentials(server))}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--server must be an http(s) URL, got ${JSON.stringify(withoutCredentials(server))}`);
    return { client: createCceClient({ ...common, baseUrl: server }), endpoint: server };
  }

  const clusterId = flags.clusterId ?? (env.CCE_CLUSTER_ID || undefined);
  const region = flags.region ?? (env.CCE_REGION || undefined);
  if (clusterId && region) return { client: createCceClient({ ...common, clusterId, region }), endpoint: `cluster ${clusterId} in ${region}` };
  if (clusterId || region)
    throw new UsageError(
      `${clusterId ? 'a cluster ID' : 'a region'} alone is not enough: give both --cluster-id and --region (or CCE_CLUSTER_ID and CCE_REGION)`,
    );
  throw new UsageError(
    'no API endpoint: give --server <url>, --kubeconfig <file>, or --cluster-id and --region (or CCE_SERVER, or CCE_CLUSTER_ID and CCE_REGION)',
  );
}

// Where to connect and how to authenticate: flags first, then the environment.
import { readFileSync } from 'node:fs';
import { createCceClient, type CceClient, type CceClientOptions } from '@cce-openapi/client';
import YAML from 'yaml';
import { UsageError } from './errors.js';
import { kubeconfigSecrets, withoutCredentials, type Redactor } from './redact.js';

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
export async function createClientFromConfig(flags: ConnectionFlags, env: Environment, settings: ClientSettings, redactor: Redactor): Promise<{ client: CceClient; endpoint: string }> {
  const token = flags.token ?? (env.CCE_TOKEN || undefined);
  redactor.add(token);
  const common: CceClientOptions = { timeoutMs: settings.timeoutMs };
  if (token !== undefined) common.token = token;

  if (flags.kubeconfig) {
    let text: string;
    try {
      text = readFileSync(flags.kubeconfig, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the kubeconfig ${flags.kubeconfig}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = YAML.parse(text);
      for (const secret of kubeconfigSecrets(parsed)) redactor.add(secret);
    } catch {
      // Unparseable: the client reports it below; the PEM pattern still hides any key in the text.
    }
    // Loaded only here: the Node entry brings undici's TLS machinery, which other modes do not need.
    const { createCceClientFromKubeconfig } = await import('@cce-openapi/client/node');
    // The client reads JSON kubeconfigs itself (resolving file references next to the file); a YAML one is handed over parsed.
    const isJson = text.trimStart().startsWith('{');
    const options: Parameters<typeof createCceClientFromKubeconfig>[0] = { ...common, kubeconfig: isJson || !parsed || typeof parsed !== 'object' ? flags.kubeconfig : parsed };
    if (flags.context) options.context = flags.context;
    // The kubeconfig client talks through undici's own fetch (its Agent carries the client certificate).
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
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server must be an http(s) URL, got ${JSON.stringify(withoutCredentials(server))}`);
    return { client: createCceClient({ ...common, baseUrl: server }), endpoint: server };
  }

  const clusterId = flags.clusterId ?? (env.CCE_CLUSTER_ID || undefined);
  const region = flags.region ?? (env.CCE_REGION || undefined);
  if (clusterId && region) return { client: createCceClient({ ...common, clusterId, region }), endpoint: `cluster ${clusterId} in ${region}` };
  if (clusterId || region) throw new UsageError(`${clusterId ? 'a cluster ID' : 'a region'} alone is not enough: give both --cluster-id and --region (or CCE_CLUSTER_ID and CCE_REGION)`);
  throw new UsageError('no API endpoint: give --server <url>, --kubeconfig <file>, or --cluster-id and --region (or CCE_SERVER, or CCE_CLUSTER_ID and CCE_REGION)');
}

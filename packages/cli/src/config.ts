// Where to connect and how to authenticate: flags first, then the environment.
import { createCciClient, type CciClient, type CciClientOptions, type RateLimitOptions } from '@cci-openapi/client';
import { credentialFromEnv, registerEnvSecrets } from './credentials.js';
import { UsageError } from './errors.js';
import { withoutCredentials, type Redactor } from './redact.js';

export interface ConnectionFlags {
  server?: string;
  region?: string;
  kubeconfig?: string;
  context?: string;
}

export type Environment = Record<string, string | undefined>;

/**
 * The client's request rate limit (a token bucket, as client-go's), on for every command: kubectl's
 * defaults (QPS 50, burst 300). A command makes a handful of requests (a read, the pages of a list,
 * a watch), far under the burst, so it is never slowed by it; the limit is the floor under any loop
 * that goes wrong (a relist storm against a server that answers every watch with 410 can make no
 * more than 300 requests at once and 50 a second after). client-go's library default (5/10) would
 * slow an ordinary paged list: 40 pages of 500 Services would take 6 s.
 */
const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = { qps: 50, burst: 300 };

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

/** What createClientFromConfig returns: the client, the endpoint in words, and a kubeconfig context's namespace. */
interface ConfiguredClient {
  client: CciClient;
  endpoint: string;
  namespace?: string;
}

/** The client for the configured endpoint; every secret it will use is registered with the redactor first. */
export async function createClientFromConfig(
  flags: ConnectionFlags,
  env: Environment,
  settings: ClientSettings,
  redactor: Redactor,
): Promise<ConfiguredClient> {
  registerEnvSecrets(env, redactor);
  if (flags.kubeconfig) return kubeconfigClient(flags.kubeconfig, flags.context, settings, redactor);

  const common: CciClientOptions = {
    timeoutMs: settings.timeoutMs,
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    ...credentialFromEnv(env),
  };
  if (settings.log) common.fetch = loggingFetch(settings.log, (input, init) => globalThis.fetch(input, init));

  const server = flags.server ?? (env.CCI_SERVER || undefined);
  if (server) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server must be an http(s) URL, got ${JSON.stringify(withoutCredentials(server))}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--server must be an http(s) URL, got ${JSON.stringify(withoutCredentials(server))}`);
    return { client: createCciClient({ ...common, baseUrl: server }), endpoint: server };
  }

  const region = flags.region ?? (env.CCI_REGION || undefined);
  if (region) return { client: createCciClient({ ...common, region }), endpoint: `CCI in ${region}` };
  throw new UsageError(
    'no API endpoint: give --region (CCI), --server <url> or --kubeconfig <file> (or CCI_REGION, or CCI_SERVER)',
  );
}

/**
 * The client for the API server a kubeconfig names. The kubeconfig's user signs in (a token, a
 * certificate, an exec plugin such as cci-iam-authenticator): the environment's credentials are
 * not sent to its server.
 */
async function kubeconfigClient(
  file: string,
  context: string | undefined,
  settings: ClientSettings,
  redactor: Redactor,
): Promise<ConfiguredClient> {
  // Loaded only here: the Node entry's kubeconfig loading and TLS are for this mode alone.
  const { createCciClientFromKubeconfig, loadKubeconfig } = await import('@cci-openapi/client/node');
  // The client's loader reads the kubeconfig (YAML or JSON, paths relative to the file, capped
  // reads of regular files only); the CLI has no parser of its own. Its errors are CciInputError
  // (exit 2) and never quote the file.
  const credentials = loadKubeconfig(file, context);
  redactor.add(credentials.token);
  if (credentials.key) {
    redactor.add(credentials.key.toString('utf8').trim());
    redactor.add(credentials.key.toString('base64'));
  }
  const options: Parameters<typeof createCciClientFromKubeconfig>[0] = {
    timeoutMs: settings.timeoutMs,
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    kubeconfig: credentials,
  };
  // --verbose logs at the fetch level: given a fetch, the kubeconfig client hands it the TLS as an
  // undici dispatcher, so it must be undici's own fetch (Node's built-in one bundles an older undici).
  if (settings.log)
    options.fetch = loggingFetch(settings.log, (await import('undici')).fetch as unknown as typeof fetch);
  // The context's namespace is the default namespace of the commands that take one (`list`
  // without -n/-A), as kubectl's; an empty one counts as none ("default").
  return {
    client: createCciClientFromKubeconfig(options),
    endpoint: `kubeconfig ${file}`,
    ...(credentials.namespace ? { namespace: credentials.namespace } : {}),
  };
}

// What startMockServer builds from its options before it listens: the gateway of the `cci` profile,
// the objects to serve (fixtures, generated Services), and Node's server limits. Bad options are a
// RangeError naming the option, at start.
import type { SpecValidator } from '@cci-openapi/spec-kit';
import type { TokenSpec } from '../auth.js';
import { loadFixtures } from '../fixtures.js';
import { DEMO_ACCESS_KEY, DEMO_IAM_USER, DEMO_TEMPORARY_KEY } from '../gateway/credentials.js';
import { createGateway, type Gateway } from '../gateway/index.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../gateway/tokens.js';
import { generateServices } from '../generate.js';
import { isDns1123Label } from '../names.js';
import type { MockServerOptions } from '../server.js';
import type { OpenApiDocument } from '../spec.js';
import type { KubeObject } from '../store.js';

/** The most synthetic Services `generate` may ask for (each all-namespace list of them is about 100 MB). */
export const MAX_GENERATE = 200_000;

/** The gateway of the `cci` profile from the options; undefined for `kube`, which refuses its options. */
export function gatewayFor(options: MockServerOptions, tokens: readonly TokenSpec[]): Gateway | undefined {
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

/** The objects to serve at start: the fixtures, validated against the spec, and any generated Services. */
export function initialObjects(
  options: MockServerOptions,
  spec: OpenApiDocument,
  validator: SpecValidator,
): KubeObject[] {
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
  return objects;
}

/** Node's server options from the limits: bounded head size and time, request time, keep-alive. */
export function nodeServerOptions(limits: MockServerOptions['limits'] = {}) {
  const requestTimeout = limits.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(limits.headersTimeoutMs ?? 10_000, requestTimeout);
  return {
    maxHeaderSize: limits.maxHeaderSize ?? 16 * 1024,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
    // Node checks the two timeouts on this interval (30 s by default): keep it a fraction of them.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    // Checked by the handler, so the answer carries a Status body.
    requireHostHeader: false,
  };
}

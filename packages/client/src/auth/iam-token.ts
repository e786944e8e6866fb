import { describeRequest } from '../errors/from-response.js';
import { CciAuthError, CciInputError } from '../errors/classes.js';
import { assertHeaderValue } from '../pipeline/header-value.js';
import { redact } from '@cci-openapi/internals/redact';
import type { Clock } from '../transport/sleep.js';
import type { Received, SendRequest } from '../transport/transport.js';
import { checkEndpoint, checkRegion } from '../client/base-url.js';
import type { RefreshableToken } from './token-source.js';

/** An IAM user's password sign-in, for a project-scoped IAM token (CCI needs one). */
export interface IamPasswordOptions {
  /** The IAM user's name. */
  username: string;
  /** The IAM user's password. Sent to IAM only; never in an error. */
  password: string;
  /** The account (domain) that owns the IAM user. */
  domainName: string;
  /** The project the token is scoped to; default the region's name (a region's default project is named after it, e.g. cn-north-4). */
  projectName?: string;
  /** …or the project's id instead of its name. */
  projectId?: string;
  /** IAM's address; default https://iam.{region}.myhuaweicloud.com. */
  endpoint?: string;
}

export interface IamContext {
  /** The client's region, for IAM's endpoint and the default project. */
  region?: string | undefined;
  /** One exchange with IAM, without credentials and without retries (a sign-in is a POST). */
  send: (request: SendRequest) => Promise<Received>;
  clock: Clock;
}

/**
 * A token is renewed this long before it expires (a tenth of its life for short-lived ones), so a
 * call never starts with a token about to lapse.
 */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Used when IAM's answer gives no lifetime: IAM tokens live 24 h; renewing hourly costs little. */
const FALLBACK_LIFETIME_MS = 60 * 60_000;

/**
 * IAM's token API: POST /v3/auth/tokens with the password method, scoped to a project; the token is
 * the X-Subject-Token response header (201), valid 24 h. `nocatalog` leaves out the large service
 * catalog. Source: Huawei Cloud IAM's "Obtaining a User Token" (see the facts on CCI and IAM in the
 * project's source documents).
 */
export function createIamTokenProvider(options: IamPasswordOptions, context: IamContext): RefreshableToken {
  const request = signInRequest(options, context.region);
  const { password } = options;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function signIn(): Promise<string> {
    const received = await context.send(request);
    if (received.status !== 201 && received.status !== 200) throw iamRefusal(received, password);
    const token = received.headers.get('x-subject-token') ?? '';
    assertHeaderValue("IAM's X-Subject-Token header", token);
    const lifetime = lifetimeOf(received.text);
    cached = { token, refreshAt: context.clock.now() + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 10) };
    return token;
  }

  return {
    get() {
      if (cached && context.clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      // One sign-in at a time, however many calls wait for it.
      inflight ??= signIn().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

function signInRequest(options: IamPasswordOptions, region: string | undefined): SendRequest {
  if (typeof options !== 'object' || options === null)
    throw new CciInputError('iam must be an object { username, password, domainName, … }.');
  const { username, password, domainName, projectName, projectId, endpoint } = options;
  for (const [name, value] of Object.entries({ username, password, domainName })) {
    if (typeof value !== 'string' || value === '')
      throw new CciInputError(`iam.${name} is missing: give username, password and domainName.`);
  }
  if (projectName !== undefined && projectId !== undefined)
    throw new CciInputError('Give iam.projectName or iam.projectId, not both.');
  for (const [name, value] of Object.entries({ projectName, projectId })) {
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw new CciInputError(`iam.${name} must be a non-empty string.`);
  }
  const project = projectId !== undefined ? { id: projectId } : { name: projectName ?? region };
  if (project.name === undefined && !('id' in project)) {
    throw new CciInputError(
      'iam needs a project: give region, iam.projectName or iam.projectId (CCI needs a project-scoped token).',
    );
  }
  const base = endpoint === undefined ? iamEndpoint(region) : checkEndpoint('iam.endpoint', endpoint);
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: username, password, domain: { name: domainName } } },
      },
      scope: { project },
    },
  };
  return {
    method: 'POST',
    url: `${base}/v3/auth/tokens?nocatalog=true`,
    headers: new Headers({ accept: 'application/json', 'content-type': 'application/json;charset=utf8' }),
    body: new TextEncoder().encode(JSON.stringify(body)).buffer as ArrayBuffer,
  };
}

/** IAM in a region. Source: IAM's "Obtaining a User Token" (POST https://iam.{region}.myhuaweicloud.com/v3/auth/tokens). */
function iamEndpoint(region: string | undefined): string {
  if (region === undefined)
    throw new CciInputError(
      'iam needs an endpoint: give region (IAM at https://iam.{region}.myhuaweicloud.com) or iam.endpoint.',
    );
  checkRegion(region);
  return `https://iam.${region}.myhuaweicloud.com`;
}

/** How long the token lives, on IAM's own clock (expires_at − issued_at), so a skewed local clock does not matter. */
function lifetimeOf(text: string): number {
  let token: { expires_at?: unknown; issued_at?: unknown } | undefined;
  try {
    token = (JSON.parse(text) as { token?: typeof token }).token;
  } catch {
    return FALLBACK_LIFETIME_MS;
  }
  const expires = typeof token?.expires_at === 'string' ? Date.parse(token.expires_at) : Number.NaN;
  const issued = typeof token?.issued_at === 'string' ? Date.parse(token.issued_at) : Number.NaN;
  const lifetime = expires - issued;
  return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : FALLBACK_LIFETIME_MS;
}

const WHAT_TO_CHECK: Record<number, string> = {
  400: "check iam.domainName and the project (iam.projectName or iam.projectId; a region's project is named after it, e.g. cn-north-4)",
  401: 'check iam.username, iam.password and iam.domainName (the account that owns the IAM user); the user may also be locked or disabled',
  403: 'the user may not sign in this way: check that it has programmatic access, is not disabled, and may use the project',
  404: 'check iam.endpoint (https://iam.{region}.myhuaweicloud.com)',
};

/** IAM's own refusal as a CciAuthError: its message (password cut out) and what to check. */
function iamRefusal(received: Received, password: string): CciAuthError {
  const said = iamMessage(received.text);
  const check = WHAT_TO_CHECK[received.status] ?? 'IAM may be unavailable; try again later';
  const message = redact(
    `IAM sign-in failed: ${describeRequest(received.method, received.url)} answered HTTP ${received.status}${said ? ` (${said})` : ''}: ${check}.`,
    [password],
  );
  return new CciAuthError(message, { source: 'iam', status: received.status });
}

/** IAM's error text: `{"error": {"message"}}` (Keystone's shape) or `{"error_msg"}` (the gateway's), cut short. */
function iamMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; error_msg?: unknown };
    const said =
      typeof body.error?.message === 'string'
        ? body.error.message
        : typeof body.error_msg === 'string'
          ? body.error_msg
          : undefined;
    return said?.slice(0, 300);
  } catch {
    return undefined;
  }
}

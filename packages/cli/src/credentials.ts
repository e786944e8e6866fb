// How the CLI signs in: from the environment only. Secrets are never flags (other users see a
// command line in `ps`, and shells keep it in their history).
import { type CciClientOptions, CREDENTIAL_ENV, credentialsFromEnv } from '@cci-openapi/client';
import { UsageError } from './errors.js';
import type { Redactor } from './redact.js';

type Environment = Record<string, string | undefined>;

/** The IAM password sign-in's variables (Huawei's SDKs have none for a password: these are ours). */
const IAM_ENV = Object.freeze({
  username: 'CCI_IAM_USERNAME',
  password: 'CCI_IAM_PASSWORD',
  domainName: 'CCI_IAM_DOMAIN',
  projectName: 'CCI_IAM_PROJECT',
  endpoint: 'CCI_IAM_ENDPOINT',
});

/** An IAM token, sent as X-Auth-Token. */
const TOKEN_ENV = 'CCI_TOKEN';

type Credential = Pick<CciClientOptions, 'token' | 'credentials' | 'iam'>;

const set = (env: Environment, name: string) => env[name] !== undefined && env[name] !== '';

/** Every secret the environment holds, registered before anything can print. */
export function registerEnvSecrets(env: Environment, redactor: Redactor): void {
  for (const name of [TOKEN_ENV, CREDENTIAL_ENV.sk, CREDENTIAL_ENV.securityToken, IAM_ENV.password])
    redactor.add(env[name] || undefined);
}

/**
 * The one way of signing in the environment gives: CCI_TOKEN, an AK/SK pair (HUAWEICLOUD_SDK_*),
 * or an IAM user's password (CCI_IAM_*). Two at once is a usage error rather than a silent choice.
 */
export function credentialFromEnv(env: Environment): Credential {
  const ways = [
    set(env, TOKEN_ENV) && TOKEN_ENV,
    (set(env, CREDENTIAL_ENV.ak) || set(env, CREDENTIAL_ENV.sk)) && `${CREDENTIAL_ENV.ak}/${CREDENTIAL_ENV.sk}`,
    (set(env, IAM_ENV.username) || set(env, IAM_ENV.password)) && `${IAM_ENV.username}/${IAM_ENV.password}`,
  ].filter((way): way is string => typeof way === 'string');
  if (ways.length > 1)
    throw new UsageError(`more than one way to sign in is set (${ways.join(', ')}): unset all but one`);
  if (set(env, TOKEN_ENV)) return { token: env[TOKEN_ENV]! };
  if (ways.length === 0) return {};
  if (ways[0]!.startsWith(CREDENTIAL_ENV.ak)) return credentialsFromEnv(env);
  return { iam: iamFromEnv(env) };
}

function iamFromEnv(env: Environment): NonNullable<Credential['iam']> {
  const missing = [IAM_ENV.username, IAM_ENV.password, IAM_ENV.domainName].filter((name) => !set(env, name));
  if (missing.length > 0)
    throw new UsageError(`IAM sign-in needs ${missing.join(' and ')} too (the IAM user, its password, its account)`);
  return {
    username: env[IAM_ENV.username]!,
    password: env[IAM_ENV.password]!,
    domainName: env[IAM_ENV.domainName]!,
    ...(set(env, IAM_ENV.projectName) && { projectName: env[IAM_ENV.projectName]! }),
    ...(set(env, IAM_ENV.endpoint) && { endpoint: env[IAM_ENV.endpoint]! }),
  };
}

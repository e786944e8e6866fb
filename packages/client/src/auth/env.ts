import { CciInputError } from '../errors/classes.js';
import type { AkSkCredentials } from './aksk-signer.js';

/**
 * The environment variables Huawei Cloud's SDKs read credentials from (their ClientBuilder maps
 * HUAWEICLOUD_SDK_<NAME> onto the credential's with<Name>(), so a temporary key's token is
 * HUAWEICLOUD_SDK_SECURITY_TOKEN).
 */
export const CREDENTIAL_ENV = Object.freeze({
  ak: 'HUAWEICLOUD_SDK_AK',
  sk: 'HUAWEICLOUD_SDK_SK',
  securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  projectId: 'HUAWEICLOUD_SDK_PROJECT_ID',
});

type Environment = Record<string, string | undefined>;

/**
 * `{ credentials }` for createCciClient from the environment (default `process.env`), as
 * Huawei Cloud's SDKs read it: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, optionally
 * HUAWEICLOUD_SDK_SECURITY_TOKEN (a temporary key) and HUAWEICLOUD_SDK_PROJECT_ID. Throws
 * CciInputError, naming the variables and never their values, when the pair is missing or half-given.
 */
export function credentialsFromEnv(env: Environment = defaultEnvironment()): { credentials: AkSkCredentials } {
  const read = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const ak = read(CREDENTIAL_ENV.ak);
  const sk = read(CREDENTIAL_ENV.sk);
  if (ak === undefined || sk === undefined) {
    const missing = [ak === undefined && CREDENTIAL_ENV.ak, sk === undefined && CREDENTIAL_ENV.sk]
      .filter(Boolean)
      .join(' and ');
    throw new CciInputError(
      `No AK/SK in the environment: ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set (set both, for an access key pair).`,
    );
  }
  const securityToken = read(CREDENTIAL_ENV.securityToken);
  const projectId = read(CREDENTIAL_ENV.projectId);
  return {
    credentials: {
      ak,
      sk,
      ...(securityToken !== undefined && { securityToken }),
      ...(projectId !== undefined && { projectId }),
    },
  };
}

function defaultEnvironment(): Environment {
  // No `process` in a browser: there, pass the variables yourself.
  const processEnv = (globalThis as { process?: { env?: Environment } }).process?.env;
  if (processEnv === undefined)
    throw new CciInputError('No process.env here: pass the environment to credentialsFromEnv(env).');
  return processEnv;
}

// The credentials the `cci` profile accepts: one IAM user (password sign-in for tokens) and access
// keys for AK/SK signing. The demo values are fixed so that documentation can show commands that
// work verbatim against a local mock; they open nothing but this mock and are not secrets.

/** An IAM user who may get a token from the mock's `POST /v3/auth/tokens`. */
export interface IamUser {
  /** IAM user name (`auth.identity.password.user.name`). */
  username: string;
  password: string;
  /** The account that owns the user (`user.domain.name`). */
  domainName: string;
  /** The project the token is scoped to: on Huawei Cloud a project is named after its region. */
  projectName: string;
  /** 32 lowercase hex digits, as Huawei Cloud's project ids. */
  projectId: string;
  /** Ids shown in the token body (32 hex digits each); derived from the names when left out. */
  userId?: string;
  domainId?: string;
}

/** An access key pair; `securityToken` makes it a temporary key, which must send `X-Security-Token`. */
export interface AccessKey {
  ak: string;
  sk: string;
  securityToken?: string;
}

export const DEMO_IAM_USER: Readonly<Required<IamUser>> = Object.freeze({
  username: 'demo-user',
  password: 'demo-Passw0rd',
  domainName: 'demo-account',
  projectName: 'cn-north-4',
  projectId: '0a1b2c3d4e5f40718293a4b5c6d7e8f9',
  userId: '1b2c3d4e5f6a41829304b5c6d7e8f90a',
  domainId: '2c3d4e5f6a7b42939405c6d7e8f90a1b',
});

/** A permanent access key pair (20-character AK, 40-character SK, as Huawei Cloud issues them). */
export const DEMO_ACCESS_KEY: Readonly<AccessKey> = Object.freeze({
  ak: 'CCIMOCKDEMOAK0000001',
  sk: 'cciMockDemoSecretKey0123456789abcdefABCD',
});

/** A temporary access key: signed requests must carry its security token in `X-Security-Token`. */
export const DEMO_TEMPORARY_KEY: Readonly<Required<AccessKey>> = Object.freeze({
  ak: 'CCIMOCKDEMOTMP000001',
  sk: 'cciMockDemoTemporarySecret0123456789abcd',
  securityToken: 'gQpjbi1ub3J0aC00-cci-mock-demo-security-token-0123456789',
});

const HEX32 = /^[0-9a-f]{32}$/;

/** Refuses credentials the mock could not use, naming the field and never its value. */
export function checkCredentials(user: IamUser, keys: readonly AccessKey[]): void {
  for (const field of ['username', 'password', 'domainName', 'projectName'] as const) {
    if (typeof user[field] !== 'string' || user[field] === '')
      throw new RangeError(`iamUser.${field} must be a non-empty string`);
  }
  for (const field of ['projectId', 'userId', 'domainId'] as const) {
    const value = user[field];
    if ((field === 'projectId' || value !== undefined) && !(typeof value === 'string' && HEX32.test(value))) {
      throw new RangeError(`iamUser.${field} must be 32 lowercase hex digits`);
    }
  }
  const seen = new Set<string>();
  for (const [index, key] of keys.entries()) {
    if (typeof key?.ak !== 'string' || !/^[A-Za-z0-9]+$/.test(key.ak))
      throw new RangeError(`accessKeys[${index}].ak must be letters and digits`);
    if (typeof key.sk !== 'string' || key.sk === '')
      throw new RangeError(`accessKeys[${index}].sk must be a non-empty string`);
    if (
      key.securityToken !== undefined &&
      (typeof key.securityToken !== 'string' || key.securityToken === '' || /[\s,]/.test(key.securityToken))
    ) {
      throw new RangeError(
        `accessKeys[${index}].securityToken must be a non-empty string without white space or commas`,
      );
    }
    if (seen.has(key.ak)) throw new RangeError(`accessKeys[${index}].ak is given twice`);
    seen.add(key.ak);
  }
}

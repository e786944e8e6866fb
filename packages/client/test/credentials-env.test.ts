import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CciInputError, CREDENTIAL_ENV, credentialsFromEnv } from '../src/index.js';

describe('credentialsFromEnv', () => {
  it("reads Huawei Cloud SDKs' variables", () => {
    expect(CREDENTIAL_ENV).toEqual({
      ak: 'HUAWEICLOUD_SDK_AK',
      sk: 'HUAWEICLOUD_SDK_SK',
      securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
      projectId: 'HUAWEICLOUD_SDK_PROJECT_ID',
    });
    expect(credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'AK1', HUAWEICLOUD_SDK_SK: 'SK1' })).toEqual({
      credentials: { ak: 'AK1', sk: 'SK1' },
    });
    expect(
      credentialsFromEnv({
        HUAWEICLOUD_SDK_AK: 'AK1',
        HUAWEICLOUD_SDK_SK: 'SK1',
        HUAWEICLOUD_SDK_SECURITY_TOKEN: 'ST',
        HUAWEICLOUD_SDK_PROJECT_ID: 'P',
      }),
    ).toEqual({ credentials: { ak: 'AK1', sk: 'SK1', securityToken: 'ST', projectId: 'P' } });
  });

  it('reads process.env by default', () => {
    const saved = { ...process.env };
    try {
      process.env.HUAWEICLOUD_SDK_AK = 'AK-from-process';
      process.env.HUAWEICLOUD_SDK_SK = 'SK-from-process';
      expect(credentialsFromEnv().credentials.ak).toBe('AK-from-process');
    } finally {
      process.env = saved;
    }
  });

  it.each([
    [{}, 'HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set'],
    [{ HUAWEICLOUD_SDK_AK: 'AK1' }, 'HUAWEICLOUD_SDK_SK is not set'],
    [{ HUAWEICLOUD_SDK_SK: 'SK1', HUAWEICLOUD_SDK_AK: '' }, 'HUAWEICLOUD_SDK_AK is not set'],
  ])('a missing or half-given pair %j is a CciInputError naming the variables', (env, message) => {
    expect(() => credentialsFromEnv(env)).toThrow(CciInputError);
    expect(() => credentialsFromEnv(env)).toThrow(message);
  });

  it('never quotes a value (property over random secrets)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 60 }),
        fc.string({ minLength: 12, maxLength: 60 }),
        (sk, token) => {
          try {
            credentialsFromEnv({ HUAWEICLOUD_SDK_SK: sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: token });
            throw new Error('expected a refusal');
          } catch (error) {
            expect(error).toBeInstanceOf(CciInputError);
            const message = (error as Error).message;
            expect(message).not.toContain(sk);
            expect(message).not.toContain(token);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

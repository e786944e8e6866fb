// The one redactor: whole tokens only, in every form they take in text.
import { describe, expect, it } from 'vitest';
import { createRedactor, MIN_SECRET_LENGTH, REDACTED, redact, redactValue, secretForms } from '../src/redact.js';

describe('redact', () => {
  it('a short secret is cut out only where it stands alone: CCI_TOKEN=e does not eat every "e"', () => {
    expect(MIN_SECRET_LENGTH).toBe(8);
    expect(redact('the token e was refused; here is every letter e', ['e'])).toBe(
      `the token ${REDACTED} was refused; here is every letter ${REDACTED}`,
    );
    expect(redact('Service namespace-test/redis', ['e'])).toBe('Service namespace-test/redis');
    expect(redact('http://u:pw@host', ['pw'])).toBe(`http://u:${REDACTED}@host`);
  });

  it('a long secret is cut out wherever it occurs, also inside other text', () => {
    expect(redact('Bearerabcdefgh12xyz', ['abcdefgh12'])).toBe(`Bearer${REDACTED}xyz`);
  });

  it('hides JSON-escaped, doubly escaped, slash-escaped and percent-encoded forms, and PEM private keys', () => {
    const secret = 's3cr3t"to\\ken/+<';
    const forms = secretForms(secret);
    for (const form of [
      secret,
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
      encodeURIComponent(secret),
    ])
      expect(forms).toContain(form);
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----';
    const text = `a ${secret} b ${JSON.stringify(secret)} c ${encodeURIComponent(secret)} d ${JSON.stringify({ m: secret }).replace(/\//g, '\\/')} e ${key}`;
    const out = redact(text, [secret]);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('MHcCAQEEIB');
    expect(out.split(REDACTED)).toHaveLength(6);
  });

  it('redactValue copies a JSON value with strings and keys redacted and deep nesting cut', () => {
    const secret = 'value-secret-123';
    const deep = JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`);
    const out: Record<string, unknown> = redactValue(
      { a: [secret, 1, null, true], [secret]: { b: `x ${secret}` }, deep },
      [secret],
    );
    expect(out.a).toEqual([REDACTED, 1, null, true]);
    expect(out[REDACTED]).toEqual({ b: `x ${REDACTED}` });
    expect(JSON.stringify(out.deep)).toContain('[nested too deep]');
  });

  it('createRedactor learns secrets as they come and ignores empty ones', () => {
    const redactor = createRedactor();
    redactor.add(undefined);
    redactor.add('');
    expect(redactor.redact('nothing to hide')).toBe('nothing to hide');
    redactor.add('late-secret-999');
    expect(redactor.redact('x late-secret-999 y')).toBe(`x ${REDACTED} y`);
  });
});

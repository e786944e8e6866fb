// Retry-After parsed strictly (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, nothing else.
import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../src/transport/retry-after.js';

const NOW = Date.UTC(2026, 10, 27, 8, 0, 0); // Fri, 27 Nov 2026 08:00:00 GMT

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    [' 120 ', 120],
    ['Fri, 27 Nov 2026 08:00:30 GMT', 30],
    ['Friday, 27-Nov-26 08:01:00 GMT', 60],
    ['Fri Nov 27 08:00:05 2026', 5],
    ['Fri Nov  6 08:00:00 2026', 0],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
  ])('%j → %d s', (value, seconds) => expect(parseRetryAfter(value, NOW)).toBe(seconds));

  it.each([
    '1.5',
    '-5',
    '1, 2',
    '+3',
    '3s',
    '0x10',
    '',
    'soon',
    'Fri, 27 Nov 2026 08:00:30 UTC',
    '27 Nov 2026 08:00:30 GMT',
    'Fri, 31 Feb 2026 08:00:30 GMT',
    'Fri, 27 Nov 2026 25:00:00 GMT',
    '2026-11-27T08:00:30Z',
  ])('ignores %j (undefined, not a date in 2001)', (value) => expect(parseRetryAfter(value, NOW)).toBeUndefined());

  it('absent → undefined; a huge delta stays a number (the delay is clamped where a timer is set)', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reads RFC 850 two-digit years as at most 50 years ahead', () => {
    expect(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)!).toISOString()).toBe(
      '1994-11-06T08:49:37.000Z',
    );
    expect(new Date(parseHttpDate('Monday, 06-Nov-34 08:49:37 GMT', NOW)!).toISOString()).toBe(
      '2034-11-06T08:49:37.000Z',
    );
  });
});

/**
 * `Retry-After` (RFC 9110 §10.2.3) in seconds: delta-seconds (a non-negative integer), or an
 * HTTP-date (§5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms). Anything else —
 * `1.5`, `-5`, `1, 2`, a date in another format — is ignored (undefined), not guessed at: a lenient
 * date parser reads `1.5` as a day in 2001, and the retry would then come at once. Never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds) ? seconds : Number.MAX_SAFE_INTEGER;
  }
  const date = parseHttpDate(trimmed, now);
  if (date === undefined) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** Sun, 06 Nov 1994 08:49:37 GMT */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Sunday, 06-Nov-94 08:49:37 GMT */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Sun Nov  6 08:49:37 1994 */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** Milliseconds since the epoch of an HTTP-date, or undefined when it is not one (or not a real date and time). */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let parts: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  let match = IMF_FIXDATE.exec(text);
  if (match) parts = [match[1]!, match[2]!, Number(match[3]), match[4]!, match[5]!, match[6]!];
  else if ((match = RFC_850.exec(text)))
    parts = [match[1]!, match[2]!, twoDigitYear(Number(match[3]), now), match[4]!, match[5]!, match[6]!];
  else if ((match = ASCTIME.exec(text)))
    parts = [match[2]!.trim(), match[1]!, Number(match[6]), match[3]!, match[4]!, match[5]!];
  if (!parts) return undefined;
  const [day, month, year, hour, minute, second] = parts;
  const fields = [year, MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second)] as const;
  const [y, mo, d, h, mi, s] = fields;
  // RFC 9110 allows a leap second (60); Date.UTC rolls it into the next minute, which is fine.
  if (d < 1 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, mo, d, h, mi, s);
  // Date.UTC would turn 31 Feb into 3 Mar: a day that does not exist is not a date.
  if (new Date(Date.UTC(y, mo, d)).getUTCDate() !== d) return undefined;
  return ms;
}

/** RFC 9110 §5.6.7: a two-digit year more than 50 years in the future means the past century. */
function twoDigitYear(yy: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + yy;
  if (year > current + 50) year -= 100;
  return year;
}

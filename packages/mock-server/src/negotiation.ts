// Content negotiation and the `pretty` parameter, as kube-apiserver does them.

/** Media ranges of an Accept header with their quality (q=0 means "not acceptable"). */
function mediaRanges(accept: string): Array<{ type: string; params: string[]; q: number }> {
  return accept.split(',').map((entry) => {
    const [type = '', ...rawParams] = entry.split(';').map((part) => part.trim());
    let q = 1;
    const params: string[] = [];
    for (const param of rawParams) {
      const [key = '', value = ''] = param.split('=').map((s) => s.trim());
      if (key.toLowerCase() === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      // charset is informational for JSON; anything else (as=Table, g=…, v=…) asks for a conversion this server does not do.
      else if (key.toLowerCase() !== 'charset') params.push(param);
    }
    return { type: type.toLowerCase(), params, q };
  });
}

/**
 * The media type to answer with, or undefined when the Accept header admits none of `served`.
 * A missing or empty Accept admits anything.
 */
export function negotiate(accept: string | undefined, served: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return served[0];
  const ranges = mediaRanges(accept).filter((range) => range.q > 0 && range.params.length === 0);
  for (const type of served) {
    const [major] = type.split('/');
    if (ranges.some((range) => range.type === type || range.type === `${major}/*` || range.type === '*/*')) return type;
  }
  return undefined;
}

const TRUE_VALUES = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * kube-apiserver's isPrettyPrint: `pretty` parsed like Go's strconv.ParseBool when present,
 * otherwise pretty for human clients (curl, Wget, browsers).
 */
export function wantsPretty(pretty: string | undefined, userAgent: string | undefined): boolean {
  if (pretty !== undefined && pretty !== '') return TRUE_VALUES.has(pretty);
  const agent = userAgent ?? '';
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

// Content negotiation and the `pretty` parameter, as kube-apiserver does them
// (k8s.io/apiserver endpoints/handlers/negotiation: NegotiateMediaTypeOptions, acceptMediaTypeOptions).

/** Media types the mock can encode, in kube-apiserver's order of preference (protobuf aside). */
export const ENCODABLE_TYPES = ['application/json', 'application/yaml'] as const;
export type EncodableType = (typeof ENCODABLE_TYPES)[number];

/** A `meta.k8s.io` conversion asked for with `;as=Table;g=meta.k8s.io;v=v1` (kubectl's columns). */
export interface TableConversion {
  kind: 'Table';
  /** "v1", or "v1beta1" which kubectl 1.20 offers as its second choice. */
  version: 'v1' | 'v1beta1';
}

export interface Representation {
  mediaType: EncodableType;
  convert?: TableConversion;
  /** `;pretty=1` in the chosen media range. */
  pretty: boolean;
}

export interface NegotiationRules {
  /** Media types the endpoint serves (from the spec); only the encodable ones count. */
  served: readonly string[];
  /** The endpoint can answer as a Table (kube-apiserver: its storage has a table convertor). */
  table: boolean;
}

interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

/** An Accept header's media ranges, best first: by quality, then the more specific (goautoneg's order, stable). */
function mediaRanges(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const entry of accept.split(',')) {
    const [full = '', ...rawParams] = entry.split(';').map((part) => part.trim());
    // Compared as written, as kube-apiserver does (`Application/JSON` is not acceptable there).
    const [type = '', subtype = ''] = full.split('/');
    if (type === '' || subtype === '') continue;
    let q = 1;
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      const key = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
      const value = eq === -1 ? '' : param.slice(eq + 1).trim();
      if (key === 'q') q = Number.isFinite(Number(value)) && value !== '' ? Number(value) : 0;
      else params.set(key, value);
    }
    ranges.push({ type, subtype, params, q });
  }
  const rank = (r: MediaRange) => [r.q, r.type === '*' ? 0 : 1, r.subtype === '*' ? 0 : 1, r.params.size];
  return ranges
    .map((range, index) => ({ range, index }))
    .sort((a, b) => {
      const x = rank(a.range);
      const y = rank(b.range);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
      return a.index - b.index;
    })
    .map(({ range }) => range);
}

/**
 * What to answer with, or undefined when the Accept header admits nothing the endpoint serves
 * (406). A missing or empty Accept takes the first served type. A range is refused, and the next
 * one tried, when it asks for a conversion the endpoint cannot do (`as=Table` where there is no
 * table, another group or version, PartialObjectMetadata) or a stream or server version it does
 * not have; other parameters (charset …) are ignored, as kube-apiserver ignores them. q orders the
 * ranges only: kube-apiserver v1.20 serves `application/json;q=0` as JSON (checked against one).
 */
export function negotiateRepresentation(
  accept: string | undefined,
  rules: NegotiationRules,
): Representation | undefined {
  const served = ENCODABLE_TYPES.filter((type) => rules.served.includes(type));
  if (served.length === 0) return undefined;
  if (accept === undefined || accept.trim() === '') return { mediaType: served[0]!, pretty: false };
  for (const range of mediaRanges(accept)) {
    for (const mediaType of served) {
      const [type, subtype] = mediaType.split('/');
      const matches =
        (range.type === type && (range.subtype === subtype || range.subtype === '*')) ||
        (range.type === '*' && range.subtype === '*');
      if (!matches) continue;
      const chosen = applyParams(range.params, mediaType, rules);
      if (chosen) return chosen;
    }
  }
  return undefined;
}

function applyParams(
  params: ReadonlyMap<string, string>,
  mediaType: EncodableType,
  rules: NegotiationRules,
): Representation | undefined {
  const as = params.get('as');
  const group = params.get('g');
  const version = params.get('v');
  const stream = params.get('stream');
  const serverVersion = params.get('sv');
  if (stream) return undefined;
  if (serverVersion && serverVersion !== 'v1') return undefined;
  const pretty = params.get('pretty') === '1';
  if (as === undefined && group === undefined && version === undefined) return { mediaType, pretty };
  if (as === 'Table' && group === 'meta.k8s.io' && (version === 'v1' || version === 'v1beta1') && rules.table) {
    return { mediaType, convert: { kind: 'Table', version }, pretty };
  }
  return undefined;
}

/** The media type of an endpoint's answers when the client's Accept is ignored (only JSON and YAML here). */
export function negotiate(accept: string | undefined, served: readonly string[]): string | undefined {
  return negotiateRepresentation(accept, { served, table: false })?.mediaType;
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

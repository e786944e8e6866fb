// What of an answer the contract compares: status, media type, layout and the body with the
// fields only a server sets removed (they differ between any two servers, and between runs).
import { parse as parseYaml } from 'yaml';
import type { RawResponse } from './http.js';

/** Set by the server on every write; never equal across two servers. */
export const SERVER_SET_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'generation',
];

export interface AnswerView {
  status: number;
  contentType: string;
  /** "indented" or "compact" for JSON; absent for other media types. */
  layout?: 'indented' | 'compact';
  /** Whether the body ends with a newline, as Go's encoders write it. */
  finalNewline: boolean;
  body: unknown;
}

const isObject = (value: unknown): value is Record<string, any> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Drops server-set fields everywhere, keys List items by namespace/name and drops Table ages. */
export function normaliseObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseObject);
  if (!isObject(value)) return value;
  const out: Record<string, any> = {};
  for (const [key, child] of Object.entries(value)) out[key] = normaliseObject(child);
  if (isObject(out.metadata)) {
    for (const key of SERVER_SET_METADATA) delete out.metadata[key];
    // A continue token is opaque and names a server's own resourceVersion: compare only its presence.
    if (typeof out.metadata.continue === 'string') out.metadata.continue = '<continue token>';
  }
  if (typeof out.kind === 'string' && out.kind.endsWith('List') && Array.isArray(out.items)) {
    out.order = out.items.map(itemKey);
    out.items = Object.fromEntries(out.items.map((item: any) => [itemKey(item), item]));
  }
  if (out.kind === 'Table' && Array.isArray(out.columnDefinitions) && Array.isArray(out.rows)) {
    const age = out.columnDefinitions.findIndex((column: any) => column?.name === 'Age');
    if (age >= 0) for (const row of out.rows) if (Array.isArray(row?.cells)) row.cells[age] = '<age>';
  }
  return out;
}

function itemKey(item: any): string {
  const meta = item?.metadata ?? item?.object?.metadata ?? {};
  return `${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').toLowerCase().replace(/\s+/g, '');
}

/** Splits a stream of JSON values written one after another (newline-separated or not). */
export function splitJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' || ch === ']') {
      if (--depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  if (depth !== 0) throw new Error('the stream ends inside a JSON value');
  return values;
}

const eventKey = (event: any) =>
  `${event?.type ?? ''} ${event?.object?.metadata?.namespace ?? ''}/${event?.object?.metadata?.name ?? ''}`;

/**
 * `stream`: a watch answer, a sequence of events. Its initial ADDED events come in no defined
 * order (kube-apiserver sends them from its watch cache), so their order is compared sorted.
 */
export function viewOf(res: RawResponse, stream = false): AnswerView {
  const contentType = mediaType(res.headers['content-type']);
  const view: AnswerView = { status: res.status, contentType, finalNewline: res.body.endsWith('\n'), body: res.body };
  const type = contentType.split(';')[0] ?? '';
  try {
    if (stream && res.status === 200) {
      // Keyed "TYPE namespace/name", so a difference names the event; their order is compared sorted.
      const events = splitJsonStream(res.body).map(normaliseObject);
      view.body = {
        order: events.map(eventKey).sort(),
        events: Object.fromEntries(events.map((e) => [eventKey(e), e])),
      };
    } else if (type === 'application/json') {
      view.layout = /^[{[]\n/.test(res.body) ? 'indented' : 'compact';
      view.body = normaliseObject(JSON.parse(res.body));
    } else if (type === 'application/yaml') {
      view.body = normaliseObject(parseYaml(res.body));
    } else if (type.startsWith('application/vnd.kubernetes.protobuf')) {
      view.body = `<protobuf, ${Buffer.byteLength(res.body)} bytes>`;
    }
  } catch (error) {
    view.body = { unparsable: res.body, error: String(error) };
  }
  return view;
}

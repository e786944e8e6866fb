// Runs a write case (write-cases.ts) on one server and returns the answers the contract compares,
// with what differs between any two servers made equal: allocated cluster IPs and node ports (a
// value the request asked for is kept, so honouring it is still checked), generated name
// suffixes, uids and resourceVersions inside messages. viewOf already drops uid,
// resourceVersion, creationTimestamp and managedFields from objects.
import type { Party } from './run-case.js';
import { send } from './http.js';
import { viewOf, type AnswerView } from './view.js';
import type { WriteCase, WriteStep } from './write-cases.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const isObject = (value: unknown): value is Record<string, any> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Replaces server-chosen values in a Service-shaped (or Status, or event) body, in place. */
export function normaliseServerChoices(value: unknown, requested: string): void {
  if (Array.isArray(value)) {
    for (const item of value) normaliseServerChoices(item, requested);
    return;
  }
  if (!isObject(value)) return;
  const keep = (v: unknown) => requested.includes(String(v));
  const spec = value.spec;
  if (isObject(spec)) {
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' && !keep(spec.clusterIP))
      spec.clusterIP = '<allocated>';
    if (Array.isArray(spec.clusterIPs))
      spec.clusterIPs = spec.clusterIPs.map((ip: unknown) => (ip === 'None' || keep(ip) ? ip : '<allocated>'));
    if (typeof spec.healthCheckNodePort === 'number' && !keep(spec.healthCheckNodePort))
      spec.healthCheckNodePort = '<allocated>';
    for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
      if (isObject(port) && typeof port.nodePort === 'number' && !keep(port.nodePort) && port.nodePort < 32768)
        port.nodePort = '<allocated>';
    }
  }
  const metadata = value.metadata;
  if (
    isObject(metadata) &&
    typeof metadata.generateName === 'string' &&
    typeof metadata.name === 'string' &&
    metadata.name.startsWith(metadata.generateName)
  ) {
    metadata.name = `${metadata.generateName}<random>`;
  }
  if (isObject(value.details) && typeof value.details.uid === 'string') value.details.uid = '<uid>';
  if (typeof value.message === 'string')
    value.message = value.message.replace(UUID, '<uid>').replace(/in record \(\d+\)/g, 'in record (<rv>)');
  for (const [key, child] of Object.entries(value))
    if (key !== 'spec' && key !== 'metadata') normaliseServerChoices(child, requested);
}

/** A name generated from the request's generateName, wherever an answer repeats it. */
function normaliseGeneratedName(body: unknown, requested: string): void {
  const prefix = /"generateName":"([^"]*)"/.exec(requested)?.[1];
  if (!prefix || !isObject(body)) return;
  const generated = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[bcdfghjklmnpqrstvwxz2456789]{5}`, 'g');
  const replace = (text: string) => text.replace(generated, `${prefix}<random>`);
  if (typeof body.message === 'string') body.message = replace(body.message);
  if (isObject(body.details) && typeof body.details.name === 'string') body.details.name = replace(body.details.name);
  for (const cause of Array.isArray(body.details?.causes) ? body.details.causes : [])
    if (typeof cause.message === 'string') cause.message = replace(cause.message);
}

function headersFor(party: Party, step: WriteStep): Record<string, string> {
  const token = step.auth === 'reader' ? party.tokens.reader : party.tokens.admin;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'cci-openapi-contract/1',
    authorization: `Bearer ${token}`,
  };
  if (step.contentType !== '') headers['content-type'] = step.contentType ?? 'application/json';
  return headers;
}

export interface StepAnswer {
  step: number;
  view: AnswerView;
}

/** Every step in order on one server; the compared steps' views. */
export async function runWriteCase(party: Party, c: WriteCase, namespace: string): Promise<StepAnswer[]> {
  let last: unknown;
  const answers: StepAnswer[] = [];
  for (const [index, step] of c.steps.entries()) {
    const body = typeof step.body === 'function' ? step.body(last) : step.body;
    const res = await send(party.target, {
      method: step.method,
      path: step.path.replaceAll('{ns}', namespace),
      headers: headersFor(party, step),
      ...(body !== undefined && { body }),
    });
    try {
      last = JSON.parse(res.body);
    } catch {
      last = undefined;
    }
    if (step.setup) {
      if (res.status >= 300)
        throw new Error(
          `${party.name}: ${c.id}: setup step ${index} answered ${res.status}: ${res.body.slice(0, 300)}`,
        );
      continue;
    }
    const view = viewOf(res);
    // Only what the case itself wrote counts as requested (a body built from an answer carries that server's own choices).
    normaliseServerChoices(view.body, typeof step.body === 'string' ? step.body : '');
    normaliseGeneratedName(view.body, typeof step.body === 'string' ? step.body : '');
    answers.push({ step: index, view });
  }
  return answers;
}

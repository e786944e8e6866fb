// One request to one operation of the mock, and what is wrong with the answer, judged by what the
// operation declares (see operations.ts) and by what a kube-apiserver answers:
// - never a 5xx, never a 406 when the Accept header names the operation's own media type or `*∕*` —
//   except an error asked for in a media type a Status has no form in (pods/log with only
//   `Accept: text/plain` for a pod that does not exist): kube-apiserver answers 406 then, and so does
//   the mock (contract/test/upstream-operations.test.ts compares the two);
// - a list answers 200 with its list kind; a named read 200 or 404;
// - every code is one the operation declares (405 is declared by every operation: a method the
//   mock does not serve for that resource is refused as kube-apiserver refuses it);
// - a 2xx answer comes in one of the operation's success media types, anything else is a Status.
import type { SpecOperation } from './operations.js';

const PROBE_NAMESPACE = 'namespace-test';
const PROBE_NAME = 'large-spec-probe';

export interface ProbeAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** The request for `operation`: its path filled in, Accept as given, a body when it takes one. */
function probeRequest(operation: SpecOperation, accept: string): { url: string; init: RequestInit } {
  const url = operation.path.replaceAll('{namespace}', PROBE_NAMESPACE).replaceAll('{name}', PROBE_NAME);
  const headers: Record<string, string> = { accept };
  let body: string | undefined;
  if (operation.body) {
    headers['content-type'] = operation.body.mediaType;
    body = operation.body.mediaType.startsWith('application/json-patch')
      ? '[]'
      : JSON.stringify({
          apiVersion: 'v1',
          ...(operation.body.kind ? { kind: operation.body.kind } : {}),
          metadata: { name: PROBE_NAME, namespace: PROBE_NAMESPACE },
        });
  }
  return { url, init: { method: operation.method.toUpperCase(), headers, ...(body ? { body } : {}) } };
}

/** The media types a Status can be sent in (JSON and YAML; protobuf is not served). */
const STATUS_MEDIA_TYPES = ['application/json', 'application/yaml', '*/*'];

const mediaTypeOf = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

function parsed(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** What is wrong with `answer` to `operation` (empty when nothing is). */
export function judge(operation: SpecOperation, accept: string, answer: ProbeAnswer): string[] {
  const problems: string[] = [];
  const { status } = answer;
  if (status >= 500) problems.push(`answered ${status}`);
  const statusHasNoForm = status === 406 && !STATUS_MEDIA_TYPES.some((type) => accept.includes(type));
  if (status === 406 && !statusHasNoForm) problems.push(`answered 406 to Accept: ${accept}`);
  if (operation.role === 'list' && status !== 200) problems.push(`a list answered ${status}, not 200`);
  if (operation.role === 'read' && status !== 200 && status !== 404 && !statusHasNoForm)
    problems.push(`a read answered ${status}, not 200 or 404`);
  if (!operation.codes.includes(String(status))) problems.push(`answered ${status}, which it does not declare`);
  const mediaType = mediaTypeOf(answer.contentType);
  const json = parsed(answer.body);
  if (status >= 200 && status < 300) {
    const declared = operation.successMediaTypes.map(mediaTypeOf);
    if (!declared.includes('*/*') && !declared.includes(mediaType))
      problems.push(`a ${status} in ${answer.contentType || 'no media type'}, not ${declared.join(' or ')}`);
    if (operation.role === 'list' && operation.kind && json?.kind !== operation.kind)
      problems.push(`a list answered kind ${json?.kind}, not ${operation.kind}`);
  } else if (mediaType !== 'application/json' || json?.kind !== 'Status') {
    problems.push(`a ${status} that is not a Status (${answer.contentType}: ${answer.body.slice(0, 80)})`);
  }
  return problems;
}

/** Sends the probe and reads the whole answer. */
export async function probe(
  baseUrl: string,
  operation: SpecOperation,
  accept: string,
  token: string,
): Promise<ProbeAnswer> {
  const { url, init } = probeRequest(operation, accept);
  const response = await fetch(baseUrl + url, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

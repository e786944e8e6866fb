// The shell reading behind the code-sample checks (support/sample-commands.ts): what it reports for
// the mistakes the checks exist to catch, so that a passing check means the samples are right.
import { describe, expect, it } from 'vitest';
import { bodyText, curlCalls, kubectlPatchMediaTypes, parseBody, parseScript } from './support/sample-commands.js';

const script = `# a comment with curl -X DELETE "https://x.invalid/nope"
TOKEN=$(curl -sS -X POST "https://iam.example.invalid/v3/auth/tokens" -d @auth.json | awk '{ print $2 }')
cat > service.json <<'JSON'
{ "kind": "Service" }
JSON
curl -sS -X PUT "https://cci.example.invalid/api/v1/namespaces/ns/services/redis?fieldManager=me" \\
  -H 'Content-Type: application/json' --data-binary @service.json
curl -sS "https://cci.example.invalid/api/v1/namespaces/ns/services/redis" --data-binary '{"a":1}'
curl -sS -X PATCH "https://cci.example.invalid/api/v1/namespaces/ns/services/redis" \\
  -H 'Content-Type: application/merge-patch+json' --data-binary "{\\"uid\\":\\"\${SERVICE_UID}\\"}"
kubectl patch service redis -n ns -p '{"spec":{}}'
kubectl patch service redis -n ns --type=json -p '[]'
kubectl apply --server-side -f service.yaml
`;

describe('reading a shell sample', () => {
  const parsed = parseScript(script);
  const calls = curlCalls(parsed);

  it('joins continued lines, leaves out comments, keeps heredocs as the files they write', () => {
    expect(parsed.heredocs.get('service.json')).toBe('{ "kind": "Service" }');
    expect(parsed.written).toEqual(new Set(['service.json']));
    expect(parsed.commands.some((command) => command.startsWith('#'))).toBe(false);
    expect(calls.map((call) => `${call.method} ${call.url.host}${call.url.pathname}`)).toEqual([
      'POST iam.example.invalid/v3/auth/tokens',
      'PUT cci.example.invalid/api/v1/namespaces/ns/services/redis',
      'POST cci.example.invalid/api/v1/namespaces/ns/services/redis',
      'PATCH cci.example.invalid/api/v1/namespaces/ns/services/redis',
    ]);
  });

  it('finds a body sent without -X (curl makes it a POST) and without a Content-Type', () => {
    expect(calls[2]).toMatchObject({ method: 'POST', contentType: undefined, data: '{"a":1}' });
  });

  it('reads the body from the heredoc it names, and knows when the shell fills it in', () => {
    expect(bodyText(parsed, calls[1]!)).toBe('{ "kind": "Service" }');
    expect(calls[3]).toMatchObject({ contentType: 'application/merge-patch+json', dataExpanded: true });
    expect(bodyText(parsed, calls[3]!)).toBeUndefined();
  });

  it('parses a body as its media type says, and refuses a malformed one', () => {
    expect(parseBody('application/apply-patch+yaml', 'kind: Service\n')).toEqual({ kind: 'Service' });
    expect(() => parseBody('application/json', "{ kind: 'Service' }")).toThrow();
  });

  it("names kubectl's patch formats as the media types it sends (strategic by default)", () => {
    expect(kubectlPatchMediaTypes(parsed)).toEqual([
      'application/strategic-merge-patch+json',
      'application/json-patch+json',
      'application/apply-patch+yaml',
    ]);
  });
});

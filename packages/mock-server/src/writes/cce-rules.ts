// CCE's rule for a Service's type: it may only widen — ClusterIP → NodePort or LoadBalancer,
// NodePort → LoadBalancer — never back. Source: CCE API reference, "Updating a Service" and
// "Creating a Service" (api-cce/cce_02_0028.html, cce_02_0031.html).
// *Inferred*: the pages state the rule, not the refusal; the mock answers 422 Invalid on spec.type.
import { goString, invalid, type FieldError } from './field-errors.js';
import { isObject, type JsonObject } from './json-value.js';

const RANK: Record<string, number> = { ClusterIP: 0, NodePort: 1, LoadBalancer: 2 };

export function cceTypeChangeRule(next: JsonObject, previous: JsonObject | undefined): FieldError[] {
  if (!previous) return [];
  const to = isObject(next.spec) ? String(next.spec.type ?? '') : '';
  const from = isObject(previous.spec) ? String(previous.spec.type ?? '') : '';
  const [a, b] = [RANK[from], RANK[to]];
  if (a === undefined || b === undefined || b >= a) return [];
  return [
    invalid(
      'spec.type',
      goString(to),
      `may not change from ${from} to ${to}: a Service's type may only change from ClusterIP to NodePort or LoadBalancer, or from NodePort to LoadBalancer`,
    ),
  ];
}

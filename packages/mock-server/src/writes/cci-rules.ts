// CCI's rule for LoadBalancer Services: CCI binds them to an existing ELB and to the tenant's
// project, named in three annotations the request must carry. Source: CCI API reference, "Creating
// a Service" (en-us/api-cci/cci_02_3048.html).
// *Inferred*: the page gives the annotations, not the refusal; the mock answers what Kubernetes
// answers for a missing required field — 422 Invalid, one "Required value" cause per annotation.
import { required, type FieldError } from './field-errors.js';
import { isObject, type JsonObject } from './json-value.js';

export const CCI_LOAD_BALANCER_ANNOTATIONS = [
  'kubernetes.io/elb.id',
  'tenant.kubernetes.io/project-id',
  'tenant.kubernetes.io/domain-id',
];

export function cciLoadBalancerRule(next: JsonObject): FieldError[] {
  const spec = isObject(next.spec) ? next.spec : {};
  if (spec.type !== 'LoadBalancer') return [];
  const metadata = isObject(next.metadata) ? next.metadata : {};
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  return CCI_LOAD_BALANCER_ANNOTATIONS.filter(
    (name) => typeof annotations[name] !== 'string' || annotations[name] === '',
  ).map((name) => required(`metadata.annotations[${name}]`));
}

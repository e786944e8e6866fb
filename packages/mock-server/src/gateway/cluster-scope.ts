// CCI is one shared cluster per region: its API page says lists and watches work inside a named
// namespace only (cci-and-huawei-cloud-facts.md, "Which product the seed page documents"). So in
// the `cci` profile a list or watch across all namespaces (`GET /api/v1/services`) is refused.
//
// *Inferred*: the page gives no status code or body for the refusal. The mock answers what
// Kubernetes' authorisation answers for a request it may not serve — 403 Forbidden, as a Status —
// with a message that says why.
import type { StatusDetails } from '@cci-openapi/types';

export function clusterScopeRefusal(
  user: string,
  verb: 'list' | 'watch',
  resource: string,
): { message: string; details: StatusDetails } {
  return {
    message:
      `${resource} is forbidden: User ${JSON.stringify(user)} cannot ${verb} resource ${JSON.stringify(resource)} in API group "" at the cluster scope: ` +
      "CCI's shared cluster serves lists and watches only inside a namespace",
    details: { kind: resource },
  };
}

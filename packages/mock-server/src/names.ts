// Name rules of kube-apiserver for the path parameters of a namespaced resource.
//
// What kube-apiserver answers on a GET (k8s.io/apiserver, registry store NamespaceKeyFunc):
// - a name that cannot be a path segment ("." or "..", or one that contains "/" or "%") is
//   refused with 400 BadRequest `Name parameter invalid: "..": may not be '..'`;
// - any other name that is not a valid object name (upper case, "_", longer than 63, …) is not
//   validated on reads: the lookup finds nothing and the answer is 404 NotFound, the same as for a
//   well-formed name that does not exist. An invalid namespace likewise yields 404 NotFound.
// The mock does the same; it never answers 422 on a read (422 Invalid is for writes).

/** DNS-1123 label (namespace names): lower-case alphanumerics and "-", alphanumeric at both ends, ≤ 63. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** DNS-1035 label (Service names): like DNS-1123 but must start with a letter. */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** kube-apiserver's IsValidPathSegmentName: the reasons a name cannot be a path segment (empty if it can). */
export function pathSegmentProblems(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const problems: string[] = [];
  for (const illegal of ['/', '%']) if (value.includes(illegal)) problems.push(`may not contain '${illegal}'`);
  return problems;
}

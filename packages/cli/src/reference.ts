// The <namespace>/<name> argument.

export interface ServiceReference {
  namespace: string;
  name: string;
}

/** Splits "namespace/name"; returns a reason when it is not of that shape. */
export function parseReference(text: string): ServiceReference | { problem: string } {
  const parts = text.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    return { problem: `expected <namespace>/<name>, got ${JSON.stringify(text)}` };
  return { namespace: parts[0], name: parts[1] };
}

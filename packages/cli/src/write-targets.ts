// What a write command acts on: each object of a manifest checked to be a v1 Service with a name,
// and the namespace it goes to — the object's own, else -n, else the kubeconfig context's, else
// "default" (the rule of `list`, and kubectl's). An object that contradicts -n is refused, in
// kubectl's words. Nothing here sends a request.
import type { Service } from '@cci-openapi/types';
import { DEFAULT_NAMESPACE } from './list.js';
import type { ManifestEntry } from './manifests.js';

/** Where the namespace of an object without one comes from. */
export interface NamespaceChoice {
  namespace: string;
  from: 'flag' | 'context' | 'default';
}

export function chooseNamespace(flag: string | undefined, contextNamespace: string | undefined): NamespaceChoice {
  if (flag !== undefined) return { namespace: flag, from: 'flag' };
  if (contextNamespace !== undefined) return { namespace: contextNamespace, from: 'context' };
  return { namespace: DEFAULT_NAMESPACE, from: 'default' };
}

/** Why the namespace is what it is, for a line saying which one a command acts in. */
export function namespaceOrigin(choice: NamespaceChoice): string {
  if (choice.from === 'flag') return '-n';
  if (choice.from === 'context') return "the kubeconfig context's namespace";
  return 'no -n given and no namespace in the kubeconfig context';
}

export interface ServiceTarget {
  entry: ManifestEntry;
  service: Service;
  namespace: string;
  name: string;
}

export interface RefusedEntry {
  entry: ManifestEntry;
  problem: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object as a Service to send (its namespace filled in), or why it is refused. */
export function serviceTarget(entry: ManifestEntry, choice: NamespaceChoice): ServiceTarget | RefusedEntry {
  const { value } = entry;
  if (!isRecord(value))
    return { entry, problem: 'not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)' };
  if (value.apiVersion !== 'v1' || value.kind !== 'Service') {
    const kind = typeof value.kind === 'string' && value.kind ? value.kind : '(no kind)';
    const apiVersion = typeof value.apiVersion === 'string' && value.apiVersion ? value.apiVersion : '(no apiVersion)';
    return {
      entry,
      problem: `not a v1 Service (kind ${kind}, apiVersion ${apiVersion}): cci-svc writes v1 Services only, so nothing was sent for it`,
    };
  }
  const metadata = value.metadata;
  if (metadata !== undefined && !isRecord(metadata)) return { entry, problem: 'metadata must be a mapping' };
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '')
    return { entry, problem: 'resource name may not be empty (metadata.name)' };
  const own = metadata?.namespace;
  if (own !== undefined && own !== null && typeof own !== 'string')
    return { entry, problem: 'metadata.namespace must be a string' };
  // As kubectl: an empty namespace is no namespace; one that differs from an explicit -n is refused.
  if (own && choice.from === 'flag' && own !== choice.namespace) {
    return {
      entry,
      problem: `the namespace from the provided object ${JSON.stringify(own)} does not match the namespace ${JSON.stringify(choice.namespace)}. You must pass '--namespace=${own}' to perform this operation.`,
    };
  }
  const namespace = own || choice.namespace;
  const service = { ...value, metadata: { ...metadata, name, namespace } } as Service;
  return { entry, service, namespace, name };
}

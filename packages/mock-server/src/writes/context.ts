// The write path's context for one mock server: allocation ranges, which namespaces exist, the
// patch engines and the profile's extra rules (cci: CCI's load balancer annotations; cce: CCE's
// one-way Service type changes).
import type { Service } from '@cci-openapi/types';
import { BUILT_IN_NAMESPACES } from '../namespaces.js';
import type { ObjectStore } from '../store.js';
import { DEFAULT_RANGES } from './allocation.js';
import { cceTypeChangeRule } from './cce-rules.js';
import { cciLoadBalancerRule } from './cci-rules.js';
import { patchEngine } from './patch-engine.js';
import type { WriteContext } from './serve.js';

export interface WriteContextOptions {
  profile: string;
  /** Namespaces that exist besides the built-in ones and those of stored objects. */
  namespaces: readonly string[];
}

export function createWriteContext(store: ObjectStore, options: WriteContextOptions): WriteContext {
  const known = new Set([
    ...BUILT_IN_NAMESPACES,
    ...options.namespaces,
    ...store.list<Service>().map((s) => s.metadata?.namespace ?? ''),
  ]);
  const extraRules =
    options.profile === 'cci' ? [cciLoadBalancerRule] : options.profile === 'cce' ? [cceTypeChangeRule] : [];
  return {
    store,
    ranges: DEFAULT_RANGES,
    now: Date.now,
    extraRules,
    patch: patchEngine,
    namespaceExists: (namespace) => known.has(namespace) || store.list({ namespace }).length > 0,
    namespaceNames: () => [...new Set([...known, ...store.list<Service>().map((s) => s.metadata?.namespace ?? '')])],
  };
}

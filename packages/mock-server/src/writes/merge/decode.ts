// What decoding a patched document into kube-apiserver's Go types does to it, read from the
// schema: unknown fields vanish (1.20 has no strict field validation), null and zero values of
// optional fields vanish (`omitempty`), a null inside a string map becomes "" (the map value's zero
// value), and a value of the wrong JSON type is a 422 "patch: Invalid value" whose detail uses the
// words of runtime.DefaultUnstructuredConverter.
import type { TypeMeta } from './patch-meta.js';
import { isObject, type Json, type JsonObject, setMember } from './problem.js';

class DecodeFailure extends Error {}

/**
 * Optional scalars that are Go pointers in k8s.io/api 1.20 (`*bool`, `*int32`, `*string`): their zero
 * value is kept (only null or absent is nil). The OpenAPI document does not tell pointers apart, so
 * the ones of the types the mock serves are listed here, by schema title.
 */
const GO_POINTER_SCALARS: Record<string, ReadonlySet<string>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': new Set(['controller', 'blockOwnerDeletion']),
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': new Set(['deletionGracePeriodSeconds']),
  'io.k8s.api.core.v1.ServiceSpec': new Set([
    'ipFamilyPolicy',
    'allocateLoadBalancerNodePorts',
    'loadBalancerClass',
    'internalTrafficPolicy',
    'trafficDistribution',
  ]),
  'io.k8s.api.core.v1.ServicePort': new Set(['appProtocol']),
  'io.k8s.api.core.v1.ClientIPConfig': new Set(['timeoutSeconds']),
  'io.k8s.api.core.v1.PortStatus': new Set(['error']),
  'io.k8s.api.core.v1.LoadBalancerIngress': new Set(['ipMode']),
};

function goKindName(v: Json): string {
  if (Array.isArray(v)) return 'slice';
  if (v === null) return 'invalid';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'object' ? 'map' : typeof v === 'boolean' ? 'bool' : 'string';
}

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0);
}

function zeroOf(meta: TypeMeta): Json | undefined {
  if (meta.kind === 'scalar') return meta.types.includes('string') ? '' : meta.types.includes('boolean') ? false : 0;
  return meta.kind === 'struct' ? {} : undefined;
}

function scalar(value: Json, types: string[]): Json {
  const kind = typeof value;
  const fits =
    (kind === 'string' && types.includes('string')) ||
    (kind === 'boolean' && types.includes('boolean')) ||
    (kind === 'number' && (types.includes('number') || (types.includes('integer') && Number.isInteger(value))));
  if (!fits)
    throw new DecodeFailure(
      `cannot convert ${goKindName(value)} to ${types.includes('string') ? 'string' : (types[0] ?? 'string')}`,
    );
  return value;
}

function decodeValue(value: Json, meta: TypeMeta): Json {
  switch (meta.kind) {
    case 'untyped':
      return value;
    case 'scalar':
      return scalar(value, meta.types);
    case 'list': {
      if (!Array.isArray(value)) throw new DecodeFailure(`cannot restore slice from ${goKindName(value)}`);
      return value.map((item) => (item === null ? (zeroOf(meta.elem) ?? null) : decodeValue(item, meta.elem)));
    }
    case 'map': {
      if (!isObject(value)) throw new DecodeFailure(`cannot restore map from ${goKindName(value)}`);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value))
        setMember(out, k, v === null ? (zeroOf(meta.elem) ?? null) : decodeValue(v, meta.elem));
      return out;
    }
    case 'struct':
      return decodeStruct(value, meta);
  }
}

function decodeStruct(value: Json, meta: Extract<TypeMeta, { kind: 'struct' }>): JsonObject {
  if (!isObject(value)) throw new DecodeFailure(`cannot restore struct from: ${goKindName(value)}`);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const field = meta.field(k);
    if (!field) continue;
    const required = meta.required.has(k);
    if (v === null) {
      const zero = required ? zeroOf(field) : undefined;
      if (zero !== undefined) out[k] = zero;
      continue;
    }
    const decoded = decodeValue(v, field);
    const pointer = field.kind === 'scalar' && (GO_POINTER_SCALARS[meta.title]?.has(k) ?? false);
    if (!required && !pointer && isZero(decoded)) continue;
    if (!required && field.kind === 'map' && isObject(decoded) && Object.keys(decoded).length === 0) continue;
    out[k] = decoded;
  }
  return out;
}

/** The document as the Go types keep it, or the converter's words for why it does not fit them. */
export function decodeLikeGo(
  document: JsonObject,
  meta: TypeMeta,
): { ok: true; object: JsonObject } | { ok: false; detail: string } {
  try {
    const object = decodeValue(document, meta);
    return { ok: true, object: object as JsonObject };
  } catch (error) {
    if (error instanceof DecodeFailure) return { ok: false, detail: error.message };
    throw error;
  }
}

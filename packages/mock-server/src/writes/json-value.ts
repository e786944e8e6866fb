// The plain JSON values the write path handles: decoded request bodies and stored objects.
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json | undefined;
}

export const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The object at `key`, created when absent (callers own `parent`). */
export function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (isObject(value)) return value;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

export const stringAt = (parent: JsonObject | undefined, key: string): string | undefined => {
  const value = parent?.[key];
  return typeof value === 'string' ? value : undefined;
};

/** kube-apiserver writes RFC 3339 times with second precision. */
export const kubeTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

// The bodies of the patch formats Kubernetes takes, typed from the resource they change. The spec's
// `Patch` schema is free-form (Kubernetes' own OpenAPI says only "object"), so the generator types a
// merge patch, a strategic merge patch and an apply configuration from the operation's result.

/** Any JSON value, for the `value` of a JSON Patch operation. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A JSON merge patch (RFC 7386) of T: any subset of its fields, recursively; `null` removes a
 * field. Arrays are replaced whole.
 */
export type MergePatch<T> = T extends readonly (infer _)[]
  ? T | null
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T | null;

/**
 * A strategic merge patch of T: as a merge patch, but lists the schema gives a merge key
 * (a Service's `spec.ports`, by `port`) merge item by item, and the directives `$patch`
 * (`replace`, `merge`, `delete`), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` may appear in any object.
 */
export type StrategicMergePatch<T> = T extends readonly (infer Item)[]
  ? StrategicMergePatch<Item>[] | null
  : T extends object
    ? { [K in keyof T]?: StrategicMergePatch<T[K]> | null } & StrategicDirectives
    : T | null;

/** The directives of a strategic merge patch (`$setElementOrder/ports`, `$patch: delete` …). */
export interface StrategicDirectives {
  $patch?: 'replace' | 'merge' | 'delete';
  $retainKeys?: string[];
  [directive: `$setElementOrder/${string}` | `$deleteFromPrimitiveList/${string}`]: JsonValue[] | undefined;
}

/**
 * A server-side apply configuration of T: the fields the field manager wants to own, recursively
 * partial. It names what it applies (apiVersion, kind, metadata.name); the server merges it with
 * what other managers own.
 */
export type ApplyConfiguration<T> = DeepPartial<T> & { apiVersion: string; kind: string; metadata: { name: string } };

/** T with every field optional, recursively (arrays keep their items' type, partially). */
export type DeepPartial<T> = T extends readonly (infer Item)[]
  ? DeepPartial<Item>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A request body of type T whose properties K the server sets (readOnly ones such as status) or
 * infers from the endpoint (apiVersion, kind): they may be left out, and are typed as in T when given.
 */
export type RequestBody<T, K extends PropertyKey> = Omit<T, K> & Partial<Pick<T, K & keyof T>>;

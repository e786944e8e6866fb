/**
 * What the generated operations table (src/generated/operations.ts) says about each operation:
 * plain data, turned into a call by the one generic runtime in operation.ts.
 */
export interface OperationDescriptor {
  /** The operationId (named in messages; a bundle holds only the ids of the operations it calls). */
  id?: string;
  method: string;
  /** The path template of the spec, e.g. /api/v1/namespaces/{namespace}/services/{name}. */
  path: string;
  /** Every parameter by name: where it goes and the scalar type its value must have. */
  params: Readonly<Record<string, ParamDescriptor>>;
  /** The success answer is declared as JSON: its body is parsed and checked. */
  json?: boolean;
  /** The `kind` a success body must carry (Service, ServiceList …), from the response schema. */
  kind?: string;
  /** The object/array structure a success body must have, from the response schema. */
  shape?: Shape;
  /** The query parameter that turns the answer into a stream (Kubernetes' `watch`), refused here. */
  streamParameter?: string;
  /** The request body, when the operation takes one. */
  body?: BodyDescriptor;
  /** A list operation (a `…List` with `items`): what its items are, for lists, watches and informers. */
  list?: ListDescriptor;
}

/** What the generic lists, watches and informer need to know of a list operation. */
export interface ListDescriptor {
  /** The items' kind (Service), which watch events must carry. */
  kind: string;
  /** The items' apiVersion (v1, apps/v1), which kube-apiserver leaves out of list items. */
  apiVersion: string;
  /** The path takes {namespace}: the list is of one namespace. */
  namespaced: boolean;
  /** The operation takes the `watch` parameter: the same path streams changes. */
  watch: boolean;
}

export interface ParamDescriptor {
  in: 'path' | 'query';
  type: 'string' | 'integer' | 'number' | 'boolean';
  required?: boolean;
}

/** An object with these properties (each checked when present), or an array of these items. */
export type Shape =
  | { readonly type: 'object'; readonly properties?: Readonly<Record<string, Shape>> }
  | { readonly type: 'array'; readonly items?: Shape };

/** Options every operation call takes besides its parameters. */
export interface CallOptions {
  /** Aborts the call (and its retries); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The request body an operation takes: whether it must be given, and the media types the client sends. */
export interface BodyDescriptor {
  required?: boolean;
  /** In the spec's order; with more than one, the call's `contentType` picks (and must be given). */
  mediaTypes: readonly BodyMediaType[];
}

export interface BodyMediaType {
  mediaType: string;
  /** A format whose body may also be given as text (a `+yaml` media type: YAML, or JSON, text). */
  text?: boolean;
  /** The object/array structure the body must have, checked before sending. */
  shape?: Shape;
}

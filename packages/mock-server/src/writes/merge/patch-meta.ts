// The merge metadata of a resource, read from the bundled OpenAPI document: which lists merge by
// which key (strategic merge patch), which lists are maps, sets or atomic (managedFields), which
// fields exist at all (kube-apiserver drops unknown fields when it decodes into its Go types).
// Nothing is hard-coded per field: everything comes from `x-kubernetes-*` extensions, as
// kube-openapi's schema converter reads them in 1.20 (schemaconv/smd.go).
import { deref, loadBundledSpec, type OpenApiDocument } from '../../spec.js';

/** A struct (an object with `properties`): its fields are looked up lazily (schemas are recursive). */
export interface StructMeta {
  kind: 'struct';
  /** The schema's title (e.g. io.k8s.api.core.v1.OwnerReference), '' when it has none. */
  title: string;
  field(name: string): TypeMeta | undefined;
  fieldNames(): string[];
  /** Fields the schema lists as required (kept when empty: the Go field has no `omitempty`). */
  required: ReadonlySet<string>;
  atomic: boolean;
}

/** A map with arbitrary keys (`additionalProperties`), e.g. labels. */
export interface MapMeta {
  kind: 'map';
  elem: TypeMeta;
  atomic: boolean;
}

export interface ListMeta {
  kind: 'list';
  elem: TypeMeta;
  /** managedFields: how the list's items are identified (x-kubernetes-list-type, or the patch strategy). */
  listType: 'atomic' | 'set' | 'map';
  /** Item keys for listType `map` (x-kubernetes-list-map-keys, else the patch merge key). */
  keys: string[];
  /** Strategic merge patch: the strategies of x-kubernetes-patch-strategy ("merge", "retainKeys", "replace"). */
  patchStrategies: string[];
  patchMergeKey: string;
}

export interface ScalarMeta {
  kind: 'scalar';
  /** The JSON types the schema allows ("string", "integer", "number", "boolean"); int-or-string has two. */
  types: string[];
}

/** An object with no declared shape (e.g. FieldsV1): kept as it is, atomic. */
export interface UntypedMeta {
  kind: 'untyped';
}

export type TypeMeta = StructMeta | MapMeta | ListMeta | ScalarMeta | UntypedMeta;

type Schema = Record<string, unknown>;

const UNTYPED: UntypedMeta = { kind: 'untyped' };

function strategies(node: Schema): string[] {
  const raw = node['x-kubernetes-patch-strategy'];
  return typeof raw === 'string' && raw !== '' ? raw.split(',') : [];
}

/** kube-openapi's VisitArray: list-type first, else the patch strategy (merge + key = map, merge = set). */
function listShape(node: Schema): Pick<ListMeta, 'listType' | 'keys'> {
  const listType = node['x-kubernetes-list-type'];
  if (listType === 'map')
    return { listType: 'map', keys: (node['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [] };
  if (listType === 'set') return { listType: 'set', keys: [] };
  if (listType === 'atomic') return { listType: 'atomic', keys: [] };
  const strategy = strategies(node);
  if (strategy.includes('merge')) {
    const key = node['x-kubernetes-patch-merge-key'];
    return typeof key === 'string' ? { listType: 'map', keys: [key] } : { listType: 'set', keys: [] };
  }
  return { listType: 'atomic', keys: [] };
}

/** Builds TypeMeta trees over one OpenAPI document; one cache per document (schemas are shared and recursive). */
export class PatchMetaReader {
  private readonly cache = new WeakMap<object, TypeMeta>();

  constructor(private readonly spec: OpenApiDocument) {}

  /** The metadata of `components.schemas[name]`, e.g. `Service`; throws for an unknown name. */
  forSchema(name: string): TypeMeta {
    const schema = this.spec.components.schemas?.[name];
    if (!schema) throw new Error(`no schema ${JSON.stringify(name)} in the bundled spec`);
    const meta = this.of(schema as Schema);
    schemaNames.set(meta, name);
    return meta;
  }

  /** The metadata of one schema node (a property schema carries the list extensions, its `items` the element). */
  of(node: Schema): TypeMeta {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const meta = this.build(node);
    this.cache.set(node, meta);
    return meta;
  }

  private resolve(node: Schema): Schema {
    // A property may be a bare $ref, or a $ref with siblings (readOnly, description); follow it, keep the extensions.
    if (typeof node.$ref !== 'string') return node;
    const target = deref<Schema>(this.spec, node as { $ref: string });
    return { ...target, ...Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith('x-kubernetes-'))) };
  }

  private build(raw: Schema): TypeMeta {
    const node = this.resolve(raw);
    const composite = (node.allOf ?? node.oneOf ?? node.anyOf) as Schema[] | undefined;
    if (Array.isArray(composite) && composite.length === 1 && composite[0]) return this.of(composite[0]);
    const type = node.type;
    if (type === 'array') return this.list(node);
    if (type === 'object' || node.properties) return this.object(node);
    if (node['x-kubernetes-int-or-string']) return { kind: 'scalar', types: ['integer', 'string'] };
    if (type === undefined) return UNTYPED;
    return { kind: 'scalar', types: Array.isArray(type) ? (type as string[]) : [String(type)] };
  }

  private list(node: Schema): ListMeta {
    const items = (node.items ?? {}) as Schema;
    const reader = this;
    return {
      kind: 'list',
      get elem() {
        return reader.of(items);
      },
      ...listShape(node),
      patchStrategies: strategies(node),
      patchMergeKey:
        typeof node['x-kubernetes-patch-merge-key'] === 'string'
          ? (node['x-kubernetes-patch-merge-key'] as string)
          : '',
    };
  }

  private object(node: Schema): TypeMeta {
    const atomic = node['x-kubernetes-map-type'] === 'atomic';
    const properties = node.properties as Record<string, Schema> | undefined;
    if (properties) {
      return {
        kind: 'struct',
        title: typeof node.title === 'string' ? node.title : '',
        field: (name) => (Object.hasOwn(properties, name) ? this.of(properties[name] as Schema) : undefined),
        fieldNames: () => Object.keys(properties),
        required: new Set((node.required as string[] | undefined) ?? []),
        atomic,
      };
    }
    const additional = node.additionalProperties;
    if (additional && typeof additional === 'object') {
      const reader = this;
      return {
        kind: 'map',
        get elem() {
          return reader.of(additional as Schema);
        },
        atomic,
      };
    }
    return UNTYPED;
  }
}

const schemaNames = new WeakMap<TypeMeta, string>();

/** The components.schemas name a TypeMeta was read for (forSchema), if any. */
export function schemaNameOf(meta: TypeMeta): string | undefined {
  return schemaNames.get(meta);
}

let bundled: PatchMetaReader | undefined;

/** The metadata of a schema of the bundled spec (@cci-openapi/types/openapi.json), e.g. `patchMetaFor('Service')`. */
export function patchMetaFor(schemaName: string): TypeMeta {
  bundled ??= new PatchMetaReader(loadBundledSpec());
  return bundled.forSchema(schemaName);
}

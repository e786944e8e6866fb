// Sets of field paths, as structured-merge-diff v4.0.2 (kube-apiserver 1.20) keeps them: a tree of
// path elements, each node either a member ("this field is owned") or a parent of owned fields, or
// both. Serialised to and from FieldsV1 JSON (`f:name`, `k:{"port":80,"protocol":"TCP"}`, `v:"x"`,
// `i:0`, and "." for a node that is itself a member), in SMD's element order.
import type { Json } from '../merge/problem.js';

export type PathElement =
  | { type: 'f'; name: string }
  | { type: 'k'; key: Array<[string, Json]> }
  | { type: 'v'; value: Json }
  | { type: 'i'; index: number };

export type FieldPath = PathElement[];

const TYPE_ORDER = { f: 0, k: 1, v: 2, i: 3 } as const;

/** Byte-wise string order (Go's strings.Compare), which differs from UTF-16 order above the BMP. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function rank(v: Json): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** SMD's value.Compare: numbers, then strings, booleans, lists, maps, null. */
function compareValues(a: Json, b: Json): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const bl = b as Json[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i] as Json, bl[i] as Json);
      if (c !== 0) return c;
    }
    return a.length - bl.length;
  }
  if (a !== null && typeof a === 'object') {
    const ak = Object.keys(a).sort(compareStrings);
    const bo = b as Record<string, Json>;
    const bk = Object.keys(bo).sort(compareStrings);
    for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
      const c =
        compareStrings(ak[i] as string, bk[i] as string) ||
        compareValues(a[ak[i] as string] as Json, bo[bk[i] as string] as Json);
      if (c !== 0) return c;
    }
    return ak.length - bk.length;
  }
  return 0;
}

function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  switch (a.type) {
    case 'f':
      return compareStrings(a.name, (b as typeof a).name);
    case 'k': {
      const bk = (b as typeof a).key;
      if (a.key.length !== bk.length) return a.key.length - bk.length;
      for (let i = 0; i < a.key.length; i++) {
        const [an, av] = a.key[i] as [string, Json];
        const [bn, bv] = bk[i] as [string, Json];
        const c = compareStrings(an, bn) || compareValues(av, bv);
        if (c !== 0) return c;
      }
      return 0;
    }
    case 'v':
      return compareValues(a.value, (b as typeof a).value);
    case 'i':
      return a.index - (b as typeof a).index;
  }
}

/** The FieldsV1 key of an element (also the identity the set uses). */
function elementKey(pe: PathElement): string {
  switch (pe.type) {
    case 'f':
      return `f:${pe.name}`;
    case 'k':
      return `k:${JSON.stringify(Object.fromEntries(pe.key))}`;
    case 'v':
      return `v:${JSON.stringify(pe.value)}`;
    case 'i':
      return `i:${pe.index}`;
  }
}

/** SMD's value.ToString (Go %v of numbers and booleans, %q of strings). */
function valueString(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${valueString(x)}`)
      .join(';')}}`;
  return String(v);
}

/** A path as SMD prints it in conflicts: `.spec.ports[port=80,protocol="TCP"].name`, `[="a"]`, `[0]`. */
function elementString(pe: PathElement): string {
  switch (pe.type) {
    case 'f':
      return `.${pe.name}`;
    case 'k':
      return `[${pe.key.map(([n, v]) => `${n}=${valueString(v)}`).join(',')}]`;
    case 'v':
      return `[=${valueString(pe.value)}]`;
    case 'i':
      return `[${pe.index}]`;
  }
}

export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

export class FieldsV1Error extends Error {}

/** Far deeper than a Service's deepest field path (about 8 elements). */
const MAX_FIELDS_DEPTH = 256;

function parseElement(key: string): PathElement {
  const body = key.slice(2);
  try {
    switch (key.slice(0, 2)) {
      case 'f:':
        return { type: 'f', name: body };
      case 'k:': {
        const parsed = JSON.parse(body) as Record<string, Json>;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) break;
        return { type: 'k', key: Object.entries(parsed).sort(([a], [b]) => compareStrings(a, b)) };
      }
      case 'v:':
        return { type: 'v', value: JSON.parse(body) as Json };
      case 'i:':
        if (/^-?\d+$/.test(body)) return { type: 'i', index: Number(body) };
        break;
    }
  } catch {
    // falls through to the error below
  }
  throw new FieldsV1Error(`invalid path element ${JSON.stringify(key)}`);
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  static fromPaths(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /**
   * Parses FieldsV1 JSON; throws FieldsV1Error for what SMD would refuse. Nesting is bounded (a
   * client can send any managedFields in a JSON patch): deeper than any schema path is refused.
   */
  static fromFieldsV1(json: unknown, depth = 0): FieldSet {
    if (depth > MAX_FIELDS_DEPTH) throw new FieldsV1Error('FieldsV1 nests deeper than any field path');
    const set = new FieldSet();
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new FieldsV1Error('FieldsV1 must be an object');
    for (const [key, value] of Object.entries(json)) {
      if (key === '.') continue;
      const pe = parseElement(key);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new FieldsV1Error(`invalid FieldsV1 value at ${key}`);
      const entries = Object.keys(value);
      if (entries.length === 0 || entries.includes('.')) set.members.set(elementKey(pe), pe);
      if (entries.some((k) => k !== '.')) {
        const child = FieldSet.fromFieldsV1(value, depth + 1);
        if (!child.empty()) set.children.set(elementKey(pe), { pe, set: child });
      }
    }
    return set;
  }

  /** A zero-length path is the whole object, which SMD never records. */
  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i] as PathElement;
      const key = elementKey(pe);
      let child = node.children.get(key);
      if (!child) {
        child = { pe, set: new FieldSet() };
        node.children.set(key, child);
      }
      node = child.set;
    }
    const last = path[path.length - 1] as PathElement;
    node.members.set(elementKey(last), last);
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(elementKey(path[i] as PathElement))?.set;
    return node?.members.has(elementKey(path[path.length - 1] as PathElement)) ?? false;
  }

  empty(): boolean {
    return this.members.size === 0 && [...this.children.values()].every((c) => c.set.empty());
  }

  /** The subset under one element (SMD's WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(elementKey(pe))?.set ?? new FieldSet();
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const s of [this, other]) {
      for (const [k, pe] of s.members) out.members.set(k, pe);
      for (const [k, c] of s.children) {
        const existing = out.children.get(k);
        out.children.set(k, { pe: c.pe, set: existing ? existing.set.union(c.set) : c.set.union(new FieldSet()) });
      }
    }
    return out;
  }

  /** Members of this set that are not members of `other` (a member's own children are not implied). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      const rest = theirs ? c.set.difference(theirs.set) : c.set.union(new FieldSet());
      if (!rest.empty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** Members of `other` are removed with everything under them (SMD's RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const theirs = other.children.get(k);
      const rest = theirs ? c.set.recursiveDifference(theirs.set) : c.set.union(new FieldSet());
      if (!rest.empty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** The node at `path` when `path` leads through children (members are not required). */
  childAt(path: FieldPath): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) node = node?.children.get(elementKey(pe))?.set;
    return node;
  }

  /** This level's elements: those that are members, and those that only have children. */
  elements(): Array<{ pe: PathElement; member: boolean; children: FieldSet | undefined }> {
    const out: Array<{ pe: PathElement; member: boolean; children: FieldSet | undefined }> = [];
    for (const [k, c] of this.children)
      if (!this.members.has(k)) out.push({ pe: c.pe, member: false, children: c.set });
    for (const [k, pe] of this.members) out.push({ pe, member: true, children: this.children.get(k)?.set });
    return out;
  }

  /** A set of `path` (a member) whose node at `path` is `node`. */
  static at(path: FieldPath, node: FieldSet): FieldSet {
    const out = FieldSet.fromPaths([path]);
    let cursor: FieldSet = out;
    for (let i = 0; i < path.length; i++) {
      const pe = path[i] as PathElement;
      const key = elementKey(pe);
      let child = cursor.children.get(key);
      if (!child) {
        child = { pe, set: new FieldSet() };
        cursor.children.set(key, child);
      }
      if (i === path.length - 1) child.set = node.union(new FieldSet());
      cursor = child.set;
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) continue;
      const both = c.set.intersection(theirs.set);
      if (!both.empty()) out.children.set(k, { pe: c.pe, set: both });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  private sortedMembers(): PathElement[] {
    return [...this.members.values()].sort(comparePathElements);
  }

  private sortedChildren(): Array<{ pe: PathElement; set: FieldSet }> {
    return [...this.children.values()].filter((c) => !c.set.empty()).sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** Every member path, in SMD's Iterate order: this level's members, then each child's, by element order. */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = this.sortedMembers().map((pe) => [...prefix, pe]);
    for (const c of this.sortedChildren()) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** FieldsV1 JSON, keys in SMD's order (members and children merged by element order). */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const entries = new Map<string, PathElement>();
    for (const [k, pe] of this.members) entries.set(k, pe);
    for (const c of this.sortedChildren()) entries.set(elementKey(c.pe), c.pe);
    for (const pe of [...entries.values()].sort(comparePathElements)) {
      const key = elementKey(pe);
      const child = this.children.get(key);
      const isMember = this.members.has(key);
      if (child && !child.set.empty()) out[key] = { ...(isMember ? { '.': {} } : {}), ...child.set.toFieldsV1() };
      else out[key] = {};
    }
    return out;
  }
}

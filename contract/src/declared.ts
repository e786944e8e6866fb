// The one list of accepted differences (differences.yaml): each observed difference must be
// declared there with its reason, and each declaration must still be observed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Declaration {
  id: string;
  reason: string;
  /** Case-id patterns; `*` matches any run of characters. */
  cases: string[];
  /** Difference paths; a path also covers everything below it ("body" covers "body.kind"). */
  paths: string[];
  /** Reported for a fix in the mock: the entry goes when the fix lands. */
  'mock-fix'?: boolean;
}

export interface Declarations {
  list: Declaration[];
  /** The declaration that covers this difference, or undefined. */
  match(caseId: string, path: string): Declaration | undefined;
  /** Whether one of the declaration's case patterns names this case. */
  appliesTo(declaration: Declaration, caseId: string): boolean;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

export function loadDeclarations(file: string): Declarations {
  const raw = parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a list of declarations`);
  const list = raw.map((entry: any, index) => {
    const where = `${file}: entry ${index + 1}`;
    if (typeof entry?.id !== 'string' || entry.id === '') throw new Error(`${where}: id missing`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20)
      throw new Error(`${where} (${entry.id}): give the reason in a sentence`);
    for (const key of ['cases', 'paths']) {
      if (
        !Array.isArray(entry[key]) ||
        entry[key].length === 0 ||
        !entry[key].every((p: unknown) => typeof p === 'string')
      ) {
        throw new Error(`${where} (${entry.id}): ${key} must be a non-empty list of strings`);
      }
    }
    return entry as Declaration;
  });
  const ids = list.map((d) => d.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${file}: id ${duplicate} declared twice`);
  const compiled = list.map((d) => ({ d, cases: d.cases.map(glob), paths: d.paths }));
  const covers = (declared: string, path: string) =>
    declared === path ||
    path.startsWith(`${declared}.`) ||
    path.startsWith(`${declared}[`) ||
    (declared.includes('*') && glob(declared).test(path));
  return {
    list,
    match: (caseId, path) =>
      compiled.find((c) => c.cases.some((re) => re.test(caseId)) && c.paths.some((p) => covers(p, path)))?.d,
    appliesTo: (declaration, caseId) => declaration.cases.some((pattern) => glob(pattern).test(caseId)),
  };
}

/** Keeps which declarations were used by the cases of one test file, for the staleness check. */
export class DifferenceLedger {
  private readonly used = new Set<string>();
  private readonly ran = new Set<string>();

  constructor(
    private readonly declarations: Declarations,
    private readonly caseIds: readonly string[],
  ) {}

  /** Records the differences of one case; returns the ones no declaration covers. */
  record<T extends { path: string }>(caseId: string, differences: T[]): T[] {
    this.ran.add(caseId);
    return differences.filter((d) => {
      const declared = this.declarations.match(caseId, d.path);
      if (declared) this.used.add(declared.id);
      return !declared;
    });
  }

  /** Whether every case of the file ran (a -t filter leaves the staleness check meaningless). */
  complete(): boolean {
    return this.caseIds.every((id) => this.ran.has(id));
  }

  /** Declarations about this file's cases that no case needed. */
  stale(): string[] {
    return this.declarations.list
      .filter((d) => !this.used.has(d.id) && this.caseIds.some((id) => this.declarations.appliesTo(d, id)))
      .map((d) => `${d.id}: ${d.reason}`);
  }
}

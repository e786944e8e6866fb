// Summarises how the generated types (packages/types/index.d.ts) change between base and head:
// the members added, removed and changed (by their path, e.g. `components.schemas.Service.spec`),
// and the line diff from `git diff --no-index`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const squash = (text) => text.replace(/\s+/g, ' ').trim();

/** @param {string} source a .d.ts text @returns {Map<string, string>} member path → its type text */
export function typeMembers(source) {
  const file = ts.createSourceFile('index.d.ts', source, ts.ScriptTarget.Latest, true);
  /** @type {Map<string, string>} */
  const members = new Map();
  const nameOf = (node) =>
    node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name))
      ? node.name.text
      : node.name?.getText(file);
  const walkMembers = (prefix, list) => {
    for (const member of list) {
      if (!ts.isPropertySignature(member)) continue;
      const path = `${prefix}.${nameOf(member)}`;
      const modifiers = `${member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ? 'readonly ' : ''}${member.questionToken ? '?' : ''}`;
      if (member.type && ts.isTypeLiteralNode(member.type)) {
        members.set(path, `${modifiers}{…}`);
        walkMembers(path, member.type.members);
      } else {
        members.set(path, `${modifiers}${squash(member.type?.getText(file) ?? 'any')}`);
      }
    }
  };
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      members.set(statement.name.text, 'interface');
      walkMembers(statement.name.text, statement.members);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      if (ts.isTypeLiteralNode(statement.type)) {
        members.set(statement.name.text, 'type {…}');
        walkMembers(statement.name.text, statement.type.members);
      } else {
        members.set(statement.name.text, `type = ${squash(statement.type.getText(file))}`);
      }
    }
  }
  return members;
}

/** @returns {{ added: string[], removed: string[], changed: {path: string, base: string, head: string}[] }} */
export function diffTypeMembers(baseSource, headSource) {
  const base = typeMembers(baseSource);
  const head = typeMembers(headSource);
  return {
    added: [...head.keys()].filter((path) => !base.has(path)),
    removed: [...base.keys()].filter((path) => !head.has(path)),
    changed: [...head.entries()]
      .filter(([path, type]) => base.has(path) && base.get(path) !== type)
      .map(([path, type]) => ({ path, base: base.get(path), head: type })),
  };
}

/**
 * Member paths grouped under the outermost one present: `components.schemas.X` and its 7 members
 * read as one entry `{ path: 'components.schemas.X', members: 7 }`, so a new schema or operation is
 * one line of the report rather than one per property.
 * @param {string[]} paths @returns {{ path: string, members: number }[]}
 */
export function subtreeRoots(paths) {
  const present = new Set(paths);
  const ancestorIn = (path) => {
    for (let cut = path.lastIndexOf('.'); cut > 0; cut = path.lastIndexOf('.', cut - 1))
      if (present.has(path.slice(0, cut))) return path.slice(0, cut);
    return undefined;
  };
  /** @type {Map<string, number>} */
  const roots = new Map();
  for (const path of paths) if (!ancestorIn(path)) roots.set(path, 0);
  for (const path of paths) {
    let root = ancestorIn(path);
    while (root && ancestorIn(root)) root = ancestorIn(root);
    if (root) roots.set(root, (roots.get(root) ?? 0) + 1);
  }
  return [...roots].map(([path, members]) => ({ path, members }));
}

/** Line statistics and the unified diff of two texts, by git (no repository needed). */
export function lineDiff(baseSource, headSource) {
  const scratch = mkdtempSync(join(tmpdir(), 'cci-openapi-types-diff-'));
  try {
    writeFileSync(join(scratch, 'base.d.ts'), baseSource);
    writeFileSync(join(scratch, 'head.d.ts'), headSource);
    const diff = (...args) =>
      spawnSync('git', ['diff', '--no-index', '--no-color', ...args, 'base.d.ts', 'head.d.ts'], {
        cwd: scratch,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }).stdout;
    const [added = '0', removed = '0'] = diff('--numstat').trim().split(/\s+/);
    return {
      added: Number(added),
      removed: Number(removed),
      unified: diff('-U1').split('\n').slice(4).join('\n').trim(),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

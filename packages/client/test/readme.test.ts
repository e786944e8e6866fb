import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

/** Type-checks a snippet as an ES module, with '@cce-openapi/client' mapped to this package's source. */
function diagnosticsOf(code: string): string[] {
  const fileName = join(packageDir, 'test', '__readme_example__.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    baseUrl: packageDir,
    paths: { '@cce-openapi/client': ['src/index.ts'], '@cce-openapi/client/node': ['src/node.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === fileName ? code : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) =>
    name === fileName ? ts.createSourceFile(name, code, version, true, ts.ScriptKind.TS) : getSourceFile(name, version, onError);
  // package.json next to the snippet is "type": "module", so top-level await is allowed.
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('README', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has a TypeScript usage example', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]).toContain('readServiceStatus');
  });

  it('its TypeScript examples compile against the real API', () => {
    for (const block of blocks) expect(diagnosticsOf(block)).toEqual([]);
  });

  it('a broken example would be caught (the check is not vacuous)', () => {
    const broken = blocks[0]!.replace("name: 'redis' }", "nmae: 'redis' }");
    expect(broken).not.toBe(blocks[0]);
    expect(diagnosticsOf(broken).join('\n')).toMatch(/nmae/);
  });
});

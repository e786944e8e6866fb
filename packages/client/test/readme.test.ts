import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

/**
 * Type-checks snippets as ES modules, all in one program (one compile, however many blocks), with
 * '@cci-openapi/client' mapped to this package's source. Diagnostics are per snippet.
 */
function diagnosticsOfAll(codes: string[]): string[][] {
  const files = new Map(codes.map((code, i) => [join(packageDir, 'test', `__readme_example_${i}__.ts`), code]));
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
    paths: { '@cci-openapi/client': ['src/index.ts'], '@cci-openapi/client/node': ['src/node.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    const code = files.get(name);
    return code !== undefined
      ? ts.createSourceFile(name, code, version, true, ts.ScriptKind.TS)
      : getSourceFile(name, version, onError);
  };
  // package.json next to the snippets is "type": "module", so top-level await is allowed.
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].map((name) =>
    ts
      .getPreEmitDiagnostics(program, program.getSourceFile(name))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

const diagnosticsOf = (code: string): string[] => diagnosticsOfAll([code])[0]!;

describe('README', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has a TypeScript usage example', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]).toContain('readServiceStatus');
  });

  it('its TypeScript examples compile against the real API', () => {
    expect(diagnosticsOfAll(blocks)).toEqual(blocks.map(() => []));
  });

  it('a broken example would be caught (the check is not vacuous)', () => {
    const broken = blocks[0]!.replace("name: 'redis' }", "nmae: 'redis' }");
    expect(broken).not.toBe(blocks[0]);
    expect(diagnosticsOf(broken).join('\n')).toMatch(/nmae/);
  });
});

// A TypeScript caller of every operation of the enlarged spec, written from the spec: each call with
// its required path parameters (and its body, as the generated type says), each JSON answer assigned
// to the schema's generated type by name. Plus three lines that must NOT compile, so the check can
// fail: a missing path parameter, an unknown parameter and a list taken for its item.
import type { SpecOperation } from './operations.js';

const MERGE_PATCH = 'application/merge-patch+json';
const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

function call(operation: SpecOperation, extra = ''): string {
  const params = pathParameters(operation.path).map((name) => `${name}: 'x'`);
  // A merge patch is a partial object: a label change type-checks against every kind as written.
  if (operation.body?.mediaTypes.includes(MERGE_PATCH))
    params.push(`contentType: '${MERGE_PATCH}'`, `body: { metadata: { labels: { probe: 'yes' } } }`);
  else if (operation.body) params.push(`body: {} as ${pascal(operation.operationId)}Params['body']`);
  if (extra) params.push(extra);
  return `client.${operation.operationId}({ ${params.join(', ')} })`;
}

export function typedUse(operations: SpecOperation[]): string {
  const lines = [
    `import { createCciClient } from '@cci-openapi/client';`,
    `import type { ${operations
      .filter((operation) => operation.body && !operation.body.mediaTypes.includes(MERGE_PATCH))
      .map((operation) => `${pascal(operation.operationId)}Params`)
      .join(', ')} } from '@cci-openapi/client';`,
    `import type * as T from '@cci-openapi/types';`,
    '',
    `const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', token: 'mock-token' });`,
  ];
  operations.forEach((operation, index) => {
    const type = operation.resultSchema ? `Promise<T.${operation.resultSchema}>` : 'Promise<unknown>';
    lines.push(`export const call${index}: ${type} = ${call(operation)};`);
  });
  const list = operations.find(
    (operation) =>
      operation.role === 'list' && operation.kind && operation.path.includes('{namespace}') && !operation.body,
  );
  if (!list) throw new Error('the spec has no namespaced list operation to take for its item');
  lines.push(
    '// @ts-expect-error namespace is a required path parameter',
    `void client.${list.operationId}({});`,
    '// @ts-expect-error the operation has no parameter of that name',
    `void ${call(list, 'notAParameter: 1')};`,
    `// @ts-expect-error a ${list.kind} is not a ${list.kind!.replace(/List$/, '')}`,
    `export const wrong: Promise<T.${list.kind!.replace(/List$/, '')}> = ${call(list)};`,
    '',
  );
  return lines.join('\n');
}

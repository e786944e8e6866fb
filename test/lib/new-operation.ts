// What a person writes to add an operation, and nothing else: the files of one new GET operation
// with a new path and a new schema of its own, relative to the repository root. Every path here is
// under spec/; the test asserts that the README's "Adding an operation" list names each of them.
//
// The kind is made up (EndpointsProbe, "is anything behind this Service's endpoints?") so that the
// proof can never collide with an operation the real spec gains later.

export const OPERATION_ID = 'readCoreV1NamespacedEndpointsProbe';
export const PATH = '/api/v1/namespaces/{namespace}/endpointsprobes/{name}';
export const SUMMARY = '读取EndpointsProbe (Read an EndpointsProbe)';
export const KIND = 'EndpointsProbe';
export const RESOURCE = 'endpointsprobes';
export const SOURCE_NAME = 'endpoints-probe';

const pathFile = 'spec/paths/api_v1_namespaces_{namespace}_endpointsprobes_{name}.yaml';
const samples = `spec/code_samples/${OPERATION_ID}`;

/** The gateway's error set, as every operation of the spec declares it (the CCI page's codes). */
const ERRORS: Array<[string, string]> = [
  ['400', 'BadRequest'],
  ['401', 'Unauthorized'],
  ['403', 'Forbidden'],
  ['404', 'NotFound'],
  ['405', 'MethodNotAllowed'],
  ['406', 'NotAcceptable'],
  ['409', 'Conflict'],
  ['415', 'UnsupportedMediaType'],
  ['422', 'Invalid'],
  ['429', 'TooManyRequests'],
  ['500', 'InternalError'],
  ['503', 'ServiceUnavailable'],
  ['504', 'ServerTimeout'],
];

/** New files, by path. */
export const NEW_FILES: Record<string, string> = {
  [pathFile]: `parameters:
  - $ref: ../components/parameters/namespace.yaml
  - $ref: ../components/parameters/name.yaml
get:
  operationId: ${OPERATION_ID}
  tags:
    - Services
  summary: ${SUMMARY}
  description: |
    Reads whether anything answers behind the endpoints of a Service.
  x-codeSamples:
    - lang: TypeScript
      label: TypeScript (@cci-openapi/client)
      source:
        $ref: ../code_samples/${OPERATION_ID}/typescript.ts
    - lang: bash
      label: curl (API gateway, X-Auth-Token)
      source:
        $ref: ../code_samples/${OPERATION_ID}/curl-gateway.sh
    - lang: bash
      label: curl (API server, cluster certificate)
      source:
        $ref: ../code_samples/${OPERATION_ID}/curl-apiserver.sh
    - lang: bash
      label: kubectl
      source:
        $ref: ../code_samples/${OPERATION_ID}/kubectl.sh
  responses:
    '200':
      description: OK
      content:
        application/json:
          schema:
            $ref: ../components/schemas/${KIND}.yaml
${ERRORS.map(([code, name]) => `    '${code}':\n      $ref: ../components/responses/${name}.yaml`).join('\n')}
`,
  [`spec/components/schemas/${KIND}.yaml`]: `title: io.k8s.api.core.v1.${KIND}
description: Whether anything answers behind the endpoints of a Service.
type: object
required:
  - apiVersion
  - kind
  - ready
properties:
  apiVersion:
    type: string
    description: The versioned schema of this representation of an object.
  kind:
    type: string
    description: The REST resource this object represents.
  service:
    type: string
    description: The name of the Service whose endpoints were probed.
  ready:
    type: boolean
    description: True when at least one endpoint answered.
  readyEndpoints:
    type: integer
    format: int32
    description: How many endpoints answered.
`,
  [`${samples}/typescript.ts`]: `// npm install @cci-openapi/client
import { createCciClient } from '@cci-openapi/client';

const client = createCciClient({
  region: 'cn-north-4',
  token: process.env.CCI_TOKEN,
});

const probe = await client.${OPERATION_ID}({
  namespace: 'namespace-test',
  name: 'redis',
});
console.log(probe.ready, probe.readyEndpoints ?? 0);
`,
  [`${samples}/curl-gateway.sh`]: `curl -sS "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/${RESOURCE}/redis" \\
  -H "X-Auth-Token: \${TOKEN}"
`,
  [`${samples}/curl-apiserver.sh`]: `curl -sS --cacert ca.crt --cert client.crt --key client.key \\
  "https://\${APISERVER}:5443/api/v1/namespaces/namespace-test/${RESOURCE}/redis"
`,
  [`${samples}/kubectl.sh`]: `kubectl get --raw /api/v1/namespaces/namespace-test/${RESOURCE}/redis
`,
  // The source it is transcribed from: a swagger 2.0 extract, as Kubernetes publishes its API.
  [`spec/source/${SOURCE_NAME}/source.yaml`]: `kind: kubernetes-swagger
document: endpoints-probe.json
operations:
  - ${OPERATION_ID}
`,
  [`spec/source/${SOURCE_NAME}/endpoints-probe.json`]: `${JSON.stringify(
    {
      _source: 'A swagger 2.0 extract describing the EndpointsProbe read operation.',
      paths: {
        [PATH]: {
          parameters: [
            { in: 'path', name: 'name', required: true, type: 'string', uniqueItems: true },
            { in: 'path', name: 'namespace', required: true, type: 'string', uniqueItems: true },
          ],
          get: {
            operationId: OPERATION_ID,
            produces: ['application/json'],
            responses: {
              '200': { description: 'OK', schema: { $ref: `#/definitions/io.k8s.api.core.v1.${KIND}` } },
              '401': { description: 'Unauthorized' },
            },
          },
        },
      },
      definitions: {
        [`io.k8s.api.core.v1.${KIND}`]: {
          required: ['apiVersion', 'kind', 'ready'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            service: { type: 'string' },
            ready: { type: 'boolean' },
            readyEndpoints: { type: 'integer', format: 'int32' },
          },
          type: 'object',
        },
      },
    },
    null,
    2,
  )}\n`,
  [`spec/source/${SOURCE_NAME}/deviations.yaml`]: `- field: ${OPERATION_ID}.responses
  aspect: added
  source: 200, 401
  spec: codes ${ERRORS.map(([code]) => code)
    .filter((code) => code !== '401')
    .join(', ')}
  why: The CCI API gateway's error set, each with a Status body, as on every operation of the spec.
- field: Status
  aspect: added
  spec: schema
  why: The gateway and kube-apiserver answer every error with a meta/v1 Status.
- field: StatusDetails
  aspect: added
  spec: schema
  why: Part of Status.
- field: StatusCause
  aspect: added
  spec: schema
  why: Part of StatusDetails.
- field: ListMeta
  aspect: added
  spec: schema
  why: The metadata of a Status.
`,
};

/** Edits of existing files: the path's line under `paths:` in spec/openapi.yaml. */
export const EDITS: Array<{ file: string; after: string; insert: string }> = [
  {
    file: 'spec/openapi.yaml',
    after: '\npaths:\n',
    insert: `  ${PATH}:\n    $ref: ${pathFile.slice('spec/'.length)}\n`,
  },
];

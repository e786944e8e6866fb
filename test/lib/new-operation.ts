// What a person writes to add an operation, and nothing else: the files of one real upstream
// operation, readCoreV1NamespacedEndpoints (Kubernetes v1.19: GET one Endpoints object), relative to
// the repository root — its path item, the schemas Endpoints reaches that the spec lacks, its code
// samples, the path's line in spec/openapi.yaml, and its source: an extract of the upstream swagger
// (test/fixtures/, verbatim) added to spec/source/upstream/ with one line under `documents:` and one
// under `operations:` of its source.yaml, plus the deviations that are Endpoints' own. The gateway's
// error responses, Status and the shared parameters are declared once already
// (spec/source/shared-deviations.yaml, spec/source/upstream/deviations.yaml).
//
// Every path here is under spec/; the test asserts that the README's "Adding an operation" list
// names each of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPERATION_ID = 'readCoreV1NamespacedEndpoints';
export const PATH = '/api/v1/namespaces/{namespace}/endpoints/{name}';
export const SUMMARY = '读取Endpoints (Read an Endpoints object)';
export const KIND = 'Endpoints';
export const RESOURCE = 'endpoints';
/** The source the operation is transcribed from: the upstream Kubernetes swagger, a new extract of it. */
export const SOURCE_NAME = 'upstream';
export const EXTRACT = 'k8s-v1.19-endpoints-read.json';
/** The extract as committed (test/fixtures/): what the person copies from the upstream file. */
export const EXTRACT_FIXTURE = join(import.meta.dirname, '..', 'fixtures', EXTRACT);

const pathFile = 'spec/paths/api_v1_namespaces_{namespace}_endpoints_{name}.yaml';
const samples = `spec/code_samples/${OPERATION_ID}`;
const schemas = 'spec/components/schemas';

/** The gateway's error set, as every read of the spec declares it (the CCI page's codes). */
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

const PATH_ITEM = `parameters:
  - $ref: ../components/parameters/namespace.yaml
  - $ref: ../components/parameters/name.yaml
get:
  operationId: ${OPERATION_ID}
  summary: ${SUMMARY}
  description: |
    读取指定的Endpoints。

    Reads the Endpoints object of a Service: the addresses (ready and not ready) and ports of the
    Pods its selector picks, as kube-apiserver's \`get\` on the \`endpoints\` resource returns it.
    An Endpoints object has the name of its Service.
  parameters:
    - $ref: ../components/parameters/pretty.yaml
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
`;

const ENDPOINTS = `title: io.k8s.api.core.v1.Endpoints
description: >-
  Endpoints is a collection of endpoints that implement the actual service: the union of its
  subsets, each a group of addresses with a common set of ports.
type: object
required:
  - apiVersion
  - kind
  - metadata
properties:
  apiVersion:
    type: string
    description: APIVersion defines the versioned schema of this representation of an object.
  kind:
    type: string
    description: Kind is a string value representing the REST resource this object represents.
  metadata:
    $ref: ./ObjectMeta.yaml
    description: Standard object's metadata.
  subsets:
    type: array
    items:
      $ref: ./EndpointSubset.yaml
    description: >-
      The set of all endpoints is the union of all subsets. Addresses are placed into subsets
      according to the IPs they share.
`;

const ENDPOINT_SUBSET = `title: io.k8s.api.core.v1.EndpointSubset
description: A group of addresses with a common set of ports (the endpoints are Addresses x Ports).
type: object
properties:
  addresses:
    type: array
    items:
      $ref: ./EndpointAddress.yaml
    description: IP addresses which offer the related ports that are marked as ready.
  notReadyAddresses:
    type: array
    items:
      $ref: ./EndpointAddress.yaml
    description: >-
      IP addresses which offer the related ports but are not currently marked as ready because they
      have not yet finished starting, have recently failed a readiness check, or have recently failed
      a liveness check.
  ports:
    type: array
    items:
      $ref: ./EndpointPort.yaml
    description: Port numbers available on the related IP addresses.
`;

const ENDPOINT_ADDRESS = `title: io.k8s.api.core.v1.EndpointAddress
description: A single IP address of an endpoint.
type: object
required:
  - ip
properties:
  hostname:
    type: string
    description: The Hostname of this endpoint.
  ip:
    type: string
    description: The IP of this endpoint.
  nodeName:
    type: string
    description: 'Optional: Node hosting this endpoint.'
  targetRef:
    $ref: ./ObjectReference.yaml
    description: Reference to object providing the endpoint.
`;

const ENDPOINT_PORT = `title: io.k8s.api.core.v1.EndpointPort
description: A single port of an endpoint.
type: object
required:
  - port
properties:
  appProtocol:
    type: string
    description: The application protocol for this port.
  name:
    type: string
    description: The name of this port. This must match the 'name' field in the corresponding ServicePort.
  port:
    type: integer
    format: int32
    description: The port number of the endpoint.
  protocol:
    type: string
    enum:
      - TCP
      - UDP
      - SCTP
    description: The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.
`;

const OBJECT_REFERENCE = `title: io.k8s.api.core.v1.ObjectReference
description: Enough information to inspect or modify the referred object.
type: object
properties:
  apiVersion:
    type: string
    description: API version of the referent.
  fieldPath:
    type: string
    description: If referring to a piece of an object instead of an entire object, the field access statement.
  kind:
    type: string
    description: Kind of the referent.
  name:
    type: string
    description: Name of the referent.
  namespace:
    type: string
    description: Namespace of the referent.
  resourceVersion:
    type: string
    description: Specific resourceVersion to which this reference is made, if any.
  uid:
    type: string
    description: UID of the referent.
`;

const TYPESCRIPT_SAMPLE = `// npm install @cci-openapi/client
import { createCciClient, credentialsFromEnv } from '@cci-openapi/client';

// CCI in cn-north-4; every request signed with the access key pair in HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK, as Huawei Cloud's SDKs read it (or iam: { username, password, domainName }).
const client = createCciClient({ region: 'cn-north-4', ...credentialsFromEnv() });

const endpoints = await client.${OPERATION_ID}({
  namespace: 'namespace-test',
  name: 'redis',
});
for (const subset of endpoints.subsets ?? []) {
  const ports = (subset.ports ?? []).map((port) => \`\${port.port}/\${port.protocol ?? 'TCP'}\`).join(',');
  for (const address of subset.addresses ?? []) console.log(\`\${address.ip} \${ports}\`);
}
`;

const CURL_GATEWAY = `# CCI in cn-north-4, with an IAM token (auth-request.json: the IAM user, its password and
# account, scoped to the project cn-north-4).
# 1. Get a token: it is the X-Subject-Token header of IAM's POST /v3/auth/tokens.
TOKEN=$(curl -sS -D - -o /dev/null -X POST "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true" \\
  -H 'Content-Type: application/json' -d @auth-request.json \\
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\\r')

# 2. Read the Endpoints of the Service redis.
curl -sS "https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/namespace-test/${RESOURCE}/redis" \\
  -H "X-Auth-Token: \${TOKEN}"
`;

const CURL_APISERVER = `# A CCE cluster's own kube-apiserver, with the certificate of its kubeconfig.json (CCE console).
# ca.crt, client.crt and client.key are the base64-decoded certificate-authority-data,
# client-certificate-data and client-key-data of kubeconfig.json.
curl -sS --cacert ca.crt --cert client.crt --key client.key \\
  "https://\${APISERVER}:5443/api/v1/namespaces/namespace-test/${RESOURCE}/redis"
`;

const KUBECTL = `# With kubectl and a kubeconfig: a CCE cluster's (CCE console → cluster → Connection Information →
# kubectl), or CCI's, written by \`cci-iam-authenticator generate-kubeconfig\` (its user runs the plugin).
export KUBECONFIG=kubeconfig.json
kubectl get endpoints redis -n namespace-test -o json
# The same request, raw:
kubectl get --raw /api/v1/namespaces/namespace-test/${RESOURCE}/redis
`;

/** Endpoints' own differences from the extract; what every operation shares is declared already. */
const OWN_DEVIATIONS = `
# ── Endpoints (k8s-v1.19-endpoints-read.json) ───────────────────────────────────────────────────

- field: Endpoints.apiVersion
  aspect: required
  source: optional
  spec: required
  why: kube-apiserver always sets apiVersion ("v1") on the object a GET returns, as for Service.

- field: Endpoints.kind
  aspect: required
  source: optional
  spec: required
  why: kube-apiserver always sets kind ("Endpoints") on the object a GET returns.

- field: Endpoints.metadata
  aspect: required
  source: optional
  spec: required
  why: A non-pointer struct of core/v1.Endpoints, always serialised.

- field: EndpointPort.protocol
  aspect: enum
  source: no enum
  spec: 'enum: TCP, UDP, SCTP'
  why: The closed set the description states ("Must be UDP, TCP, or SCTP"), as for ServicePort.protocol.
`;

/** New files, by path. */
export const NEW_FILES: Record<string, string> = {
  [pathFile]: PATH_ITEM,
  [`${schemas}/${KIND}.yaml`]: ENDPOINTS,
  [`${schemas}/EndpointSubset.yaml`]: ENDPOINT_SUBSET,
  [`${schemas}/EndpointAddress.yaml`]: ENDPOINT_ADDRESS,
  [`${schemas}/EndpointPort.yaml`]: ENDPOINT_PORT,
  [`${schemas}/ObjectReference.yaml`]: OBJECT_REFERENCE,
  [`${samples}/typescript.ts`]: TYPESCRIPT_SAMPLE,
  [`${samples}/curl-gateway.sh`]: CURL_GATEWAY,
  [`${samples}/curl-apiserver.sh`]: CURL_APISERVER,
  [`${samples}/kubectl.sh`]: KUBECTL,
  [`spec/source/${SOURCE_NAME}/${EXTRACT}`]: readFileSync(EXTRACT_FIXTURE, 'utf8'),
};

interface Edit {
  file: string;
  /** Inserted right after the first occurrence of `after`; without `after`, at the end of the file. */
  after?: string;
  insert: string;
}

/** Edits of existing files: one line each, but the operation's own deviations. */
export const EDITS: Edit[] = [
  {
    file: 'spec/openapi.yaml',
    after: '\npaths:\n',
    insert: `  ${PATH}:\n    $ref: ${pathFile.slice('spec/'.length)}\n`,
  },
  { file: `spec/source/${SOURCE_NAME}/source.yaml`, after: '\ndocuments:\n', insert: `  - ${EXTRACT}\n` },
  { file: `spec/source/${SOURCE_NAME}/source.yaml`, after: '\noperations:\n', insert: `  - ${OPERATION_ID}\n` },
  { file: `spec/source/${SOURCE_NAME}/deviations.yaml`, insert: OWN_DEVIATIONS },
];

/** How many deviations the operation declares of its own (the rest are shared). */
export const OWN_DEVIATION_COUNT = OWN_DEVIATIONS.match(/^- field:/gm)!.length;

/**
 * The README's other way to declare a source: a folder of its own, spec/source/endpoints/, with the
 * same extract and the same own deviations — the shared declarations cover the rest here too.
 */
export const SOURCE_FOLDER_FILES: Record<string, string> = {
  'spec/source/endpoints/source.yaml': `kind: kubernetes-swagger\ndocument: ${EXTRACT}\noperations:\n  - ${OPERATION_ID}\n`,
  [`spec/source/endpoints/${EXTRACT}`]: readFileSync(EXTRACT_FIXTURE, 'utf8'),
  'spec/source/endpoints/deviations.yaml': OWN_DEVIATIONS.trimStart(),
};

/** The edits without the source declaration: what someone who forgot the source would have written. */
export const EDITS_WITHOUT_SOURCE = EDITS.filter((edit) => !edit.file.startsWith('spec/source/'));
export const NEW_FILES_WITHOUT_SOURCE = Object.fromEntries(
  Object.entries(NEW_FILES).filter(([path]) => !path.startsWith('spec/source/')),
);

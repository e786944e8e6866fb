// /openapi/v2: the spec as kube-apiserver's Swagger 2.0 document, in JSON and in gnostic's protobuf.
// The document is derived from the spec (a schema added to a copy appears), the protobuf is decoded
// here with gnostic's field numbers (openapiv2/OpenAPIv2.proto) and must say what the JSON says,
// and the answers' headers are those kube-apiserver v1.20 gives (checked against a real one:
// text/plain and application/octet-stream by sniffing, an upper-case SHA-512 ETag, 304, 406 with no body).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTestPki, runProcess } from '@cci-openapi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startMockServer, type MockServer } from '../src/index.js';
import { writeKubeconfig } from '../src/kubeconfig-writer.js';
import { toSwagger } from '../src/openapi-v2/index.js';
import type { OpenApiDocument } from '../src/spec.js';
import { TOKEN } from './helpers/http.js';
import { spec as bundledSpec } from './helpers/spec.js';

const PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const spec = bundledSpec as unknown as OpenApiDocument;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request over node:http, the body as bytes (no decompression, unlike fetch). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// --- A protobuf reader written from the wire format and gnostic's field numbers (not from the encoder). ---

type Field = { field: number; value: Buffer | number };

function readVarint(buffer: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  let offset = at;
  for (;;) {
    const byte = buffer[offset++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, offset];
    scale *= 128;
  }
}

function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, next] = readVarint(buffer, offset);
    offset = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, after] = readVarint(buffer, offset);
      fields.push({ field, value });
      offset = after;
    } else if (wire === 1) {
      fields.push({ field, value: buffer.readDoubleLE(offset) });
      offset += 8;
    } else if (wire === 2) {
      const [length, start] = readVarint(buffer, offset);
      fields.push({ field, value: buffer.subarray(start, start + length) });
      offset = start + length;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return fields;
}

const all = (buffer: Buffer, field: number) =>
  readFields(buffer)
    .filter((f) => f.field === field)
    .map((f) => f.value as Buffer);
const one = (buffer: Buffer, field: number) => all(buffer, field)[0];
const text = (buffer: Buffer | undefined, field: number) => {
  const value = buffer && one(buffer, field);
  return value === undefined ? undefined : value.toString('utf8');
};

/** gnostic Schema → the JSON keys this project's documents use ($ref 1, description 4, required 19, type 22, items 23, properties 25, extensions 31). */
function decodeSchema(buffer: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ref = text(buffer, 1);
  if (ref !== undefined) out.$ref = ref;
  const description = text(buffer, 4);
  if (description !== undefined) out.description = description;
  const type = one(buffer, 22);
  if (type) out.type = text(type, 1);
  const items = one(buffer, 23);
  if (items) out.items = decodeSchema(one(items, 1)!);
  const properties = one(buffer, 25);
  if (properties)
    out.properties = Object.fromEntries(
      all(properties, 1).map((named) => [text(named, 1), decodeSchema(one(named, 2)!)]),
    );
  const required = all(buffer, 19).map((value) => value.toString('utf8'));
  if (required.length > 0) out.required = required;
  for (const named of all(buffer, 31)) out[text(named, 1)!] = YAML.parse(text(one(named, 2), 2)!);
  return out;
}

/** The same subset of a JSON schema, for comparison. */
function subset(schema: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (['$ref', 'description', 'type', 'required'].includes(key) || key.startsWith('x-')) out[key] = value;
  }
  if (schema.items) out.items = subset(schema.items);
  if (schema.properties)
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, subset(v as never)]));
  return out;
}

describe('the document is derived from the spec', () => {
  const document = toSwagger(spec);

  it('names each component schema by its Kubernetes name and rewrites every $ref', () => {
    expect(document.swagger).toBe('2.0');
    expect(Object.keys(document.definitions)).toContain('io.k8s.api.core.v1.Service');
    expect(Object.keys(document.definitions)).toContain('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    const text = JSON.stringify(document);
    expect(text).not.toContain('#/components/');
    const refs = [...text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(document.definitions, ref).toHaveProperty([ref]);
    // The list item variant of Service is Service in Kubernetes' naming.
    expect((document.definitions['io.k8s.api.core.v1.ServiceList'] as any).properties.items.items.$ref).toBe(
      '#/definitions/io.k8s.api.core.v1.Service',
    );
  });

  it('keeps the patch and list extensions, and marks the kinds with their group-version-kind', () => {
    const ports = (document.definitions['io.k8s.api.core.v1.ServiceSpec'] as any).properties.ports;
    expect(ports['x-kubernetes-patch-merge-key']).toBe('port');
    expect(ports['x-kubernetes-patch-strategy']).toBe('merge');
    expect(ports['x-kubernetes-list-type']).toBe('map');
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['port', 'protocol']);
    expect(document.definitions['io.k8s.api.core.v1.Service']!['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'Service', version: 'v1' },
    ]);
    expect(document.definitions['io.k8s.api.core.v1.ServiceList']!['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'ServiceList', version: 'v1' },
    ]);
    expect(document.definitions['io.k8s.api.core.v1.ServiceSpec']).not.toHaveProperty([
      'x-kubernetes-group-version-kind',
    ]);
  });

  it('writes Swagger 2.0 forms: one type (IntOrString a string), no title, readOnly fields not required', () => {
    expect(document.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      type: 'string',
      format: 'int-or-string',
    });
    expect(JSON.stringify(document.definitions)).not.toMatch(/"type":\[/);
    expect(document.definitions['io.k8s.api.core.v1.Service']).not.toHaveProperty(['title']);
    expect(document.definitions['io.k8s.api.core.v1.Service']!.required).not.toContain('status');
  });

  it('turns the operations into paths with parameters, bodies and responses', () => {
    const read = (document.paths['/api/v1/namespaces/{namespace}/services/{name}'] as any).get;
    expect(read.operationId).toBe('readCoreV1NamespacedService');
    expect(read['x-kubernetes-action']).toBe('get');
    expect(read['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Service', version: 'v1' });
    expect(read.responses['200'].schema).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.Service' });
    expect(read.parameters).toContainEqual(expect.objectContaining({ name: 'pretty', in: 'query', type: 'string' }));
    const list = (document.paths['/api/v1/namespaces/{namespace}/services'] as any).get;
    expect(list['x-kubernetes-action']).toBe('list');
    // A PATCH body is one schema in Swagger 2.0: the Patch that most of its media types take, as kube-apiserver's document has it.
    const patch = (document.paths['/api/v1/namespaces/{namespace}/services/{name}'] as any).patch;
    expect(patch.consumes).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(patch.parameters[0]).toEqual({
      name: 'body',
      in: 'body',
      required: true,
      schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
    });
    expect(patch['x-kubernetes-action']).toBe('patch');
  });

  it('follows the spec: a schema and an operation added to a copy appear, with their kind', () => {
    const copy = structuredClone(spec) as any;
    copy.components.schemas.Widget = {
      title: 'io.example.apis.widgets.v1.Widget',
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        size: { type: ['integer', 'null'], exclusiveMinimum: 0 },
      },
    };
    copy.paths['/apis/widgets.example.io/v1/widgets/{name}'] = {
      get: {
        operationId: 'readWidget',
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } },
          },
        },
      },
    };
    const derived = toSwagger(copy);
    expect(derived.definitions['io.example.apis.widgets.v1.Widget']).toEqual({
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        size: { type: 'integer', minimum: 0, exclusiveMinimum: true },
      },
      'x-kubernetes-group-version-kind': [{ group: 'widgets.example.io', kind: 'Widget', version: 'v1' }],
    });
    expect(
      (derived.paths['/apis/widgets.example.io/v1/widgets/{name}'] as any).get['x-kubernetes-group-version-kind'],
    ).toEqual({
      group: 'widgets.example.io',
      kind: 'Widget',
      version: 'v1',
    });
    expect(toSwagger(spec).definitions).not.toHaveProperty(['io.example.apis.widgets.v1.Widget']);
  });
});

describe('GET /openapi/v2', () => {
  let server: MockServer;
  let url: string;

  beforeAll(async () => {
    server = await startMockServer({ port: 0, profile: 'kube' });
    url = `${server.url}/openapi/v2`;
  });
  afterAll(async () => server?.close());

  it('serves JSON (sniffed as text/plain, as Go serves it) with the derived document', async () => {
    const answer = await get(url, { accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(toSwagger(spec))));
    // No Accept at all, or */*, is JSON too.
    expect((await get(url)).body).toEqual(answer.body);
    expect((await get(url, { accept: '*/*' })).body).toEqual(answer.body);
  });

  it('serves gnostic protobuf that decodes to what the JSON says', async () => {
    const [pb, json] = await Promise.all([get(url, { accept: PROTOBUF }), get(url, { accept: 'application/json' })]);
    expect(pb.status).toBe(200);
    expect(pb.headers['content-type']).toBe('application/octet-stream');
    const document = JSON.parse(json.body.toString('utf8'));
    expect(text(pb.body, 1)).toBe('2.0');
    expect(text(one(pb.body, 2), 2)).toBe(document.info.version);
    const definitions = all(one(pb.body, 9)!, 1);
    expect(definitions.map((named) => text(named, 1))).toEqual(Object.keys(document.definitions));
    for (const named of definitions) {
      const name = text(named, 1)!;
      expect(decodeSchema(one(named, 2)!), name).toEqual(subset(document.definitions[name]));
    }
    const paths = all(one(pb.body, 8)!, 2);
    expect(paths.map((named) => text(named, 1))).toEqual(Object.keys(document.paths));
    const item = one(paths.find((named) => text(named, 1) === '/api/v1/namespaces/{namespace}/services/{name}')!, 2)!;
    expect(text(one(item, 2), 5)).toBe('readCoreV1NamespacedService');
  });

  it('picks the first acceptable type by q, and answers 406 with no body otherwise', async () => {
    const both = await get(url, { accept: `${PROTOBUF}, application/json` });
    expect(both.headers['content-type']).toBe('application/octet-stream');
    const weighted = await get(url, { accept: `application/json;q=0.5, ${PROTOBUF}` });
    expect(weighted.headers['content-type']).toBe('application/octet-stream');
    for (const accept of ['application/yaml', 'text/plain']) {
      const refused = await get(url, { accept });
      expect(refused.status, accept).toBe(406);
      expect(refused.body.length).toBe(0);
    }
  });

  it('carries a SHA-512 ETag and Last-Modified, and answers 304 to If-None-Match', async () => {
    const first = await get(url, { accept: PROTOBUF });
    expect(first.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
    expect(first.headers['last-modified']).toMatch(/GMT$/);
    expect(first.headers['cache-control']).toBe('no-cache, private');
    const again = await get(url, { accept: PROTOBUF, 'if-none-match': first.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    const json = await get(url, { accept: 'application/json', 'if-none-match': first.headers.etag as string });
    expect(json.status).toBe(200);
    expect(json.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers any method as GET (kube-openapi does not look at it); HEAD has the length and no body; a matching ETag on POST is 412', async () => {
    const whole = await get(url, { accept: PROTOBUF });
    const post = await get(url, { accept: PROTOBUF }, 'POST');
    expect(post.status).toBe(200);
    expect(post.body).toEqual(whole.body);
    const head = await get(url, { accept: PROTOBUF }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(whole.body.length));
    expect(head.body.length).toBe(0);
    expect((await get(url, { accept: PROTOBUF, 'if-none-match': whole.headers.etag as string }, 'POST')).status).toBe(
      412,
    );
    expect((await get(url, { accept: PROTOBUF, 'if-none-match': `W/${whole.headers.etag}` })).status).toBe(304);
    expect(
      (await get(url, { accept: PROTOBUF, 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() }))
        .status,
    ).toBe(304);
  });

  it('gzips for a client that accepts it', async () => {
    const plain = await get(url, { accept: PROTOBUF });
    const zipped = await get(url, { accept: PROTOBUF, 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body)).toEqual(plain.body);
  });

  it('serves one byte range (206), refuses a range past the end (416), as Go’s ServeContent', async () => {
    const whole = (await get(url, { accept: 'application/json' })).body;
    const part = await get(url, { accept: 'application/json', range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${whole.length}`);
    expect(part.body.toString()).toBe('{"swagger"');
    const suffix = await get(url, { accept: 'application/json', range: 'bytes=-5' });
    expect(suffix.body).toEqual(whole.subarray(whole.length - 5));
    const past = await get(url, { accept: 'application/json', range: `bytes=${whole.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${whole.length}`);
    expect(past.body.toString()).toBe('invalid range: failed to overlap\n');
    expect((await get(url, { accept: 'application/json', range: 'chars=0-1' })).status).toBe(416);
  });

  it('is 403 for an anonymous user and 401 for a wrong token, as other non-resource paths', async () => {
    const anonymous = await startMockServer({ port: 0, profile: 'kube', anonymousAuth: true });
    try {
      const forbidden = await get(`${anonymous.url}/openapi/v2`, { authorization: '' });
      expect(forbidden.status).toBe(403);
      expect(JSON.parse(forbidden.body.toString()).message).toBe(
        'forbidden: User "system:anonymous" cannot get path "/openapi/v2"',
      );
    } finally {
      await anonymous.close();
    }
    expect((await get(url, { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('serves a spec given to the server: an added schema appears', async () => {
    const copy = structuredClone(spec) as any;
    copy.components.schemas.Gadget = {
      title: 'io.example.v1.Gadget',
      type: 'object',
      properties: { size: { type: 'integer' } },
    };
    const other = await startMockServer({ port: 0, profile: 'kube', spec: copy });
    try {
      const answer = await get(`${other.url}/openapi/v2`, { accept: 'application/json' });
      expect(JSON.parse(answer.body.toString()).definitions['io.example.v1.Gadget']).toEqual({
        type: 'object',
        properties: { size: { type: 'integer' } },
      });
    } finally {
      await other.close();
    }
  });
});

// kubectl (Debian's 1.20, which CI installs) is the protobuf's other decoder: client-go's
// OpenAPISchema() parses it with gnostic, kubectl explain and validation read the models from it.
const kubectlPath = ['kubectl', '/usr/bin/kubectl'].find(
  (candidate) => spawnSync(candidate, ['version', '--client'], { stdio: 'ignore' }).status === 0,
);
if (!kubectlPath && process.env.CI) throw new Error('kubectl is missing in CI: apt-get install kubernetes-client');
describe.runIf(kubectlPath)('kubectl reads the protobuf', () => {
  let server: MockServer;
  let scratch: string;
  // Asynchronous: the mock answers from this process.
  const kubectl = (...args: string[]) =>
    runProcess(
      kubectlPath!,
      [
        `--kubeconfig=${join(scratch, 'kubeconfig')}`,
        `--cache-dir=${join(scratch, 'cache')}`,
        '--request-timeout=20s',
        ...args,
      ],
      {
        cwd: scratch,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch },
        timeoutMs: 60_000,
      },
    );

  beforeAll(async () => {
    // Over TLS, as kubectl talks to an API server (it sends no bearer token over plain HTTP).
    const pki = await createTestPki();
    server = await startMockServer({
      port: 0,
      profile: 'kube',
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    });
    scratch = mkdtempSync(join(tmpdir(), 'cci-mock-openapi-v2-'));
    writeKubeconfig(join(scratch, 'kubeconfig'), {
      server: server.url,
      token: TOKEN,
      ca: pki.ca,
      namespace: 'namespace-test',
    });
  });
  afterAll(async () => {
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('kubectl explain service.spec.ports prints the spec’s fields and descriptions', async () => {
    const out = await kubectl('explain', 'service.spec.ports');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^KIND: {5}Service\nVERSION: {2}v1\n\nRESOURCE: ports <\[\]Object>/);
    expect(out.stdout).toContain('port\t<integer> -required-');
    expect(out.stdout).toContain('targetPort\t<string>');
    const description = (toSwagger(spec).definitions['io.k8s.api.core.v1.ServicePort'] as any).properties.port
      .description as string;
    expect(out.stdout.replace(/\s+/g, ' ')).toContain(description.replace(/\s+/g, ' ').slice(0, 60));
  });

  it('kubectl validates a manifest with it: an unknown field and a wrong type are refused before any request', async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'bad', namespace: 'namespace-test' },
      spec: { portz: [{ port: 80 }], ports: [{ port: 'eighty' }] },
    };
    writeFileSync(join(scratch, 'bad.json'), JSON.stringify(manifest));
    const out = await kubectl('create', '-f', 'bad.json');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'error: error validating "bad.json": error validating data: [ValidationError(Service.spec.ports[0].port): invalid type for io.k8s.api.core.v1.ServicePort.port: got "string", expected "integer", ValidationError(Service.spec): unknown field "portz" in io.k8s.api.core.v1.ServiceSpec]; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
  });
});

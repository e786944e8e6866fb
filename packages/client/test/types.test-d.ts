import type { IntOrString, LoadBalancerIngress, Service, ServiceList, ServicePort, Status } from '@cci-openapi/types';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CciApiError,
  type CciClient,
  type CciContext,
  createCciClient,
  createCciContext,
  createInformer,
  type ListPage,
  listCoreV1NamespacedService,
  listCoreV1ServiceForAllNamespaces,
  listPages,
  readCoreV1NamespacedServiceStatus,
  type WatchEvent,
  watchList,
} from '../src/index.js';

declare const client: CciClient;
const PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';

describe('types of the client', () => {
  it('readServiceStatus returns a Service; waitForLoadBalancerIngress the ingress list', () => {
    expectTypeOf(client.readServiceStatus({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<
      LoadBalancerIngress[]
    >();
    expectTypeOf(createCciClient).returns.toEqualTypeOf<CciClient>();
  });

  it('the example’s fields have the right types', () => {
    type S = Service;
    expectTypeOf<S['metadata']['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<S['metadata']['labels']>().toEqualTypeOf<{ [key: string]: string } | undefined>();
    expectTypeOf<NonNullable<S['spec']['ports']>[number]['port']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<S['spec']['clusterIP']>>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<NonNullable<S['status']['loadBalancer']>['ingress']>>().toEqualTypeOf<
      LoadBalancerIngress[]
    >();
    expectTypeOf<NonNullable<LoadBalancerIngress['ip']>>().toEqualTypeOf<string>();
  });

  it('targetPort is number | string', () => {
    expectTypeOf<NonNullable<ServicePort['targetPort']>>().toEqualTypeOf<number | string>();
    expectTypeOf<IntOrString>().toEqualTypeOf<number | string>();
    const byNumber: ServicePort = { port: 6379, targetPort: 6379 };
    const byName: ServicePort = { port: 6379, targetPort: 'redis' };
    // @ts-expect-error a boolean is neither
    const wrong: ServicePort = { port: 6379, targetPort: true };
    void [byNumber, byName, wrong];
  });

  it('client.GET checks path parameters', async () => {
    const { data, error } = await client.GET(PATH, { params: { path: { namespace: 'default', name: 'redis' } } });
    expectTypeOf(data).toEqualTypeOf<Service | undefined>();
    expectTypeOf(error).toEqualTypeOf<Status | undefined>();
    // @ts-expect-error name is missing
    await client.GET(PATH, { params: { path: { namespace: 'default' } } });
    // @ts-expect-error namespace is misspelt
    await client.GET(PATH, { params: { path: { namespce: 'default', name: 'redis' } } });
    // @ts-expect-error params are required
    await client.GET(PATH);
    // @ts-expect-error no such path
    await client.GET('/api/v1/namespaces/{namespace}/pods/{name}', { params: { path: { namespace: 'a', name: 'b' } } });
  });

  it('readServiceStatus checks its parameters', () => {
    // @ts-expect-error name is missing
    void client.readServiceStatus({ namespace: 'default' });
    // @ts-expect-error namespace is misspelt
    void client.readServiceStatus({ namespce: 'default', name: 'redis' });
  });

  it('generated operations take one flat object of path + query parameters and return the 200 schema', () => {
    expectTypeOf(
      client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: 'redis', pretty: 'true' }),
    ).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.readServiceStatus).toEqualTypeOf(client.readCoreV1NamespacedServiceStatus);
    expectTypeOf(client.readService).toEqualTypeOf(client.readCoreV1NamespacedService);
    expectTypeOf(client.readService({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<Service>();
    expectTypeOf(
      client.listCoreV1NamespacedService({ namespace: 'default', labelSelector: 'app=redis', limit: 10 }),
    ).resolves.toEqualTypeOf<ServiceList>();
    expectTypeOf(client.listCoreV1ServiceForAllNamespaces()).resolves.toEqualTypeOf<ServiceList>();
    // @ts-expect-error limit is an integer in the spec, not a string
    void client.listCoreV1NamespacedService({ namespace: 'default', limit: '10' });
    void client.readCoreV1NamespacedServiceStatus({
      namespace: 'default',
      name: 'redis',
      signal: new AbortController().signal,
    });
    // @ts-expect-error pretty is a string in the spec
    void client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: 'redis', pretty: 1 });
    // @ts-expect-error no such parameter
    void client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: 'redis', watch: true });
  });

  it('CciApiError carries the parsed Status', () => {
    expectTypeOf<CciApiError['body']>().toEqualTypeOf<Status | undefined>();
    expectTypeOf<CciApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<CciApiError['retryAfter']>().toEqualTypeOf<number | undefined>();
  });

  it('write bodies: a Service without what the server sets; patch bodies typed by their format', () => {
    const ns = { namespace: 'default', name: 'web' };
    expectTypeOf(
      client.createCoreV1NamespacedService({
        namespace: 'default',
        body: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } },
      }),
    ).resolves.toEqualTypeOf<Service>();
    // @ts-expect-error create needs a body
    client.createCoreV1NamespacedService({ namespace: 'default' });
    client.createCoreV1NamespacedService({
      namespace: 'default',
      // @ts-expect-error a port number is a number
      body: { metadata: { name: 'web' }, spec: { ports: [{ port: '80' }] } },
    });
    client.patchCoreV1NamespacedService({
      ...ns,
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/type', value: 'NodePort' }],
    });
    // @ts-expect-error a JSON Patch is a list of operations, not an object
    client.patchCoreV1NamespacedService({ ...ns, contentType: 'application/json-patch+json', body: { spec: {} } });
    client.patchCoreV1NamespacedService({
      ...ns,
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { tier: 'web', old: null } } },
    });
    client.patchCoreV1NamespacedService({
      ...ns,
      contentType: 'application/merge-patch+json',
      // @ts-expect-error a merge patch is a partial Service: spec.type is a string
      body: { spec: { type: 1 } },
    });
    client.patchCoreV1NamespacedService({
      ...ns,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { ports: [{ port: 9090 }], $patch: 'merge' } },
    });
    client.patchCoreV1NamespacedService({
      ...ns,
      contentType: 'application/apply-patch+yaml',
      body: 'apiVersion: v1\nkind: Service\n',
      fieldManager: 'me',
    });
    // @ts-expect-error the patch format must be named
    client.patchCoreV1NamespacedService({ ...ns, body: {} });
    expectTypeOf(client.deleteCoreV1NamespacedService(ns)).resolves.toEqualTypeOf<Status>();
    expectTypeOf(
      client.applyService({ metadata: { name: 'web', namespace: 'default' }, spec: {} }, { fieldManager: 'me' }),
    ).resolves.toMatchTypeOf<{
      outcome: 'created' | 'configured' | 'unchanged';
    }>();
    expectTypeOf(
      client.updateService('default', 'web', (s) => void (s.spec.type = 'NodePort')),
    ).resolves.toEqualTypeOf<Service>();
  });
});

describe('types of the per-operation functions and the generic lists, watches and informers', () => {
  it('an operation function takes (context, params) and resolves to its result; a client is a context', () => {
    const cci = createCciContext({ region: 'cn-north-4', token: 'x' });
    expectTypeOf(
      readCoreV1NamespacedServiceStatus(cci, { namespace: 'a', name: 'b' }),
    ).resolves.toEqualTypeOf<Service>();
    expectTypeOf(
      readCoreV1NamespacedServiceStatus(client, { namespace: 'a', name: 'b' }),
    ).resolves.toEqualTypeOf<Service>();
    expectTypeOf(listCoreV1ServiceForAllNamespaces(cci)).resolves.toEqualTypeOf<ServiceList>();
    // @ts-expect-error name is required
    void readCoreV1NamespacedServiceStatus(cci, { namespace: 'a' });
    expectTypeOf(client).toExtend<CciContext>();
  });

  it('listPages, watchList and createInformer take the path parameters and are typed by the item kind', () => {
    type Item = ServiceList['items'][number];
    expectTypeOf(listPages(client, listCoreV1NamespacedService, { namespace: 'a', pageSize: 10 })).toEqualTypeOf<
      AsyncGenerator<ListPage<Item>, void, undefined>
    >();
    // @ts-expect-error a namespaced list needs its namespace
    void listPages(client, listCoreV1NamespacedService, { pageSize: 10 });
    // @ts-expect-error not an option of a list
    void listPages(client, listCoreV1ServiceForAllNamespaces, { colour: 'red' });
    expectTypeOf(watchList(client, listCoreV1ServiceForAllNamespaces, { resourceVersion: '1' })).toEqualTypeOf<
      AsyncGenerator<WatchEvent<Item>, void, undefined>
    >();
    expectTypeOf(createInformer(client, listCoreV1NamespacedService, { namespace: 'a' }).list()).toEqualTypeOf<
      Item[]
    >();
    // @ts-expect-error a read is not a list operation
    void listPages(client, readCoreV1NamespacedServiceStatus, { namespace: 'a', name: 'b' });
  });
});

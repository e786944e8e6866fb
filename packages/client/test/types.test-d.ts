import type { IntOrString, LoadBalancerIngress, Service, ServiceList, ServicePort, Status } from '@cci-openapi/types';
import { describe, expectTypeOf, it } from 'vitest';
import { type CciApiError, createCciClient, type CciClient } from '../src/index.js';

declare const client: CciClient;
const PATH = '/api/v1/namespaces/{namespace}/services/{name}/status';

describe('types of the client', () => {
  it('readServiceStatus returns a Service; waitForLoadBalancerIngress the ingress list', () => {
    expectTypeOf(client.readServiceStatus({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<LoadBalancerIngress[]>();
    expectTypeOf(createCciClient).returns.toEqualTypeOf<CciClient>();
  });

  it('the example’s fields have the right types', () => {
    type S = Service;
    expectTypeOf<S['metadata']['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<S['metadata']['labels']>().toEqualTypeOf<{ [key: string]: string } | undefined>();
    expectTypeOf<NonNullable<S['spec']['ports']>[number]['port']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<S['spec']['clusterIP']>>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<NonNullable<S['status']['loadBalancer']>['ingress']>>().toEqualTypeOf<LoadBalancerIngress[]>();
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
    expectTypeOf(client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: 'redis', pretty: 'true' })).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.readServiceStatus).toEqualTypeOf(client.readCoreV1NamespacedServiceStatus);
    expectTypeOf(client.readService).toEqualTypeOf(client.readCoreV1NamespacedService);
    expectTypeOf(client.readService({ namespace: 'default', name: 'redis' })).resolves.toEqualTypeOf<Service>();
    expectTypeOf(client.listCoreV1NamespacedService({ namespace: 'default', labelSelector: 'app=redis', limit: 10 })).resolves.toEqualTypeOf<ServiceList>();
    expectTypeOf(client.listCoreV1ServiceForAllNamespaces()).resolves.toEqualTypeOf<ServiceList>();
    // @ts-expect-error limit is an integer in the spec, not a string
    void client.listCoreV1NamespacedService({ namespace: 'default', limit: '10' });
    void client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: 'redis', signal: new AbortController().signal });
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
});

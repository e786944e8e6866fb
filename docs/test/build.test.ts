// The build step itself: the page is one self-contained file, and the offline post-processing
// fails loudly when Redoc changes what it loads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docsConfig, PAYLOAD_TAB } from '../build-docs.mjs';
import { makeOffline, OfflinePageError } from '../lib/offline-html.mjs';
import { groupByResource, resourceOf } from '../lib/resource-groups.mjs';
import { builtPage, documentedOperations, loadBuiltSpec } from './support/paths.js';

const spec = loadBuiltSpec();
const html = readFileSync(builtPage, 'utf8');

describe('docs/dist/index.html', () => {
  it('inlines Redoc and loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<script[^>]+\bsrc=/i);
    expect(html).not.toMatch(/<link[^>]+href="https?:/i);
    expect(html).not.toContain('cdn.redoc.ly');
    expect(html).not.toContain('fonts.googleapis.com');
    expect(html).toContain('"disableTelemetry":true');
    expect(html.length).toBeGreaterThan(1_000_000); // Redoc's script is in the page
  });

  it('is prerendered: every operation, with its Chinese title, is in the HTML before any script runs', () => {
    expect(html).toContain('查询service状态');
    for (const { operationId, summary, path } of documentedOperations(spec)) {
      expect(html, operationId).toContain(summary);
      expect(html, operationId).toContain(path);
    }
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<link rel="icon" href="data:image/svg+xml,');
  });

  it("takes its title and description from the spec's info", () => {
    const escaped = (text: string) =>
      text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    expect(html).toContain(`<title>${escaped(spec.info.title)}</title>`);
    expect(spec.info.title).toMatch(/Services$/);
    expect(html).toContain(`<meta name="description" content="${escaped(spec.info.summary)}" />`);
  });
});

describe('makeOffline', () => {
  const page = (body: string) => `<html><head></head><body>${body}</body></html>`;
  const logos = 'src:e?`https://cdn.redoc.ly/redoc/logo-mini-full.svg`:`https://cdn.redoc.ly/redoc/logo-mini.svg`';

  it('swaps the remote logo for an inline image', () => {
    const result = makeOffline(page(`<script type="module">${logos}</script>`));
    expect(result).not.toContain('cdn.redoc.ly');
    expect(result).toContain('data:image/svg+xml,');
  });

  it('fails when Redoc no longer loads the logo it expects (Redoc changed: look at it)', () => {
    expect(() => makeOffline(page('<script type="module"></script>'))).toThrow(OfflinePageError);
  });

  it('fails on any other CDN reference and on a script loaded from elsewhere', () => {
    expect(() => makeOffline(page(`<script>${logos};fetch("https://cdn.redocly.com/redoc/v3/x.js")</script>`))).toThrow(
      /remote assets: https:\/\/cdn\.redocly\.com\/redoc\/v3\/x\.js/,
    );
    expect(() => makeOffline(page(`<script src="/redoc.js"></script><script>${logos}</script>`))).toThrow(
      /not inlined/,
    );
  });
});

describe('docsConfig', () => {
  it("lists exactly the spec's code samples as Redoc's sample languages", () => {
    const config = docsConfig(spec);
    expect(config.telemetry).toBe('off');
    // Redoc's Payload tab (the request body examples) first, as the spec has operations with a body.
    expect(config.openapi.codeSamples.languages).toEqual([
      PAYLOAD_TAB,
      { lang: 'TypeScript', label: 'TypeScript (@cci-openapi/client)' },
      { lang: 'bash', label: 'curl (API gateway, X-Auth-Token)' },
      { lang: 'bash', label: 'curl (API server, cluster certificate)' },
      { lang: 'bash', label: 'kubectl' },
    ]);
    // Without an operation that takes a body, no Payload tab.
    const readsOnly = structuredClone(spec);
    for (const item of Object.values<any>(readsOnly.paths))
      for (const operation of Object.values<any>(item)) delete operation.requestBody;
    expect(docsConfig(readsOnly).openapi.codeSamples.languages).not.toContainEqual(PAYLOAD_TAB);
  });

  it('carries every request media type of every operation that takes a body', () => {
    for (const { operationId, requestBody } of documentedOperations(spec).filter(
      (operation) => operation.requestBody,
    )) {
      for (const mediaType of Object.keys(requestBody!.content))
        expect(html, `${operationId} ${mediaType}`).toContain(mediaType);
    }
  });
});

/** The resources whose operations carry the tag `name`. */
function resourcesTagged(bundle: any, name: string): Set<string | undefined> {
  const found = new Set<string | undefined>();
  for (const [path, item] of Object.entries<any>(bundle.paths))
    for (const operation of Object.values<any>(item))
      if (Array.isArray(operation?.tags) && operation.tags.includes(name)) found.add(resourceOf(path).resource);
  return found;
}

describe('groupByResource (the sidebar: one tag per resource, one group per API group/version)', () => {
  const operationIds = (bundle: any, tag: string) =>
    Object.values<any>(bundle.paths).flatMap((item) =>
      Object.values<any>(item).flatMap((operation) => (operation?.tags?.includes(tag) ? [operation.operationId] : [])),
    );

  it('finds the resource of a path, its API group/version and whether it is a subresource', () => {
    expect(resourceOf('/api/v1/namespaces/{namespace}/pods/{name}/log')).toEqual({
      groupVersion: 'core/v1',
      resource: 'pods',
      subresource: true,
    });
    expect(resourceOf('/api/v1/namespaces/{name}')).toEqual({
      groupVersion: 'core/v1',
      resource: 'namespaces',
      subresource: false,
    });
    expect(resourceOf('/apis/apps/v1/deployments')).toEqual({
      groupVersion: 'apps/v1',
      resource: 'deployments',
      subresource: false,
    });
    expect(resourceOf('/api/v1/')).toEqual({ groupVersion: 'core/v1', resource: undefined, subresource: false });
  });

  it("keeps the spec's own tag, with its description, for each resource that alone carries it", () => {
    const grouped = groupByResource(spec);
    const resources = new Set(Object.keys(spec.paths).map((path) => resourceOf(path).resource));
    expect(grouped.tags.length).toBe(resources.size); // one tag per resource
    for (const tag of spec.tags)
      if (resourcesTagged(spec, tag.name).size === 1) expect(grouped.tags).toContainEqual(tag);
    const names = grouped.tags.map((tag: any) => tag.name);
    expect(grouped['x-tagGroups']).toEqual([{ name: 'core/v1', tags: [...names].sort() }]);
    expect(spec['x-tagGroups']).toBeUndefined(); // the bundle itself is left as it is
  });

  it('gives an operation of another resource a tag of its own, named after the kind it answers', () => {
    const [servicePath] = Object.keys(spec.paths).filter((path) => path.endsWith('/services/{name}'));
    const copy = structuredClone(spec);
    const read = structuredClone(copy.paths[servicePath!].get);
    read.operationId = 'readCoreV1NamespacedConfigMap';
    read.tags = [...copy.tags.map((tag: any) => tag.name)]; // tagged like the Services
    read.responses = {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { title: 'io.k8s.api.core.v1.ConfigMap', type: 'object' } } },
      },
    };
    copy.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'] = { get: read };
    const grouped = groupByResource(copy);
    expect(operationIds(grouped, 'ConfigMaps')).toEqual(['readCoreV1NamespacedConfigMap']);
    expect(operationIds(grouped, spec.tags[0].name)).toEqual(operationIds(spec, spec.tags[0].name));
    const before = groupByResource(spec)['x-tagGroups'][0].tags;
    expect(grouped['x-tagGroups']).toEqual([{ name: 'core/v1', tags: [...before, 'ConfigMaps'].sort() }]);
  });

  it('is what the page shows: the group and its tags in the HTML', () => {
    for (const group of groupByResource(spec)['x-tagGroups']) {
      expect(html).toContain(`>${group.name}<`);
      for (const tag of group.tags) expect(html).toContain(`>${tag}<`);
    }
  });
});

// The built page in a real browser (Debian's chromium through playwright-core), served from
// 127.0.0.1 the way any static web server would. Every request the page makes is recorded; anything
// not for 127.0.0.1 is blocked and fails the suite, so "works offline" is proven, not hoped for.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docsConfig, PAYLOAD_TAB } from '../build-docs.mjs';
import { groupByResource } from '../lib/resource-groups.mjs';
import { CHROMIUM_ARGS, findChromium } from './support/chromium.js';
import { deref } from '@cci-openapi/spec-kit';
import { builtPage, docsDir, documentedOperations, loadBuiltSpec } from './support/paths.js';
import { serveDirectory } from './support/static-server.js';

const chromiumPath = findChromium();
const spec = loadBuiltSpec();
const operations = documentedOperations(spec);
const STATUS = 'readCoreV1NamespacedServiceStatus';
const screenshotPath = join(docsDir, 'test-results', 'docs.png');
/** The tabs of the request samples panel: Redoc's Payload (request body examples) and the code samples. */
const tabLabels: string[] = docsConfig(spec).openapi.codeSamples.languages.map(
  (language: { label: string }) => language.label,
);
const anyTab = new RegExp(`^(${tabLabels.map((label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
/** The operations that take a request body; the one with the most media types is the one photographed. */
const writes = operations.filter((operation) => operation.requestBody);
const mediaTypeCount = (operation: (typeof writes)[number]) => Object.keys(operation.requestBody!.content).length;
// Ties go to the shorter path: the resource itself rather than a subresource.
const mostMediaTypes = [...writes].sort(
  (a, b) => mediaTypeCount(b) - mediaTypeCount(a) || a.path.length - b.path.length,
)[0];

/** The keys and primitive values of a JSON value down to `depth` levels, as the JSON viewer prints them. */
function printedParts(value: unknown, depth: number): string[] {
  if (value === null || typeof value !== 'object') return [JSON.stringify(value)];
  if (depth === 0) return [];
  const entries = Array.isArray(value) ? value.map((item) => [undefined, item] as const) : Object.entries(value);
  return entries.flatMap(([key, item]) => [
    ...(key === undefined ? [] : [JSON.stringify(key)]),
    ...printedParts(item, depth - 1),
  ]);
}

describe.skipIf(!chromiumPath)('the docs page in Chromium', () => {
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const offHost: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await serveDirectory(dirname(builtPage));
    profile = mkdtempSync(join(tmpdir(), 'cci-openapi-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1400, height: 900 },
    });
    // blob: and data: URLs never leave the browser; every other scheme must go to 127.0.0.1.
    const leavesTheMachine = (url: string) => {
      const { protocol, hostname } = new URL(url);
      return !['blob:', 'data:'].includes(protocol) && hostname !== '127.0.0.1';
    };
    context.on('request', (request) => {
      if (leavesTheMachine(request.url())) offHost.push(request.url());
    });
    await context.route('**/*', (route) =>
      leavesTheMachine(route.request().url()) ? route.abort('blockedbyclient') : route.continue(),
    );
    context.setDefaultTimeout(20_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(server.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the title and the Chinese and English introduction', async () => {
    await expect(page.title()).resolves.toContain(spec.info.title);
    await expect(page.getByRole('heading', { level: 1 }).first().innerText()).resolves.toContain('CCI Kubernetes API');
    await page.getByText('华为云云容器实例（CCI）的 Kubernetes 原生 Service API').waitFor();
    await page.getByText('The Kubernetes-native Service API of Huawei Cloud').first().waitFor();
    await page.getByRole('heading', { name: 'Where to send requests' }).waitFor();
    await page.getByText('https://cci.{region}.myhuaweicloud.com').first().waitFor();
  });

  it("has a 'Signing in' section with a TypeScript sample for each way", async () => {
    await page.getByRole('heading', { name: 'Signing in' }).waitFor();
    for (const text of [
      'credentials: {',
      'credentialsFromEnv()',
      'iam: {',
      'getToken: async',
      'createCciClientFromKubeconfig({',
    ])
      await page.getByText(text).first().waitFor();
  });

  /** The operation's section on the page (Redoc renders it once it is opened in the sidebar). */
  const section = (operationId: string) => page.locator(`[id="services/${operationId.toLowerCase()}"]`);

  /** Opens an operation from the sidebar, as a reader does, and waits for its section. */
  async function open(summary: string, operationId: string) {
    const tagGroup = page
      .getByRole('listitem')
      .filter({ hasText: /^Services$/ })
      .first();
    // The innermost list item with the summary (the tag group's item contains every summary too).
    const entry = page.getByRole('listitem').filter({ hasText: summary }).last();
    // Redoc collapses the tag group in the sidebar: open it first.
    if (!(await entry.isVisible())) await tagGroup.click();
    await entry.click();
    await section(operationId).waitFor();
  }

  /** Picks an entry of an open dropdown menu by its text. */
  const menuItem = (text: string) =>
    page
      .getByRole('menuitem', { name: text, exact: true })
      .or(page.locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: text }))
      .filter({ visible: true })
      .first();

  /**
   * Opens a dropdown and picks an entry, as a reader does. Redoc draws the menu in a fixed layer at the
   * place its opener has when it opens; an opener still near the bottom edge (the page settling after a
   * jump) leaves the menu below the viewport, where no scrolling reaches it. So the opener is centred
   * first, and a menu that opened out of reach is closed (its opener toggles it) and opened again.
   */
  async function pickFromMenu(opener: Locator, text: string) {
    await vi.waitFor(
      async () => {
        if (await menuItem(text).isVisible()) await opener.click();
        await opener.evaluate((element) => element.scrollIntoView({ block: 'center' }));
        await opener.click();
        await menuItem(text).click({ timeout: 3_000 });
      },
      { timeout: 20_000, interval: 100 },
    );
  }

  /** Switches the operation's request samples panel to a tab (Payload or a code sample), as a reader does. */
  async function chooseTab(operationId: string, label: string) {
    const current = section(operationId).getByRole('button', { name: anyTab }).first();
    if ((await current.innerText()).trim() === label) return;
    await pickFromMenu(current, label);
    await expect.poll(async () => (await current.innerText()).trim()).toBe(label);
  }

  /**
   * Chooses a media type in a media type switch (`within`: the request body, or the samples panel).
   * With a single media type Redoc draws no switch: there is nothing to choose.
   */
  async function chooseMediaType(within: Locator, mediaTypes: string[], mediaType: string) {
    if (mediaTypes.length === 1) return;
    const anyMediaType = new RegExp(`^\\s*(${mediaTypes.map((m) => m.replace(/[+.]/g, '\\$&')).join('|')})\\s*$`);
    const switcher = within
      .locator('[data-component-name="Dropdown/Dropdown"]')
      .filter({ hasText: anyMediaType })
      .first();
    if ((await switcher.innerText()).trim() === mediaType) return;
    await pickFromMenu(switcher, mediaType);
    await expect.poll(async () => (await switcher.innerText()).trim()).toBe(mediaType);
  }

  it('groups the sidebar by resource: each API group/version a heading, each resource a tag under it', async () => {
    for (const group of groupByResource(spec)['x-tagGroups']) {
      const heading = page.locator('li', { hasText: new RegExp(`^${group.name}$`) }).first();
      await heading.waitFor();
      for (const tag of group.tags) {
        const entry = page
          .getByRole('listitem')
          .filter({ hasText: new RegExp(`^${tag}$`) })
          .first();
        await entry.waitFor();
        // The tag sits under its group's heading in the sidebar.
        expect((await entry.boundingBox())!.y).toBeGreaterThan((await heading.boundingBox())!.y);
      }
    }
  });

  it('lists every operation of the spec in the sidebar', async () => {
    const operationIds = Object.values(spec.paths).flatMap((item: any) =>
      Object.values(item).flatMap((o: any) => (o?.operationId ? [o.operationId] : [])),
    );
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(operationIds.sort());
    const entry = (summary: string) => page.getByRole('listitem').filter({ hasText: summary }).last();
    if (!(await entry(operations[0]!.summary).isVisible()))
      await page
        .getByRole('listitem')
        .filter({ hasText: /^Services$/ })
        .first()
        .click();
    for (const { summary } of operations) await entry(summary).waitFor();
  });

  for (const { operationId, summary, path, operation } of operations) {
    describe(operationId, () => {
      it('shows its title, path and every status code', async () => {
        await open(summary, operationId);
        await section(operationId).getByRole('heading', { name: summary }).first().waitFor();
        await section(operationId).getByText(path, { exact: true }).first().waitFor();
        expect(await section(operationId).getByText(path, { exact: true }).first().isVisible()).toBe(true);
        const codes = Object.keys(operation.responses);
        expect(codes.length).toBeGreaterThanOrEqual(14);
        for (const code of codes) {
          await expect(
            section(operationId).getByRole('button', { name: code, exact: true }).count(),
            `status code ${code}`,
          ).resolves.toBeGreaterThan(0);
        }
      });

      it('offers each of its code samples, with the text of its file in spec/code_samples/', async () => {
        await open(summary, operationId);
        const samples = documentedOperations(spec).find((candidate) => candidate.operationId === operationId)!.samples;
        expect(samples.length).toBe(4);
        for (const { label, file } of samples) {
          // The sample panel's language switcher shows the current sample's label.
          await chooseTab(operationId, label);
          const source = readFileSync(file, 'utf8');
          const code = section(operationId)
            .locator('pre[data-testid="source-code"]')
            .filter({ hasText: source.split('\n')[0]! })
            .first();
          await code.waitFor();
          expect((await code.innerText()).trim(), label).toBe(source.trim());
        }
      });

      const requestBody = operations.find((candidate) => candidate.operationId === operationId)!.requestBody;
      // Only the operations that take a body (the writes) have these two.
      if (!requestBody) return;
      it('shows its request body: each media type, its schema, whether it is required', async () => {
        await open(summary, operationId);
        const body = page.locator(`[id="services/${operationId.toLowerCase()}/request/body"]`);
        await body.waitFor();
        const mediaTypes = Object.keys(requestBody!.content);
        // The heading line: "Body", the media type (a switch when there are several), "required" when it is.
        const heading = body.locator(':scope > div').first();
        expect(await heading.getByText('required', { exact: true }).count()).toBe(requestBody!.required ? 1 : 0);
        // (Which media type it starts on is the reader's last choice: Redoc keeps it across operations.)
        if (mediaTypes.length === 1) await heading.getByText(mediaTypes[0]!, { exact: true }).waitFor();
        for (const mediaType of mediaTypes) {
          await chooseMediaType(body, mediaTypes, mediaType);
          // The media type's schema: its properties (an array's: its items'), or its description.
          const schema = deref(spec, requestBody!.content[mediaType].schema);
          const properties = schema.properties ?? deref(spec, schema.items ?? {}).properties;
          // Each property is an item whose id names it (with the media type when there are several).
          const prefix = `services/${operationId.toLowerCase()}/t=request&${mediaTypes.length > 1 ? `ct=${mediaType}&` : ''}path=`;
          // Read-only ones (status) are the server's: Redoc leaves them out of a request, rightly.
          for (const [name, property] of Object.entries<any>(properties ?? {})) {
            const item = body.locator(`[id="${prefix}${name.toLowerCase()}"]`);
            if (property.readOnly || deref(spec, property).readOnly)
              expect(await item.count(), `${mediaType} ${name} is read-only`).toBe(0);
            else await item.waitFor();
          }
          if (!properties) await body.getByText(schema.description.slice(0, 40)).first().waitFor();
        }
      });

      it("shows each media type's request example in the Payload tab", async () => {
        await open(summary, operationId);
        await chooseTab(operationId, PAYLOAD_TAB.label);
        const panel = section(operationId).locator('.panel-request-samples');
        const mediaTypes = Object.keys(requestBody!.content);
        const withExamples = mediaTypes.filter(
          (mediaType) => Object.keys(requestBody!.content[mediaType].examples ?? {}).length > 0,
        );
        expect(withExamples.length).toBeGreaterThan(0);
        for (const mediaType of withExamples) {
          await chooseMediaType(panel, mediaTypes, mediaType);
          const [example] = Object.values(requestBody!.content[mediaType].examples).map(
            (node) => deref(spec, node) as { value: unknown },
          );
          // Two levels deep: what the viewer shows before anything is expanded.
          const parts = printedParts(example!.value, 2);
          const missing = async () => {
            const text = await panel.innerText();
            return { mediaType, missing: parts.filter((part) => !text.includes(part)) };
          };
          await expect.poll(missing).toEqual({ mediaType, missing: [] });
        }
      });
    });
  }

  it('explains the X-Auth-Token security scheme', async () => {
    await page.getByText('View security details').first().click();
    // Redoc's security dialog (no ARIA role): the scheme's description and its header name.
    const headerName = page.getByText('Header parameter name:');
    await headerName.waitFor();
    await expect(headerName.locator('xpath=..').innerText()).resolves.toMatch(/Header parameter name:\s*X-Auth-Token/);
    await page.getByText('通过调用IAM服务获取用户Token接口获取(响应消息头中X-Subject-Token的值)。').first().waitFor();
    await page.keyboard.press('Escape');
    await headerName.waitFor({ state: 'hidden' });
  });

  it('shows targetPort as integer or string', async () => {
    const status = operations.find((operation) => operation.operationId === STATUS)!;
    await open(status.summary, STATUS);
    const property = (path: string) =>
      section(STATUS).locator(`.schema-property-item[id$="t=response&c=200&path=${path}"]`);
    await property('spec').locator('.schema-name').first().click();
    await property('spec/ports')
      .getByRole('button', { name: /Show \d+ array properties/ })
      .click();
    const targetPort = property('spec/ports[]/targetport');
    await targetPort.waitFor();
    const text = await targetPort.innerText();
    expect(text).toContain('targetPort');
    expect(text).toMatch(/integer or string/);
    expect(text).toContain('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  });

  it("shows the page's example data in the 200 response sample", async () => {
    const sample = section(STATUS).locator('.panel-response-samples').first();
    await sample.getByText('"10.247.212.210"').waitFor();
    const text = await sample.innerText();
    expect(text).toContain('"d6a1ce79-afdb-11e8-b6ef-f898ef6c78b4"');
    expect(text).toContain('"namespace-test"');
  });

  it('shows a status code tab with its response', async () => {
    await section(STATUS).getByRole('button', { name: '404', exact: true }).first().click();
    await section(STATUS).getByText('NotFound', { exact: true }).first().waitFor();
  });

  it('shows the list example and the watch media type on a list operation', async () => {
    const list = operations.find((operation) => operation.operationId === 'listCoreV1NamespacedService')!;
    await open(list.summary, list.operationId);
    await section(list.operationId).getByRole('button', { name: '200', exact: true }).first().click();
    const sample = section(list.operationId).locator('.panel-response-samples').first();
    await sample.getByText('"ServiceList"').first().waitFor();
    await section(list.operationId).getByText('application/json;stream=watch').first().waitFor();
  });

  it('saves a full-page screenshot', async () => {
    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.getByRole('button', { name: '200', exact: true }).first().click();
    // From the top, so that the sticky sidebar is drawn where a reader first sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    // A full page of four operations takes a while to paint on a busy machine: not a timing assertion.
    await page.screenshot({ path: screenshotPath, fullPage: true, timeout: 100_000 });
  });

  it.skipIf(!mostMediaTypes)(
    'saves a screenshot of the section of the write operation with the most request media types, its Payload tab open',
    async () => {
      const { operationId, summary } = mostMediaTypes!;
      await open(summary, operationId);
      await chooseTab(operationId, PAYLOAD_TAB.label);
      // The request: from the section's title to the end of its request body, beside it the samples
      // panel. Its height is measured within the section (Redoc renders the neighbouring operations
      // lazily, so positions on the page shift; distances inside one section do not).
      const bodyId = `services/${operationId.toLowerCase()}/request/body`;
      await page.locator(`[id="${bodyId}"]`).waitFor();
      const height = await section(operationId).evaluate(
        (element, id) =>
          Math.ceil(document.getElementById(id)!.getBoundingClientRect().bottom - element.getBoundingClientRect().top) +
          24,
        bodyId,
      );
      // A viewport as tall as the request, the section's top at its top: all of it painted, the sticky panel beside the title.
      const viewport = page.viewportSize()!;
      await page.setViewportSize({ width: viewport.width, height });
      try {
        let box = (await section(operationId).boundingBox())!;
        for (let attempt = 0; attempt < 20 && Math.abs(box.y) >= 1; attempt++) {
          await section(operationId).evaluate((element) => element.scrollIntoView({ block: 'start' }));
          await page.waitForTimeout(250);
          box = (await section(operationId).boundingBox())!;
        }
        expect(Math.abs(box.y)).toBeLessThan(1);
        const clip = { x: box.x, y: 0, width: box.width, height };
        await page.screenshot({
          path: join(docsDir, 'test-results', `docs-${operationId}.png`),
          clip,
          timeout: 100_000,
        });
      } finally {
        await page.setViewportSize(viewport);
      }
    },
  );

  it('made no request off 127.0.0.1 and logged no console error', async () => {
    expect(offHost).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});

// The built page in a real browser (Debian's chromium through playwright-core), served from
// 127.0.0.1 the way any static web server would. Every request the page makes is recorded; anything
// not for 127.0.0.1 is blocked and fails the suite, so "works offline" is proven, not hoped for.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from './support/chromium.js';
import { builtPage, docsDir, documentedOperations, loadBuiltSpec } from './support/paths.js';
import { serveDirectory } from './support/static-server.js';

const chromiumPath = findChromium();
const spec = loadBuiltSpec();
const operations = documentedOperations(spec);
const STATUS = 'readCoreV1NamespacedServiceStatus';
const screenshotPath = join(docsDir, 'test-results', 'docs.png');

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
    await context.route('**/*', (route) => (leavesTheMachine(route.request().url()) ? route.abort('blockedbyclient') : route.continue()));
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
    for (const text of ['credentials: {', 'credentialsFromEnv()', 'iam: {', 'getToken: async', 'createCciClientFromKubeconfig({'])
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

  it('lists every operation of the spec in the sidebar', async () => {
    const operationIds = Object.values(spec.paths).flatMap((item: any) => Object.values(item).flatMap((o: any) => (o?.operationId ? [o.operationId] : [])));
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
          await expect(section(operationId).getByRole('button', { name: code, exact: true }).count(), `status code ${code}`).resolves.toBeGreaterThan(0);
        }
      });

      it('offers each of its code samples, with the text of its file in spec/code_samples/', async () => {
        await open(summary, operationId);
        const samples = documentedOperations(spec).find((candidate) => candidate.operationId === operationId)!.samples;
        expect(samples.length).toBe(4);
        for (const { label, file } of samples) {
          // The sample panel's language switcher shows the current sample's label.
          const current = section(operationId)
            .getByRole('button', { name: /TypeScript \(|curl \(|kubectl/ })
            .first();
          if ((await current.innerText()).trim() !== label) {
            await current.click();
            await page
              .getByRole('menuitem', { name: label })
              .or(page.locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: label }))
              .filter({ visible: true })
              .first()
              .click();
          }
          const source = readFileSync(file, 'utf8');
          const code = section(operationId)
            .locator('pre[data-testid="source-code"]')
            .filter({ hasText: source.split('\n')[0]! })
            .first();
          await code.waitFor();
          expect((await code.innerText()).trim(), label).toBe(source.trim());
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
    const property = (path: string) => section(STATUS).locator(`.schema-property-item[id$="t=response&c=200&path=${path}"]`);
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

  it('made no request off 127.0.0.1 and logged no console error', async () => {
    expect(offHost).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});

// The built page in a real browser (Debian's chromium through playwright-core), served from
// 127.0.0.1 the way any static web server would. Every request the page makes is recorded; anything
// not for 127.0.0.1 is blocked and fails the suite, so "works offline" is proven, not hoped for.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from './support/chromium.js';
import { builtPage, bundledSpec, codeSamplesDir, docsDir, OPERATION_PATH, requireBuilt } from './support/paths.js';
import { serveDirectory } from './support/static-server.js';

const chromiumPath = findChromium();
const spec = (() => {
  requireBuilt();
  return JSON.parse(readFileSync(bundledSpec, 'utf8'));
})();
const operation = spec.paths[OPERATION_PATH].get;
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
    profile = mkdtempSync(join(tmpdir(), 'cce-openapi-chromium-'));
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
    await expect(page.getByRole('heading', { level: 1 }).first().innerText()).resolves.toContain('CCE Kubernetes API');
    await page.getByText('华为云云容器引擎（CCE）的 Kubernetes 原生 API').waitFor();
    await page.getByText('The Kubernetes-native API of Huawei Cloud').first().waitFor();
    await page.getByRole('heading', { name: 'Getting an IAM token (X-Auth-Token)' }).waitFor();
    await page.getByRole('heading', { name: 'Calling the API server directly with the cluster certificate' }).waitFor();
  });

  it('shows the operation with its title and path once its tag group is expanded', async () => {
    // Redoc collapses the tag group in the sidebar: open it, then the operation.
    await page.getByRole('listitem').filter({ hasText: /^Services$/ }).first().click();
    await page.getByRole('listitem').filter({ hasText: operation.summary }).first().click();
    await page.getByRole('heading', { name: operation.summary }).first().waitFor();
    await page.getByText(OPERATION_PATH, { exact: true }).first().waitFor();
    expect(await page.getByText(OPERATION_PATH, { exact: true }).first().isVisible()).toBe(true);
  });

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
    const property = (path: string) => page.locator(`.schema-property-item[id$="t=response&c=200&path=${path}"]`);
    await property('spec').locator('.schema-name').first().click();
    await property('spec/ports').getByRole('button', { name: /Show \d+ array properties/ }).click();
    const targetPort = property('spec/ports[]/targetport');
    await targetPort.waitFor();
    const text = await targetPort.innerText();
    expect(text).toContain('targetPort');
    expect(text).toMatch(/integer or string/);
    expect(text).toContain('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  });

  it("shows the page's example data in the 200 response sample", async () => {
    const sample = page.locator('.panel-response-samples').first();
    await sample.getByText('"10.247.212.210"').waitFor();
    const text = await sample.innerText();
    expect(text).toContain('"d6a1ce79-afdb-11e8-b6ef-f898ef6c78b4"');
    expect(text).toContain('"namespace-test"');
  });

  it('lists every status code of the spec', async () => {
    const codes = Object.keys(operation.responses);
    expect(codes.length).toBeGreaterThanOrEqual(14);
    for (const code of codes) {
      await expect(page.getByRole('button', { name: code, exact: true }).count(), `status code ${code}`).resolves.toBeGreaterThan(0);
    }
    // A tab is not only listed but shows its response.
    await page.getByRole('button', { name: '404', exact: true }).first().click();
    await page.getByText('NotFound', { exact: true }).first().waitFor();
  });

  it('offers every code sample, with the text of its file in spec/code_samples/', async () => {
    const files: Record<string, string> = {
      'TypeScript (@cce-openapi/client)': 'typescript.ts',
      'curl (API gateway, X-Auth-Token)': 'curl-gateway.sh',
      'curl (API server, cluster certificate)': 'curl-apiserver.sh',
      kubectl: 'kubectl.sh',
    };
    expect(operation['x-codeSamples'].map((sample: { label: string }) => sample.label).sort()).toEqual(Object.keys(files).sort());
    for (const [label, file] of Object.entries(files)) {
      // The sample panel's language switcher shows the current sample's label.
      const current = page.getByRole('button', { name: /TypeScript \(|curl \(|kubectl/ }).first();
      if ((await current.innerText()).trim() !== label) {
        await current.click();
        await page.getByRole('menuitem', { name: label }).or(page.locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: label })).first().click();
      }
      const source = readFileSync(join(codeSamplesDir, file), 'utf8');
      const code = page.locator('pre[data-testid="source-code"]').filter({ hasText: source.split('\n')[0]! }).first();
      await code.waitFor();
      expect((await code.innerText()).trim(), label).toBe(source.trim());
    }
  });

  it('saves a full-page screenshot', async () => {
    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.getByRole('button', { name: '200', exact: true }).first().click();
    // From the top, so that the sticky sidebar is drawn where a reader first sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('made no request off 127.0.0.1 and logged no console error', async () => {
    expect(offHost).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});

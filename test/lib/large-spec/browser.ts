// Opens one operation of a built docs page in Debian's Chromium (playwright-core), as a reader does:
// its resource's tag in the sidebar, then its entry; then waits for its section and photographs it.
// The page is opened from the file itself: it is one self-contained page that needs no server.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

export interface OpenedOperation {
  /** The section's heading and the path it shows, as rendered. */
  heading: string;
  sectionText: string;
  /** The sidebar entries asked for that the page does not show. */
  missingFromSidebar: string[];
  /** Requests the page made off the file (none may leave the machine). */
  remoteRequests: string[];
}

export async function openOperation(
  page: string,
  target: { tag: string; summary: string; operationId: string },
  sidebarEntries: string[],
  screenshot: string,
): Promise<OpenedOperation> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    context.setDefaultTimeout(30_000);
    const remoteRequests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (/^(file|data|blob):/.test(url)) return route.continue();
      remoteRequests.push(url);
      return route.abort('blockedbyclient');
    });
    const tab = await context.newPage();
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    // Before anything is opened: every group heading and resource tag is one collapsed entry.
    const missingFromSidebar: string[] = [];
    for (const entry of sidebarEntries)
      if ((await tab.locator('li', { hasText: exactly(entry) }).count()) === 0) missingFromSidebar.push(entry);
    await tab
      .getByRole('listitem')
      .filter({ hasText: exactly(target.tag) })
      .first()
      .click();
    await tab.getByRole('listitem').filter({ hasText: target.summary }).last().click();
    // Redoc's section id: the tag and the operationId, lower-cased.
    const section = tab.locator(`[id="${target.tag.toLowerCase()}/${target.operationId.toLowerCase()}"]`);
    await section.waitFor();
    await tab.screenshot({ path: screenshot });
    return {
      heading: (await section.locator('h2').first().innerText()).trim(),
      sectionText: await section.innerText(),
      missingFromSidebar,
      remoteRequests,
    };
  } finally {
    await browser.close();
  }
}

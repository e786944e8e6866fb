// Finds Debian's chromium for the browser test. Outside CI a missing browser skips only that suite,
// loudly; with CI=true it fails, so CI can never pass without having run the browser test.
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (path): path is string => Boolean(path),
);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function findChromium(): string | undefined {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const why = `no Chromium found (looked at ${CANDIDATES.join(', ')}). Install it with \`sudo apt-get install -y chromium\` or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(`docs browser test: ${why}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the docs browser test: ${why}\n${'!'.repeat(100)}\n`);
  return undefined;
}

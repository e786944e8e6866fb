#!/usr/bin/env node
// The cci-svc command. A committed file rather than dist/bin.js itself: npm links a package's
// bins when it installs it, and in this repository that is before anything is built — a bin whose
// file did not exist yet was not linked, and `npx cci-svc` then went to the registry.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'cci-svc is not built yet: run `npm run build` (or `npm start`) at the repository root first.\n',
  );
  process.exit(1);
}
await import(built.href);

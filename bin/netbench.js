#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by scripts/bootstrap.sh or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'netbench: not built yet (dist/cli/main.js is missing).\n  hint: run `sh scripts/bootstrap.sh` or `npm run build` in the netbench checkout\n',
  );
  process.exit(1);
}
await import(entry.href);

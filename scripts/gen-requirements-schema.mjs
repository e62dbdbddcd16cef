#!/usr/bin/env node
// Writes docs/requirements.schema.json, the JSON Schema of `netbench advise --requirements`
// files, from the zod schema (src/advisor/requirements-schema.ts, built in dist/).
// `--check` writes nothing and exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('../', import.meta.url));
/** @type {typeof import('../src/advisor/requirements-json-schema.js')} */
const { requirementsJsonSchema } = await import(`${root}dist/advisor/requirements-json-schema.js`);
const target = `${root}docs/requirements.schema.json`;
// Formatted as the repository's prettier check expects.
const content = await format(JSON.stringify(requirementsJsonSchema()), {
  ...(await resolveConfig(target)),
  filepath: target,
});
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== content) {
    process.stderr.write(
      'docs/requirements.schema.json is stale: run `node scripts/gen-requirements-schema.mjs`\n',
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, content);
}

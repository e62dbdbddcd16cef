/**
 * SYNTHETIC mesh runs for advisor tests: seeded log-normal latencies (test/unit/report/fixtures.ts)
 * plus the mesh facts and proxy resource readings a lab mesh run records, with known truths (this
 * mesh adds that much). They test the advisor's reasoning, not any network.
 */
import type { MeshMode } from '../../../src/topology/mesh-spec.js';
import type { Results, ResourceUsage } from '../../../src/results/schema.js';
import { loadFixture, syntheticRun } from '../report/fixtures.js';

export interface SyntheticMesh {
  /** Median latency of each mesh mode's trial, µs; `none` is the baseline. */
  medianUs: Partial<Record<MeshMode | 'none', number>>;
  /** Proxy CPU seconds per proxy over the 4 s window, per repetition. @default 0.2 */
  proxyCpuSeconds?: number;
  /** Resident memory per proxy. @default 20 MB */
  proxyRssBytes?: number;
}

const rolesOf: Record<MeshMode, ('sidecar' | 'node-proxy' | 'waypoint')[]> = {
  sidecar: ['sidecar', 'sidecar'],
  'node-proxy': ['node-proxy', 'node-proxy'],
  'node-proxy+waypoint': ['node-proxy', 'waypoint', 'node-proxy'],
};

function proxyReading(
  role: string,
  i: number,
  cpuSeconds: number,
  rssBytes: number,
): ResourceUsage {
  return {
    scope: role === 'node-proxy' ? 'node' : 'pod',
    name: `${role}-${i}`,
    role,
    cpuPercent: (cpuSeconds / 4) * 100,
    cpuSeconds,
    rssBytes,
    peakRssBytes: rssBytes,
  };
}

export async function syntheticMeshRun(
  spec: SyntheticMesh,
  seed: number,
  runId: string,
): Promise<Results> {
  const template = await loadFixture('quick-a');
  const modes = Object.keys(spec.medianUs) as (MeshMode | 'none')[];
  const run = syntheticRun(
    template,
    modes.map((mesh) => ({
      dimensions: { placement: 'cross-node', rate: 1000, mesh, mtls: 'strict' },
      medianUs: spec.medianUs[mesh]!,
      repetitions: 3,
    })),
    seed,
    runId,
  );
  for (const trial of run.trials) {
    const mode = trial.dimensions.mesh;
    if (mode === 'none') continue;
    const roles = rolesOf[mode];
    trial.datapath = {
      datapath: 'routed',
      models: 'synthetic',
      podMtu: 1500,
      encapsulation: 'none',
      routes: [],
      setupMs: 1,
      mesh: {
        mode,
        models: 'synthetic',
        leavesOut: 'everything: synthetic test data',
        mtls: 'strict',
        tlsVersion: 'TLSv1.3',
        concurrency: 2,
        proxyVersion: 'synthetic',
        interception: 'synthetic',
        proxyTraversals: roles.length,
        identities: [],
        proxies: roles.map((role, i) => ({
          role,
          owner: `${role}-${i}`,
          node: 'node1',
          layer: role === 'node-proxy' ? 'L4' : 'L7',
          statsSocket: '/dev/null',
        })),
        setupMs: 1,
      },
    };
    trial.repetitions.forEach((rep, r) => {
      rep.resources = roles.map((role, i) =>
        proxyReading(
          role,
          i,
          (spec.proxyCpuSeconds ?? 0.2) * (1 + r * 0.05),
          spec.proxyRssBytes ?? 20e6,
        ),
      );
    });
  }
  return run;
}

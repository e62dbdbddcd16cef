import { describe, expect, it } from 'vitest';
import { extractEvidence } from '../../../src/advisor/evidence/evidence.js';
import { loadResults } from '../../../src/results/results-store.js';
import { fixturesDir } from '../report/fixtures.js';
import { adviceFor, cluster, decision } from './helpers.js';
import { syntheticMeshRun } from './synthetic-mesh.js';

// A Calico cluster that must encrypt every east-west pair, with 5 ms of p99 for the mesh.
const team = cluster(
  'needs: { mtls: all }\nbudget: { p99: 5ms, proxyCpu: 20 }\n',
  '  requestsPerSecond: 20k\n  current: { cni: calico, stable: true }\n',
);

describe('evidence and the budget (measurement)', () => {
  it("extracts each mesh model's p99 overhead with its interval and its proxy cost from a run", async () => {
    const run = await syntheticMeshRun(
      { medianUs: { none: 1000, 'node-proxy': 1500, sidecar: 2500 } },
      3,
      'synA',
    );
    const e = extractEvidence([run]);
    expect(e.meshOverheads.map((o) => o.meshMode).sort()).toEqual(['node-proxy', 'sidecar']);
    const sidecar = e.meshOverheads.find((o) => o.meshMode === 'sidecar')!;
    expect(sidecar.baselineTrialId).toBe('cross-node/1000/none/strict');
    expect(sidecar.proxyTraversals).toBe(2);
    // Log-normal with sigma 0.5: p99 is ~3.2 x the median, so sidecars add ~4.8 ms at p99.
    expect(sidecar.p99AddedUs.value).toBeGreaterThan(3000);
    expect(sidecar.p99AddedUs.low).toBeLessThan(sidecar.p99AddedUs.value);
    expect(sidecar.p99AddedUs.high).toBeGreaterThan(sidecar.p99AddedUs.value);
    const cost = e.proxyCosts.find((c) => c.meshMode === 'sidecar')!;
    // Two sidecars × ~0.2 CPU s over 2000 requests: ~200 ms per 1 000 requests.
    expect(cost.cpuMsPer1kRequests.value).toBeGreaterThan(190);
    expect(cost.cpuMsPer1kRequests.value).toBeLessThan(230);
    expect(cost.rssBytesPerProxy.sidecar?.value).toBeCloseTo(20e6);
  });

  it('gives different mesh advice under the same budget when the measured overheads differ', async () => {
    // Run A: the node proxy adds little; run B: it adds more than the 5 ms budget, sidecars less.
    const a = await syntheticMeshRun(
      { medianUs: { none: 1000, 'node-proxy': 1400, sidecar: 2600 } },
      11,
      'runA',
    );
    const b = await syntheticMeshRun(
      { medianUs: { none: 1000, 'node-proxy': 4500, sidecar: 1500 } },
      12,
      'runB',
    );
    const withA = decision(adviceFor(team, extractEvidence([a])), 'mesh');
    const withB = decision(adviceFor(team, extractEvidence([b])), 'mesh');
    expect(withA.choice).toBe('istio-ambient');
    expect(
      withA.evidence.some((e) => e.runId === 'runA' && e.figure === 'p99 added by the mesh'),
    ).toBe(true);
    expect(withB.choice).toBe('linkerd');
    expect(withB.because.join()).toMatch(
      /not istio-ambient: its measured p99 overhead .* breaks the p99 budget of 5.00ms/,
    );
    expect(withB.evidence.map((e) => e.runId)).toContain('runB');
  });

  it('warns when a measured mesh model breaks the p99 budget (mesh-breaks-p99-budget)', async () => {
    const b = await syntheticMeshRun(
      { medianUs: { none: 1000, 'node-proxy': 4500, sidecar: 1500 } },
      12,
      'runB',
    );
    const advice = adviceFor(team, extractEvidence([b]));
    const w = advice.warnings.filter((x) => x.code === 'mesh-breaks-p99-budget');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/node-proxy model added/);
    expect(w[0]!.evidence[0]!.runId).toBe('runB');
  });

  it('chooses the least costly mesh at low confidence when every candidate breaks the budget', async () => {
    const slow = await syntheticMeshRun(
      { medianUs: { none: 1000, 'node-proxy': 5000, sidecar: 6000 } },
      13,
      'slow',
    );
    const r = decision(adviceFor(team, extractEvidence([slow])), 'mesh');
    expect(r.choice).toBe('istio-ambient');
    expect(r.confidence).toBe('low');
    expect(r.because.join()).toMatch(/every mesh that meets the needs breaks the budget/);
  });

  it('reads the mesh run recorded under load: only its valid repetitions count, and it warns that most were invalid', async () => {
    const run = await loadResults(`${fixturesDir}mesh-overloaded`);
    const e = extractEvidence([run]);
    expect(e.runs[0]).toMatchObject({ runId: 'q6et5', repetitions: { valid: 4, total: 48 } });
    for (const o of e.meshOverheads) expect(o.p99AddedUs.repetitions).toBeGreaterThanOrEqual(1);
    const advice = adviceFor(team, e);
    expect(advice.warnings.map((w) => w.code)).toContain('weak-evidence');
  });

  it('reads the mesh run recorded on a quiet machine: every mesh model measured, no weak-evidence warning', async () => {
    const run = await loadResults(`${fixturesDir}mesh`);
    const e = extractEvidence([run]);
    expect(e.runs[0]).toMatchObject({ runId: 'ram03', repetitions: { valid: 48, total: 48 } });
    const models = new Set(e.meshOverheads.map((o) => o.meshMode));
    expect([...models].sort()).toEqual(['node-proxy', 'node-proxy+waypoint', 'sidecar']);
    for (const o of e.meshOverheads) expect(o.p99AddedUs.repetitions).toBe(2);
    expect(adviceFor(team, e).warnings.map((w) => w.code)).not.toContain('weak-evidence');
  });

  it("reads datapath latencies from the recorded datapaths run and cites the CNI model's one", async () => {
    const run = await loadResults(`${fixturesDir}datapaths`);
    const e = extractEvidence([run]);
    expect(e.datapaths.map((d) => d.datapath).sort()).toEqual(['bridge', 'routed', 'vxlan']);
    const r = decision(
      adviceFor(cluster('', '  current: { cni: calico, stable: true }\n'), e),
      'cni',
    );
    expect(r.evidence[0]?.trialId).toBe('routed/cross-node');
  });
});

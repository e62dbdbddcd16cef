import { describe, expect, it } from 'vitest';
import { buildCostModel } from '../../../src/advisor/cost-model.js';
import { extractEvidence } from '../../../src/advisor/evidence/evidence.js';
import { cluster, noEvidence, withCluster } from './helpers.js';
import { syntheticMeshRun } from './synthetic-mesh.js';

// 600 pods, 20 nodes, 90 Services, 20 000 east-west requests/s.
const team = withCluster(cluster('needs: { mtls: all }\n', '  requestsPerSecond: 20k\n'), {
  pods: 600,
  nodes: 20,
  services: 90,
});
const cost = (model: ReturnType<typeof buildCostModel>, mesh: string) =>
  model.meshes.find((m) => m.mesh === mesh)!;

describe('cost model', () => {
  it('prices Istio sidecars from the published per-proxy figures as a labelled prior (seed-002 §1.4)', () => {
    const m = cost(buildCostModel(team, noEvidence()), 'istio-sidecar');
    expect(m.basis).toBe('prior');
    expect(m.instances).toEqual({ sidecar: 600 });
    // Two sidecars per request path at 0.20 vCPU per 1 000 requests/s each: 20k × 0.4 / 1k.
    expect(m.cpuCores?.value).toBeCloseTo(8);
    expect(m.cpuCores?.low).toBeUndefined();
    expect(m.memoryBytes?.value).toBeCloseTo(600 * 60e6);
    expect(m.sources.join()).toMatch(/seed-002 \(§1.4 Istio sidecar/);
  });

  it('prices ambient per node, and per Service once L7 needs waypoints (seed-002 §1.4)', () => {
    const l4 = cost(buildCostModel(team, noEvidence()), 'istio-ambient');
    expect(l4.labModel).toBe('node-proxy');
    expect(l4.instances).toEqual({ 'node-proxy': 20 });
    expect(l4.cpuCores?.value).toBeCloseTo(2.4);
    expect(l4.memoryBytes?.value).toBeCloseTo(20 * 12e6);
    const l7team = { ...team, needs: { ...team.needs, l7Policy: 'basic' as const } };
    const l7 = cost(buildCostModel(l7team, noEvidence()), 'istio-ambient');
    expect(l7.labModel).toBe('node-proxy+waypoint');
    expect(l7.instances).toEqual({ 'node-proxy': 20, waypoint: 90 });
    expect(l7.cpuCores?.value).toBeCloseTo((20_000 * (60 + 250 + 60)) / 1e6);
    expect(l7.memoryBytes?.value).toBeCloseTo(20 * 12e6 + 90 * 60e6);
  });

  it('prices Linkerd from its estimated 1/8 CPU and 1/9 memory, and says the seeds have no Cilium mesh figure (seed-002 §4.1)', () => {
    const model = buildCostModel(team, noEvidence());
    expect(cost(model, 'linkerd').cpuCores?.value).toBeCloseTo(1);
    expect(cost(model, 'linkerd').memoryBytes?.value).toBeCloseTo(600 * 7e6);
    const cilium = cost(model, 'cilium-mesh');
    expect(cilium.basis).toBe('unknown');
    expect(cilium.cpuCores).toBeUndefined();
    expect(cilium.notes.join()).toMatch(/publish no per-proxy CPU/);
  });

  it('scales the measured per-proxy cost, with its interval, when a run measured the shape (measurement)', async () => {
    const run = await syntheticMeshRun(
      { medianUs: { none: 1000, sidecar: 1500 }, proxyCpuSeconds: 0.2, proxyRssBytes: 20e6 },
      5,
      'meas',
    );
    const m = cost(buildCostModel(team, extractEvidence([run])), 'linkerd');
    expect(m.basis).toBe('measured');
    expect(m.measuredIn).toEqual({ runId: 'meas', trialId: 'cross-node/1000/sidecar/strict' });
    // ~200 ms of proxy CPU per 1 000 requests × 20k requests/s = ~4 vCPU.
    expect(m.cpuCores!.value).toBeGreaterThan(3.8);
    expect(m.cpuCores!.value).toBeLessThan(4.6);
    expect(m.cpuCores!.low).toBeLessThan(m.cpuCores!.value);
    expect(m.cpuCores!.high).toBeGreaterThan(m.cpuCores!.value);
    expect(m.memoryBytes!.value).toBeCloseTo(600 * 20e6);
    expect(m.notes.join()).toMatch(/lab model/);
  });

  it('gives memory only, and says why, without a request rate', () => {
    const model = buildCostModel(cluster('needs: { mtls: all }\n'), noEvidence());
    expect(cost(model, 'istio-sidecar').cpuCores).toBeUndefined();
    expect(cost(model, 'istio-sidecar').memoryBytes?.value).toBeCloseTo(900 * 60e6);
    expect(model.notes.join()).toMatch(/cluster.requestsPerSecond/);
  });
});

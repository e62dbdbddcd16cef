import type { MeshFacts } from '../../../src/results/facts.js';
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../src/report/report-model.js';
import type { ResourceUsage } from '../../../src/results/schema.js';
import { loadFixture, syntheticRun } from './fixtures.js';

const usage = (name: string, role: string, cpuSeconds: number): ResourceUsage => ({
  scope: role === 'node-proxy' ? 'node' : 'pod',
  name,
  node: 'node1',
  role,
  cpuPercent: (cpuSeconds / 4) * 100,
  cpuSeconds,
  rssBytes: 20 * 1024 * 1024,
  peakRssBytes: 21 * 1024 * 1024,
});

describe('the service-mesh table', () => {
  it('shows proxies crossed, proxy CPU per 1k requests and the latency each proxy adds', async () => {
    // SYNTHETIC: no mesh at a 200 µs median, a sidecar mesh at 400 µs; two sidecars crossed.
    const results = syntheticRun(
      await loadFixture('quick-a'),
      [
        { dimensions: { mesh: 'none' }, medianUs: 200, repetitions: 5, runToRun: 0.01 },
        { dimensions: { mesh: 'sidecar' }, medianUs: 400, repetitions: 5, runToRun: 0.01 },
      ],
      7,
    );
    results.scenario = { ...results.scenario, baseline: { mesh: 'none' } };
    const sidecar = results.trials[1]!;
    sidecar.datapath = {
      datapath: 'bridge',
      models: 'synthetic',
      podMtu: 1500,
      encapsulation: 'none',
      routes: [],
      setupMs: 0,
      mesh: { mode: 'sidecar', mtls: 'strict', proxyTraversals: 2 } as MeshFacts,
    };
    for (const r of sidecar.repetitions) {
      // 2000 requests per repetition; 0.2 s of CPU in each sidecar: 200 ms per 1k requests.
      r.resources = [
        usage('client', 'client', 1),
        usage('client/sidecar', 'sidecar', 0.2),
        usage('server/sidecar', 'sidecar', 0.2),
      ];
    }
    const table = buildReportModel(results).tables.find((t) => t.id === 'mesh');
    expect(table?.rows).toHaveLength(1);
    const [row] = table!.rows;
    const text = row!.map((c) => c.text);
    expect(text[0]).toBe('sidecar');
    expect(text[1]).toBe('sidecar, mTLS');
    expect(text[2]).toBe('2');
    expect(text[3]).toBe('200 ms');
    expect(text[4]).toBe('10.0%');
    expect(text[5]).toBe('40.0 MiB');
    // (400 − 200) / 2 proxies ≈ 100 µs each at p50.
    expect(Number(text[6]!.replace('µs', ''))).toBeGreaterThan(85);
    expect(Number(text[6]!.replace('µs', ''))).toBeLessThan(115);
  });

  it('is absent when no trial has a mesh', async () => {
    const model = buildReportModel(await loadFixture('quick-a'));
    expect(model.tables.find((t) => t.id === 'mesh')).toBeUndefined();
  });
});

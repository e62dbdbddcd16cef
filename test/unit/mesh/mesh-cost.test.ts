import { describe, expect, it } from 'vitest';
import { meshOverheadOf, proxyCostOf } from '../../../src/mesh/mesh-cost.js';
import type { MeshFacts } from '../../../src/mesh/mesh-facts.js';
import type { RepetitionRecord, TrialRecord } from '../../../src/results/schema.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../../src/stats/histogram.js';

function encoded(valuesUs: number[]): string {
  const h = createHistogram();
  for (const v of valuesUs) recordMicros(h, v);
  return encodeHistogram(h);
}

function rep(
  index: number,
  latencies: number[],
  extra: Partial<RepetitionRecord> = {},
): RepetitionRecord {
  return {
    index,
    order: index,
    startedAt: '2026-01-01T00:00:00Z',
    status: 'ok',
    invalidReasons: [],
    histograms: { latencyUs: encoded(latencies) },
    ...extra,
  };
}

const meshFacts = { proxyTraversals: 2 } as MeshFacts;

function trial(id: string, reps: RepetitionRecord[], mesh?: MeshFacts): TrialRecord {
  return {
    id,
    index: 0,
    dimensions: {},
    repetitions: reps,
    ...(mesh === undefined
      ? {}
      : {
          datapath: {
            datapath: 'routed',
            models: '',
            podMtu: 1500,
            encapsulation: 'none',
            routes: [],
            setupMs: 0,
            mesh,
          },
        }),
  };
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('latency a mesh adds', () => {
  it('compares merged histograms at p50/p90/p99 and divides by the proxy traversals', () => {
    // Baseline 1..100 µs, mesh the same shifted by 100 µs, split over two repetitions each.
    const baseline = trial('none', [rep(0, range(1, 50)), rep(1, range(51, 100))]);
    const mesh = trial('sidecar', [rep(0, range(101, 150)), rep(1, range(151, 200))], meshFacts);
    const o = meshOverheadOf(mesh, baseline);
    expect(o?.repetitions).toEqual({ baseline: 2, mesh: 2 });
    expect(o?.p50).toEqual({
      baselineUs: 50,
      meshUs: 150,
      addedUs: 100,
      addedPercent: 200,
      addedPerTraversalUs: 50,
    });
    expect(o?.p99.addedUs).toBe(100);
  });

  it('merges only valid repetitions', () => {
    const baseline = trial('none', [rep(0, [100]), rep(1, [100_000], { status: 'invalid' })]);
    const mesh = trial('sidecar', [rep(0, [300])], meshFacts);
    expect(meshOverheadOf(mesh, baseline)?.p99.baselineUs).toBe(100);
  });

  it('has nothing to say without mesh facts or without valid repetitions', () => {
    const baseline = trial('none', [rep(0, [100])]);
    expect(meshOverheadOf(trial('plain', [rep(0, [100])]), baseline)).toBeUndefined();
    const failed = trial('sidecar', [rep(0, [100], { status: 'failed' })], meshFacts);
    expect(meshOverheadOf(failed, baseline)).toBeUndefined();
  });
});

describe('proxy cost of a repetition', () => {
  const usage = (role: string, cpuSeconds: number, rssBytes: number) => ({
    scope: 'pod' as const,
    name: role,
    role,
    cpuPercent: cpuSeconds * 10,
    cpuSeconds,
    rssBytes,
    peakRssBytes: rssBytes,
  });

  it('sums the proxies, not the workload, and normalises per 1000 completed requests', () => {
    const r = rep(0, [100], {
      requests: {
        scheduled: 10_000,
        sent: 10_000,
        completed: 10_000,
        errors: 0,
        timeouts: 0,
        unsent: 0,
      },
      resources: [
        usage('sidecar', 0.5, 20e6),
        usage('sidecar', 0.3, 22e6),
        usage('server', 2, 90e6),
      ],
    });
    const cost = proxyCostOf(r);
    expect(cost?.cpuSeconds).toBeCloseTo(0.8);
    expect(cost?.cpuMsPer1kRequests).toBeCloseTo(80);
    expect(cost?.rssBytes).toBe(42e6);
    expect(cost?.byRole.sidecar?.count).toBe(2);
    expect(cost?.byRole['node-proxy']).toBeUndefined();
  });

  it('is undefined without proxy readings or completed requests', () => {
    expect(proxyCostOf(rep(0, [1]))).toBeUndefined();
    expect(
      proxyCostOf(rep(0, [1], { resources: [usage('node-proxy', 1, 1)], requests: undefined })),
    ).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { proxyCostOf } from '../../../src/analysis/mesh-cost.js';
import type { RepetitionRecord } from '../../../src/results/schema.js';
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

import { describe, expect, it } from 'vitest';
import type { GraphServiceResult } from '../../../../src/agent/agent-protocol.js';
import { analyzeGraphs, graphHopFigures } from '../../../../src/analysis/graph-hops.js';
import { graphTables } from '../../../../src/report/graph-tables.js';
import type { RepetitionRecord, Results, TrialRecord } from '../../../../src/results/schema.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../../../src/stats/histogram.js';
import { graphRecordOf } from '../../../../src/workload/graph/graph-record.js';
import { chainGraph } from '../../../../src/spec/graph-shapes.js';
import { defaultDimensions, type MeshName } from '../../../../src/spec/dimensions.js';

const g = chainGraph(2);
const encoded = (values: number[]): string => {
  const h = createHistogram();
  for (const v of values) recordMicros(h, v);
  return encodeHistogram(h);
};

/** 50 traced requests through svc1 → svc2 where every call spends `hopUs` outside svc2. */
function repetition(index: number, hopUs: number): RepetitionRecord {
  const serverB = 200;
  const callUs = serverB + hopUs;
  const serverA = 50 + callUs;
  const traces = Array.from({ length: 50 }, (_, i) => i + 1);
  const results: GraphServiceResult[] = [
    {
      service: 'svc1',
      pod: 'svc1',
      requests: 50,
      failed: 0,
      serverUs: encoded(traces.map(() => serverA)),
      edges: [
        {
          to: 'svc2',
          toPod: 'svc2',
          calls: 50,
          errors: 0,
          timeouts: 0,
          errorKinds: {},
          callUs: encoded(traces.map(() => callUs)),
        },
      ],
      spans: traces.map((trace) => ({
        trace,
        atUs: trace * 10_000,
        serverUs: serverA,
        workUs: 20,
        calls: [{ service: 'svc2', pod: 'svc2', startUs: 40, durationUs: callUs, ok: true }],
        ok: true,
      })),
      spansDropped: 0,
    },
    {
      service: 'svc2',
      pod: 'svc2',
      requests: 50,
      failed: 0,
      serverUs: encoded(traces.map(() => serverB)),
      edges: [],
      spans: traces.map((trace) => ({
        trace,
        atUs: trace * 10_000 + 40 + hopUs / 2,
        serverUs: serverB,
        workUs: serverB,
        calls: [],
        ok: true,
      })),
      spansDropped: 0,
    },
  ];
  return {
    index,
    order: index,
    startedAt: '2026-12-02T00:00:00Z',
    status: 'ok',
    invalidReasons: [],
    requests: { scheduled: 1000, sent: 1000, completed: 1000, errors: 0, timeouts: 0, unsent: 0 },
    histograms: { latencyUs: encoded(Array.from({ length: 100 }, () => serverA + 100)) },
    resources: [
      {
        scope: 'pod',
        name: 'svc1/sidecar',
        role: 'sidecar',
        cpuPercent: 5,
        cpuSeconds: 0.2,
        rssBytes: 1,
        peakRssBytes: 1,
      },
    ],
    graph: graphRecordOf({
      graph: g,
      nodeOfPod: new Map([
        ['svc1', 'node2'],
        ['svc2', 'node1'],
      ]),
      results,
      traceEvery: 1,
    }),
  };
}

const trial = (id: string, mesh: MeshName, hops: number[]): TrialRecord => ({
  id,
  index: 0,
  dimensions: {
    ...defaultDimensions(),
    workload: 'graph',
    graph: g,
    mesh,
    datapath: 'routed',
    placement: 'cross-node',
  },
  repetitions: hops.map((h, i) => repetition(i, h)),
});

const results = {
  trials: [trial('no-mesh', 'none', [100, 110, 90]), trial('sidecar', 'sidecar', [400, 410, 390])],
} as unknown as Results;

describe('graph analysis', () => {
  it('gives a cost model the hop time per trial and per edge, with where each edge ran', () => {
    const [none, sidecar] = graphHopFigures(results);
    expect(none?.hopUsP50?.value).toBeCloseTo(100, -1);
    expect(sidecar?.hopUsP50?.value).toBeCloseTo(400, -1);
    expect(sidecar?.edges).toMatchObject([
      { from: 'svc1', to: 'svc2', placement: 'cross-node', calls: 150, errors: 0 },
    ]);
    // 0.2 s of proxy CPU per 1 000 completed requests.
    expect(sidecar?.proxyCpuMsPer1kRequests?.value).toBeCloseTo(200);
    expect(none?.depth).toBe(2);
  });

  it('says what the mesh adds per hop against its mesh-none twin, with an interval', () => {
    const a = analyzeGraphs(results)!;
    const [o] = a.overheads;
    expect(o).toMatchObject({ trialId: 'sidecar', baselineTrialId: 'no-mesh', mesh: 'sidecar' });
    expect(o!.addedUs.kind).toBe('absolute');
    expect(o!.addedUs.value).toBeCloseTo(300, -1);
    expect(o!.addedUs.low).toBeLessThan(300);
    expect(o!.addedUs.high).toBeGreaterThan(300);
    expect(o!.addedUs.verdict).toBe('significant');
    const path = a.criticalPaths.find((p) => p.trialId === 'sidecar')!.parts;
    expect(path.map((p) => p.label)).toEqual(['in svc1', 'hop svc1 → svc2', 'in svc2']);
    expect(path.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1);
  });

  it('renders the hop overhead and the depth table in the report', () => {
    const tables = graphTables(results);
    expect(tables.map((t) => t.id)).toEqual([
      'graph-depth',
      'graph-hop-overhead',
      'graph-edges',
      'graph-critical-path',
    ]);
    const overhead = tables[1]!.rows[0]!;
    expect(overhead[3]?.text).toMatch(/^\+3\d\dµs$/);
  });
});

import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { GraphServiceResult } from '../../../../src/agent/agent-protocol.js';
import { decodeHistogram } from '../../../../src/stats/histogram.js';
import { graphRecordOf } from '../../../../src/workload/graph/graph-record.js';
import { chainGraph, fanoutGraph } from '../../../../src/spec/graph-shapes.js';
import type { GraphSpec } from '../../../../src/spec/graph-spec.js';
import { attribution, joinTraces } from '../../../../src/workload/graph/graph-traces.js';
import { startLoopbackGraph } from './loopback-graph.js';

const svc = (name: string, more: Partial<GraphSpec['services'][number]> = {}) => ({
  name,
  replicas: 1,
  serviceTimeUs: 0,
  serviceTime: 'busy' as const,
  payloadBytes: 64,
  calls: [] as string[],
  callMode: 'sequential' as const,
  ...more,
});

const byPod = (results: GraphServiceResult[], pod: string): GraphServiceResult =>
  results.find((r) => r.pod === pod)!;

async function measure(
  g: GraphSpec,
  requests: number,
  options: Parameters<typeof startLoopbackGraph>[1] = {},
): Promise<{ statuses: number[]; latenciesUs: number[]; results: GraphServiceResult[] }> {
  const graph = await startLoopbackGraph(g, options);
  try {
    graph.startWindow();
    const statuses: number[] = [];
    const latenciesUs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const r = await graph.get();
      statuses.push(r.status);
      latenciesUs.push(r.latencyUs);
    }
    return { statuses, latenciesUs, results: graph.endWindow() };
  } finally {
    await graph.close();
  }
}

/** A TCP server that accepts and never answers: calls to it time out. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('graph services on loopback', () => {
  it('calls sequential callees one after another, each after the service time', async () => {
    const g: GraphSpec = {
      name: 'seq',
      entry: 'a',
      services: [
        svc('a', { calls: ['b', 'c'], serviceTimeUs: 300 }),
        svc('b', { serviceTimeUs: 200 }),
        svc('c'),
      ],
    };
    const { statuses, results } = await measure(g, 20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const spans = byPod(results, 'a').spans;
    expect(spans).toHaveLength(20);
    for (const s of spans) {
      expect(s.workUs).toBeGreaterThanOrEqual(300);
      const [b, c] = s.calls;
      expect(b!.service).toBe('b');
      expect(b!.startUs).toBeGreaterThanOrEqual(s.workUs);
      expect(c!.startUs).toBeGreaterThanOrEqual(b!.startUs + b!.durationUs);
    }
    expect(byPod(results, 'b').requests).toBe(20);
    expect(byPod(results, 'c').requests).toBe(20);
  });

  it('fans out to every callee at once and waits for all of them', async () => {
    const g = fanoutGraph(3);
    // Leaves sleep, so the one event loop of this test process is free to overlap them.
    for (const s of g.services.slice(1)) {
      s.serviceTimeUs = 5000;
      s.serviceTime = 'sleep';
    }
    const { statuses, results } = await measure(g, 10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const s of byPod(results, 'front').spans) {
      expect(s.calls.map((c) => c.service).sort()).toEqual(['leaf1', 'leaf2', 'leaf3']);
      // Every call starts before any other ends: they overlap.
      const firstEnd = Math.min(...s.calls.map((c) => c.startUs + c.durationUs));
      for (const c of s.calls) expect(c.startUs).toBeLessThan(firstEnd);
      // The answer waits for the slowest call.
      const lastEnd = Math.max(...s.calls.map((c) => c.startUs + c.durationUs));
      expect(s.serverUs).toBeGreaterThanOrEqual(lastEnd);
    }
  });

  it('propagates a refused connection up the chain as 502 and counts it on each edge', async () => {
    const dead = await silentServer();
    await dead.close();
    const { statuses, results } = await measure(chainGraph(3), 5, {
      urlOverride: { svc3: `http://127.0.0.1:${dead.port}/` },
    });
    expect(statuses).toEqual([502, 502, 502, 502, 502]);
    const edge = (pod: string) => byPod(results, pod).edges[0]!;
    expect(edge('svc2')).toMatchObject({ to: 'svc3', calls: 5, errors: 5, timeouts: 0 });
    expect(edge('svc2').errorKinds).toEqual({ ECONNREFUSED: 5 });
    expect(edge('svc1')).toMatchObject({ to: 'svc2', errors: 5, errorKinds: { http_502: 5 } });
    expect(byPod(results, 'svc1').failed).toBe(5);
  });

  it('turns a callee that never answers into timeouts on every edge above it and a 504', async () => {
    const silent = await silentServer();
    try {
      const { statuses, results } = await measure(chainGraph(3), 2, {
        timeoutMs: 300,
        urlOverride: { svc3: `http://127.0.0.1:${silent.port}/` },
      });
      expect(statuses).toEqual([504, 504]);
      expect(byPod(results, 'svc2').edges[0]).toMatchObject({ timeouts: 2, errors: 0 });
      // Every hop has the same timeout, so svc1 sees either svc2's 504 or its own timeout
      // first: a timeout on its edge either way.
      expect(byPod(results, 'svc1').edges[0]).toMatchObject({ timeouts: 2, errors: 0 });
    } finally {
      await silent.close();
    }
  });

  it('attributes each request to self and hop times that add up to the entry server time', async () => {
    const g = chainGraph(3);
    g.services[1]!.serviceTimeUs = 200;
    const { latenciesUs, results } = await measure(g, 30);
    const traces = joinTraces({
      spansByPod: new Map(results.map((r) => [r.pod, r.spans])),
      entryPod: 'svc1',
      callModes: new Map(g.services.map((s) => [s.name, s.callMode])),
      serviceOfPod: new Map(g.services.map((s) => [s.name, s.name])),
    });
    expect(traces).toHaveLength(30);
    const spansOf = new Map(results.map((r) => [r.pod, new Map(r.spans.map((s) => [s.trace, s]))]));
    // Resolution: spans are in µs from one monotonic clock, arrival rounded down to 1 µs.
    const resolutionUs = 1;
    for (const t of traces) {
      const parts = attribution(t);
      expect(parts.map((p) => `${p.kind}:${p.service}`)).toEqual([
        'self:svc1',
        'hop:svc2',
        'self:svc2',
        'hop:svc3',
        'self:svc3',
      ]);
      const sum = parts.reduce((a, p) => a + p.us, 0);
      expect(Math.abs(sum - t.totalUs)).toBeLessThanOrEqual(resolutionUs);
      for (const p of parts) expect(p.us).toBeGreaterThan(-resolutionUs);
      // Independent check: each callee's server interval, on its own clock reading, lies inside
      // the caller's call interval.
      for (const [parent, child] of [
        ['svc1', 'svc2'],
        ['svc2', 'svc3'],
      ] as const) {
        const p = spansOf.get(parent)!.get(t.trace)!;
        const c = spansOf.get(child)!.get(t.trace)!;
        const call = p.calls[0]!;
        expect(c.atUs).toBeGreaterThanOrEqual(p.atUs + call.startUs - resolutionUs);
        expect(c.atUs + c.serverUs).toBeLessThanOrEqual(
          p.atUs + call.startUs + call.durationUs + resolutionUs,
        );
      }
    }
    // The client saw at least what the entry accounted for.
    const entryTotals = traces.map((t) => t.totalUs).sort((a, b) => a - b);
    const client = [...latenciesUs].sort((a, b) => a - b);
    expect(client[15]!).toBeGreaterThan(entryTotals[0]!);
    // The record carries it all: hop histograms per edge, counts per service.
    const record = graphRecordOf({
      graph: g,
      nodeOfPod: new Map([
        ['svc1', 'node1'],
        ['svc2', 'node2'],
        ['svc3', 'node2'],
      ]),
      results,
      traceEvery: 1,
    });
    expect(record.tracesJoined).toBe(30);
    expect(record.edges.map((e) => [e.from, e.to, e.placement])).toEqual([
      ['svc1', 'svc2', 'cross-node'],
      ['svc2', 'svc3', 'same-node'],
    ]);
    expect(decodeHistogram(record.edges[0]!.histograms.hopUs!).totalCount).toBe(30);
    expect(record.services.map((s) => s.requests)).toEqual([30, 30, 30]);
  });

  it('spreads calls to a replicated service over its pods', async () => {
    const g: GraphSpec = {
      name: 'rep',
      entry: 'front',
      services: [svc('front', { calls: ['back'] }), svc('back', { replicas: 3 })],
    };
    const { results } = await measure(g, 9);
    expect(['back1', 'back2', 'back3'].map((p) => byPod(results, p).requests)).toEqual([3, 3, 3]);
    expect(byPod(results, 'front').edges.map((e) => [e.toPod, e.calls])).toEqual([
      ['back1', 3],
      ['back2', 3],
      ['back3', 3],
    ]);
  });
});

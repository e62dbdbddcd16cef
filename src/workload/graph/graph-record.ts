/**
 * What a graph repetition records in results.json (pure): per service its server-side latency
 * (histograms merged over its replicas), per edge the calls, errors, timeouts and latency as the
 * callers saw them, where each pod pair ran (same-node or cross-node), the hop times and self
 * times of the sampled traces, and a few traces by rank for waterfalls.
 */
import type { GraphServiceResult } from '../../agent/agent-protocol.js';
import type { GraphRecord } from '../../results/schema.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMicros,
  summarize,
  type Histogram,
} from '../../stats/histogram.js';
import { graphDepth, podsOf, type CallMode, type GraphSpec } from '../../spec/graph-spec.js';
import { joinTraces, tracesByRank, type JoinedTrace } from './graph-traces.js';

/** Traces kept in results.json per repetition (enough for a p99 waterfall). */
export const storedTraces = 200;

export interface GraphRecordInput {
  graph: GraphSpec;
  /** Node of every pod. */
  nodeOfPod: ReadonlyMap<string, string>;
  results: readonly GraphServiceResult[];
  traceEvery: number;
}

type Placement = 'same-node' | 'cross-node';

export function graphRecordOf(input: GraphRecordInput): GraphRecord {
  const { graph: g, results } = input;
  const serviceOfPod = new Map(
    g.services.flatMap((s) => podsOf(s).map((p) => [p, s.name] as const)),
  );
  const traces = joinTraces({
    spansByPod: new Map(results.map((r) => [r.pod, r.spans])),
    entryPod: g.entry,
    callModes: new Map<string, CallMode>(g.services.map((s) => [s.name, s.callMode])),
    serviceOfPod,
  });
  const hop = new Map<string, Histogram>();
  const self = new Map<string, Histogram>();
  const hist = (m: Map<string, Histogram>, k: string): Histogram => {
    let h = m.get(k);
    if (h === undefined) m.set(k, (h = createHistogram()));
    return h;
  };
  for (const t of traces) {
    for (const s of t.spans) {
      recordMicros(hist(self, s.service), Math.max(0, s.selfUs));
      const parent = t.spans[s.parent];
      if (parent !== undefined && s.hopUs !== undefined) {
        recordMicros(hist(hop, `${parent.service}>${s.service}`), Math.max(0, s.hopUs));
      }
    }
  }
  const placementOf = (a: string, b: string): Placement =>
    input.nodeOfPod.get(a) === input.nodeOfPod.get(b) ? 'same-node' : 'cross-node';

  const services = g.services.map((s) => {
    const mine = results.filter((r) => serviceOfPod.get(r.pod) === s.name);
    const server = mergeHistograms(mine.map((r) => decodeHistogram(r.serverUs)));
    const selfH = self.get(s.name);
    return {
      service: s.name,
      pods: podsOf(s),
      nodes: [...new Set(podsOf(s).map((p) => input.nodeOfPod.get(p) ?? '?'))],
      requests: mine.reduce((a, r) => a + r.requests, 0),
      failed: mine.reduce((a, r) => a + r.failed, 0),
      serverUs: summarize(server),
      ...(selfH === undefined ? {} : { selfUs: summarize(selfH) }),
      histograms: {
        serverUs: encodeHistogram(server),
        ...(selfH === undefined ? {} : { selfUs: encodeHistogram(selfH) }),
      },
    };
  });

  const edges = g.services.flatMap((s) =>
    [...new Set(s.calls)].map((to) => {
      const tallies = results
        .filter((r) => serviceOfPod.get(r.pod) === s.name)
        .flatMap((r) => r.edges.filter((e) => e.to === to).map((e) => ({ fromPod: r.pod, ...e })));
      const pairs = tallies.map((t) => ({
        fromPod: t.fromPod,
        toPod: t.toPod,
        placement: placementOf(t.fromPod, t.toPod),
      }));
      const kinds = new Set(pairs.map((p) => p.placement));
      const errorKinds: Record<string, number> = {};
      for (const t of tallies) {
        for (const [k, n] of Object.entries(t.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + n;
      }
      const call = mergeHistograms(tallies.map((t) => decodeHistogram(t.callUs)));
      const hopH = hop.get(`${s.name}>${to}`);
      return {
        from: s.name,
        to,
        placement: kinds.size === 1 ? [...kinds][0]! : ('mixed' as const),
        pairs,
        calls: tallies.reduce((a, t) => a + t.calls, 0),
        errors: tallies.reduce((a, t) => a + t.errors, 0),
        timeouts: tallies.reduce((a, t) => a + t.timeouts, 0),
        errorKinds,
        callUs: summarize(call),
        ...(hopH === undefined ? {} : { hopUs: summarize(hopH) }),
        histograms: {
          callUs: encodeHistogram(call),
          ...(hopH === undefined ? {} : { hopUs: encodeHistogram(hopH) }),
        },
      };
    }),
  );

  return {
    name: g.name,
    entry: g.entry,
    depth: graphDepth(g),
    traceEvery: input.traceEvery,
    tracesJoined: traces.length,
    spansDropped: results.reduce((a, r) => a + r.spansDropped, 0),
    services,
    edges,
    traces: tracesByRank(traces, storedTraces).map((t: JoinedTrace) => ({
      trace: t.trace,
      totalUs: t.totalUs,
      spans: t.spans,
    })),
  };
}

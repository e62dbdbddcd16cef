/**
 * Analysis of the graph workload's trials (pure, results.json only): end-to-end latency with
 * intervals against the graph's depth, the time of one hop (network, proxies and the callee's
 * socket handling: a call's latency minus the callee's server time, from sampled traces) and what
 * a mesh adds per hop against the same trial without a mesh, proxy CPU per 1 000 end-to-end
 * requests, the critical path, and the traces a waterfall shows. `graphHopFigures` is what a cost
 * model reads: per trial and per edge, what one hop costs on that path.
 */
import { proxyCostOf } from './mesh-cost.js';
import type { GraphRecord, Results, TrialRecord } from '../results/schema.js';
import {
  compareEstimates,
  estimateLatency,
  estimateMean,
  type Difference,
  type Estimate,
  type EstimateWithSpread,
} from '../stats/estimate.js';
import { decodeHistogram, histogramBuckets, mergeHistograms } from '../stats/histogram.js';
import type { DimensionName } from '../spec/dimensions.js';

/** One edge of a graph trial, over its valid repetitions (merged histograms). */
export interface GraphEdgeFigures {
  from: string;
  to: string;
  placement: 'same-node' | 'cross-node' | 'mixed';
  calls: number;
  errors: number;
  timeouts: number;
  callUsP50: number;
  /** Median hop time on this edge (call minus the callee's server time), when traced. */
  hopUsP50: number | undefined;
}

/** What one graph trial measured, for reports and cost models. */
export interface GraphTrialFigures {
  trialId: string;
  graph: string;
  /** Services on the longest call path. */
  depth: number;
  mesh: string;
  datapath: string;
  placement: string;
  /** End-to-end latency at the client, from the intended send (p50, p90, p99). */
  e2eUs: { p50: Estimate; p90: Estimate; p99: Estimate } | undefined;
  /**
   * Median time of one hop between services: the mean over repetitions of each repetition's
   * median over every edge's traced calls, with its interval.
   */
  hopUsP50: EstimateWithSpread | undefined;
  /** CPU of every mesh proxy per 1 000 requests completed end to end, ms. */
  proxyCpuMsPer1kRequests: Estimate | undefined;
  edges: GraphEdgeFigures[];
  /** Repetitions the figures come from. */
  repetitions: number;
  /** No repetition was valid: the figures come from invalid ones (read with care). */
  fromInvalid: boolean;
}

/** What a mesh adds to one hop, against the same trial without a mesh. */
export interface HopOverhead {
  trialId: string;
  baselineTrialId: string;
  mesh: string;
  /** Added µs per hop (absolute difference of the hop medians) with its interval and verdict. */
  addedUs: Difference;
}

/** One bar of a waterfall: a service's server time or a call, placed on the entry's timeline. */
export interface WaterfallBar {
  label: string;
  depth: number;
  startUs: number;
  durationUs: number;
  kind: 'server' | 'call';
  critical: boolean;
}

export interface GraphWaterfall {
  trialId: string;
  which: 'typical' | 'p99';
  totalUs: number;
  bars: WaterfallBar[];
}

/** The critical path of a trial's stored traces: mean time per part and its share. */
export interface CriticalPathPart {
  label: string;
  meanUs: number;
  share: number;
}

export interface GraphAnalysis {
  trials: GraphTrialFigures[];
  overheads: HopOverhead[];
  criticalPaths: { trialId: string; parts: CriticalPathPart[] }[];
  waterfalls: GraphWaterfall[];
}

interface GraphRep {
  rep: TrialRecord['repetitions'][number];
  graph: GraphRecord;
}

/**
 * The valid repetitions with a graph record; when there is none, the invalid ones (as the summary
 * table does, flagged by `fromInvalid`), so a run on a starved machine still shows its shape.
 */
function graphReps(t: TrialRecord): { reps: GraphRep[]; fromInvalid: boolean } {
  const of = (status: string): GraphRep[] =>
    t.repetitions
      .filter((r) => r.status === status && r.graph !== undefined)
      .map((r) => ({ rep: r, graph: r.graph! }));
  const valid = of('ok');
  return valid.length > 0
    ? { reps: valid, fromInvalid: false }
    : { reps: of('invalid'), fromInvalid: true };
}

const validGraphReps = (t: TrialRecord): GraphRep[] => graphReps(t).reps;

const dim = (t: TrialRecord, name: DimensionName): string => {
  const v = t.dimensions[name];
  if (typeof v === 'string') return v;
  const named = v as { name?: unknown } | undefined;
  return typeof named?.name === 'string' ? named.name : JSON.stringify(v);
};

function e2eOf(reps: GraphRep[]): GraphTrialFigures['e2eUs'] {
  const buckets = reps
    .map((r) => r.rep.histograms?.latencyUs)
    .filter((h): h is string => h !== undefined)
    .map((h) => histogramBuckets(decodeHistogram(h)));
  const est = estimateLatency(buckets, [50, 90, 99]);
  if (est === undefined) return undefined;
  return {
    p50: est.percentiles.get(50)!,
    p90: est.percentiles.get(90)!,
    p99: est.percentiles.get(99)!,
  };
}

/** One repetition's median hop time over every traced edge, or undefined without traces. */
function repHopP50(g: GraphRecord): number | undefined {
  const hops = g.edges.map((e) => e.histograms.hopUs).filter((h): h is string => h !== undefined);
  if (hops.length === 0) return undefined;
  const merged = mergeHistograms(hops.map(decodeHistogram));
  return merged.totalCount === 0 ? undefined : merged.getValueAtPercentile(50);
}

function edgesOf(reps: GraphRep[]): GraphEdgeFigures[] {
  const first = reps[0]?.graph.edges ?? [];
  return first.map((edge) => {
    const all = reps.flatMap((r) =>
      r.graph.edges.filter((e) => e.from === edge.from && e.to === edge.to),
    );
    const hops = all.map((e) => e.histograms.hopUs).filter((h): h is string => h !== undefined);
    const sum = (k: 'calls' | 'errors' | 'timeouts'): number => all.reduce((a, e) => a + e[k], 0);
    return {
      from: edge.from,
      to: edge.to,
      placement: edge.placement,
      calls: sum('calls'),
      errors: sum('errors'),
      timeouts: sum('timeouts'),
      callUsP50: mergeHistograms(
        all.map((e) => decodeHistogram(e.histograms.callUs!)),
      ).getValueAtPercentile(50),
      hopUsP50:
        hops.length === 0
          ? undefined
          : mergeHistograms(hops.map(decodeHistogram)).getValueAtPercentile(50),
    };
  });
}

/** Per graph trial: end-to-end latency, hop time, proxy CPU and per-edge figures. */
export function graphHopFigures(results: Results): GraphTrialFigures[] {
  return results.trials
    .filter((t) => t.dimensions.workload === 'graph')
    .map((t) => {
      const { reps, fromInvalid } = graphReps(t);
      const hops = reps.map((r) => repHopP50(r.graph)).filter((v) => v !== undefined);
      const cpu = reps
        .map((r) => proxyCostOf(r.rep)?.cpuMsPer1kRequests)
        .filter((v) => v !== undefined);
      return {
        trialId: t.id,
        graph: reps[0]?.graph.name ?? dim(t, 'graph'),
        depth: reps[0]?.graph.depth ?? 0,
        mesh: dim(t, 'mesh'),
        datapath: dim(t, 'datapath'),
        placement: dim(t, 'placement'),
        e2eUs: e2eOf(reps),
        hopUsP50: estimateMean(hops, 'linear'),
        proxyCpuMsPer1kRequests: estimateMean(cpu, 'log'),
        edges: edgesOf(reps),
        repetitions: reps.length,
        fromInvalid,
      };
    });
}

/** The trial that differs from `t` only in having no mesh. */
function meshBaseline(t: TrialRecord, trials: readonly TrialRecord[]): TrialRecord | undefined {
  const key = (x: TrialRecord): string =>
    JSON.stringify(
      Object.entries(x.dimensions)
        .filter(([k]) => !['mesh', 'mtls', 'proxyConcurrency'].includes(k))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  return trials.find((b) => b.dimensions.mesh === 'none' && key(b) === key(t));
}

/** Per meshed graph trial: what the mesh adds to one hop, against its mesh-none twin. */
export function hopOverheads(
  results: Results,
  figures: readonly GraphTrialFigures[],
): HopOverhead[] {
  const byId = new Map(figures.map((f) => [f.trialId, f]));
  const graphTrials = results.trials.filter((t) => t.dimensions.workload === 'graph');
  return graphTrials.flatMap((t) => {
    if (t.dimensions.mesh === 'none') return [];
    const base = meshBaseline(t, graphTrials);
    const mine = byId.get(t.id)?.hopUsP50;
    const theirs = base === undefined ? undefined : byId.get(base.id)?.hopUsP50;
    if (base === undefined || mine === undefined || theirs === undefined) return [];
    return [
      {
        trialId: t.id,
        baselineTrialId: base.id,
        mesh: dim(t, 'mesh'),
        addedUs: compareEstimates(theirs, mine),
      },
    ];
  });
}

const spanLabel = (s: { service: string; pod: string }): string =>
  s.service === s.pod ? s.service : `${s.service} (${s.pod})`;

/** Mean time per critical-path part over a trial's stored traces. */
function criticalPathOf(reps: GraphRep[]): CriticalPathPart[] {
  const sums = new Map<string, number>();
  let total = 0;
  let n = 0;
  for (const { graph } of reps) {
    for (const trace of graph.traces) {
      n += 1;
      total += trace.totalUs;
      for (const s of trace.spans) {
        if (!s.critical) continue;
        const parent = trace.spans[s.parent];
        if (parent !== undefined && s.hopUs !== undefined) {
          const label = `hop ${parent.service} → ${s.service}`;
          sums.set(label, (sums.get(label) ?? 0) + s.hopUs);
        }
        sums.set(`in ${s.service}`, (sums.get(`in ${s.service}`) ?? 0) + s.selfUs);
      }
    }
  }
  if (n === 0) return [];
  return [...sums].map(([label, us]) => ({ label, meanUs: us / n, share: us / total }));
}

function waterfallOf(
  trialId: string,
  which: GraphWaterfall['which'],
  trace: GraphRecord['traces'][number],
): GraphWaterfall {
  const depthOf = (i: number): number => {
    let d = 0;
    for (let p = trace.spans[i]!.parent; p >= 0; p = trace.spans[p]!.parent) d += 1;
    return d;
  };
  const bars: WaterfallBar[] = [];
  trace.spans.forEach((s, i) => {
    const depth = depthOf(i);
    if (s.callUs !== undefined) {
      const parent = trace.spans[s.parent]!;
      bars.push({
        label: `call ${parent.service} → ${spanLabel(s)}`,
        depth,
        startUs: s.startUs,
        durationUs: s.callUs,
        kind: 'call',
        critical: s.critical,
      });
    }
    const serverStartUs = s.callUs === undefined ? 0 : s.startUs + (s.callUs - s.serverUs) / 2;
    bars.push({
      label: `in ${spanLabel(s)}`,
      depth,
      startUs: serverStartUs,
      durationUs: s.serverUs,
      kind: 'server',
      critical: s.critical,
    });
  });
  return { trialId, which, totalUs: trace.totalUs, bars };
}

/** The stored trace nearest the given quantile of the stored traces' totals. */
function traceAt(reps: GraphRep[], q: number): GraphRecord['traces'][number] | undefined {
  const traces = reps.flatMap((r) => r.graph.traces).sort((a, b) => a.totalUs - b.totalUs);
  return traces[Math.min(traces.length - 1, Math.floor(q * traces.length))];
}

export function analyzeGraphs(results: Results): GraphAnalysis | undefined {
  const trials = graphHopFigures(results);
  if (trials.length === 0) return undefined;
  const graphTrials = results.trials.filter((t) => t.dimensions.workload === 'graph');
  const waterfalls: GraphWaterfall[] = [];
  for (const t of graphTrials) {
    const reps = validGraphReps(t);
    if (reps[0]?.graph.name !== 'bookinfo') continue;
    const typical = traceAt(reps, 0.5);
    const slow = traceAt(reps, 0.99);
    if (typical !== undefined) waterfalls.push(waterfallOf(t.id, 'typical', typical));
    if (slow !== undefined) waterfalls.push(waterfallOf(t.id, 'p99', slow));
  }
  return {
    trials,
    overheads: hopOverheads(results, trials),
    criticalPaths: graphTrials.map((t) => ({
      trialId: t.id,
      parts: criticalPathOf(validGraphReps(t)),
    })),
    waterfalls,
  };
}

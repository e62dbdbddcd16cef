/**
 * results.json → Analysis: every figure a report shows, with its confidence interval, per trial;
 * variability across repetitions; overheads against the scenario's baselines; the run order; and
 * the thresholds. Pure (no I/O, no clock): the same results.json always gives the same analysis,
 * bootstrap included (its seed comes from the run's recorded seed).
 *
 * Only repetitions with status "ok" are analysed. Invalid ones (the load generator was the
 * bottleneck) and failed ones are counted and their reasons listed, never mixed into figures.
 */
import { relativeFigures } from './threshold.js';
import type { RepetitionRecord, Results, TrialRecord } from '../results/schema.js';
import { summarizeValues, type ValuesSummary } from '../stats/descriptive.js';
import {
  compareEstimates,
  estimateLatency,
  estimateMean,
  type Difference,
  type Estimate,
  type EstimateWithSpread,
} from '../stats/estimate.js';
import {
  decodeHistogram,
  histogramBuckets,
  mergeHistograms,
  type HistogramBuckets,
} from '../stats/histogram.js';
import { mannWhitneyU, welchTTest } from '../stats/tests.js';
import { matchBaselines } from './baseline.js';

/** Version of the analysis document (`netbench report --format json`). */
export const analysisSchemaVersion = 1;

/** Figures with an estimate; latency ones in µs, throughput bit/s, cpu/loss/errors %, memory bytes. */
export const figureKeys = [
  'p50',
  'p90',
  'p99',
  'p999',
  'mean',
  'rps',
  'throughput',
  'loss',
  'errors',
  'cpu',
  'memory',
] as const;
export type FigureKey = (typeof figureKeys)[number];

/** Figures compared against a baseline in overhead tables: those a threshold checks relatively. */
export const overheadFigures = relativeFigures;
export type OverheadFigure = (typeof overheadFigures)[number];

const latencyPercentiles = { p50: 50, p90: 90, p99: 99, p999: 99.9 } as const;

export interface AnalysisOptions {
  /** Confidence level of every interval. @default 0.95 */
  level?: number;
  /** Bootstrap resamples per figure. @default 2000 */
  iterations?: number;
}

export interface RepetitionFigures {
  index: number;
  order: number;
  status: RepetitionRecord['status'];
  requests: number | undefined;
  p50: number | undefined;
  p90: number | undefined;
  p99: number | undefined;
  mean: number | undefined;
  achievedRps: number | undefined;
  throughputBps: number | undefined;
  lossPercent: number | undefined;
  cpuPercent: number | undefined;
}

export interface ResourceAnalysis {
  scope: 'pod' | 'node';
  name: string;
  node: string | undefined;
  role: string;
  cpuPercent: Estimate;
  rssBytes: Estimate;
  peakRssBytes: number;
}

export interface TrialAnalysis {
  id: string;
  index: number;
  dimensions: Record<string, unknown>;
  repetitions: { total: number; ok: number; invalid: number; failed: number };
  mode: 'open-loop' | 'closed-loop' | undefined;
  requestedRps: number | null | undefined;
  /** Valid requests whose latency went into the merged histogram. */
  requests: number | undefined;
  figures: Partial<Record<FigureKey, Estimate>>;
  /** Where `loss` comes from: UDP datagrams, or failed HTTP requests. */
  lossSource: 'udp' | 'requests' | undefined;
  throughput:
    { protocol: 'tcp' | 'udp'; streams: number; retransmits: number | undefined } | undefined;
  udp: { targetBitsPerSecond: number; jitterUs: Estimate; rcvbufErrors: number } | undefined;
  resources: ResourceAnalysis[];
  /** Percentile plot of the merged latency histogram (percentile in %, value in µs). */
  distribution: { percentile: number; valueUs: number }[];
  perRepetition: RepetitionFigures[];
  /** Spread of per-repetition figures (run-to-run variability), when >= 2 valid repetitions. */
  variability: Partial<Record<'p50' | 'p99' | 'mean' | 'rps' | 'throughput', ValuesSummary>>;
  invalidReasons: string[];
  errors: { code: string; message: string }[];
}

export interface OverheadRow {
  trialId: string;
  baselineTrialId: string;
  /** Dimensions other than the baseline's in which the two trials also differ. */
  differsAlsoIn: string[];
  figures: Partial<Record<OverheadFigure, Difference>>;
  /**
   * P(a request of the trial is slower than a request of the baseline), from the Mann-Whitney U
   * of the merged histograms: a descriptive effect size (0.5 = no tendency), not a test.
   */
  probabilitySlower: number | undefined;
  /** Classic tests on the per-repetition p99 (log scale), for readers who want them. */
  p99Tests:
    | {
        welch: { t: number; df: number; pValue: number; cohensD: number | undefined } | undefined;
        mannWhitney: { u: number; pValue: number; method: 'exact' | 'asymptotic' } | undefined;
      }
    | undefined;
}

export interface OverheadTable {
  dimension: string;
  baselineValue: unknown;
  rows: OverheadRow[];
  /** Why a trial has no row (no baseline trial matched), for people. */
  notes: string[];
}

export interface Analysis {
  analysisSchemaVersion: typeof analysisSchemaVersion;
  runId: string;
  name: string;
  /** The scenario's description: the question the run answers. */
  question: string | undefined;
  status: Results['status'];
  startedAt: string;
  finishedAt: string | undefined;
  tool: Results['tool'];
  level: number;
  bootstrap: { iterations: number; seed: number };
  /** Seed of the randomised, interleaved repetition order, and the order itself. */
  order: {
    seed: number;
    runs: { position: number; trialId: string; repetition: number; status: string }[];
  };
  /** Dimensions whose value differs between trials. */
  varying: string[];
  trials: TrialAnalysis[];
  overheads: OverheadTable[];
  environment: Results['environment'];
  scenario: Results['scenario'];
  scenarioSource: string;
}

/** The analysis plus what comparisons need and reports do not show. */
export interface AnalyzedRun {
  analysis: Analysis;
  spreads: Map<string, Partial<Record<FigureKey, EstimateWithSpread>>>;
  buckets: Map<string, HistogramBuckets | undefined>;
}

function plain(e: EstimateWithSpread): Estimate {
  return { value: e.value, low: e.low, high: e.high, repetitions: e.repetitions, covers: e.covers };
}

/** Seeds differ per trial and per figure, and follow from the run's recorded seed. */
function seedFor(runSeed: number, trialIndex: number, salt: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 2654435761) + trialIndex * 7919 + salt * 104729) >>> 0;
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

function lossOf(r: RepetitionRecord): number | undefined {
  if (r.udp !== undefined) return r.udp.lossPercent;
  if (r.requests !== undefined && r.requests.sent > 0) {
    return ((r.requests.errors + r.requests.timeouts) / r.requests.sent) * 100;
  }
  return undefined;
}

function errorsOf(r: RepetitionRecord): number | undefined {
  if (r.requests === undefined || r.requests.sent === 0) return undefined;
  return ((r.requests.errors + r.requests.timeouts) / r.requests.sent) * 100;
}

function totalCpu(r: RepetitionRecord): number | undefined {
  if (r.resources === undefined || r.resources.length === 0) return undefined;
  return r.resources.reduce((a, x) => a + x.cpuPercent, 0);
}

function totalMemory(r: RepetitionRecord): number | undefined {
  if (r.resources === undefined || r.resources.length === 0) return undefined;
  return r.resources.reduce((a, x) => a + x.rssBytes, 0);
}

const distributionPoints = (() => {
  // 0 %, then tenths of a "nine" up to 99.999 %: even spacing on a log-tail axis.
  const out = [0];
  for (let k = 1; k <= 50; k++) out.push((1 - 10 ** (-k / 10)) * 100);
  return out;
})();

function analyzeTrial(
  t: TrialRecord,
  runSeed: number,
  options: Required<AnalysisOptions>,
): {
  trial: TrialAnalysis;
  spreads: Partial<Record<FigureKey, EstimateWithSpread>>;
  merged: HistogramBuckets | undefined;
} {
  const ok = t.repetitions.filter((r) => r.status === 'ok');
  const estimateOptions = (salt: number): { level: number; iterations: number; seed: number } => ({
    level: options.level,
    iterations: options.iterations,
    seed: seedFor(runSeed, t.index, salt),
  });
  const spreads: Partial<Record<FigureKey, EstimateWithSpread>> = {};
  const histograms = ok.map((r) =>
    r.histograms?.latencyUs === undefined ? undefined : decodeHistogram(r.histograms.latencyUs),
  );
  const withLatency = defined(histograms);
  const perRepBuckets = withLatency.map(histogramBuckets);
  let merged: HistogramBuckets | undefined;
  let distribution: TrialAnalysis['distribution'] = [];
  let requests: number | undefined;
  if (withLatency.length > 0) {
    const latency = estimateLatency(perRepBuckets, Object.values(latencyPercentiles), {
      ...estimateOptions(1),
    });
    if (latency !== undefined) {
      for (const [key, q] of Object.entries(latencyPercentiles)) {
        spreads[key as FigureKey] = latency.percentiles.get(q)!;
      }
      spreads.mean = latency.mean;
    }
    const mergedHistogram = mergeHistograms(withLatency);
    merged = histogramBuckets(mergedHistogram);
    requests = mergedHistogram.totalCount;
    const n = mergedHistogram.totalCount;
    distribution = distributionPoints
      .filter((q) => q === 0 || 1 - q / 100 >= 1 / n)
      .map((q) => ({ percentile: q, valueUs: mergedHistogram.getValueAtPercentile(q) }));
  }

  const perRepetition: RepetitionFigures[] = t.repetitions.map((r) => ({
    index: r.index,
    order: r.order,
    status: r.status,
    requests: r.latencyUs?.count,
    p50: r.latencyUs?.p50,
    p90: r.latencyUs?.p90,
    p99: r.latencyUs?.p99,
    mean: r.latencyUs?.mean,
    achievedRps: r.achievedRps,
    throughputBps: r.throughput?.bitsPerSecond,
    lossPercent: lossOf(r),
    cpuPercent: totalCpu(r),
  }));

  const scalar = (
    key: FigureKey,
    values: (number | undefined)[],
    scale: 'log' | 'linear',
    salt: number,
  ): void => {
    const v = defined(values);
    if (v.length === 0) return;
    const e = estimateMean(v, scale, estimateOptions(salt));
    if (e !== undefined) spreads[key] = e;
  };
  scalar(
    'rps',
    ok.map((r) => r.achievedRps),
    'log',
    2,
  );
  scalar(
    'throughput',
    ok.map((r) => r.throughput?.bitsPerSecond),
    'log',
    3,
  );
  scalar('loss', ok.map(lossOf), 'linear', 4);
  scalar('errors', ok.map(errorsOf), 'linear', 5);
  scalar('cpu', ok.map(totalCpu), 'log', 6);
  scalar('memory', ok.map(totalMemory), 'log', 7);

  const variability: TrialAnalysis['variability'] = {};
  if (ok.length >= 2) {
    const put = (key: keyof TrialAnalysis['variability'], values: (number | undefined)[]): void => {
      const v = defined(values);
      if (v.length >= 2) variability[key] = summarizeValues(v);
    };
    put(
      'p50',
      ok.map((r) => r.latencyUs?.p50),
    );
    put(
      'p99',
      ok.map((r) => r.latencyUs?.p99),
    );
    put(
      'mean',
      ok.map((r) => r.latencyUs?.mean),
    );
    put(
      'rps',
      ok.map((r) => r.achievedRps),
    );
    put(
      'throughput',
      ok.map((r) => r.throughput?.bitsPerSecond),
    );
  }

  // Resources per pod/daemon: the same (scope, name, role) across repetitions.
  const groups = new Map<string, NonNullable<RepetitionRecord['resources']>>();
  for (const r of ok) {
    for (const x of r.resources ?? []) {
      const key = `${x.scope}\u0000${x.name}\u0000${x.role}`;
      groups.set(key, [...(groups.get(key) ?? []), x]);
    }
  }
  const resources: ResourceAnalysis[] = [...groups.values()].map((xs, i) => {
    const first = xs[0]!;
    const cpu = estimateMean(
      xs.map((x) => x.cpuPercent),
      'log',
      estimateOptions(100 + i),
    )!;
    const rss = estimateMean(
      xs.map((x) => x.rssBytes),
      'log',
      estimateOptions(200 + i),
    )!;
    return {
      scope: first.scope,
      name: first.name,
      node: first.node,
      role: first.role,
      cpuPercent: plain(cpu),
      rssBytes: plain(rss),
      peakRssBytes: Math.max(...xs.map((x) => x.peakRssBytes)),
    };
  });

  const firstThroughput = ok.find((r) => r.throughput !== undefined)?.throughput;
  const udpReps = ok.filter((r) => r.udp !== undefined);
  const jitter =
    udpReps.length > 0
      ? estimateMean(
          udpReps.map((r) => r.udp!.jitterUs),
          'log',
          estimateOptions(8),
        )
      : undefined;
  const retransmits = defined(ok.map((r) => r.throughput?.retransmits));

  const figures: Partial<Record<FigureKey, Estimate>> = {};
  for (const [k, e] of Object.entries(spreads)) figures[k as FigureKey] = plain(e);
  const first = t.repetitions.find((r) => r.mode !== undefined);
  return {
    trial: {
      id: t.id,
      index: t.index,
      dimensions: t.dimensions,
      repetitions: {
        total: t.repetitions.length,
        ok: ok.length,
        invalid: t.repetitions.filter((r) => r.status === 'invalid').length,
        failed: t.repetitions.filter((r) => r.status === 'failed').length,
      },
      mode: first?.mode,
      requestedRps: first?.requestedRps,
      requests,
      figures,
      lossSource: ok.some((r) => r.udp !== undefined)
        ? 'udp'
        : ok.some((r) => r.requests !== undefined)
          ? 'requests'
          : undefined,
      throughput:
        firstThroughput === undefined
          ? undefined
          : {
              protocol: firstThroughput.protocol,
              streams: firstThroughput.streams,
              retransmits:
                retransmits.length === 0
                  ? undefined
                  : retransmits.reduce((a, b) => a + b, 0) / retransmits.length,
            },
      udp:
        udpReps.length === 0 || jitter === undefined
          ? undefined
          : {
              targetBitsPerSecond: udpReps[0]!.udp!.targetBitsPerSecond,
              jitterUs: plain(jitter),
              rcvbufErrors: udpReps.reduce((a, r) => a + r.udp!.rcvbufErrors, 0),
            },
      resources,
      distribution,
      perRepetition,
      variability,
      invalidReasons: [
        ...new Set(
          t.repetitions.filter((r) => r.status === 'invalid').flatMap((r) => r.invalidReasons),
        ),
      ],
      errors: t.repetitions.flatMap((r) => (r.error === undefined ? [] : [r.error])),
    },
    spreads,
    merged,
  };
}

/** Compares one trial with another on every figure both have. */
export function compareTrials(
  baseline: Partial<Record<FigureKey, EstimateWithSpread>>,
  candidate: Partial<Record<FigureKey, EstimateWithSpread>>,
  figures: readonly FigureKey[],
  level: number,
): Partial<Record<FigureKey, Difference>> {
  const out: Partial<Record<FigureKey, Difference>> = {};
  for (const f of figures) {
    const a = baseline[f];
    const b = candidate[f];
    if (a !== undefined && b !== undefined && (a.scale === 'linear' || a.value !== 0)) {
      out[f] = compareEstimates(a, b, { level });
    }
  }
  return out;
}

/** Mann-Whitney effect size on requests and classic tests on per-repetition p99s. */
export function effectDetails(
  baseline: { merged: HistogramBuckets | undefined; p99s: number[] },
  candidate: { merged: HistogramBuckets | undefined; p99s: number[] },
): Pick<OverheadRow, 'probabilitySlower' | 'p99Tests'> {
  const requests =
    baseline.merged !== undefined && candidate.merged !== undefined
      ? mannWhitneyU(
          { values: candidate.merged.valuesUs, counts: candidate.merged.counts },
          { values: baseline.merged.valuesUs, counts: baseline.merged.counts },
        )
      : undefined;
  const logA = baseline.p99s.filter((v) => v > 0).map(Math.log);
  const logB = candidate.p99s.filter((v) => v > 0).map(Math.log);
  const welch = welchTTest(logA, logB);
  const mw = logA.length > 0 && logB.length > 0 ? mannWhitneyU(logB, logA) : undefined;
  return {
    probabilitySlower: requests?.probabilityOfSuperiority,
    p99Tests:
      welch === undefined && mw === undefined
        ? undefined
        : {
            welch:
              welch === undefined
                ? undefined
                : { t: welch.t, df: welch.df, pValue: welch.pValue, cohensD: welch.cohensD },
            mannWhitney:
              mw === undefined ? undefined : { u: mw.u, pValue: mw.pValue, method: mw.method },
          },
  };
}

function okP99s(t: TrialAnalysis): number[] {
  return defined(t.perRepetition.filter((r) => r.status === 'ok').map((r) => r.p99));
}

export function analyzeResults(results: Results, options: AnalysisOptions = {}): AnalyzedRun {
  const resolved: Required<AnalysisOptions> = {
    level: options.level ?? 0.95,
    iterations: options.iterations ?? 2000,
  };
  const spreads = new Map<string, Partial<Record<FigureKey, EstimateWithSpread>>>();
  const buckets = new Map<string, HistogramBuckets | undefined>();
  const trials = results.trials.map((t) => {
    const a = analyzeTrial(t, results.seed, resolved);
    spreads.set(t.id, a.spreads);
    buckets.set(t.id, a.merged);
    return a.trial;
  });
  const byId = new Map(trials.map((t) => [t.id, t]));

  const baseline = (results.scenario as { baseline?: Record<string, unknown> }).baseline;
  const overheads: OverheadTable[] = matchBaselines(trials, baseline ?? {}).map((m) => ({
    dimension: m.dimension,
    baselineValue: m.value,
    notes: m.notes,
    rows: m.pairs.map((p) => {
      const base = byId.get(p.baselineId)!;
      const cand = byId.get(p.trialId)!;
      return {
        trialId: p.trialId,
        baselineTrialId: p.baselineId,
        differsAlsoIn: p.differsAlsoIn,
        figures: compareTrials(
          spreads.get(p.baselineId)!,
          spreads.get(p.trialId)!,
          overheadFigures,
          resolved.level,
        ),
        ...effectDetails(
          { merged: buckets.get(p.baselineId), p99s: okP99s(base) },
          { merged: buckets.get(p.trialId), p99s: okP99s(cand) },
        ),
      };
    }),
  }));

  const runs = results.trials
    .flatMap((t) =>
      t.repetitions.map((r) => ({
        position: r.order,
        trialId: t.id,
        repetition: r.index,
        status: r.status,
      })),
    )
    .sort((a, b) => a.position - b.position);

  const varying = Object.keys(results.trials[0]?.dimensions ?? {}).filter(
    (k) => new Set(results.trials.map((t) => JSON.stringify(t.dimensions[k]))).size > 1,
  );

  const scenario = results.scenario as { name?: unknown; description?: unknown };
  return {
    analysis: {
      analysisSchemaVersion,
      runId: results.runId,
      name: typeof scenario.name === 'string' ? scenario.name : results.runId,
      question: typeof scenario.description === 'string' ? scenario.description : undefined,
      status: results.status,
      startedAt: results.startedAt,
      finishedAt: results.finishedAt,
      tool: results.tool,
      level: resolved.level,
      bootstrap: { iterations: resolved.iterations, seed: results.seed },
      order: { seed: results.seed, runs },
      varying,
      trials,
      overheads,
      environment: results.environment,
      scenario: results.scenario,
      scenarioSource: results.scenarioSource,
    },
    spreads,
    buckets,
  };
}

/**
 * results.json → Analysis: every figure a report shows, with its confidence interval, per trial;
 * variability across repetitions; overheads against the scenario's baselines; the run order; and
 * the thresholds. Pure (no I/O, no clock): the same results.json always gives the same analysis,
 * bootstrap included (its seed comes from the run's recorded seed).
 *
 * Only repetitions with status "ok" are analysed. Invalid ones (the load generator was the
 * bottleneck) and failed ones are counted and their reasons listed, never mixed into figures.
 */
import type { RepetitionRecord, Results, TrialRecord } from '../results/schema.js';
import { dimensionNames, type DimensionName, type TrialDimensions } from '../spec/dimensions.js';
import { relativeFigures, type FigureKey, type RelativeFigure } from '../spec/figures.js';
import { repetitionFigure, repetitionFigures } from '../results/repetition-figures.js';
import { bootstrapSeed, bootstrapStreams, figureEstimation } from './figures.js';
import { summarizeValues, type ValuesSummary } from '../stats/descriptive.js';
import {
  compareEstimates,
  estimateLatency,
  estimateQuantity,
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
import { analyzeFloors, type FloorAnalysis } from './floors.js';
import { roundComparison, withNeeded } from './paired-rows.js';
import { defaultPrecision } from '../stats/precision.js';
import {
  cpuQuantity,
  percentQuantity,
  positiveQuantity,
  type Quantity,
} from '../stats/quantity.js';

/** Version of the analysis document (`netbench report --format json`). */
export const analysisSchemaVersion = 1;

export { figureKeys, type FigureKey } from '../spec/figures.js';

/** Figures compared against a baseline in overhead tables: those a threshold checks relatively. */
export const overheadFigures = relativeFigures;
export type OverheadFigure = RelativeFigure;

export interface AnalysisOptions {
  /** Confidence level of every interval. @default 0.95 */
  level?: number;
  /** Bootstrap resamples per figure. @default 2000 */
  iterations?: number;
  /**
   * Relative precision that "not enough repetitions" hints are given for (0.05 = ±5 %).
   * @default the scenario's `precision`, else 10 %
   */
  precision?: number;
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
  dimensions: TrialDimensions;
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
  varying: DimensionName[];
  trials: TrialAnalysis[];
  overheads: OverheadTable[];
  /** The instrument's floor per engine setting (empty for runs without floors). */
  floors: FloorAnalysis[];
  /** How `repetitions: auto` ended, when the scenario asked for it. */
  adaptive: Results['adaptive'];
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
  return {
    value: e.value,
    low: e.low,
    high: e.high,
    repetitions: e.repetitions,
    covers: e.covers,
    ...(e.needed === undefined ? {} : { needed: e.needed }),
  };
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

type Spreads = Partial<Record<FigureKey, EstimateWithSpread>>;

/** How one trial's bootstraps are drawn: level, resamples and the seed of each stream. */
interface BootstrapPlan {
  level: number;
  iterations: number;
  seed(stream: number): number;
  /** CPUs of the machine: the upper end of a CPU share is 100 % × cores. */
  cores: number;
  /** Relative precision of "not enough repetitions" hints (0.05 = ±5 %). */
  precision: number;
}

/** The range a figure's values lie in, so that no interval leaves it (stats/quantity.ts). */
function quantityOf(range: 'positive' | 'percent' | 'cpu', cores: number): Quantity {
  return range === 'cpu'
    ? cpuQuantity(cores)
    : range === 'percent'
      ? percentQuantity
      : positiveQuantity;
}

const distributionPoints = (() => {
  // 0 %, then tenths of a "nine" up to 99.999 %: even spacing on a log-tail axis.
  const out = [0];
  for (let k = 1; k <= 50; k++) out.push((1 - 10 ** (-k / 10)) * 100);
  return out;
})();

const latencyPercentiles = Object.entries(figureEstimation).flatMap(([key, e]) =>
  e.kind === 'latency-percentile' ? [{ key: key as FigureKey, percentile: e.percentile }] : [],
);

/**
 * Latency from the valid repetitions' histograms: percentiles and mean with intervals that
 * resample repetitions, the merged histogram (for effect sizes) and its percentile plot.
 */
function latencyEstimates(
  ok: readonly RepetitionRecord[],
  plan: BootstrapPlan,
): {
  spreads: Spreads;
  merged: HistogramBuckets | undefined;
  requests: number | undefined;
  distribution: TrialAnalysis['distribution'];
} {
  const histograms = defined(
    ok.map((r) =>
      r.histograms?.latencyUs === undefined ? undefined : decodeHistogram(r.histograms.latencyUs),
    ),
  );
  if (histograms.length === 0) {
    return { spreads: {}, merged: undefined, requests: undefined, distribution: [] };
  }
  const spreads: Spreads = {};
  const latency = estimateLatency(
    histograms.map(histogramBuckets),
    latencyPercentiles.map((p) => p.percentile),
    { level: plan.level, iterations: plan.iterations, seed: plan.seed(bootstrapStreams.latency) },
  );
  if (latency !== undefined) {
    for (const { key, percentile } of latencyPercentiles) {
      spreads[key] = withNeeded(latency.percentiles.get(percentile)!, plan);
    }
    spreads.mean = withNeeded(latency.mean, plan);
  }
  const merged = mergeHistograms(histograms);
  const n = merged.totalCount;
  return {
    spreads,
    merged: histogramBuckets(merged),
    requests: n,
    distribution: distributionPoints
      .filter((q) => q === 0 || 1 - q / 100 >= 1 / n)
      .map((q) => ({ percentile: q, valueUs: merged.getValueAtPercentile(q) })),
  };
}

/** Figures estimated as a mean over repetitions (rates, throughput, loss, CPU, memory). */
function repetitionMeanEstimates(ok: readonly RepetitionRecord[], plan: BootstrapPlan): Spreads {
  const spreads: Spreads = {};
  for (const [key, e] of Object.entries(figureEstimation) as [
    FigureKey,
    (typeof figureEstimation)[FigureKey],
  ][]) {
    if (e.kind !== 'repetition-mean') continue;
    const values = defined(ok.map(repetitionFigure[key]));
    if (values.length === 0) continue;
    const estimate = estimateQuantity(values, quantityOf(e.range, plan.cores), e.scale, {
      level: plan.level,
      iterations: plan.iterations,
      seed: plan.seed(e.stream),
    });
    if (estimate !== undefined) spreads[key] = estimate;
  }
  return spreads;
}

const variabilityFigures = ['p50', 'p99', 'mean', 'rps', 'throughput'] as const;

/** Spread of per-repetition figures (run-to-run variability), when >= 2 valid repetitions. */
function variabilityOf(ok: readonly RepetitionRecord[]): TrialAnalysis['variability'] {
  const variability: TrialAnalysis['variability'] = {};
  if (ok.length < 2) return variability;
  for (const key of variabilityFigures) {
    const values = defined(ok.map(repetitionFigure[key]));
    if (values.length >= 2) variability[key] = summarizeValues(values);
  }
  return variability;
}

/** CPU and memory per pod or daemon: the same (scope, name, role) across repetitions. */
function resourceEstimates(
  ok: readonly RepetitionRecord[],
  plan: BootstrapPlan,
): ResourceAnalysis[] {
  const groups = new Map<string, NonNullable<RepetitionRecord['resources']>>();
  for (const r of ok) {
    for (const x of r.resources ?? []) {
      const key = `${x.scope}\u0000${x.name}\u0000${x.role}`;
      groups.set(key, [...(groups.get(key) ?? []), x]);
    }
  }
  const options = (stream: number) => ({
    level: plan.level,
    iterations: plan.iterations,
    seed: plan.seed(stream),
  });
  return [...groups.values()].map((xs, i) => {
    const first = xs[0]!;
    const cpu = estimateQuantity(
      xs.map((x) => x.cpuPercent),
      cpuQuantity(plan.cores),
      'log',
      options(bootstrapStreams.resourceCpuBase + i),
    )!;
    const rss = estimateQuantity(
      xs.map((x) => x.rssBytes),
      positiveQuantity,
      'log',
      options(bootstrapStreams.resourceMemoryBase + i),
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
}

/** Protocol, streams and mean retransmits of a stream workload. */
function throughputSummary(ok: readonly RepetitionRecord[]): TrialAnalysis['throughput'] {
  const first = ok.find((r) => r.throughput !== undefined)?.throughput;
  if (first === undefined) return undefined;
  const retransmits = defined(ok.map((r) => r.throughput?.retransmits));
  return {
    protocol: first.protocol,
    streams: first.streams,
    retransmits:
      retransmits.length === 0
        ? undefined
        : retransmits.reduce((a, b) => a + b, 0) / retransmits.length,
  };
}

/** Paced UDP: the target, jitter with its interval, and receive-buffer overflows. */
function udpSummary(ok: readonly RepetitionRecord[], plan: BootstrapPlan): TrialAnalysis['udp'] {
  const udp = defined(ok.map((r) => r.udp));
  if (udp.length === 0) return undefined;
  const jitter = estimateQuantity(
    udp.map((u) => u.jitterUs),
    positiveQuantity,
    'log',
    { level: plan.level, iterations: plan.iterations, seed: plan.seed(bootstrapStreams.udpJitter) },
  );
  if (jitter === undefined) return undefined;
  return {
    targetBitsPerSecond: udp[0]!.targetBitsPerSecond,
    jitterUs: plain(jitter),
    rcvbufErrors: udp.reduce((a, u) => a + u.rcvbufErrors, 0),
  };
}

function perRepetitionFigures(t: TrialRecord): RepetitionFigures[] {
  return t.repetitions.map((r) => {
    const f = repetitionFigures(r);
    return {
      index: r.index,
      order: r.order,
      status: r.status,
      requests: r.latencyUs?.count,
      p50: f.p50,
      p90: f.p90,
      p99: f.p99,
      mean: f.mean,
      achievedRps: f.rps,
      throughputBps: f.throughput,
      lossPercent: f.loss,
      cpuPercent: f.cpu,
    };
  });
}

function analyzeTrial(
  t: TrialRecord,
  run: { seed: number; cores: number },
  options: Required<AnalysisOptions>,
): { trial: TrialAnalysis; spreads: Spreads; merged: HistogramBuckets | undefined } {
  const ok = t.repetitions.filter((r) => r.status === 'ok');
  const plan: BootstrapPlan = {
    level: options.level,
    iterations: options.iterations,
    seed: (stream) => bootstrapSeed(run.seed, t.index, stream),
    cores: run.cores,
    precision: options.precision,
  };
  const latency = latencyEstimates(ok, plan);
  const spreads: Spreads = { ...latency.spreads, ...repetitionMeanEstimates(ok, plan) };
  const figures: Partial<Record<FigureKey, Estimate>> = {};
  for (const [k, e] of Object.entries(spreads)) figures[k as FigureKey] = plain(e);
  const first = t.repetitions.find((r) => r.mode !== undefined);
  const countOf = (status: RepetitionRecord['status']): number =>
    t.repetitions.filter((r) => r.status === status).length;
  return {
    trial: {
      id: t.id,
      index: t.index,
      dimensions: t.dimensions,
      repetitions: {
        total: t.repetitions.length,
        ok: ok.length,
        invalid: countOf('invalid'),
        failed: countOf('failed'),
      },
      mode: first?.mode,
      requestedRps: first?.requestedRps,
      requests: latency.requests,
      figures,
      lossSource: ok.some((r) => r.udp !== undefined)
        ? 'udp'
        : ok.some((r) => r.requests !== undefined)
          ? 'requests'
          : undefined,
      throughput: throughputSummary(ok),
      udp: udpSummary(ok, plan),
      resources: resourceEstimates(ok, plan),
      distribution: latency.distribution,
      perRepetition: perRepetitionFigures(t),
      variability: variabilityOf(ok),
      invalidReasons: [
        ...new Set(
          t.repetitions.filter((r) => r.status === 'invalid').flatMap((r) => r.invalidReasons),
        ),
      ],
      errors: t.repetitions.flatMap((r) => (r.error === undefined ? [] : [r.error])),
    },
    spreads,
    merged: latency.merged,
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

/** Floors draw their bootstraps as if they were trials numbered from here on. */
const floorSeedBase = 10_000;

function okP99s(t: TrialAnalysis): number[] {
  return defined(t.perRepetition.filter((r) => r.status === 'ok').map((r) => r.p99));
}

export function analyzeResults(results: Results, options: AnalysisOptions = {}): AnalyzedRun {
  const resolved: Required<AnalysisOptions> = {
    level: options.level ?? 0.95,
    iterations: options.iterations ?? 2000,
    precision:
      options.precision ??
      (results.scenario.precision === undefined
        ? defaultPrecision
        : results.scenario.precision / 100),
  };
  const spreads = new Map<string, Partial<Record<FigureKey, EstimateWithSpread>>>();
  const buckets = new Map<string, HistogramBuckets | undefined>();
  const trials = results.trials.map((t) => {
    const a = analyzeTrial(
      t,
      { seed: results.seed, cores: results.environment.cpuCount },
      resolved,
    );
    spreads.set(t.id, a.spreads);
    buckets.set(t.id, a.merged);
    return a.trial;
  });
  const byId = new Map(trials.map((t) => [t.id, t]));
  const recordOf = new Map(results.trials.map((t) => [t.id, t]));
  const compareRows = (baselineId: string, trialId: string): OverheadRow['figures'] => {
    const unpaired = compareTrials(
      spreads.get(baselineId)!,
      spreads.get(trialId)!,
      overheadFigures,
      resolved.level,
    );
    const out: OverheadRow['figures'] = {};
    for (const f of overheadFigures) {
      const e = figureEstimation[f];
      const d = roundComparison(
        recordOf.get(baselineId)!,
        recordOf.get(trialId)!,
        f,
        e.kind === 'repetition-mean' ? e.scale : 'log',
        unpaired[f],
        resolved,
      );
      if (d !== undefined) out[f] = d;
    }
    return out;
  };

  const baseline = results.scenario.baseline;
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
        figures: compareRows(p.baselineId, p.trialId),
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

  const varying = dimensionNames.filter(
    (k) => new Set(results.trials.map((t) => JSON.stringify(t.dimensions[k]))).size > 1,
  );

  const scenario = results.scenario;
  return {
    analysis: {
      analysisSchemaVersion,
      runId: results.runId,
      name: scenario.name,
      question: scenario.description,
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
      floors: analyzeFloors(results, {
        level: resolved.level,
        iterations: resolved.iterations,
        seed: (i) => bootstrapSeed(results.seed, floorSeedBase + i, bootstrapStreams.latency),
      }),
      adaptive: results.adaptive,
      environment: results.environment,
      scenario: results.scenario,
      scenarioSource: results.scenarioSource,
    },
    spreads,
    buckets,
  };
}

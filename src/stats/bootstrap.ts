/**
 * Two-level (hierarchical) bootstrap of a trial's latency: percentiles and the mean of the merged
 * histogram of its repetitions. Each iteration
 *   1. resamples the repetitions with replacement (the run-to-run level: machine, deployment,
 *      neighbours), then
 *   2. resamples the requests inside each chosen repetition with replacement (the sampling level),
 * merges, and takes the percentile, exactly as the point estimate is taken from the real merge.
 * Why both levels, and what the interval does and does not cover: docs/statistics.md.
 *
 * Step 2 is not done request by request (10⁵ requests × 10³ iterations is too slow). For a sample
 * of n draws from a distribution G, the k-th smallest is G⁻¹(U₍ₖ₎) with U₍ₖ₎ ~ Beta(k, n − k + 1)
 * (the order statistic of uniforms), so one beta variate and a binary search over the buckets give
 * the resampled percentile exactly. The resampled requests are drawn from the mixture of the
 * chosen repetitions (weights ∝ their request counts) rather than in fixed per-repetition
 * numbers; the difference is of order 1/n and negligible next to either level. The resampled mean
 * uses the central limit theorem, mean* ~ N(μ_G, σ²_G / n), accurate at the request counts a
 * measured window has (hundreds or more).
 */
import type { Interval } from './descriptive.js';
import { percentileRank, type HistogramBuckets } from './histogram.js';
import { createRandom, randomBeta, randomInt, randomNormal, type Random } from './random.js';

/** Which levels a bootstrap resamples. */
export type BootstrapLevels = 'repetitions' | 'requests' | 'repetitions-and-requests';

export interface BootstrapOptions {
  /** Percentiles to resample, e.g. [50, 90, 99]. */
  percentiles: readonly number[];
  /** Resamples. @default 2000 */
  iterations?: number;
  /** Seed of the resamples; the same seed and data give the same draws. @default 1 */
  seed?: number;
  /**
   * What to resample. With one repetition there is nothing to resample at the repetition level
   * and requests are resampled whatever this says. @default 'repetitions'
   */
  levels?: BootstrapLevels;
}

/** Point estimates and bootstrap draws of one trial's latency. */
export interface LatencyBootstrap {
  levels: BootstrapLevels;
  repetitions: number;
  requests: number;
  /** Percentile → value of the full merge (equals HdrHistogram's merged percentile), µs. */
  estimates: Map<number, number>;
  meanUs: number;
  /** Percentile → resampled values, µs. */
  draws: Map<number, Float64Array>;
  meanDraws: Float64Array;
}

interface Prepared {
  values: Float64Array;
  /** Per repetition: cumulative count at or below values[j]. */
  cumulative: Float64Array[];
  totals: number[];
  sums: number[];
  sumsOfSquares: number[];
}

function prepare(repetitions: readonly HistogramBuckets[]): Prepared {
  const all = new Set<number>();
  for (const r of repetitions) for (const v of r.valuesUs) all.add(v);
  const values = Float64Array.from([...all].sort((a, b) => a - b));
  const index = new Map<number, number>();
  values.forEach((v, i) => index.set(v, i));
  const cumulative: Float64Array[] = [];
  const totals: number[] = [];
  const sums: number[] = [];
  const sumsOfSquares: number[] = [];
  for (const r of repetitions) {
    const cum = new Float64Array(values.length);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < r.valuesUs.length; i++) {
      const c = r.counts[i]!;
      const j = index.get(r.valuesUs[i]!)!;
      cum[j] = cum[j]! + c;
      sum += c * r.middlesUs[i]!;
      sumSq += c * r.middlesUs[i]! ** 2;
    }
    for (let j = 1; j < cum.length; j++) cum[j] = cum[j]! + cum[j - 1]!;
    cumulative.push(cum);
    totals.push(r.totalCount);
    sums.push(sum);
    sumsOfSquares.push(sumSq);
  }
  return { values, cumulative, totals, sums, sumsOfSquares };
}

/** Smallest bucket index whose weighted cumulative count reaches `target`. */
function search(p: Prepared, weights: readonly number[], target: number): number {
  let lo = 0;
  let hi = p.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let c = 0;
    for (let r = 0; r < weights.length; r++) {
      const w = weights[r]!;
      if (w !== 0) c += w * p.cumulative[r]![mid]!;
    }
    if (c >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function mixtureTotals(p: Prepared, weights: readonly number[]): { n: number; mean: number } {
  let n = 0;
  let sum = 0;
  for (let r = 0; r < weights.length; r++) {
    n += weights[r]! * p.totals[r]!;
    sum += weights[r]! * p.sums[r]!;
  }
  return { n, mean: sum / n };
}

function mixtureVariance(p: Prepared, weights: readonly number[], n: number, m: number): number {
  let sumSq = 0;
  for (let r = 0; r < weights.length; r++) sumSq += weights[r]! * p.sumsOfSquares[r]!;
  return Math.max(0, sumSq / n - m * m);
}

/**
 * Bootstraps the merged latency distribution of a trial's repetitions (each given as histogram
 * buckets). Repetitions with no requests are ignored; with none left, returns undefined.
 */
export function bootstrapLatency(
  repetitionBuckets: readonly HistogramBuckets[],
  options: BootstrapOptions,
): LatencyBootstrap | undefined {
  const reps = repetitionBuckets.filter((r) => r.totalCount > 0);
  if (reps.length === 0) return undefined;
  const p = prepare(reps);
  const iterations = options.iterations ?? 2000;
  const random: Random = createRandom(options.seed ?? 1);
  const R = reps.length;
  const wanted = options.levels ?? 'repetitions';
  const levels: BootstrapLevels = R === 1 ? 'requests' : wanted;
  const resampleReps = levels !== 'requests';
  const resampleRequests = levels !== 'repetitions';

  const ones = new Array<number>(R).fill(1);
  const full = mixtureTotals(p, ones);
  const estimates = new Map<number, number>();
  for (const q of options.percentiles) {
    estimates.set(q, p.values[search(p, ones, percentileRank(q, full.n))]!);
  }

  const draws = new Map<number, Float64Array>();
  for (const q of options.percentiles) draws.set(q, new Float64Array(iterations));
  const meanDraws = new Float64Array(iterations);
  const weights = new Array<number>(R).fill(1);
  for (let b = 0; b < iterations; b++) {
    if (resampleReps) {
      weights.fill(0);
      for (let i = 0; i < R; i++) weights[randomInt(random, R)]! += 1;
    }
    const { n, mean } = mixtureTotals(p, weights);
    for (const q of options.percentiles) {
      const k = percentileRank(q, n);
      // U₍ₖ₎ of n uniforms; when k = n the beta's second shape is 1, still valid.
      const target = resampleRequests ? randomBeta(random, k, n - k + 1) * n : k;
      draws.get(q)![b] = p.values[search(p, weights, target)]!;
    }
    meanDraws[b] = resampleRequests
      ? mean + randomNormal(random) * Math.sqrt(mixtureVariance(p, weights, n, mean) / n)
      : mean;
  }
  return {
    levels,
    repetitions: R,
    requests: full.n,
    estimates,
    meanUs: full.mean,
    draws,
    meanDraws,
  };
}

/** The (1−level)/2 and (1+level)/2 quantiles of bootstrap draws: the percentile interval. */
export function percentileInterval(draws: Float64Array, level = 0.95): Interval {
  const sorted = Float64Array.from(draws).sort();
  const at = (q: number): number => {
    // Linear interpolation between order statistics (type 7), the common default.
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  };
  return { low: at((1 - level) / 2), high: at((1 + level) / 2), level };
}

/** Element-wise candidate / baseline − 1 of paired-by-index independent draws. */
export function relativeDifferenceDraws(
  candidate: Float64Array,
  baseline: Float64Array,
): Float64Array {
  const n = Math.min(candidate.length, baseline.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = candidate[i]! / baseline[i]! - 1;
  return out;
}

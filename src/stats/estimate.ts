/**
 * Estimates with confidence intervals, and differences between two of them with a verdict. This
 * is where netbench decides what its intervals cover; the reasoning and the simulation behind it
 * are in docs/statistics.md. In short:
 *
 * - Two or more valid repetitions: a bootstrap over repetitions. Each resample draws R
 *   repetitions with replacement and recomputes the figure exactly as the point estimate is
 *   computed (percentiles of the merged histogram, means of per-repetition values). The spread
 *   of the resamples, corrected by R/(R−1) (resampling R clusters underestimates variance by
 *   (R−1)/R) gives a standard error on the log scale, and the interval uses Student's t with R−1
 *   degrees of freedom: with three repetitions that is 4.30 standard errors, not 1.96. Measured
 *   by simulation (scripts/stats-calibration.mjs): 93-98 % coverage and 2-8 % false
 *   "significant" at a nominal 95 %/5 %, for 2 to 10 repetitions and run-to-run noise from 0
 *   to 15 %. Resampling requests as well (two-level) or only requests was measured too and
 *   rejected: both call identical configurations different far too often once runs differ
 *   (up to 20 % and 62 %).
 * - One repetition: nothing is known about run-to-run variation. The interval then resamples
 *   requests only and says so (`covers: 'requests'`); comparisons give no verdict.
 */
import { mean, summarizeValues } from './descriptive.js';
import { studentTQuantile, studentTSf } from './distributions.js';
import { bootstrapLatency, percentileInterval, relativeDifferenceDraws } from './bootstrap.js';
import type { HistogramBuckets } from './histogram.js';
import { boundedMeanInterval, type Quantity } from './quantity.js';

/** What sources of noise an interval accounts for. */
export type IntervalCovers = 'repetitions' | 'requests' | 'none';

/** A figure with its confidence interval. */
export interface Estimate {
  value: number;
  /** Interval bounds; undefined when no interval can be given (no data, or one value). */
  low: number | undefined;
  high: number | undefined;
  /** Valid repetitions the estimate comes from. */
  repetitions: number;
  covers: IntervalCovers;
  /** Set when the interval is too wide to say anything; see {@link RepetitionsNeeded}. */
  needed?: RepetitionsNeeded;
}

/** An estimate plus what a comparison needs (kept out of reports). */
export interface EstimateWithSpread extends Estimate {
  /** Analysis scale: log for positive figures compared by ratio, linear for figures near 0. */
  scale: 'log' | 'linear';
  /** Standard error on the analysis scale (repetition bootstrap), when repetitions >= 2. */
  standardError: number | undefined;
  /** Request-level bootstrap draws (one repetition only). */
  requestDraws: Float64Array | undefined;
}

export interface EstimateOptions {
  /** Confidence level. @default 0.95 */
  level?: number;
  /** Bootstrap resamples. @default 2000 */
  iterations?: number;
  /** Bootstrap seed. @default 1 */
  seed?: number;
}

const defaultLevel = 0.95;
const defaultIterations = 2000;

function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * The histogram's own resolution as a standard error on the log scale: values are recorded in
 * whole microseconds and, above 2048 µs, in buckets 1/2048 of the value wide; a rounding error
 * uniform over a bucket of width w has standard deviation w/√12. Without this floor, repetitions
 * whose percentiles fall in the same bucket would give an interval of zero width, claiming more
 * certainty than the measurement has.
 */
export function quantizationSe(valueUs: number): number {
  return Math.max(1, valueUs / 2048) / Math.sqrt(12) / Math.max(valueUs, 1);
}

function transform(scale: 'log' | 'linear', v: number): number {
  return scale === 'log' ? Math.log(v) : v;
}

function untransform(scale: 'log' | 'linear', v: number): number {
  return scale === 'log' ? Math.exp(v) : v;
}

function intervalFromSe(
  value: number,
  se: number,
  df: number,
  scale: 'log' | 'linear',
  level: number,
): { low: number; high: number } {
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  const centre = transform(scale, value);
  return { low: untransform(scale, centre - half), high: untransform(scale, centre + half) };
}

/**
 * Latency percentiles and mean of a trial from its valid repetitions' histogram buckets. The point
 * estimate is always the merged histogram's figure (never an average of per-repetition
 * percentiles).
 */
export function estimateLatency(
  repetitions: readonly HistogramBuckets[],
  percentiles: readonly number[],
  options: EstimateOptions = {},
): { percentiles: Map<number, EstimateWithSpread>; mean: EstimateWithSpread } | undefined {
  const reps = repetitions.filter((r) => r.totalCount > 0);
  const level = options.level ?? defaultLevel;
  const R = reps.length;
  if (R === 0) return undefined;
  const boot = bootstrapLatency(reps, {
    percentiles,
    iterations: options.iterations ?? defaultIterations,
    seed: options.seed ?? 1,
    levels: R === 1 ? 'requests' : 'repetitions',
  })!;
  const out = new Map<number, EstimateWithSpread>();
  const make = (value: number, draws: Float64Array): EstimateWithSpread => {
    if (R === 1) {
      const ci = percentileInterval(draws, level);
      return {
        value,
        low: ci.low,
        high: ci.high,
        repetitions: 1,
        covers: 'requests',
        scale: 'log',
        standardError: undefined,
        requestDraws: draws,
      };
    }
    const se = Math.max(
      sampleSd(Float64Array.from(draws, Math.log)) * Math.sqrt(R / (R - 1)),
      quantizationSe(value),
    );
    return {
      value,
      ...intervalFromSe(value, se, R - 1, 'log', level),
      repetitions: R,
      covers: 'repetitions',
      scale: 'log',
      standardError: se,
      requestDraws: undefined,
    };
  };
  for (const q of percentiles) out.set(q, make(boot.estimates.get(q)!, boot.draws.get(q)!));
  return { percentiles: out, mean: make(boot.meanUs, boot.meanDraws) };
}

/**
 * The mean of one figure measured once per repetition (throughput, CPU, loss…). For a mean the
 * repetition bootstrap has a closed form (its corrected variance is s²/R), so this is the classic
 * Student-t interval with R−1 degrees of freedom, on the log scale for positive figures compared
 * by ratio (throughput, CPU, memory) and on the linear scale for figures that can be 0 (loss).
 */
export function estimateMean(
  values: readonly number[],
  scale: 'log' | 'linear',
  options: EstimateOptions = {},
): EstimateWithSpread | undefined {
  const level = options.level ?? defaultLevel;
  const R = values.length;
  if (R === 0) return undefined;
  const value = mean(values);
  const usable = scale === 'linear' || values.every((v) => v > 0);
  const s: 'log' | 'linear' = usable ? scale : 'linear';
  if (R === 1) {
    return {
      value,
      low: undefined,
      high: undefined,
      repetitions: 1,
      covers: 'none',
      scale: s,
      standardError: undefined,
      requestDraws: undefined,
    };
  }
  // Standard error of the mean, on the log scale by the delta method (what the repetition
  // bootstrap of a mean converges to once corrected by R/(R−1)).
  const sem = summarizeValues(values).stdev / Math.sqrt(R);
  const se = s === 'log' ? sem / value : sem;
  return {
    value,
    ...intervalFromSe(value, se, R - 1, s, level),
    repetitions: R,
    covers: 'repetitions',
    scale: s,
    standardError: se,
    requestDraws: undefined,
  };
}

/**
 * The mean of per-repetition values of a quantity with a range (a CPU share, a loss rate, a
 * throughput): the same estimate and comparison spread as {@link estimateMean} on `compareBy`,
 * with an interval computed on the quantity's own scale so that it never leaves the range
 * (src/stats/quantity.ts).
 */
export function estimateQuantity(
  values: readonly number[],
  quantity: Quantity,
  compareBy: 'log' | 'linear',
  options: EstimateOptions = {},
): EstimateWithSpread | undefined {
  const e = estimateMean(values, compareBy, options);
  if (e === undefined || values.length < 2) return e;
  const ci = boundedMeanInterval(values, quantity, options.level ?? defaultLevel);
  return { ...e, low: ci.low, high: ci.high };
}

/** significant: the interval of the difference excludes 0; unknown: no interval can be given. */
export type Verdict = 'significant' | 'within-noise' | 'unknown';

/** Candidate against baseline. */
export interface Difference {
  /** relative: candidate / baseline − 1 (0.12 = +12 %); absolute: candidate − baseline. */
  kind: 'relative' | 'absolute';
  value: number;
  low: number | undefined;
  high: number | undefined;
  /** Two-sided p-value of "no difference" (Welch's t on the analysis scale), when known. */
  pValue: number | undefined;
  verdict: Verdict;
  covers: IntervalCovers;
  /** Why the verdict is unknown, for people. */
  reason?: string;
  /**
   * paired: the ratio (or difference) of the two trials' figures round by round, interval over
   * rounds, so drift of the machine between rounds cancels; unpaired: the two trials' estimates
   * compared as independent (Welch), used when fewer than two rounds have both. Absent in
   * analyses written before pairing existed.
   */
  design?: 'paired' | 'unpaired';
  /** Rounds in which both trials had a valid repetition (paired design). */
  pairs?: number;
  /**
   * The interval is too wide to say anything: about this many repetitions would give the
   * precision named (from the observed variance).
   */
  needed?: RepetitionsNeeded;
}

/** "Not enough repetitions: about `repetitions` needed for ±`precision`". */
export interface RepetitionsNeeded {
  repetitions: number;
  /** Relative half-width asked for (0.05 = ±5 %). */
  precision: number;
}

/**
 * Compares two estimates. With repetitions on both sides: Welch's t on the analysis scale (log →
 * ratio), standard errors from the repetition bootstrap, Welch–Satterthwaite degrees of freedom.
 * With one repetition on both sides of a latency figure: the interval of the ratio of
 * request-level bootstrap draws, shown but never called significant.
 */
export function compareEstimates(
  baseline: EstimateWithSpread,
  candidate: EstimateWithSpread,
  options: { level?: number } = {},
): Difference {
  const level = options.level ?? defaultLevel;
  const scale = baseline.scale === 'log' && candidate.scale === 'log' ? 'log' : 'linear';
  const kind = scale === 'log' ? 'relative' : 'absolute';
  const value =
    kind === 'relative' ? candidate.value / baseline.value - 1 : candidate.value - baseline.value;
  const seA = baseline.standardError;
  const seB = candidate.standardError;
  if (seA !== undefined && seB !== undefined && baseline.scale === candidate.scale) {
    const se = Math.sqrt(seA * seA + seB * seB);
    if (se === 0) {
      return {
        kind,
        value,
        low: value,
        high: value,
        pValue: value === 0 ? 1 : 0,
        verdict: value === 0 ? 'within-noise' : 'significant',
        covers: 'repetitions',
      };
    }
    const df =
      se ** 4 / (seA ** 4 / (baseline.repetitions - 1) + seB ** 4 / (candidate.repetitions - 1));
    const d = transform(scale, candidate.value) - transform(scale, baseline.value);
    const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
    const low = kind === 'relative' ? Math.exp(d - half) - 1 : d - half;
    const high = kind === 'relative' ? Math.exp(d + half) - 1 : d + half;
    return {
      kind,
      value,
      low,
      high,
      pValue: Math.min(1, 2 * studentTSf(Math.abs(d) / se, df)),
      verdict: low > 0 || high < 0 ? 'significant' : 'within-noise',
      covers: 'repetitions',
    };
  }
  if (candidate.requestDraws !== undefined && baseline.requestDraws !== undefined) {
    const ci = percentileInterval(
      relativeDifferenceDraws(candidate.requestDraws, baseline.requestDraws),
      level,
    );
    return {
      kind: 'relative',
      value: candidate.value / baseline.value - 1,
      low: ci.low,
      high: ci.high,
      pValue: undefined,
      verdict: 'unknown',
      covers: 'requests',
      reason:
        'one repetition: the interval covers request sampling only, not run-to-run variation; repeat the trial (repetitions >= 3) for a verdict',
    };
  }
  return {
    kind,
    value,
    low: undefined,
    high: undefined,
    pValue: undefined,
    verdict: 'unknown',
    covers: 'none',
    reason:
      baseline.repetitions < 2 || candidate.repetitions < 2
        ? 'needs at least 2 valid repetitions on both sides'
        : 'not comparable',
  };
}

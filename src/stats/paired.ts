/**
 * Paired comparison of two trials that ran interleaved, round by round. In round r both trials
 * ran one repetition within minutes of each other, on the same machine in the same state; the
 * ratio of their figures in that round cancels whatever the machine did to both (a neighbour's
 * build, thermal drift, the hypervisor). The interval is over rounds: the mean of the log ratios
 * with Student's t on (pairs − 1) degrees of freedom (Kalibera & Jones 2013 recommend ratios of
 * paired measurements for the same reason). Unpaired intervals, which add both trials'
 * run-to-run variance, are what remains when rounds are incomplete.
 */
import { mean, sampleVariance } from './descriptive.js';
import { studentTQuantile, studentTSf } from './distributions.js';
import type { Difference } from './estimate.js';
import { neededWhenTooWide } from './precision.js';

/** One round's figure of both trials. */
export interface FigurePair {
  round: number;
  baseline: number;
  candidate: number;
}

export interface PairedOptions {
  /** Confidence level. @default 0.95 */
  level?: number;
  /**
   * Relative precision suggested when the interval is too wide (0.05 = ±5 %).
   * @default 0.1
   */
  precision?: number;
  /**
   * The absolute difference's range (linear scale), e.g. ±100 for loss in percentage points.
   * @default unbounded
   */
  range?: { low: number; high: number };
  /**
   * The standard error, on the log scale, that one figure of this size carries from its
   * measurement's resolution (histogram percentiles: `quantizationSe`). The paired interval is
   * never narrower than both figures' resolution combined: rounds whose percentiles land in the
   * same buckets agree exactly, which says nothing about where in the bucket the truth is. Not
   * divided by √pairs, since the same rounding repeats in every round.
   * @default none
   */
  resolutionSe?: (value: number) => number;
}

/** Pairs whose figures can be compared on `scale` (log: both above 0). */
export function usablePairs(pairs: readonly FigurePair[], scale: 'log' | 'linear'): FigurePair[] {
  return pairs.filter(
    (p) =>
      Number.isFinite(p.baseline) &&
      Number.isFinite(p.candidate) &&
      (scale === 'linear' || (p.baseline > 0 && p.candidate > 0)),
  );
}

/** Both sides' resolution combined, at their geometric means (log scale only). */
function resolutionFloor(
  pairs: readonly FigurePair[],
  scale: 'log' | 'linear',
  resolutionSe: ((value: number) => number) | undefined,
): number {
  if (resolutionSe === undefined || scale !== 'log') return 0;
  const geometricMean = (xs: number[]): number => Math.exp(mean(xs.map(Math.log)));
  const b = resolutionSe(geometricMean(pairs.map((p) => p.baseline)));
  const c = resolutionSe(geometricMean(pairs.map((p) => p.candidate)));
  return Math.hypot(b, c);
}

/**
 * The paired difference of candidate against baseline over rounds, or undefined when fewer than
 * two rounds have a usable pair (the caller then falls back to the unpaired comparison). On the
 * log scale the value is the geometric mean of the per-round ratios, minus 1.
 */
export function comparePaired(
  pairs: readonly FigurePair[],
  scale: 'log' | 'linear',
  options: PairedOptions = {},
): Difference | undefined {
  const level = options.level ?? 0.95;
  const usable = usablePairs(pairs, scale);
  const n = usable.length;
  if (n < 2) return undefined;
  const d = usable.map((p) =>
    scale === 'log' ? Math.log(p.candidate / p.baseline) : p.candidate - p.baseline,
  );
  const centre = mean(d);
  const sd = Math.sqrt(sampleVariance(d));
  const se = Math.max(sd / Math.sqrt(n), resolutionFloor(usable, scale, options.resolutionSe));
  const kind = scale === 'log' ? 'relative' : 'absolute';
  const back = (x: number): number => (scale === 'log' ? Math.expm1(x) : x);
  const base = { kind, design: 'paired', pairs: n, covers: 'repetitions' } as const;
  if (se === 0) {
    return {
      ...base,
      value: back(centre),
      low: back(centre),
      high: back(centre),
      pValue: centre === 0 ? 1 : 0,
      verdict: centre === 0 ? 'within-noise' : 'significant',
    };
  }
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * se;
  const clamp = (x: number): number =>
    options.range === undefined ? x : Math.min(options.range.high, Math.max(options.range.low, x));
  const low = clamp(back(centre - half));
  const high = clamp(back(centre + half));
  const significant = low > 0 || high < 0;
  // A wide interval that excludes 0 still says something (the sign): it is kept.
  const needed =
    scale === 'log' && !significant
      ? neededWhenTooWide(half, n, n - 1, options.precision ?? 0.1, level)
      : undefined;
  return {
    ...base,
    value: back(centre),
    low,
    high,
    pValue: Math.min(1, 2 * studentTSf(Math.abs(centre) / se, n - 1)),
    verdict: significant ? 'significant' : 'within-noise',
    ...(needed === undefined ? {} : { needed }),
  };
}

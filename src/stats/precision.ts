/**
 * How precise an interval is, and how many repetitions a wanted precision takes. Precision is
 * relative and symmetric on the ratio scale: "±5 %" means the interval lies within ×/÷ 1.05 of
 * its estimate (for a ratio of 1.20, [1.143, 1.26]), the natural measure for figures compared by
 * ratio. From the observed spread of per-repetition (or per-pair) log figures, s, the half-width
 * with n repetitions is t(1 − α/2, n − 1) · s / √n; the number needed is the smallest n for
 * which that is at most ln(1 + precision).
 */
import { studentTQuantile } from './distributions.js';
import type { Difference, Estimate, RepetitionsNeeded } from './estimate.js';

/** Precision of "not enough repetitions" hints and of `repetitions: auto` when none is named. */
export const defaultPrecision = 0.1;

/** Above this relative half-width (×/÷ 1.5) an interval says too little to print as one. */
export const tooWideHalfWidthLog = Math.log(1.5);

/** Repetitions are never suggested beyond this (the scenario's own limit). */
export const maxSuggestedRepetitions = 1000;

/** The half-width of a ratio-scale interval, in log units; undefined when it has none. */
export function relativeHalfWidthLog(
  x: Pick<Estimate, 'value' | 'low' | 'high'> | Pick<Difference, 'kind' | 'low' | 'high'>,
): number | undefined {
  if (x.low === undefined || x.high === undefined) return undefined;
  if ('kind' in x) {
    if (x.kind !== 'relative') return undefined;
    if (x.low <= -1) return Infinity;
    return (Math.log1p(x.high) - Math.log1p(x.low)) / 2;
  }
  if (x.low <= 0) return Infinity;
  return (Math.log(x.high) - Math.log(x.low)) / 2;
}

/** The same half-width as a relative precision (0.05 = ±5 %). */
export function relativePrecision(halfWidthLog: number): number {
  return Math.expm1(halfWidthLog);
}

/**
 * Smallest n >= 2 with t(1 − α/2, n − 1) · sd / √n <= ln(1 + precision), capped at
 * {@link maxSuggestedRepetitions}. `sdLog` is the standard deviation of one repetition's (or one
 * pair's) figure on the log scale.
 */
export function repetitionsNeeded(sdLog: number, precision: number, level: number): number {
  const target = Math.log1p(precision);
  if (!(sdLog > 0)) return 2;
  const halfWidth = (n: number): number =>
    (studentTQuantile(1 - (1 - level) / 2, n - 1) * sdLog) / Math.sqrt(n);
  if (halfWidth(maxSuggestedRepetitions) > target) return maxSuggestedRepetitions;
  // The half-width decreases in n: bisection.
  let lo = 2;
  let hi = maxSuggestedRepetitions;
  if (halfWidth(lo) <= target) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (halfWidth(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * When an interval with half-width `halfWidthLog` (log units) from `n` repetitions is too wide
 * to say anything, the repetitions a `precision` would take, else undefined. The per-repetition
 * spread is recovered from the interval itself: s = halfWidth · √n / t(1 − α/2, df).
 */
export function neededWhenTooWide(
  halfWidthLog: number | undefined,
  n: number,
  df: number,
  precision: number,
  level: number,
): RepetitionsNeeded | undefined {
  if (halfWidthLog === undefined || halfWidthLog <= tooWideHalfWidthLog || !(df > 0)) {
    return undefined;
  }
  if (!Number.isFinite(halfWidthLog)) return undefined;
  const sd = (halfWidthLog * Math.sqrt(n)) / studentTQuantile(1 - (1 - level) / 2, df);
  return { repetitions: repetitionsNeeded(sd, precision, level), precision };
}

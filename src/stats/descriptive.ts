/**
 * Descriptive statistics of a handful of numbers, typically one figure per repetition: mean,
 * sample standard deviation, coefficient of variation and a Student-t interval for the mean.
 */
import { studentTQuantile } from './distributions.js';

/** Summary of per-repetition values of one figure. */
export interface ValuesSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 when n < 2. */
  stdev: number;
  /** stdev / mean, as a fraction (0.05 = 5 %); undefined when the mean is 0 or n < 2. */
  cv: number | undefined;
  min: number;
  max: number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1 denominator, two-pass for accuracy); 0 when n < 2. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return ss / (values.length - 1);
}

export function summarizeValues(values: readonly number[]): ValuesSummary {
  const n = values.length;
  const m = mean(values);
  const stdev = Math.sqrt(sampleVariance(values));
  return {
    n,
    mean: m,
    stdev,
    cv: n >= 2 && m !== 0 ? stdev / Math.abs(m) : undefined,
    min: n === 0 ? Number.NaN : Math.min(...values),
    max: n === 0 ? Number.NaN : Math.max(...values),
  };
}

/** A two-sided confidence interval. */
export interface Interval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/**
 * Student-t interval for the mean of `values` (needs n >= 2): mean ± t(1−α/2, n−1) · s/√n. The
 * right interval for few repetitions: exact under normality, and honest about how little two or
 * three values say (t with 1 df is 12.7, not 1.96).
 */
export function meanInterval(values: readonly number[], level = 0.95): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const m = mean(values);
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(sampleVariance(values) / n);
  return { low: m - half, high: m + half, level };
}

/**
 * Descriptive statistics of a handful of numbers, typically one figure per repetition: mean,
 * sample standard deviation and coefficient of variation.
 */

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

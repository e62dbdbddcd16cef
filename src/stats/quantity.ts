/**
 * Intervals that respect their quantity's range. A latency, a rate or a memory size is above 0;
 * a CPU share lies in [0 %, 100 % × cores]; a loss or error rate in [0 %, 100 %]. A symmetric
 * t-interval on the linear scale ignores that and, around a small mean with a large spread,
 * prints a negative CPU share or a loss above 100 %; on the log scale, around a share close to
 * 0 it prints a hypervisor steal of 452 667 %. So each kind gets the scale on which its range
 * is the whole real line: the log for positive quantities, the logit of value/upper for shares.
 * The interval is symmetric there and maps back inside the range (delta method for the standard
 * error of the mean on that scale). A final clamp only guards against rounding at the edges.
 */
import { mean, summarizeValues } from './descriptive.js';
import { studentTQuantile } from './distributions.js';

/** What range a figure's values can take. */
export type Quantity =
  /** Above 0 (latency, rate, throughput, memory, jitter): intervals on the log scale. */
  | { kind: 'positive' }
  /**
   * A share of `upper` (CPU % with upper 100 × cores; loss % with upper 100): intervals on the
   * logit of value/upper.
   */
  | { kind: 'share'; upper: number };

export const positiveQuantity: Quantity = { kind: 'positive' };

/** A percentage of something that cannot exceed 100 % (loss, errors). */
export const percentQuantity: Quantity = { kind: 'share', upper: 100 };

/** CPU time as a percentage of one core, on a machine with `cores` cores. */
export function cpuQuantity(cores: number): Quantity {
  return { kind: 'share', upper: 100 * Math.max(1, cores) };
}

/** The closed range of a quantity's values. */
export function quantityRange(q: Quantity): { low: number; high: number } {
  return q.kind === 'positive' ? { low: 0, high: Infinity } : { low: 0, high: q.upper };
}

function clamp(v: number, q: Quantity): number {
  const r = quantityRange(q);
  return Math.min(r.high, Math.max(r.low, v));
}

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A two-sided interval around `value` whose linear-scale standard error is `standardError`, with
 * Student's t on `df` degrees of freedom, computed on the quantity's own scale so that both ends
 * stay in its range. At the edge of the range (a mean of exactly 0 or of exactly the upper bound)
 * no transform exists; the linear interval is then clamped, which keeps the edge itself inside.
 */
export function boundedInterval(
  value: number,
  standardError: number,
  df: number,
  q: Quantity,
  level: number,
): { low: number; high: number } {
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  if (q.kind === 'positive' && value > 0) {
    const half = (t * standardError) / value;
    return { low: value * Math.exp(-half), high: value * Math.exp(half) };
  }
  if (q.kind === 'share') {
    const p = value / q.upper;
    if (p > 0 && p < 1) {
      const half = (t * standardError) / q.upper / (p * (1 - p));
      const centre = logit(p);
      return {
        low: clamp(q.upper * expit(centre - half), q),
        high: clamp(q.upper * expit(centre + half), q),
      };
    }
  }
  return {
    low: clamp(value - t * standardError, q),
    high: clamp(value + t * standardError, q),
  };
}

/**
 * The mean of per-repetition values of a bounded quantity with its interval (Student's t, R − 1
 * degrees of freedom), inside the quantity's range; undefined bounds with fewer than 2 values.
 */
export function boundedMeanInterval(
  values: readonly number[],
  q: Quantity,
  level: number,
): { value: number; low: number | undefined; high: number | undefined } {
  const value = mean(values);
  if (values.length < 2) return { value, low: undefined, high: undefined };
  const sem = summarizeValues(values).stdev / Math.sqrt(values.length);
  return { value, ...boundedInterval(value, sem, values.length - 1, q, level) };
}

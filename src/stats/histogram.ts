/**
 * Latency histograms: HdrHistogram (hdr-histogram-js) in whole microseconds, 3 significant
 * digits, up to one hour. Histograms travel between processes and into results.json in the
 * standard compressed base64 encoding ("HISTFAAA…"), readable by every HdrHistogram port.
 * Percentiles of several histograms come from merging them, never from averaging percentiles.
 */
import * as hdr from 'hdr-histogram-js';
import type { Microseconds } from '../core/units.js';

export type Histogram = hdr.Histogram;

const highestTrackableUs = 3_600_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestTrackableUs,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records one value in microseconds (rounded; clamped to the trackable range). */
export function recordMicros(h: Histogram, us: Microseconds): void {
  h.recordValue(Math.min(highestTrackableUs, Math.max(1, Math.round(us))));
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Re-home into our standard layout so merges never mix bucket sizes.
  const h = createHistogram();
  h.add(decoded);
  return h;
}

export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged = createHistogram();
  for (const h of histograms) merged.add(h);
  return merged;
}

/**
 * The non-empty buckets of a histogram, in increasing value order: what the bootstrap, the rank
 * tests and the distribution plots work from (thousands of requests become a few hundred or
 * thousand distinct values, since values are recorded in whole microseconds with 3 significant
 * digits).
 */
export interface HistogramBuckets {
  /**
   * The value HdrHistogram reports for a percentile that lands in the bucket (its highest
   * equivalent value), so percentiles computed from buckets equal `getValueAtPercentile`.
   */
  valuesUs: Float64Array;
  /** The bucket's middle (HdrHistogram's median equivalent value), used for means. */
  middlesUs: Float64Array;
  counts: Float64Array;
  totalCount: number;
}

export function histogramBuckets(h: Histogram): HistogramBuckets {
  if (!(h instanceof hdr.JsHistogram)) {
    throw new TypeError('histogramBuckets needs a JS histogram (createHistogram/decodeHistogram)');
  }
  const values: number[] = [];
  const middles: number[] = [];
  const counts: number[] = [];
  let total = 0;
  for (let i = 0; i < h.countsArrayLength && total < h.totalCount; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    const v = h.valueFromIndex(i);
    values.push(h.highestEquivalentValue(v));
    middles.push(h.medianEquivalentValue(v));
    counts.push(c);
    total += c;
  }
  return {
    valuesUs: Float64Array.from(values),
    middlesUs: Float64Array.from(middles),
    counts: Float64Array.from(counts),
    totalCount: total,
  };
}

/**
 * The rank HdrHistogram uses for a percentile: the smallest count k with k ≥ q/100 · n (at least
 * 1). Shared by every percentile netbench computes so they all agree with `getValueAtPercentile`.
 */
export function percentileRank(percentile: number, totalCount: number): number {
  const exact = (Math.min(percentile, 100) / 100) * totalCount;
  // Guard against 1-ulp excess in the product (HdrHistogram does the same).
  return Math.max(1, Math.ceil(exact - Math.abs(exact) * Number.EPSILON));
}

/** Summary of a latency distribution; every figure in microseconds. */
export interface LatencySummaryUs {
  count: number;
  min: Microseconds;
  mean: Microseconds;
  stdev: Microseconds;
  p50: Microseconds;
  p90: Microseconds;
  p99: Microseconds;
  p999: Microseconds;
  max: Microseconds;
}

export function summarize(h: Histogram): LatencySummaryUs {
  const n = h.totalCount;
  if (n === 0)
    return { count: 0, min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: n,
    min: h.minNonZeroValue,
    mean: h.mean,
    stdev: h.stdDeviation,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  };
}

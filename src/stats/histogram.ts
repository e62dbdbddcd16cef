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

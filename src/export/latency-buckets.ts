/**
 * A Prometheus histogram from an HDR histogram. The bucket bounds are fixed (1-2-5 steps from
 * 10 µs to 60 s) so every run's series aggregate with `sum by (le)`; the counts are exact up to
 * HdrHistogram's 3 significant digits: a request counts in bucket `le` when its HDR bucket's
 * highest value is at most `le`. The sum is HdrHistogram's own (bucket middles), so `_sum/_count`
 * is the mean results.json records.
 */
import type { Microseconds } from '../core/units.js';
import { decodeHistogram, histogramBuckets } from '../stats/histogram.js';

/** Upper bounds of the exported latency buckets, microseconds (+Inf is implied). */
export const latencyBucketBoundsUs: readonly Microseconds[] = [
  10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
  1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000,
];

/** Cumulative counts per bound (same order as `boundsSeconds`), total count and sum. */
export interface PrometheusBuckets {
  boundsSeconds: readonly number[];
  cumulativeCounts: readonly number[];
  count: number;
  sumSeconds: number;
}

export function bucketsFromHdr(encoded: string): PrometheusBuckets {
  const b = histogramBuckets(decodeHistogram(encoded));
  const cumulative = latencyBucketBoundsUs.map(() => 0);
  let sumUs = 0;
  for (let i = 0; i < b.counts.length; i++) {
    const count = b.counts[i]!;
    sumUs += b.middlesUs[i]! * count;
    const first = latencyBucketBoundsUs.findIndex((bound) => b.valuesUs[i]! <= bound);
    if (first === -1) continue;
    for (let k = first; k < cumulative.length; k++) cumulative[k]! += count;
  }
  return {
    boundsSeconds: latencyBucketBoundsUs.map(microsToSeconds),
    cumulativeCounts: cumulative,
    count: b.totalCount,
    sumSeconds: microsToSeconds(sumUs),
  };
}

export function microsToSeconds(us: Microseconds): number {
  return us / 1e6;
}

import { describe, expect, it } from 'vitest';
import {
  decodeHistogram,
  encodeHistogram,
  histogramBuckets,
  mergeHistograms,
  percentileRank,
} from '../../../src/stats/histogram.js';
import { createRandom, syntheticRepetitions } from './synthetic.js';

function percentileFromBuckets(b: ReturnType<typeof histogramBuckets>, percentile: number): number {
  const rank = percentileRank(percentile, b.totalCount);
  let cumulative = 0;
  for (let i = 0; i < b.counts.length; i++) {
    cumulative += b.counts[i]!;
    if (cumulative >= rank) return b.valuesUs[i]!;
  }
  return Number.NaN;
}

describe('histogram buckets', () => {
  const [h] = syntheticRepetitions(createRandom(5), {
    repetitions: 1,
    requestsPerRepetition: 20_000,
    medianUs: 800,
    sigma: 1.1,
  });

  it('give exactly the percentiles HdrHistogram reports, tail included', () => {
    const b = histogramBuckets(h!);
    expect(b.totalCount).toBe(20_000);
    for (const p of [0.1, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
      expect(percentileFromBuckets(b, p)).toBe(h!.getValueAtPercentile(p));
    }
  });

  it('give exactly the mean HdrHistogram reports', () => {
    const b = histogramBuckets(h!);
    let sum = 0;
    for (let i = 0; i < b.counts.length; i++) sum += b.counts[i]! * b.middlesUs[i]!;
    expect(sum / b.totalCount).toBeCloseTo(h!.mean, 6);
  });

  it('survive the compressed encoding that results.json stores', () => {
    const decoded = decodeHistogram(encodeHistogram(h!));
    expect(histogramBuckets(decoded)).toEqual(histogramBuckets(h!));
  });

  it('of a merge are the sum of the parts, so merged percentiles are never averaged ones', () => {
    const reps = syntheticRepetitions(createRandom(6), {
      repetitions: 3,
      requestsPerRepetition: 3000,
      medianUs: 500,
      runToRun: 0.3,
    });
    const merged = mergeHistograms(reps);
    expect(histogramBuckets(merged).totalCount).toBe(9000);
    const averaged = reps.reduce((a, r) => a + r.getValueAtPercentile(99), 0) / 3;
    expect(merged.getValueAtPercentile(99)).not.toBe(averaged);
  });
});

describe('percentile rank', () => {
  it('is the smallest count reaching the percentile, at least 1', () => {
    expect(percentileRank(50, 10)).toBe(5);
    expect(percentileRank(99, 1000)).toBe(990);
    expect(percentileRank(99.9, 1000)).toBe(999);
    expect(percentileRank(0, 1000)).toBe(1);
    expect(percentileRank(100, 7)).toBe(7);
    expect(percentileRank(99, 2500)).toBe(2475);
  });
});

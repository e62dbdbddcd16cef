import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMicros,
  summarize,
} from '../../../src/stats/histogram.js';

describe('latency histograms', () => {
  it('survive encoding to compressed base64 and back unchanged', () => {
    const h = createHistogram();
    for (let i = 1; i <= 10_000; i++) recordMicros(h, i);
    const encoded = encodeHistogram(h);
    expect(encoded.startsWith('HISTFAAA')).toBe(true);
    const { max, ...rest } = summarize(decodeHistogram(encoded));
    const { max: originalMax, ...originalRest } = summarize(h);
    expect(rest).toEqual(originalRest);
    // HdrHistogram reports the top of the highest bucket: equal within 3 significant digits.
    expect(Math.abs(max - originalMax) / originalMax).toBeLessThan(0.001);
  });

  it('merge into the percentiles of the combined samples, not the average of percentiles', () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 0; i < 990; i++) recordMicros(fast, 100);
    for (let i = 0; i < 10; i++) recordMicros(slow, 10_000);
    const merged = summarize(mergeHistograms([fast, slow]));
    // 1 % of all samples are slow: p99 of the union sits at the boundary, p99.9 is slow.
    expect(merged.count).toBe(1000);
    expect(merged.p50).toBe(100);
    expect(merged.p999).toBeGreaterThanOrEqual(9_990);
    const averagedP50 = (summarize(fast).p50 + summarize(slow).p50) / 2;
    expect(merged.p50).not.toBe(averagedP50);
  });

  it('clamps values below one microsecond to one', () => {
    const h = createHistogram();
    recordMicros(h, 0.2);
    expect(summarize(h).min).toBe(1);
  });

  it('summarises an empty histogram as zeros', () => {
    expect(summarize(createHistogram()).count).toBe(0);
  });
});

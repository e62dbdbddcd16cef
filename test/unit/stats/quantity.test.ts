/**
 * No interval leaves its quantity's range: one test per quantity kind, on the data that used to
 * break it (a tiny mean with a large spread, values at the edge of the range), plus a sweep of
 * seeded random samples.
 */
import { describe, expect, it } from 'vitest';
import {
  boundedInterval,
  boundedMeanInterval,
  cpuQuantity,
  percentQuantity,
  positiveQuantity,
  quantityRange,
  type Quantity,
} from '../../../src/stats/quantity.js';
import { estimateQuantity } from '../../../src/stats/estimate.js';
import { createRandom, randomNormal } from '../../../src/stats/random.js';

function expectInside(
  ci: { low: number | undefined; high: number | undefined },
  q: Quantity,
): void {
  const r = quantityRange(q);
  expect(ci.low).toBeDefined();
  expect(ci.high).toBeDefined();
  expect(ci.low!).toBeGreaterThanOrEqual(r.low);
  expect(ci.high!).toBeLessThanOrEqual(r.high);
  expect(ci.low!).toBeLessThanOrEqual(ci.high!);
}

/** Seeded samples spanning the range: mostly near an edge, with a wide spread. */
function samples(q: Quantity, seed: number, n: number): number[] {
  const random = createRandom(seed);
  const r = quantityRange(q);
  const scale = Number.isFinite(r.high) ? r.high : 1000;
  return Array.from({ length: n }, () => {
    const v = Math.exp(randomNormal(random) * 3) * scale * 1e-3;
    return Math.min(r.high, Math.max(r.low, v));
  });
}

function sweep(q: Quantity): void {
  for (let seed = 1; seed <= 200; seed++) {
    for (const n of [2, 3, 5]) {
      expectInside(boundedMeanInterval(samples(q, seed, n), q, 0.95), q);
    }
  }
}

describe('intervals that respect their range', () => {
  it('keep a CPU share within 0 and 100 % per core, even for a tiny steal with a huge spread', () => {
    // The report's old [0.000 %, 452667.6 %] for hypervisor steal came from values like these.
    const q = cpuQuantity(2);
    const ci = boundedMeanInterval([0.0001, 0.0002, 3.1], q, 0.95);
    expectInside(ci, q);
    expect(ci.high!).toBeLessThan(200);
    sweep(q);
  });

  it('keep a loss or error rate within 0 and 100 %', () => {
    const q = percentQuantity;
    expectInside(boundedMeanInterval([0, 0, 0.5], q, 0.95), q);
    expectInside(boundedMeanInterval([99.9, 100, 97], q, 0.95), q);
    sweep(q);
  });

  it('keep a latency, rate or size above 0', () => {
    const q = positiveQuantity;
    const ci = boundedMeanInterval([1, 2, 400], q, 0.95);
    expectInside(ci, q);
    expect(ci.low!).toBeGreaterThan(0);
    sweep(q);
  });

  it('keep a mean exactly at the edge of the range inside it', () => {
    expectInside(boundedInterval(0, 0.5, 2, percentQuantity, 0.95), percentQuantity);
    expectInside(boundedInterval(100, 0.5, 2, percentQuantity, 0.95), percentQuantity);
    expectInside(boundedInterval(0, 3, 2, positiveQuantity, 0.95), positiveQuantity);
  });

  it('agree with the classic t-interval for a share far from its edges', () => {
    // Mid-range with a small spread, the logit and linear intervals nearly coincide.
    const ci = boundedMeanInterval([50, 51, 49, 50.5], percentQuantity, 0.95);
    expect(ci.low!).toBeCloseTo(48.9, 0);
    expect(ci.high!).toBeCloseTo(51.35, 0);
  });

  it('give a CPU estimate whose interval stays in range while it is compared by ratio', () => {
    const e = estimateQuantity([0.0001, 0.0002, 3.1], cpuQuantity(2), 'log')!;
    expect(e.scale).toBe('log');
    expect(e.standardError).toBeGreaterThan(0);
    expectInside(e, cpuQuantity(2));
  });
});

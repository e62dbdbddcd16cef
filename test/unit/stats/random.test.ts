import { describe, expect, it } from 'vitest';
import {
  createRandom,
  randomBeta,
  randomGamma,
  randomInt,
  randomNormal,
} from '../../../src/stats/random.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

// Moment checks: with n draws the sample mean is within 5 standard errors (σ/√n) of the true mean
// except with probability < 1e-6; the seed makes each check deterministic anyway.
describe('seeded random numbers', () => {
  it('replays the same sequence from the same seed and another from another seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers uniformly from [0, n)', () => {
    const random = createRandom(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[randomInt(random, 4)]! += 1;
    // Binomial(40000, 1/4): sd ≈ 87.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * 87);
  });

  it('draws standard normal variates', () => {
    const random = createRandom(7);
    const n = 100_000;
    const m = moments(() => randomNormal(random), n);
    expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('draws gamma variates with mean k and variance k, for small and large shapes', () => {
    for (const shape of [0.3, 1, 4.5, 2500]) {
      const random = createRandom(11);
      const n = 60_000;
      const m = moments(() => randomGamma(random, shape), n);
      expect(Math.abs(m.mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
      // Var of the sample variance of Gamma(k): (μ4 − σ⁴)/n with μ4 = 3k² + 6k.
      expect(Math.abs(m.variance - shape)).toBeLessThan(
        5 * Math.sqrt((2 * shape ** 2 + 6 * shape) / n),
      );
    }
  });

  it('draws beta variates with the textbook mean and variance', () => {
    for (const [a, b] of [
      [2, 5],
      [990, 11],
      [0.5, 0.5],
    ] as const) {
      const random = createRandom(3);
      const n = 60_000;
      const m = moments(() => randomBeta(random, a, b), n);
      const mean = a / (a + b);
      const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
    }
  });

  it('rejects a gamma shape that is not positive', () => {
    expect(() => randomGamma(createRandom(1), 0)).toThrow(RangeError);
  });
});

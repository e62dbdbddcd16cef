/**
 * Paired comparisons, on synthetic rounds from a seeded RNG: a drift shared by both trials of a
 * round cancels in the paired ratio, identical configurations come out significant at about the
 * stated rate, and the interval covers the true ratio.
 */
import { describe, expect, it } from 'vitest';
import { comparePaired, type FigurePair } from '../../../src/stats/paired.js';
import { compareEstimates, estimateMean, quantizationSe } from '../../../src/stats/estimate.js';
import { createRandom, randomNormal, type Random } from '../../../src/stats/random.js';

/** Rounds in which the machine moves both trials by `drift` and each by its own `noise`. */
function rounds(
  random: Random,
  n: number,
  o: { ratio: number; drift: number; noise: number },
): FigurePair[] {
  return Array.from({ length: n }, (_, round) => {
    const machine = Math.exp(o.drift * randomNormal(random));
    return {
      round,
      baseline: 20 * machine * Math.exp(o.noise * randomNormal(random)),
      candidate: 20 * o.ratio * machine * Math.exp(o.noise * randomNormal(random)),
    };
  });
}

describe('paired comparisons', () => {
  it('see a 10 % difference through a machine drift that hides it from the unpaired comparison', () => {
    const random = createRandom(5);
    const pairs = rounds(random, 6, { ratio: 1.1, drift: 0.3, noise: 0.02 });
    const paired = comparePaired(pairs, 'log')!;
    expect(paired.design).toBe('paired');
    expect(paired.pairs).toBe(6);
    expect(paired.verdict).toBe('significant');
    expect(paired.low!).toBeGreaterThan(0.03);
    expect(paired.high!).toBeLessThan(0.17);
    const unpaired = compareEstimates(
      estimateMean(
        pairs.map((p) => p.baseline),
        'log',
      )!,
      estimateMean(
        pairs.map((p) => p.candidate),
        'log',
      )!,
    );
    expect(unpaired.verdict).toBe('within-noise');
  });

  it('call identical configurations significant at about the stated 5 %', () => {
    const random = createRandom(11);
    let significant = 0;
    let covered = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const d = comparePaired(rounds(random, 5, { ratio: 1, drift: 0.2, noise: 0.05 }), 'log')!;
      if (d.verdict === 'significant') significant++;
      if (d.low! <= 0 && 0 <= d.high!) covered++;
    }
    expect(significant / trials).toBeGreaterThan(0.02);
    expect(significant / trials).toBeLessThan(0.09);
    expect(covered / trials).toBeGreaterThan(0.91);
  });

  it('cover the true ratio at about the stated 95 %', () => {
    const random = createRandom(12);
    let covered = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const d = comparePaired(rounds(random, 4, { ratio: 1.25, drift: 0.3, noise: 0.08 }), 'log')!;
      if (d.low! <= 0.25 && 0.25 <= d.high!) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.91);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('leave the comparison to the unpaired fallback when fewer than two rounds have both figures', () => {
    expect(comparePaired([{ round: 0, baseline: 20, candidate: 25 }], 'log')).toBeUndefined();
    // A zero cannot be compared by ratio: that round does not count.
    expect(
      comparePaired(
        [
          { round: 0, baseline: 20, candidate: 25 },
          { round: 1, baseline: 0, candidate: 25 },
        ],
        'log',
      ),
    ).toBeUndefined();
  });

  it('keep an absolute difference within the range it is given', () => {
    const d = comparePaired(
      [
        { round: 0, baseline: 0, candidate: 100 },
        { round: 1, baseline: 0, candidate: 2 },
        { round: 2, baseline: 0, candidate: 90 },
      ],
      'linear',
      { range: { low: -100, high: 100 } },
    )!;
    expect(d.kind).toBe('absolute');
    expect(d.low!).toBeGreaterThanOrEqual(-100);
    expect(d.high!).toBeLessThanOrEqual(100);
  });

  it('keep a wide interval that excludes zero: it still tells the direction', () => {
    const pairs = [
      { round: 0, baseline: 20, candidate: 30 },
      { round: 1, baseline: 20, candidate: 44 },
      { round: 2, baseline: 20, candidate: 32 },
    ];
    const d = comparePaired(pairs, 'log', { precision: 0.05 })!;
    expect(d.verdict).toBe('significant');
    expect(d.needed).toBeUndefined();
  });

  it('say how many rounds a wide interval would need instead of leaving it at that', () => {
    const pairs = [
      { round: 0, baseline: 20, candidate: 22 },
      { round: 1, baseline: 20, candidate: 30 },
    ];
    const d = comparePaired(pairs, 'log', { precision: 0.05 })!;
    expect(d.needed).toBeDefined();
    expect(d.needed!.precision).toBe(0.05);
    expect(d.needed!.repetitions).toBeGreaterThan(2);
  });

  it('never claim more than the histogram resolves when every round reads the same buckets', () => {
    // 20 µs and 31 µs in whole microseconds: the true ratio may be anywhere in about 31 ± 0.5
    // over 20 ± 0.5, so an interval of zero width would be false precision.
    const pairs = [0, 1, 2].map((round) => ({ round, baseline: 20, candidate: 31 }));
    const d = comparePaired(pairs, 'log', { resolutionSe: quantizationSe })!;
    expect(d.value).toBeCloseTo(0.55, 6);
    expect(d.low!).toBeLessThan(0.5);
    expect(d.high!).toBeGreaterThan(0.6);
    expect(d.verdict).toBe('significant');
  });

  it('call figures a bucket apart within noise when the resolution cannot tell them', () => {
    const pairs = [0, 1, 2, 3].map((round) => ({ round, baseline: 20, candidate: 21 }));
    expect(comparePaired(pairs, 'log', { resolutionSe: quantizationSe })!.verdict).toBe(
      'within-noise',
    );
    expect(comparePaired(pairs, 'log')!.verdict).toBe('significant');
  });
});

import { describe, expect, it } from 'vitest';
import { mannWhitneyU, welchTTest } from '../../../src/stats/tests.js';

describe("Welch's t-test", () => {
  // Reference values from SciPy's test suite, "check vs. R" (scipy/stats/tests/test_stats.py,
  // test_ttest_ind_with_uneq_var; also copied into statsmodels' test_weightstats.py): R's
  // t.test(a, b) with var.equal = FALSE. SciPy's t is mean(a) − mean(b); ours is b − a.
  it('reproduces R for a = (1, 2, 3), b = (1.1, 2.9, 4.2)', () => {
    const r = welchTTest([1, 2, 3], [1.1, 2.9, 4.2])!;
    expect(r.t).toBeCloseTo(0.68649512735572582, 13);
    expect(r.pValue).toBeCloseTo(0.53619490753126731, 13);
  });

  it('reproduces R for a = (1, 2, 3, 4), b = (1.1, 2.9, 4.2)', () => {
    const r = welchTTest([1, 2, 3, 4], [1.1, 2.9, 4.2])!;
    expect(r.t).toBeCloseTo(0.2108663315950719, 13);
    expect(r.pValue).toBeCloseTo(0.84354139131608286, 13);
  });

  it('uses the Welch–Satterthwaite degrees of freedom', () => {
    // By hand for (1,2,3) vs (1.1,2.9,4.2): s²a/na = 1/3, s²b/nb = 2.42333…/3;
    // df = (1/3 + 0.807778)² / ((1/3)²/2 + 0.807778²/2) = 3.41044…
    expect(welchTTest([1, 2, 3], [1.1, 2.9, 4.2])!.df).toBeCloseTo(3.4104431643, 8);
  });

  it('gives an interval of the difference that excludes 0 exactly when p < 0.05', () => {
    const far = welchTTest([10, 11, 12, 11], [14, 15, 16, 15])!;
    expect(far.pValue).toBeLessThan(0.05);
    expect(far.differenceLow).toBeGreaterThan(0);
    const near = welchTTest([10, 11, 12, 11], [10.5, 11.5, 12.5, 10])!;
    expect(near.pValue).toBeGreaterThan(0.05);
    expect(near.differenceLow).toBeLessThan(0);
    expect(near.differenceHigh).toBeGreaterThan(0);
  });

  it('reports Cohen d with the average variance as standardiser', () => {
    // (mean(b) − mean(a)) / √((s²a + s²b)/2) = 0.73333 / √((1 + 2.42333)/2) = 0.560521
    expect(welchTTest([1, 2, 3], [1.1, 2.9, 4.2])!.cohensD).toBeCloseTo(0.5605209243, 9);
  });

  it('refuses samples with fewer than two values, or with no variance at all', () => {
    expect(welchTTest([1], [2, 3])).toBeUndefined();
    expect(welchTTest([5, 5], [7, 7])).toBeUndefined();
  });
});

describe('Mann-Whitney U test', () => {
  // SciPy's mannwhitneyu docstring (SciPy 1.15, Examples), following Shier (2004): age at
  // diagnosis of type II diabetes.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it("reproduces SciPy's exact p-value for small samples without ties", () => {
    const r = mannWhitneyU(males, females)!;
    expect(r.u).toBe(17);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(0.1111111111111111, 15);
    // SciPy: mannwhitneyu(females, males, alternative="less", method="exact") gives U=3,
    // p=0.05555555555555555; the two-sided p is twice that.
    expect(mannWhitneyU(females, males)!.u).toBe(3);
  });

  it("reproduces SciPy's normal approximation with and without continuity correction", () => {
    const withCorrection = mannWhitneyU(males, females, { method: 'asymptotic' })!;
    expect(withCorrection.pValue).toBeCloseTo(0.11134688653314041, 14);
    const without = mannWhitneyU(males, females, { method: 'asymptotic', continuity: false })!;
    expect(without.pValue).toBeCloseTo(0.0864107329737, 12);
  });

  it('corrects for ties as SciPy does', () => {
    // ClickHouse's stateless test of its mannWhitneyUTest aggregate (the mann_whitney .sql
    // file in tests/queries/0_stateless) prints SciPy's two-sided, continuity-corrected result
    // next to its own for these 40 values with four tied pairs: U = 223, p = 0.5426959774289482.
    const left = [
      310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495,
      295,
    ];
    const right = [
      116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426,
      261,
    ];
    const r = mannWhitneyU(left, right)!;
    expect(r.u).toBe(223);
    expect(r.method).toBe('asymptotic');
    expect(r.pValue).toBeCloseTo(0.5426959774289482, 14);
  });

  it('gives the same answer for a histogram as for the values it counts', () => {
    const x = [3, 3, 3, 5, 5, 8, 9, 9, 9, 9, 12];
    const y = [1, 3, 4, 4, 5, 6, 6, 9, 10, 11, 11, 11, 14];
    const weighted = (values: number[]): { values: number[]; counts: number[] } => {
      const m = new Map<number, number>();
      for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
      return { values: [...m.keys()], counts: [...m.values()] };
    };
    const plain = mannWhitneyU(x, y)!;
    const fromCounts = mannWhitneyU(weighted(x), weighted(y))!;
    expect(fromCounts.u).toBe(plain.u);
    expect(fromCounts.pValue).toBeCloseTo(plain.pValue, 15);
  });

  it('reports the probability of superiority and the rank-biserial correlation', () => {
    const r = mannWhitneyU(males, females)!;
    expect(r.probabilityOfSuperiority).toBeCloseTo(17 / 20, 15);
    expect(r.rankBiserial).toBeCloseTo(2 * (17 / 20) - 1, 15);
  });

  it('has nothing to say about an empty sample', () => {
    expect(mannWhitneyU([], [1, 2])).toBeUndefined();
  });
});

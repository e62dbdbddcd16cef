import { describe, expect, it } from 'vitest';
import {
  erfc,
  lnGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from '../../../src/stats/distributions.js';

describe('Student t distribution', () => {
  it('equals the Cauchy distribution, its closed form, with 1 degree of freedom', () => {
    // t with 1 df is Cauchy: F(t) = 1/2 + atan(t)/π (exact, independent of our incomplete beta).
    for (const t of [-40, -6.3, -1, -0.25, 0, 0.5, 1.7, 12.706, 300]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
    }
  });

  it('matches its closed form with 2 degrees of freedom', () => {
    // t with 2 df: F(t) = 1/2 + t / (2·√(2 + t²)) (exact).
    for (const t of [-20, -3, -0.9, 0, 0.4, 2.92, 9.9]) {
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    }
  });

  it("reproduces SciPy's one-sided p-value from its ttest_ind documentation example", () => {
    // scipy.stats.mannwhitneyu docstring (SciPy 1.15, Examples): ttest_ind(females, males,
    // alternative="less") → statistic=-2.239334696520584, pvalue=0.030068441095757924, df=7.0.
    expect(studentTCdf(-2.239334696520584, 7)).toBeCloseTo(0.030068441095757924, 15);
  });

  it('reproduces the SciPy figure of DEPENDENCIES.md at a fractional Welch df', () => {
    // /work/shared/DEPENDENCIES.md, measured with SciPy: Welch t=-2.70435 df=345.338
    // p=0.00718281. t is rounded to 5 decimals there, so p is only good to about 1e-7.
    expect(2 * studentTCdf(-2.70435, 345.338)).toBeCloseTo(0.00718281, 6);
  });

  it('inverts to the critical values printed in every t table', () => {
    // Two-sided 95 % critical values, t(0.975, df), as printed to 3 decimals in t tables.
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [10, 2.228],
      [30, 2.042],
    ];
    for (const [df, critical] of table)
      expect(studentTQuantile(0.975, df)).toBeCloseTo(critical, 3);
  });

  it('has a survival function that stays accurate far in the tail', () => {
    // Cauchy tail again: P(T > 1e6) = 1/2 − atan(1e6)/π ≈ 1/(π·1e6).
    expect(studentTSf(1e6, 1) / (1 / (Math.PI * 1e6))).toBeCloseTo(1, 6);
  });

  it('rejects degrees of freedom that are not positive', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});

describe('normal distribution', () => {
  it('puts 2.5 % beyond the familiar 1.959963984540054', () => {
    // z(0.975) = 1.959963984540054 (Abramowitz & Stegun 26.2, to 15 digits).
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
  });

  it('matches tabulated values of erfc and Φ', () => {
    // erfc(1) = 0.157299207050285130658… (A&S table 7.1); Φ(−3) = 0.001349898031630094…
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898031630094, 15);
  });
});

describe('log gamma', () => {
  it('gives log factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(6)).toBeCloseTo(Math.log(120), 13);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 13);
  });
});

/**
 * Two-sample hypothesis tests with p-values and effect sizes: Welch's t (unequal variances) and
 * Mann-Whitney U (rank-based, with tie correction, continuity correction, and the exact null
 * distribution for small samples without ties, as SciPy's `method="auto"` does).
 *
 * Which samples to feed them is the caller's decision and matters more than the formulas: see
 * docs/statistics.md. In short, netbench compares repetitions (independent runs), not requests
 * (thousands of correlated observations inside one run), for its verdicts.
 */
import { mean, sampleVariance } from './descriptive.js';
import { normalSf, studentTQuantile, studentTSf } from './distributions.js';

export interface WelchResult {
  /** t statistic of mean(b) − mean(a). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  /** mean(b) − mean(a). */
  difference: number;
  /** Confidence interval of mean(b) − mean(a). */
  differenceLow: number;
  differenceHigh: number;
  /**
   * Cohen's d with the average of the two variances as the standardiser (the variant suited to
   * unequal variances): (mean(b) − mean(a)) / √((s²a + s²b) / 2). Undefined when both variances
   * are 0.
   */
  cohensD: number | undefined;
}

/**
 * Welch's unequal-variances t-test of b against a. Needs at least two values on each side; when
 * both sides have zero variance the test is undefined (there is no noise to compare with).
 */
export function welchTTest(
  a: readonly number[],
  b: readonly number[],
  level = 0.95,
): WelchResult | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se2 = va + vb;
  if (se2 === 0) return undefined;
  const difference = mean(b) - mean(a);
  const se = Math.sqrt(se2);
  const t = difference / se;
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  const pooled = Math.sqrt((sampleVariance(a) + sampleVariance(b)) / 2);
  return {
    t,
    df,
    pValue: Math.min(1, 2 * studentTSf(Math.abs(t), df)),
    difference,
    differenceLow: difference - half,
    differenceHigh: difference + half,
    cohensD: pooled === 0 ? undefined : difference / pooled,
  };
}

/** A sample given as distinct values with their counts (e.g. the buckets of a histogram). */
export interface WeightedSample {
  values: ArrayLike<number>;
  counts: ArrayLike<number>;
}

export interface MannWhitneyResult {
  /** U statistic of the first sample: the number of pairs (x, y) with x > y, ties counting ½. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'asymptotic';
  /** Standardised statistic (asymptotic method only). */
  z: number | undefined;
  /**
   * Probability of superiority, U / (n₁n₂): the chance that a random value of the first sample
   * exceeds a random value of the second (ties ½). 0.5 means no tendency either way.
   */
  probabilityOfSuperiority: number;
  /** Rank-biserial correlation, 2·U/(n₁n₂) − 1, in [−1, 1]. */
  rankBiserial: number;
}

function toWeighted(sample: readonly number[] | WeightedSample): WeightedSample {
  if (!Array.isArray(sample)) return sample as WeightedSample;
  return { values: sample, counts: new Float64Array(sample.length).fill(1) };
}

/**
 * Mann-Whitney U test of x against y, two-sided. Accepts plain arrays or weighted samples (a
 * histogram's buckets), so thousands of requests cost O(buckets · log buckets).
 *
 * p-value (`method: 'auto'`): the exact null distribution when one sample is small (n ≤ 8, as
 * SciPy) and there are no ties; otherwise the normal approximation with tie correction and a continuity
 * correction of ½ towards the mean (SciPy's default `use_continuity=True`).
 */
export interface MannWhitneyOptions {
  /** `auto` (default): exact when n ≤ 8 on one side and no ties, else asymptotic. */
  method?: 'auto' | 'exact' | 'asymptotic';
  /** Continuity correction of the asymptotic method. @default true */
  continuity?: boolean;
}

export function mannWhitneyU(
  xIn: readonly number[] | WeightedSample,
  yIn: readonly number[] | WeightedSample,
  options: MannWhitneyOptions = {},
): MannWhitneyResult | undefined {
  const method = options.method ?? 'auto';
  const x = toWeighted(xIn);
  const y = toWeighted(yIn);
  const entries: { value: number; count: number; fromX: boolean }[] = [];
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < x.values.length; i++) {
    const c = x.counts[i]!;
    if (c > 0) entries.push({ value: x.values[i]!, count: c, fromX: true });
    n1 += c;
  }
  for (let i = 0; i < y.values.length; i++) {
    const c = y.counts[i]!;
    if (c > 0) entries.push({ value: y.values[i]!, count: c, fromX: false });
    n2 += c;
  }
  if (n1 === 0 || n2 === 0) return undefined;
  entries.sort((p, q) => p.value - q.value);
  // Walk tie groups: every member of a group gets the group's average rank.
  let rankSumX = 0;
  let tieTerm = 0;
  let ranked = 0;
  let anyTies = false;
  for (let i = 0; i < entries.length;) {
    let j = i;
    let groupCount = 0;
    let groupX = 0;
    while (j < entries.length && entries[j]!.value === entries[i]!.value) {
      groupCount += entries[j]!.count;
      if (entries[j]!.fromX) groupX += entries[j]!.count;
      j++;
    }
    const averageRank = ranked + (groupCount + 1) / 2;
    rankSumX += groupX * averageRank;
    tieTerm += groupCount ** 3 - groupCount;
    if (groupCount > 1) anyTies = true;
    ranked += groupCount;
    i = j;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const pairs = n1 * n2;
  const effect = { probabilityOfSuperiority: u / pairs, rankBiserial: (2 * u) / pairs - 1 };
  const exactPossible = !anyTies && Number.isInteger(n1) && Number.isInteger(n2);
  if (method === 'exact' && !exactPossible) return undefined;
  if (method === 'exact' || (method === 'auto' && exactPossible && (n1 <= 8 || n2 <= 8))) {
    return { u, pValue: exactMannWhitneyP(u, n1, n2), method: 'exact', z: undefined, ...effect };
  }
  const n = n1 + n2;
  const sigma = Math.sqrt((pairs / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const centred = u - pairs / 2;
  if (sigma === 0) return { u, pValue: 1, method: 'asymptotic', z: 0, ...effect };
  // Continuity correction: move ½ towards the mean, never past it.
  const correction = options.continuity === false ? 0 : 0.5;
  const z = (Math.sign(centred) * Math.max(0, Math.abs(centred) - correction)) / sigma;
  return {
    u,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
    method: 'asymptotic',
    z,
    ...effect,
  };
}

/**
 * Exact two-sided p-value of U under the null (no ties): the number of ways to reach each U,
 * counted with the classic recurrence over (n₁, n₂) as a polynomial (generating function of the
 * Gaussian binomial coefficient), then p = min(1, 2·P(U ≤ min(u, n₁n₂ − u))).
 */
function exactMannWhitneyP(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2;
  // counts[m][k]: number of arrangements of m x-values among m + k values... built iteratively:
  // f(m, k) = f(m−1, k) shifted by k + f(m, k−1) (the largest value is from x or from y).
  let prev: Float64Array[] = [];
  for (let m = 0; m <= n1; m++) {
    const row: Float64Array[] = [];
    for (let k = 0; k <= n2; k++) {
      const dist = new Float64Array(m * k + 1);
      if (m === 0 || k === 0) dist[0] = 1;
      else {
        const fromX = prev[k]!; // f(m−1, k): the largest is an x, beating all k y-values.
        for (let i = 0; i < fromX.length; i++) dist[i + k] = dist[i + k]! + fromX[i]!;
        const fromY = row[k - 1]!; // f(m, k−1): the largest is a y.
        for (let i = 0; i < fromY.length; i++) dist[i] = dist[i]! + fromY[i]!;
      }
      row.push(dist);
    }
    prev = row;
  }
  const dist = prev[n2]!;
  let total = 0;
  for (const c of dist) total += c;
  const tail = Math.min(u, maxU - u);
  let cumulative = 0;
  for (let i = 0; i <= Math.floor(tail); i++) cumulative += dist[i]!;
  return Math.min(1, (2 * cumulative) / total);
}

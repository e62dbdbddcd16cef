import { describe, expect, it } from 'vitest';
import { roundComparison, roundPairs } from '../../../src/analysis/paired-rows.js';
import type { TrialRecord } from '../../../src/results/schema.js';
import type { Difference } from '../../../src/stats/estimate.js';

/** A trial whose repetition r had p50 `p50s[r]` (undefined: the repetition was invalid). */
function trial(id: string, p50s: (number | undefined)[]): TrialRecord {
  return {
    id,
    repetitions: p50s.map((p50, index) => ({
      index,
      order: index,
      status: p50 === undefined ? 'invalid' : 'ok',
      invalidReasons: [],
      ...(p50 === undefined ? {} : { latencyUs: { p50 } }),
    })),
  } as unknown as TrialRecord;
}

const unpaired: Difference = {
  kind: 'relative',
  value: 0.3,
  low: -0.5,
  high: 2,
  pValue: 0.4,
  verdict: 'within-noise',
  covers: 'repetitions',
};
const options = { level: 0.95, precision: 0.05 };

describe('comparisons with the baseline, round by round', () => {
  it('pair the rounds where both trials were valid', () => {
    const pairs = roundPairs(trial('a', [20, undefined, 30]), trial('b', [26, 40, 39]), 'p50');
    expect(pairs).toEqual([
      { round: 0, baseline: 20, candidate: 26 },
      { round: 2, baseline: 30, candidate: 39 },
    ]);
  });

  it('see a datapath difference through the machine drift between rounds', () => {
    // Both trials slow down together in rounds 2 and 3, as on a shared VM.
    const d = roundComparison(
      trial('bridge', [19, 21, 38, 25, 22]),
      trial('vxlan', [26, 29, 50, 33, 30]),
      'p50',
      'log',
      unpaired,
      options,
    )!;
    expect(d.design).toBe('paired');
    expect(d.pairs).toBe(5);
    expect(d.verdict).toBe('significant');
    expect(d.low!).toBeGreaterThan(0.2);
  });

  it('fall back to the unpaired comparison, labelled, when fewer than two rounds pair up', () => {
    const d = roundComparison(
      trial('a', [20, undefined, undefined]),
      trial('b', [undefined, 25, 27]),
      'p50',
      'log',
      unpaired,
      options,
    )!;
    expect(d.design).toBe('unpaired');
    expect(d.verdict).toBe('within-noise');
  });
});

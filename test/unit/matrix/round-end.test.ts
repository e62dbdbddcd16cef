import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { createRoundKeeper, type AdaptiveRun } from '../../../src/matrix/round-end.js';
import type { Results } from '../../../src/results/schema.js';
import type { HeadlineInterval } from '../../../src/stats/adaptive-stop.js';

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 0;
  return {
    monotonicMs: () => t,
    now: () => new Date(t),
    sleep: () => Promise.resolve(),
    advance(ms) {
      t += ms;
    },
  };
}

const results = {} as Results;

function adaptive(widths: (number | undefined)[], calls: number[]): AdaptiveRun {
  return {
    plan: { precision: 0.05, budgetS: 240, minRounds: 3, maxRounds: 100 },
    headline: (): HeadlineInterval[] => {
      calls.push(1);
      return widths.map((w, i) => ({ name: `row ${i}`, halfWidthLog: w }));
    },
  };
}

describe('the round keeper of repetitions: auto', () => {
  it('runs the minimum rounds without analysing, then stops once the headline is precise', () => {
    const clock = manualClock();
    const calls: number[] = [];
    const keeper = createRoundKeeper(adaptive([Math.log(1.02)], calls), clock);
    clock.advance(40_000);
    expect(keeper.roundEnded(0, results)).toEqual({ stop: false });
    clock.advance(40_000);
    expect(keeper.roundEnded(1, results)).toEqual({ stop: false });
    expect(calls).toHaveLength(0);
    clock.advance(40_000);
    expect(keeper.roundEnded(2, results)).toMatchObject({ stop: true, reason: 'precision-met' });
  });

  it('stops when another round as long as the last would not fit in the budget', () => {
    const clock = manualClock();
    const keeper = createRoundKeeper(adaptive([Math.log(1.3)], []), clock);
    const ends = [60_000, 40_000, 40_000, 40_000, 40_000];
    const decisions = ends.map((ms, round) => {
      clock.advance(ms);
      return keeper.roundEnded(round, results);
    });
    // 220 s spent after 5 rounds; one more of 40 s would end at 260 s > 240 s.
    expect(decisions.slice(0, 4).every((d) => !d.stop)).toBe(true);
    expect(decisions[4]).toMatchObject({ stop: true, reason: 'budget-spent' });
  });
});

import { describe, expect, it } from 'vitest';
import type { TrialPlan } from '../../../src/matrix/expand.js';
import { scheduleRepetitions } from '../../../src/matrix/schedule.js';
import { defaultDimensions } from '../../../src/spec/dimensions.js';

const trials: TrialPlan[] = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({
  id,
  index,
  dimensions: defaultDimensions(),
}));

const ids = (order: ReturnType<typeof scheduleRepetitions>) =>
  order.map((o) => `${o.trial.id}${o.repetition}`);

describe('repetition order', () => {
  it('runs round by round: every trial once per round before any trial repeats', () => {
    const order = scheduleRepetitions(trials, 4, 7);
    expect(order).toHaveLength(20);
    for (let round = 0; round < 4; round++) {
      const slice = order.slice(round * 5, round * 5 + 5);
      expect(slice.every((o) => o.repetition === round)).toBe(true);
      expect(slice.map((o) => o.trial.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });

  it('replays exactly from the recorded seed', () => {
    expect(ids(scheduleRepetitions(trials, 3, 123))).toEqual(
      ids(scheduleRepetitions(trials, 3, 123)),
    );
  });

  it('shuffles: other seeds and other rounds give other orders', () => {
    const orders = new Set(
      Array.from({ length: 20 }, (_, seed) => ids(scheduleRepetitions(trials, 1, seed)).join(' ')),
    );
    expect(orders.size).toBeGreaterThan(10);
    const rounds = scheduleRepetitions(trials, 6, 99);
    const perRound = new Set(
      [0, 1, 2, 3, 4, 5].map((r) =>
        rounds
          .slice(r * 5, r * 5 + 5)
          .map((o) => o.trial.id)
          .join(''),
      ),
    );
    expect(perRound.size).toBeGreaterThan(1);
  });

  it('spreads each trial evenly over positions in the long run (no trial always last)', () => {
    // Over many rounds a fair shuffle puts each trial in each position about equally often.
    const order = scheduleRepetitions(trials, 2000, 5);
    const lastCounts = new Map<string, number>();
    for (let r = 0; r < 2000; r++) {
      const last = order[r * 5 + 4]!.trial.id;
      lastCounts.set(last, (lastCounts.get(last) ?? 0) + 1);
    }
    // Binomial(2000, 1/5): mean 400, sd ≈ 17.9.
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect(Math.abs((lastCounts.get(id) ?? 0) - 400)).toBeLessThan(5 * 17.9);
    }
  });
});

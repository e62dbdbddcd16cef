import { describe, expect, it } from 'vitest';
import {
  neededWhenTooWide,
  relativeHalfWidthLog,
  repetitionsNeeded,
} from '../../../src/stats/precision.js';
import { studentTQuantile } from '../../../src/stats/distributions.js';
import { decideNextRound, type StopInput } from '../../../src/stats/adaptive-stop.js';

const halfWidth = (sd: number, n: number): number =>
  (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);

describe('repetitions needed', () => {
  it('is the smallest count whose interval reaches the precision', () => {
    for (const sd of [0.02, 0.1, 0.4]) {
      const n = repetitionsNeeded(sd, 0.05, 0.95);
      expect(halfWidth(sd, n)).toBeLessThanOrEqual(Math.log1p(0.05));
      if (n > 2) expect(halfWidth(sd, n - 1)).toBeGreaterThan(Math.log1p(0.05));
    }
  });

  it('is suggested for an interval like vxlan p50 +15 % [−26 %, +80 %] from 3 repetitions', () => {
    const h = relativeHalfWidthLog({ kind: 'relative', low: -0.264, high: 0.804 });
    const needed = neededWhenTooWide(h, 3, 2, 0.05, 0.95);
    expect(needed).toBeDefined();
    expect(needed!.repetitions).toBeGreaterThan(50);
  });

  it('is not suggested for an interval that already says something', () => {
    const h = relativeHalfWidthLog({ kind: 'relative', low: 0.1, high: 0.3 });
    expect(neededWhenTooWide(h, 5, 4, 0.05, 0.95)).toBeUndefined();
  });

  it('measures an estimate interval as a ratio around its value', () => {
    expect(relativeHalfWidthLog({ value: 20, low: 20 / 1.1, high: 22 })).toBeCloseTo(
      Math.log(1.1),
      12,
    );
  });
});

const base: StopInput = {
  rounds: 3,
  minRounds: 3,
  maxRounds: 100,
  precision: 0.05,
  headline: [
    { name: 'vxlan p50', halfWidthLog: Math.log(1.03) },
    { name: 'routed p50', halfWidthLog: Math.log(1.04) },
  ],
  elapsedMs: 60_000,
  budgetMs: 240_000,
  nextRoundMs: 30_000,
};

describe('the adaptive stop rule', () => {
  it('stops when every headline interval is within the precision', () => {
    const d = decideNextRound(base);
    expect(d).toMatchObject({ stop: true, reason: 'precision-met' });
  });

  it('continues while one headline interval is too wide and time is left', () => {
    const d = decideNextRound({
      ...base,
      headline: [...base.headline, { name: 'p50', halfWidthLog: Math.log(1.2) }],
    });
    expect(d).toEqual({ stop: false });
  });

  it('stops when another round would not fit in the budget, naming the widest interval', () => {
    const d = decideNextRound({
      ...base,
      headline: [{ name: 'vxlan p50', halfWidthLog: Math.log(1.2) }],
      elapsedMs: 220_000,
    });
    expect(d).toMatchObject({ stop: true, reason: 'budget-spent' });
    expect(d.stop && d.detail).toContain('vxlan p50');
  });

  it('does not stop on precision before the minimum rounds', () => {
    expect(decideNextRound({ ...base, rounds: 2 })).toEqual({ stop: false });
  });

  it('does not stop on precision while a headline has no interval yet', () => {
    const d = decideNextRound({ ...base, headline: [{ name: 'x', halfWidthLog: undefined }] });
    expect(d).toEqual({ stop: false });
  });

  it('stops at the most rounds allowed', () => {
    const d = decideNextRound({
      ...base,
      rounds: 100,
      headline: [{ name: 'x', halfWidthLog: Math.log(2) }],
    });
    expect(d).toMatchObject({ stop: true, reason: 'max-repetitions' });
  });
});

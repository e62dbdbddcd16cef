/**
 * The headline intervals of a run: what `repetitions: auto` waits for and what the findings lead
 * with. The p50 of every comparison against a baseline (paired when the rounds allow), or, when
 * the scenario names no baseline, every trial's p50. Pure.
 */
import type { HeadlineInterval } from '../stats/adaptive-stop.js';
import { relativeHalfWidthLog } from '../stats/precision.js';
import type { Analysis } from './analyze.js';

/** The figure headline intervals are about. */
export const headlineFigure = 'p50';

export function headlineIntervals(a: Analysis): HeadlineInterval[] {
  const rows = a.overheads.flatMap((o) => o.rows);
  if (rows.length > 0) {
    return rows.map((row) => {
      const d = row.figures[headlineFigure];
      return {
        name: `${row.trialId} against ${row.baselineTrialId} ${headlineFigure}`,
        halfWidthLog: d === undefined ? undefined : relativeHalfWidthLog(d),
      };
    });
  }
  return a.trials.map((t) => {
    const e = t.figures[headlineFigure];
    return {
      name: `${t.id} ${headlineFigure}`,
      halfWidthLog: e === undefined ? undefined : relativeHalfWidthLog(e),
    };
  });
}

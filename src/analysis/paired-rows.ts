/**
 * A trial against its baseline, round by round: every figure both trials have in the same round
 * (repetition index) with status ok forms a pair, and the comparison is the paired one
 * (src/stats/paired.ts) whenever at least two rounds pair up. Otherwise the unpaired comparison
 * of the two trials' estimates stands, labelled as such. Pure.
 */
import type { RepetitionRecord, TrialRecord } from '../results/schema.js';
import { repetitionFigure } from '../results/repetition-figures.js';
import { figureTable, type FigureKey } from '../spec/figures.js';
import { quantizationSe, type Difference, type EstimateWithSpread } from '../stats/estimate.js';
import { comparePaired, type FigurePair } from '../stats/paired.js';
import { neededWhenTooWide, relativeHalfWidthLog } from '../stats/precision.js';

export interface RoundComparisonOptions {
  level: number;
  /** Relative precision named in "not enough repetitions" hints (0.05 = ±5 %). */
  precision: number;
}

/** The figure's values of both trials in the rounds where both were valid. */
export function roundPairs(
  baseline: TrialRecord,
  candidate: TrialRecord,
  figure: FigureKey,
): FigurePair[] {
  const okByRound = (t: TrialRecord): Map<number, RepetitionRecord> =>
    new Map(t.repetitions.filter((r) => r.status === 'ok').map((r) => [r.index, r]));
  const a = okByRound(baseline);
  const b = okByRound(candidate);
  const out: FigurePair[] = [];
  for (const [round, ra] of a) {
    const rb = b.get(round);
    if (rb === undefined) continue;
    const x = repetitionFigure[figure](ra);
    const y = repetitionFigure[figure](rb);
    if (x !== undefined && y !== undefined) out.push({ round, baseline: x, candidate: y });
  }
  return out.sort((p, q) => p.round - q.round);
}

/** A difference in percentage points between two percentages lies in [−100, +100]. */
const percentPointRange = { low: -100, high: 100 };

/**
 * The paired comparison of `figure` when the rounds allow it, else `unpaired` (the comparison of
 * the two trials' estimates) marked as such, with a "not enough repetitions" hint when its
 * interval is too wide to say anything.
 */
export function roundComparison(
  baseline: TrialRecord,
  candidate: TrialRecord,
  figure: FigureKey,
  scale: 'log' | 'linear',
  unpaired: Difference | undefined,
  options: RoundComparisonOptions,
): Difference | undefined {
  const paired = comparePaired(roundPairs(baseline, candidate, figure), scale, {
    level: options.level,
    precision: options.precision,
    ...(scale === 'linear' ? { range: percentPointRange } : {}),
    // Latencies come from histograms with a resolution of 1 µs (and 1/2048 above 2 ms).
    ...(figureTable[figure].unit === 'duration' ? { resolutionSe: quantizationSe } : {}),
  });
  if (paired !== undefined) return paired;
  if (unpaired === undefined) return undefined;
  const n = Math.min(okCount(baseline), okCount(candidate));
  return { ...unpaired, design: 'unpaired', ...unpairedNeeded(unpaired, n, options) };
}

const okCount = (t: TrialRecord): number => t.repetitions.filter((r) => r.status === 'ok').length;

function unpairedNeeded(
  d: Difference,
  n: number,
  options: RoundComparisonOptions,
): Pick<Difference, 'needed'> | Record<string, never> {
  if (d.covers !== 'repetitions' || d.kind !== 'relative' || d.verdict === 'significant' || n < 2) {
    return {};
  }
  // Welch's degrees of freedom are not kept; those of the smaller side stand in (the hint is a
  // rough count of repetitions per trial anyway).
  const needed = neededWhenTooWide(
    relativeHalfWidthLog(d),
    n,
    n - 1,
    options.precision,
    options.level,
  );
  return needed === undefined ? {} : { needed };
}

/** A trial estimate with a "not enough repetitions" hint when its interval says too little. */
export function withNeeded<E extends EstimateWithSpread>(e: E, options: RoundComparisonOptions): E {
  if (e.covers !== 'repetitions' || e.scale !== 'log' || e.repetitions < 2) return e;
  const needed = neededWhenTooWide(
    relativeHalfWidthLog(e),
    e.repetitions,
    e.repetitions - 1,
    options.precision,
    options.level,
  );
  return needed === undefined ? e : { ...e, needed };
}

/** Small conversions from the analysis' estimates to the advisor's figures. Pure. */
import { compareTrials, type AnalyzedRun, type FigureKey } from '../../analysis/analyze.js';
import { estimateMean, type Estimate } from '../../stats/estimate.js';
import type { Figure, RelativeChange } from './evidence-types.js';

export const figureOf = (e: Estimate): Figure => ({
  value: e.value,
  low: e.low,
  high: e.high,
  repetitions: e.repetitions,
});

/** The mean of per-repetition values with its Student-t interval (log scale: costs are positive). */
export function meanFigure(values: readonly number[]): Figure | undefined {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const e = estimateMean(positive, 'log', { level: 0.95 });
  return e === undefined ? undefined : figureOf(e);
}

/** Candidate against reference on one latency figure, relative, from the run's repetition spreads. */
export function relativeChange(
  run: AnalyzedRun,
  referenceId: string,
  candidateId: string,
  figure: FigureKey,
): RelativeChange | undefined {
  const reference = run.spreads.get(referenceId);
  const candidate = run.spreads.get(candidateId);
  if (reference === undefined || candidate === undefined) return undefined;
  const d = compareTrials(reference, candidate, [figure], run.analysis.level)[figure];
  if (d?.kind !== 'relative') return undefined;
  return { value: d.value, low: d.low, high: d.high, verdict: d.verdict };
}

/** The requested rate of a trial: its open-loop rate, else a numeric `rate` dimension. */
export function rateOf(trial: {
  requestedRps: number | null | undefined;
  dimensions: Record<string, unknown>;
}): number | undefined {
  if (typeof trial.requestedRps === 'number') return trial.requestedRps;
  const rate = trial.dimensions.rate;
  return typeof rate === 'number' ? rate : undefined;
}

export const stringDimension = (
  dimensions: Record<string, unknown>,
  key: string,
): string | undefined => {
  const v = dimensions[key];
  return typeof v === 'string' ? v : undefined;
};

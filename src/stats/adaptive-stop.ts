/**
 * The stop rule of `repetitions: auto`: after each interleaved round, run another one until every
 * headline interval is as tight as the scenario's `precision` asks, or until the time budget
 * would be exceeded by one more round. Pure: the runner passes the clock's readings in.
 *
 * Stopping on precision looks at the data, which in principle biases a sequential procedure; the
 * rule only stops once an interval is narrow, not once a difference is significant, so the
 * verdicts are not selected for. docs/statistics.md has the reasoning.
 */
import { relativePrecision } from './precision.js';

/** Why an adaptive run stopped adding rounds. */
export type StopReason = 'precision-met' | 'budget-spent' | 'max-repetitions';

/** One headline interval, by name (e.g. "vxlan/cross-node against bridge/same-node p50"). */
export interface HeadlineInterval {
  name: string;
  /** Half-width on the log scale; undefined when there is no interval yet. */
  halfWidthLog: number | undefined;
}

export interface StopInput {
  /** Rounds completed so far. */
  rounds: number;
  /** Rounds before the precision is looked at (pairs need at least 2, t with 1 df is 12.7). */
  minRounds: number;
  maxRounds: number;
  /** Relative precision asked for (0.05 = ±5 %). */
  precision: number;
  headline: readonly HeadlineInterval[];
  elapsedMs: number;
  budgetMs: number;
  /** Expected duration of one more round (the slowest so far is a safe guess). */
  nextRoundMs: number;
}

export type StopDecision =
  | { stop: false }
  | {
      stop: true;
      reason: StopReason;
      /** For people: what was reached or what was still too wide. */
      detail: string;
    };

function widest(headline: readonly HeadlineInterval[]): HeadlineInterval | undefined {
  let out: HeadlineInterval | undefined;
  for (const h of headline) {
    const w = h.halfWidthLog ?? Infinity;
    if (out === undefined || w > (out.halfWidthLog ?? Infinity)) out = h;
  }
  return out;
}

const percent = (x: number): string => `±${(x * 100).toFixed(1)} %`;

/** Whether to run another round, and if not, why. */
export function decideNextRound(input: StopInput): StopDecision {
  const target = Math.log1p(input.precision);
  const wide = widest(input.headline);
  const widthText =
    wide === undefined
      ? 'no headline interval'
      : wide.halfWidthLog === undefined
        ? `${wide.name} has no interval yet`
        : `widest headline interval ${wide.name} ${percent(relativePrecision(wide.halfWidthLog))}`;
  if (
    input.rounds >= input.minRounds &&
    wide !== undefined &&
    wide.halfWidthLog !== undefined &&
    wide.halfWidthLog <= target
  ) {
    return {
      stop: true,
      reason: 'precision-met',
      detail: `every headline interval within ${percent(input.precision)} after ${input.rounds} rounds (${widthText})`,
    };
  }
  if (input.rounds >= input.maxRounds) {
    return {
      stop: true,
      reason: 'max-repetitions',
      detail: `${input.rounds} rounds, the most allowed; ${widthText}, ${percent(input.precision)} asked`,
    };
  }
  if (input.elapsedMs + input.nextRoundMs > input.budgetMs) {
    return {
      stop: true,
      reason: 'budget-spent',
      detail: `another round (about ${Math.round(input.nextRoundMs / 1000)} s) would exceed the ${Math.round(input.budgetMs / 1000)} s budget after ${input.rounds} rounds; ${widthText}, ${percent(input.precision)} asked`,
    };
  }
  return { stop: false };
}

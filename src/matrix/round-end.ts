/**
 * What the runner does when a round of repetitions ends: measure the instrument's floors (in the
 * first rounds, with the environment that is deployed anyway), and, for `repetitions: auto`,
 * decide whether another round runs. The decision itself is the pure stop rule; the headline
 * intervals come from the analysis through the `headline` port, so the runner does not know how
 * figures are estimated.
 */
import type { Clock } from '../core/clock.js';
import { isNetbenchError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Milliseconds } from '../core/units.js';
import type { Environment } from '../platform/platform.js';
import type { RepetitionRecord, Results } from '../results/schema.js';
import type { Scenario } from '../spec/scenario-schema.js';
import {
  decideNextRound,
  type HeadlineInterval,
  type StopDecision,
} from '../stats/adaptive-stop.js';
import type { RepetitionRunner } from '../workload/measure-repetition.js';
import type { AdaptivePlan } from './adaptive.js';
import { floorRounds, loopbackEnvironment, type FloorGroup } from './floor.js';

/** `repetitions: auto` as the runner receives it. */
export interface AdaptiveRun {
  plan: AdaptivePlan;
  /** The headline intervals of the results so far (the analysis, behind a port). */
  headline(results: Results): HeadlineInterval[];
}

/** Keeps time per round and applies the stop rule after each. */
export interface RoundKeeper {
  /** Called when round `round` (0-based) has ended; whether to run the next one. */
  roundEnded(round: number, results: Results): StopDecision;
}

export function createRoundKeeper(adaptive: AdaptiveRun, clock: Clock): RoundKeeper {
  const startMs: Milliseconds = clock.monotonicMs();
  let roundStartMs = startMs;
  return {
    roundEnded(round, results) {
      const now = clock.monotonicMs();
      // The round just run is the best guess of the next: the first rounds also deploy and
      // measure floors, so they are slower, and the machine's load drifts.
      const lastRoundMs = now - roundStartMs;
      roundStartMs = now;
      const rounds = round + 1;
      // The headline costs an analysis: only once the precision can end the run.
      const headline = rounds >= adaptive.plan.minRounds ? adaptive.headline(results) : [];
      return decideNextRound({
        rounds,
        minRounds: adaptive.plan.minRounds,
        maxRounds: adaptive.plan.maxRounds,
        precision: adaptive.plan.precision,
        headline,
        elapsedMs: now - startMs,
        budgetMs: adaptive.plan.budgetS * 1000,
        nextRoundMs: lastRoundMs,
      });
    },
  };
}

export interface FloorContext {
  environment: Environment;
  repetitions: RepetitionRunner;
  scenario: Scenario;
  logger: Logger;
  signal: AbortSignal;
  clock: Clock;
}

/**
 * Measures every floor once (round `round`), in the client pod of `environment`, and appends the
 * repetitions to `results.floors`. A floor that fails is recorded as failed and the run goes on:
 * the floor is context for the trials, not a trial.
 */
export async function measureFloors(
  groups: readonly FloorGroup[],
  round: number,
  results: Results,
  ctx: FloorContext,
): Promise<void> {
  if (round >= floorRounds || groups.length === 0) return;
  results.floors ??= groups.map((g) => ({
    id: g.id,
    dimensions: g.dimensions,
    trialIds: g.trialIds,
    repetitions: [],
  }));
  for (const [i, g] of groups.entries()) {
    if (ctx.signal.aborted) return;
    const startedAt = ctx.clock.now().toISOString();
    let rep: RepetitionRecord;
    try {
      const m = await ctx.repetitions.measure({
        environment: loopbackEnvironment(ctx.environment),
        dimensions: g.dimensions,
        warmupS: ctx.scenario.warmup,
        durationS: ctx.scenario.duration,
        timeoutS: ctx.scenario.timeout,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      rep = {
        ...m,
        index: round,
        order: -1,
        startedAt,
        status: m.invalidReasons.length > 0 ? 'invalid' : 'ok',
      };
      const p50 = m.latencyUs?.p50;
      ctx.logger.info(
        `${g.id} round ${round + 1}: p50 ${p50 === undefined ? '-' : `${Math.round(p50)}µs`}${rep.status === 'invalid' ? ` (invalid: ${m.invalidReasons[0] ?? ''})` : ''}`,
      );
    } catch (error) {
      if (ctx.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      ctx.logger.warn(`${g.id} round ${round + 1} failed: ${message}`);
      rep = {
        index: round,
        order: -1,
        startedAt,
        status: 'failed',
        invalidReasons: [],
        error: { code: isNetbenchError(error) ? error.code : 'NB_WORKLOAD_FAILED', message },
      };
    }
    results.floors[i]!.repetitions.push(rep);
  }
}

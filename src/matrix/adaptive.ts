/**
 * `repetitions: auto` as the planner and the runner see it: how many rounds to schedule at most,
 * the precision and the budget with their defaults. The stop rule itself is pure statistics
 * (src/stats/adaptive-stop.ts); the headline intervals it looks at come from the analysis.
 */
import type { Scenario } from '../spec/scenario-schema.js';
import { defaultPrecision } from '../stats/precision.js';

/** Rounds always run before the precision is looked at (pairs need 2; t with 1 df is 12.7). */
export const autoMinRounds = 3;
/** Rounds scheduled at most; the budget normally stops a run long before. */
export const autoMaxRounds = 100;
/** Budget of an adaptive run when the scenario names none, seconds. */
export const defaultBudgetS = 300;

/** What an adaptive run was asked for; undefined for a fixed number of repetitions. */
export interface AdaptivePlan {
  /** 0.05 = ±5 %. */
  precision: number;
  budgetS: number;
  minRounds: number;
  maxRounds: number;
}

export function adaptivePlan(scenario: Scenario): AdaptivePlan | undefined {
  if (scenario.repetitions !== 'auto') return undefined;
  return {
    precision: scenario.precision === undefined ? defaultPrecision : scenario.precision / 100,
    budgetS: scenario.budget ?? defaultBudgetS,
    minRounds: autoMinRounds,
    maxRounds: autoMaxRounds,
  };
}

/** Rounds to schedule: the fixed count, or the most an adaptive run may use. */
export function plannedRounds(scenario: Scenario): number {
  return scenario.repetitions === 'auto' ? autoMaxRounds : scenario.repetitions;
}

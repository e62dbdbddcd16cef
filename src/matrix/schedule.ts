/**
 * The order repetitions run in: round by round (every trial's repetition 1, then every trial's
 * repetition 2, …), trials shuffled within each round by a seeded generator, so slow drift of the
 * machine (thermal, a noisy neighbour) spreads evenly over trials instead of biasing the last one.
 */
import { createRandom } from '../stats/random.js';
import type { TrialPlan } from './expand.js';

export interface ScheduledRepetition<T extends TrialPlan = TrialPlan> {
  trial: T;
  /** 0-based repetition number within the trial. */
  repetition: number;
}

export function scheduleRepetitions<T extends TrialPlan>(
  trials: readonly T[],
  repetitions: number,
  seed: number,
): ScheduledRepetition<T>[] {
  const random = createRandom(seed);
  const out: ScheduledRepetition<T>[] = [];
  for (let r = 0; r < repetitions; r++) {
    const order = [...trials];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const trial of order) out.push({ trial, repetition: r });
  }
  return out;
}

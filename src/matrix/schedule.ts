/**
 * The order repetitions run in: round by round (every trial's repetition 1, then every trial's
 * repetition 2, …), shuffled within each round by a seeded generator, so slow drift of the
 * machine (thermal, a noisy neighbour) spreads evenly over trials instead of biasing the last one.
 *
 * Within a round, trials that share a group (the topology they deploy) run back to back, groups
 * and the trials inside them each in random order: a deployment can be expensive (BGP
 * convergence, 10 000 Services programmed in minutes), and consecutive repetitions that need the
 * same one reuse it. Across rounds every trial still moves through the run.
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
  groupOf: (trial: T) => string = (t) => t.id,
): ScheduledRepetition<T>[] {
  const random = createRandom(seed);
  const shuffle = <X>(items: X[]): X[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  };
  const groups = new Map<string, T[]>();
  for (const t of trials) {
    const key = groupOf(t);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const out: ScheduledRepetition<T>[] = [];
  for (let r = 0; r < repetitions; r++) {
    for (const group of shuffle([...groups.values()])) {
      for (const trial of shuffle([...group])) out.push({ trial, repetition: r });
    }
  }
  return out;
}

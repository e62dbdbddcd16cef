/**
 * The order repetitions run in: round by round (every trial's repetition 1, then every trial's
 * repetition 2, …), trials shuffled within each round by a seeded generator, so slow drift of the
 * machine (thermal, a noisy neighbour) spreads evenly over trials instead of biasing the last one.
 */
import type { TrialPlan } from './expand.js';

export interface ScheduledRepetition<T extends TrialPlan = TrialPlan> {
  trial: T;
  /** 0-based repetition number within the trial. */
  repetition: number;
}

/** mulberry32: small, fast, good enough to shuffle; seeded so an order can be replayed. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

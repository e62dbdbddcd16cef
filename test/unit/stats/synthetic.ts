/**
 * Synthetic latency data for statistics tests, generated from a seeded RNG (never measured
 * numbers typed in): each repetition draws its own log-normal latency distribution whose location
 * moves by a "run-to-run" random effect, the way repetitions on a shared machine differ.
 */
import {
  createHistogram,
  histogramBuckets,
  recordMicros,
  type Histogram,
  type HistogramBuckets,
} from '../../../src/stats/histogram.js';
import { createRandom, randomNormal, type Random } from '../../../src/stats/random.js';

export interface SyntheticTrialOptions {
  repetitions: number;
  requestsPerRepetition: number;
  /** Median latency in µs. */
  medianUs: number;
  /** Log-scale spread of requests within a repetition. @default 0.6 */
  sigma?: number;
  /** Log-scale spread of the repetitions' medians (0.1 ≈ 10 % run-to-run). @default 0 */
  runToRun?: number;
}

export function syntheticRepetitions(random: Random, o: SyntheticTrialOptions): Histogram[] {
  const out: Histogram[] = [];
  for (let r = 0; r < o.repetitions; r++) {
    const mu = Math.log(o.medianUs) + (o.runToRun ?? 0) * randomNormal(random);
    const h = createHistogram();
    for (let i = 0; i < o.requestsPerRepetition; i++) {
      recordMicros(h, Math.exp(mu + (o.sigma ?? 0.6) * randomNormal(random)));
    }
    out.push(h);
  }
  return out;
}

export function syntheticBuckets(random: Random, o: SyntheticTrialOptions): HistogramBuckets[] {
  return syntheticRepetitions(random, o).map(histogramBuckets);
}

export { createRandom };

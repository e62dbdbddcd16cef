/**
 * How each figure (spec/figures.ts) is estimated over a trial's valid repetitions: latency
 * percentiles and the mean from the repetitions' histograms (merged, never averaged), the other
 * figures as a mean over repetitions on the scale their spread lives on. Keyed by the figure
 * table, so a new figure cannot be left without an estimate.
 */
import type { FigureKey } from '../spec/figures.js';

export type FigureEstimation =
  | { kind: 'latency-percentile'; percentile: number }
  | { kind: 'latency-mean' }
  | {
      kind: 'repetition-mean';
      /** Rates, throughput, CPU and memory vary multiplicatively (log); shares additively. */
      scale: 'log' | 'linear';
      /** The range the values lie in; intervals never leave it (stats/quantity.ts). */
      range: 'positive' | 'percent' | 'cpu';
      /**
       * The bootstrap stream this figure resamples from (see `bootstrapSeed`). Fixed per figure
       * so that adding a figure never moves another figure's interval; changing one changes the
       * intervals of every re-rendered report.
       */
      stream: number;
    };

export const figureEstimation = {
  p50: { kind: 'latency-percentile', percentile: 50 },
  p90: { kind: 'latency-percentile', percentile: 90 },
  p99: { kind: 'latency-percentile', percentile: 99 },
  p999: { kind: 'latency-percentile', percentile: 99.9 },
  mean: { kind: 'latency-mean' },
  rps: { kind: 'repetition-mean', scale: 'log', range: 'positive', stream: 2 },
  throughput: { kind: 'repetition-mean', scale: 'log', range: 'positive', stream: 3 },
  loss: { kind: 'repetition-mean', scale: 'linear', range: 'percent', stream: 4 },
  errors: { kind: 'repetition-mean', scale: 'linear', range: 'percent', stream: 5 },
  cpu: { kind: 'repetition-mean', scale: 'log', range: 'cpu', stream: 6 },
  memory: { kind: 'repetition-mean', scale: 'log', range: 'positive', stream: 7 },
} as const satisfies Record<FigureKey, FigureEstimation>;

/**
 * Bootstrap streams besides the per-figure ones: the latency histograms (all percentiles and the
 * mean are resampled together, so they stay consistent), UDP jitter, and per resource group CPU
 * and memory (offset by the group's position, so groups draw independent resamples).
 */
export const bootstrapStreams = {
  latency: 1,
  udpJitter: 8,
  resourceCpuBase: 100,
  resourceMemoryBase: 200,
} as const;

/**
 * The seed of one bootstrap: it follows from the run's recorded seed, so the same results.json
 * always gives the same intervals, and differs per trial and per stream (Knuth's multiplicative
 * hash of the run seed, then the trial and stream spread by two primes).
 */
export function bootstrapSeed(runSeed: number, trialIndex: number, stream: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 2654435761) + trialIndex * 7919 + stream * 104729) >>> 0;
}

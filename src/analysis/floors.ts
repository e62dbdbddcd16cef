/**
 * The instrument's floor of each trial: the same engine against a server in the client's own pod
 * (results.floors, measured by the runner), its p50 and p99 with intervals, and how far the
 * trial's p50 lies above it: the part of the latency the path between the pods adds. Pure.
 */
import type { Results } from '../results/schema.js';
import { estimateLatency, type Estimate } from '../stats/estimate.js';
import { decodeHistogram, histogramBuckets } from '../stats/histogram.js';

/** One floor: what the engine alone measures over loopback. */
export interface FloorAnalysis {
  id: string;
  trialIds: string[];
  repetitions: { total: number; ok: number };
  p50: Estimate | undefined;
  p99: Estimate | undefined;
}

/** Estimates of every floor in the run (none for results written before floors existed). */
export function analyzeFloors(
  results: Results,
  options: { level: number; iterations: number; seed: (stream: number) => number },
): FloorAnalysis[] {
  return (results.floors ?? []).map((f, i) => {
    const ok = f.repetitions.filter((r) => r.status === 'ok');
    const buckets = ok.flatMap((r) =>
      r.histograms?.latencyUs === undefined
        ? []
        : [histogramBuckets(decodeHistogram(r.histograms.latencyUs))],
    );
    const latency =
      buckets.length === 0
        ? undefined
        : estimateLatency(buckets, [50, 99], {
            level: options.level,
            iterations: options.iterations,
            seed: options.seed(i),
          });
    const plain = (q: number): Estimate | undefined => {
      const e = latency?.percentiles.get(q);
      return e === undefined
        ? undefined
        : {
            value: e.value,
            low: e.low,
            high: e.high,
            repetitions: e.repetitions,
            covers: e.covers,
          };
    };
    return {
      id: f.id,
      trialIds: f.trialIds,
      repetitions: { total: f.repetitions.length, ok: ok.length },
      p50: plain(50),
      p99: plain(99),
    };
  });
}

/** The floor a trial is shown against, if the run measured one. */
export function floorOfTrial(
  floors: readonly FloorAnalysis[],
  trialId: string,
): FloorAnalysis | undefined {
  return floors.find((f) => f.trialIds.includes(trialId));
}

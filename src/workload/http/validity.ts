/**
 * The generator judges itself: a repetition where the load generator, not the network, was the
 * bottleneck is marked invalid with the reason instead of being reported as the path's latency.
 */
import type { LatencySummaryUs } from '../../stats/histogram.js';
import type { HttpLoadResult } from './load-generator.js';

/** Schedule lag the generator may show at p90 before its timing is not trusted. */
export const maxScheduleLagP90Us = 1000;
/** CPU share of one core above which the generator itself was saturated. */
export const maxGeneratorCpuPercent = 90;

export function judgeGenerator(
  r: Pick<HttpLoadResult, 'mode' | 'generator' | 'requests'> & { scheduleLagUs: LatencySummaryUs },
): string[] {
  const reasons: string[] = [];
  if (r.requests.completed === 0) reasons.push('no request completed in the measured window');
  if (r.mode === 'open-loop' && r.scheduleLagUs.p90 > maxScheduleLagP90Us) {
    reasons.push(
      `the generator fired 10% of requests more than ${maxScheduleLagP90Us} µs late (schedule lag p90 ${Math.round(r.scheduleLagUs.p90)} µs): it could not keep its schedule`,
    );
  }
  if (r.mode === 'open-loop' && r.generator.cpuPercent > maxGeneratorCpuPercent) {
    reasons.push(
      `the generator used ${r.generator.cpuPercent.toFixed(0)}% of a core: it was saturated, so latency includes its own queueing`,
    );
  }
  return reasons;
}

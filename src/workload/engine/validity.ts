/**
 * The generator judges itself: a repetition where the load generator, not the network, was the
 * bottleneck is marked invalid with the reasons instead of being reported as the path's latency.
 * Pure: it reads the generator's own evidence (schedule lag, event-loop utilisation, CPU).
 *
 * Only open loop is judged on timing: in closed loop (`rate: max`) the generator is meant to go
 * as fast as the slowest part allows, and its figures say which part that was.
 */
import type { LatencySummaryUs } from '../../stats/histogram.js';
import type { EngineResult } from './open-loop.js';

/** Schedule lag the generator may show at p90 before its timing is not trusted. */
export const maxScheduleLagP90Us = 1000;
/**
 * Event-loop utilisation (share of the window the loop was busy) above which an engine thread
 * was saturated: requests then wait for the loop, not for the network.
 */
export const maxEventLoopUtilization = 0.9;
/**
 * CPU of the generator process per engine thread (% of one core) above which it was saturated.
 * Above one core per thread because each thread's schedule clock is a second thread that spins
 * briefly before every tick.
 */
export const maxGeneratorCpuPercentPerThread = 120;
/**
 * An open loop that kept its schedule delivers its rate within about 1 % in the window; below
 * this share of it, requests were piling up somewhere.
 */
export const minAchievedShareOfRate = 0.97;
/**
 * Event-loop utilisation from which, when the rate was not delivered, the pile-up is the
 * generator's: it was the busy side. (A server that is the bottleneck leaves the generator
 * waiting, with its loop mostly idle.)
 */
export const busyEventLoopUtilization = 0.8;

export type GeneratorEvidence = Pick<EngineResult, 'mode' | 'requests'> &
  Partial<Pick<EngineResult, 'requestedRps' | 'achievedRps'>> & {
    generator: Pick<EngineResult['generator'], 'cpuPercent'> &
      Partial<Pick<EngineResult['generator'], 'threads' | 'eventLoopUtilization'>>;
    scheduleLagUs: LatencySummaryUs;
  };

export function judgeGenerator(r: GeneratorEvidence): string[] {
  const reasons: string[] = [];
  if (r.requests.completed === 0) reasons.push('no request completed in the measured window');
  if (r.mode !== 'open-loop') return reasons;
  if (r.scheduleLagUs.p90 > maxScheduleLagP90Us) {
    reasons.push(
      `the generator fired 10% of requests more than ${maxScheduleLagP90Us} µs late (schedule lag p90 ${Math.round(r.scheduleLagUs.p90)} µs): it could not keep its schedule`,
    );
  }
  const elu = r.generator.eventLoopUtilization;
  if (elu !== undefined && elu > maxEventLoopUtilization) {
    reasons.push(
      `the generator's event loop was busy ${(elu * 100).toFixed(0)}% of the window (limit ${maxEventLoopUtilization * 100}%): it was saturated, so latency includes its own queueing; add threads`,
    );
  }
  const share =
    r.requestedRps !== undefined && r.requestedRps !== null && r.requestedRps > 0
      ? (r.achievedRps ?? 0) / r.requestedRps
      : undefined;
  if (
    share !== undefined &&
    share < minAchievedShareOfRate &&
    elu !== undefined &&
    elu >= busyEventLoopUtilization &&
    elu <= maxEventLoopUtilization
  ) {
    reasons.push(
      `the generator delivered ${(share * 100).toFixed(0)}% of the requested rate while its event loop was busy ${(elu * 100).toFixed(0)}% of the window: it was the bottleneck, so latency includes its own queueing; add threads or a CPU, or lower the rate`,
    );
  }
  const threads = r.generator.threads ?? 1;
  const cpuLimit = maxGeneratorCpuPercentPerThread * threads;
  if (r.generator.cpuPercent > cpuLimit) {
    reasons.push(
      `the generator used ${r.generator.cpuPercent.toFixed(0)}% of a core with ${threads} thread${threads === 1 ? '' : 's'} (limit ${cpuLimit}%): it was saturated, so latency includes its own queueing`,
    );
  }
  return reasons;
}
